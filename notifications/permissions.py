import rules

from organisation.permissions import can_read_everything, is_comms

rules.add_perm("notifications.view_notification", can_read_everything)
rules.add_perm("notifications.change_notification", is_comms)  # only "try again", through the service
