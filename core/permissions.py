import rules

from organisation.permissions import can_read_everything

# The audit trail: Comms and internal audit read it; nobody edits or deletes it.
rules.add_perm("core.view_history", can_read_everything)
rules.add_perm("pghistory.view_events", can_read_everything)
rules.add_perm("pghistory.view_middlewareevents", can_read_everything)
