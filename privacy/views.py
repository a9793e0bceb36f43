"""The Personal data pages (Comms only): the retention rules and what each removed last time, and
subject access (everything held about one member of the public, and its files in a zip)."""

import io
import json
import zipfile

from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.contributions import retention_rules
from privacy.forms import SubjectAccessForm
from privacy.services import as_json, last_runs, subject_access


@require_GET
@permission_required("privacy.manage", raise_exception=True)
def rules(request):
    runs = last_runs()
    rows = [(rule, runs.get(rule.code)) for rule in retention_rules()]
    return render(request, "privacy/rules.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@permission_required("privacy.manage", raise_exception=True)
def subject_access_page(request):
    # A POST, so the handle never sits in a URL (logs, browser history, the audit trail's context).
    form = SubjectAccessForm(request.POST or None)
    found = None
    if request.method == "POST" and form.is_valid():
        download = "download" in request.POST
        found = subject_access(
            handle=form.cleaned_data["handle"],
            platform=form.cleaned_data["platform"] or None,
            by=request.user,
            how="download" if download else "page",
        )
        if download:
            return _zip(found)
    return render(request, "privacy/subject_access.html", {"form": form, "found": found})


def _zip(found) -> HttpResponse:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("held.json", json.dumps(as_json(found), indent=2, ensure_ascii=False))
        for section in found:
            for name, file, _sha in section.files:
                with file.open("rb") as f:
                    archive.writestr(f"files/{name}", f.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{stamp}.zip"'
    response["Cache-Control"] = "no-store"
    return response
