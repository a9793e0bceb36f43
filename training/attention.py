from django.urls import reverse
from django.utils import timezone

from core.attention import AttentionItem, counts
from organisation.models import Role
from training.models import Booking, BookingStatus, RequestStatus, TrainingRequest, TrainingSession
from training.permissions import is_signed_in, people_visible_to
from training.requirements import EXPIRING_DAYS, overall, training_of


def _plural(n: int, one: str, many: str) -> str:
    return one if n == 1 else many


def training_items(user) -> list[AttentionItem]:
    """Each person: training they still need or that is expiring, sessions they are booked on. Comms:
    requests waiting for a session, sessions whose attendance is not recorded. Heads of service: people
    in their service area not fully trained."""
    if not is_signed_in(user):
        return []
    mine = reverse("training:mine")
    me = training_of([user.pk])[user.pk]
    missing, expiring = len(me.missing_codes), len(me.expiring_codes)
    manages = user.has_perm("training.manage_training")
    none = TrainingRequest.objects.none()
    coming, waiting, due = counts(
        coming=Booking.objects.filter(
            person=user,
            status=BookingStatus.BOOKED,
            session__status="scheduled",
            session__starts_at__gt=timezone.now(),
        ),
        waiting=TrainingRequest.objects.filter(status=RequestStatus.WAITING) if manages else none,
        due=TrainingSession.objects.needing_attendance() if manages else none,
    ).values()
    items = [
        AttentionItem(
            missing,
            _plural(missing, "training course you need is missing", "training courses you need are missing"),
            mine,
            "Required for what you do on the council's social media.",
        ),
        AttentionItem(
            expiring,
            _plural(
                expiring,
                f"of your training courses runs out in the next {EXPIRING_DAYS} days",
                f"of your training courses run out in the next {EXPIRING_DAYS} days",
            ),
            mine,
            "Book a refresher.",
        ),
        AttentionItem(coming, _plural(coming, "training session booked", "training sessions booked"), mine),
    ]
    if manages:
        items += [
            AttentionItem(
                waiting,
                _plural(
                    waiting,
                    "training request waiting for a session",
                    "training requests waiting for a session",
                ),
                reverse("training:request_list"),
            ),
            AttentionItem(
                due,
                _plural(
                    due,
                    "training session needs its attendance recorded",
                    "training sessions need their attendance recorded",
                ),
                reverse("training:session_list"),
            ),
        ]
    elif user.has_role(Role.HEAD_OF_SERVICE) and not user.has_role(Role.AUDITOR):
        area = overall(people=people_visible_to(user))
        behind = area["people"] - area["fully_trained"]
        items.append(
            AttentionItem(
                behind,
                _plural(
                    behind,
                    "person in your service area is not fully trained",
                    "people in your service area are not fully trained",
                ),
                reverse("training:compliance") + "?state=missing",
            )
        )
    return items
