"""Only the Communications team sees the retention rules, asks what is held about a member of the
public, and removes personal data on request (content_review's "redact" actions say the same)."""

import rules

from organisation.permissions import is_comms

rules.add_perm("privacy.manage", is_comms)
