import logging

import tablib
from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from core.spreadsheet import protect_row
from dashboard.exports import BUILDERS
from dashboard.models import Export, ExportStatus

logger = logging.getLogger(__name__)
PROGRESS_EVERY = 500


@shared_task
def build_export(export_id: int) -> str:
    """Make the file. Claimed with a conditional update, so two workers never make it twice."""
    if not Export.objects.filter(pk=export_id, status=ExportStatus.WAITING).update(
        status=ExportStatus.RUNNING
    ):
        return "already taken"
    export = Export.objects.select_related("requested_by").get(pk=export_id)
    try:
        headers, total, rows = BUILDERS[export.kind](export)
        Export.objects.filter(pk=export_id).update(rows_total=total)
        data = tablib.Dataset(headers=headers)
        for n, row in enumerate(rows, 1):
            data.append(protect_row(row + [""] * (len(headers) - len(row))))
            if n % PROGRESS_EVERY == 0:
                Export.objects.filter(pk=export_id).update(rows_done=n)
        if export.file_format == "xlsx":
            data.title = export.get_kind_display()[:31]
            body = data.export("xlsx")
        else:
            body = ("\ufeff" + data.export("csv")).encode()
        stamp = timezone.localdate().isoformat()
        export.file.save(
            f"{export.pk}/{export.kind}-{stamp}.{export.file_format}", ContentFile(body), save=False
        )
        Export.objects.filter(pk=export_id).update(
            file=export.file.name,
            status=ExportStatus.READY,
            rows_done=len(data),
            finished_at=timezone.now(),
        )
        return "ready"
    except Exception:
        logger.exception("Export %s failed", export_id)
        Export.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            problem="The export could not be made. Try again, or ask for a shorter period.",
            finished_at=timezone.now(),
        )
        return "failed"
