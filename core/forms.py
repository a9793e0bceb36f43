"""The one pattern every form page follows: validate, call a service, show its errors on the form."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.shortcuts import redirect, render


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has that field."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(
    request,
    form,
    action: Callable[[dict], Any],
    *,
    template: str,
    context: dict,
    success: str | Callable[[Any], str],
    redirect_to: str | Callable[[Any], str],
):
    """On a valid POST, run the action (a service call) with the cleaned data; on success say so and
    redirect, on ValidationError show the errors on the form, which keeps what was typed."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
    return render(request, template, {"form": form, **context})


def search_words(queryset: QuerySet, value: str, fields: list[str]) -> QuerySet:
    """Every word must appear in at least one of the fields (case-insensitive)."""
    for word in value.split():
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset
