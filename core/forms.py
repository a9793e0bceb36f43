"""The one pattern every form page follows: validate, call a service, show its errors on the form."""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
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


# A search is one condition per word: these bound the work a single request can ask of the database
# (a search of 2,000 words once took 20 s on the register).
SEARCH_WORDS = 10
SEARCH_WORD_LENGTH = 50


def search_words(queryset: QuerySet, value: str, fields: list[str]) -> QuerySet:
    """Every word must appear in at least one of the fields (case-insensitive). At most SEARCH_WORDS
    words count, whatever the caller passed: the forms refuse more with a message (SearchField)."""
    for word in value.split()[:SEARCH_WORDS]:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


class SearchField(forms.CharField):
    """What someone typed in a search box, bounded: at most SEARCH_WORDS words of `word_length`
    characters, refused with a plain message (the list is then shown unfiltered, the error beside
    the box)."""

    def __init__(self, *, word_length: int = SEARCH_WORD_LENGTH, **kwargs):
        self.word_length = word_length
        kwargs.setdefault("max_length", SEARCH_WORDS * (word_length + 1))
        limit = f"Search for at most {SEARCH_WORDS} words of up to {word_length} characters."
        kwargs.setdefault("error_messages", {"max_length": limit})
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        words = value.split()
        if len(words) > SEARCH_WORDS:
            raise ValidationError(f"Search for at most {SEARCH_WORDS} words: you typed {len(words)}.")
        if any(len(word) > self.word_length for word in words):
            raise ValidationError(f"Each search word can be at most {self.word_length} characters long.")


class SearchFilter(django_filters.CharFilter):
    """A search box in a FilterSet: `fields=[…]` to match every word in one of them, or `method=`
    for a search of its own; either way the input is a SearchField."""

    field_class = SearchField

    def __init__(self, *args, fields: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields = fields or []

    def filter(self, qs, value):
        return search_words(qs, value, self.fields) if value else qs
