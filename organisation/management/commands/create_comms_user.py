from django.core.management.base import BaseCommand, CommandError

from organisation.models import Role, User
from organisation.services import person_set_roles


class Command(BaseCommand):
    help = (
        "Create (or promote) a member of the Communications team, who then runs the service and its "
        "admin. They set their password with “I have forgotten my password”. Use this rather than "
        "createsuperuser: superusers administer the platform but are not part of the council's workflow."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, email: str, first_name: str, last_name: str, **options):
        if "@" not in email:
            raise CommandError(f"{email!r} is not an email address.")
        person, created = User.objects.get_or_create(
            email__iexact=email,
            defaults={"email": email.lower(), "first_name": first_name, "last_name": last_name},
        )
        if created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        person_set_roles(person=person, roles=person.role_names | {Role.COMMS})
        self.stdout.write(
            f"{person.email} is in the Communications team. They set their password at "
            "/accounts/password-reset/ (“I have forgotten my password”)."
        )
