"""Keeping people's text from running as a formula when a CSV or XLSX file is opened in a spreadsheet.

Excel, LibreOffice and Google Sheets treat a cell starting with =, +, -, @, a tab or a carriage return
as a formula ("CSV injection"). protect() puts a single quote in front of such a text cell, which
spreadsheets show as plain text; unprotect() takes it off again when the file is imported, so
export → import gives back exactly what was exported.

A text that already starts with quotes followed by one of those characters (e.g. '=1) gets one more
quote, so unprotect() can always tell the added quote from the respondent's own. Only text is
protected: numbers are written as numbers (-3 stays -3), so number cells must not go through protect()."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _looks_like_formula(text: str) -> bool:
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def protect(text: str) -> str:
    """The text as a cell that a spreadsheet will not run: a quote in front if it could be a formula."""
    return QUOTE + text if _looks_like_formula(text) else text


def unprotect(text: str) -> str:
    """The cell's text with the quote protect() added taken off (one quote, and only that one)."""
    return text[1:] if text.startswith(QUOTE) and _looks_like_formula(text) else text


def protect_row(cells: list) -> list:
    """A row of a spreadsheet: text cells protected, numbers (and empty cells) left as they are."""
    return [protect(cell) if isinstance(cell, str) else cell for cell in cells]


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(dataset, *, name: str, file_format: str, title: str = ""):
    """A tablib Dataset as a CSV (with a byte-order mark, so Excel reads UTF-8) or XLSX download named
    `<name>-<today>.<format>`. Protect text cells (protect_row) before they go into the dataset."""
    from django.http import HttpResponse
    from django.utils import timezone

    if file_format not in CONTENT_TYPES:
        raise ValueError(f"Unknown spreadsheet format {file_format!r}")
    if file_format == "xlsx":
        dataset.title = (title or name)[:31]  # Excel's limit for a sheet's name
        body = dataset.export("xlsx")
    else:
        body = "\ufeff" + dataset.export("csv")
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{file_format}"'
    return response
