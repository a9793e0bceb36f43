from django.conf import settings
from django.core.checks import Error, register

from blocking.models import Category


@register()
def review_months_configured(app_configs, **kwargs) -> list[Error]:
    """BLOCKING_REVIEW_MONTHS_BY_CATEGORY names real categories, each with a sensible period."""
    errors = []
    for code, months in settings.BLOCKING_REVIEW_MONTHS_BY_CATEGORY.items():
        if code not in Category.values:
            errors.append(
                Error(
                    f"BLOCKING_REVIEW_MONTHS_BY_CATEGORY names an unknown category {code!r}.",
                    hint=f"Use one of: {', '.join(Category.values)}.",
                    id="blocking.E001",
                )
            )
        elif not 1 <= months <= 24:
            errors.append(
                Error(f"Review {code} blocks within 1 to 24 months, not {months}.", id="blocking.E002")
            )
    if not 1 <= settings.BLOCKING_REVIEW_MONTHS <= 24:
        errors.append(Error("BLOCKING_REVIEW_MONTHS must be 1 to 24.", id="blocking.E002"))
    return errors
