"""What blocking adds to other apps' record pages (core.contributions.add_record_links)."""

from django.urls import reverse

from core.contributions import Link


def refer_the_sender(message, user) -> list[Link]:
    """On a message from the public: start a referral with the account, the sender and their words."""
    if not user.has_perm("blocking.refer"):
        return []
    return [
        Link(
            "Refer the sender",
            f"{reverse('blocking:refer')}?message={message.pk}",
            "Under the unacceptable-behaviour process: the Communications team decides what to do.",
        )
    ]
