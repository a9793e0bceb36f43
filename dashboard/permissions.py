"""Who sees the dashboard, the one answer: Comms and auditors every service area; a head of service
their own service area(s) only; nobody else. Blocking figures are aggregates for everyone here; only
Comms follow them to the blocking pages (auditors read blocking in aggregate only)."""

import rules
from django.db.models import Q, QuerySet

from organisation.models import Role, ServiceArea
from organisation.permissions import can_read_everything, is_comms, is_head_of_service

rules.add_perm("dashboard.view_dashboard", can_read_everything | is_head_of_service)
rules.add_perm("dashboard.drill_blocking", is_comms)


def areas_for(user) -> QuerySet[ServiceArea] | None:
    """The service areas the person may look at: None means all (Comms and auditors)."""
    if user.has_role(Role.COMMS, Role.AUDITOR):
        return None
    mine = Q(head_of_service=user)
    if user.service_area_id:
        mine |= Q(pk=user.service_area_id)
    return ServiceArea.objects.filter(mine).order_by("name")
