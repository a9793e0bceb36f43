"""The notice every page shows while a pre-election period is on."""

from content_review.chains import periods_on
from core.templatetags.dates import govuk_date


def pre_election_banner(request) -> list[str]:
    texts = []
    for period in periods_on():
        where = (
            "for the whole council"
            if period.whole_council
            else "for " + ", ".join(str(w) for w in period.wards.all())
        )
        texts.append(
            f"The pre-election period is on {where} until {govuk_date(period.ends_on)}: every council "
            "post needs the Communications team's approval, and nothing may seem to support a party, "
            "candidate or councillor."
        )
    return texts
