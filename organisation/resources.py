"""Importing people from an HR export (CSV or XLSX) with django-import-export.

All-or-nothing: the admin import runs in one transaction (IMPORT_EXPORT_USE_TRANSACTIONS) and saves
nothing if any row is invalid; every invalid row is listed with its errors. People are matched on
email address (case-insensitively), so importing the same file again updates rather than duplicates.
Text that a spreadsheet would run as a formula is exported with a quote in front (core.spreadsheet),
which the import takes off again."""

from django.db.models import Q
from import_export import fields, resources, widgets

from core.spreadsheet import protect, unprotect
from organisation.models import PRIVILEGED_ROLES, Role, ServiceArea, User, Ward
from organisation.services import person_mark_left, person_set_roles


class CodeOrNameWidget(widgets.ForeignKeyWidget):
    """A service area or ward, named by its code or its name, whatever the case."""

    def clean(self, value, row=None, **kwargs):
        value = (value or "").strip()
        if not value:
            return None
        match = self.model.objects.filter(Q(code__iexact=value) | Q(name__iexact=value)).first()
        if match is None:
            raise ValueError(f"No {self.model._meta.verbose_name} has the code or name “{value}”.")
        return match

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class RolesWidget(widgets.Widget):
    """Roles separated by semicolons or commas: “Officer; Reviewer”."""

    def clean(self, value, row=None, **kwargs):
        names = [part.strip() for part in str(value or "").replace(",", ";").split(";") if part.strip()]
        by_lower = {r.value.lower(): r for r in Role}
        unknown = [n for n in names if n.lower() not in by_lower]
        if unknown:
            allowed = ", ".join(r.value for r in Role)
            raise ValueError(f"Unknown role “{'”, “'.join(unknown)}”. Roles are: {allowed}.")
        return [by_lower[n.lower()] for n in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(value or [])


class PersonResource(resources.ModelResource):
    email = fields.Field(attribute="email", column_name="email")
    service_area = fields.Field(
        attribute="service_area", column_name="service_area", widget=CodeOrNameWidget(ServiceArea)
    )
    ward = fields.Field(attribute="ward", column_name="ward", widget=CodeOrNameWidget(Ward))
    roles = fields.Field(attribute="import_roles", column_name="roles", widget=RolesWidget())
    left_on = fields.Field(attribute="import_left_on", column_name="left_on", widget=widgets.DateWidget())

    class Meta:
        model = User
        import_id_fields = ["email"]
        fields = [
            "email",
            "first_name",
            "last_name",
            "employee_number",
            "job_title",
            "service_area",
            "ward",
            "roles",
            "left_on",
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = False
        report_skipped = True

    def import_data(self, dataset, **kwargs):
        # All-or-nothing: one invalid row rolls back every row of the file.
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        for key in list(row.keys()):
            row[key] = unprotect(row[key]) if isinstance(row[key], str) else row[key]
        if row.get("email"):
            row["email"] = str(row["email"]).strip().lower()

    def export_field(self, field, instance, **kwargs):
        # A name or job title such as =HYPERLINK(…) must open as text, not run as a formula.
        value = super().export_field(field, instance, **kwargs)
        return protect(value) if isinstance(value, str) else value

    def get_instance(self, instance_loader, row):
        return User.objects.filter(email__iexact=row.get("email", "")).first()

    def dehydrate_roles(self, person: User) -> str:
        return "; ".join(sorted(person.role_names))

    def dehydrate_left_on(self, person: User) -> str:
        return person.left_on.isoformat() if person.left_on else ""

    def init_instance(self, row=None):
        instance = super().init_instance(row)
        # New people set their own password through "forgotten your password".
        instance.set_unusable_password()
        return instance

    def validate_instance(self, instance: User, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        held = instance.role_names if instance.pk else set()
        if given := (set(getattr(instance, "import_roles", None) or ()) - held) & PRIVILEGED_ROLES:
            names = " and ".join(sorted(Role(r).label for r in given))
            errors["roles"] = (
                f"An import cannot give the {names} role: ask for it on the person's page, where a "
                "second member of the Communications team confirms it."
            )
        super().validate_instance(instance, errors, validate_unique)

    def after_save_instance(self, instance: User, row, **kwargs):
        if "roles" in row:
            # validate_instance refused every Communications or Auditor role not already held.
            person_set_roles(person=instance, roles=instance.import_roles)
        left_on = getattr(instance, "import_left_on", None)
        if left_on and instance.left_on is None:
            person_mark_left(person=instance, left_on=left_on, by=None)

    def get_export_queryset(self, request=None):
        return User.objects.select_related("service_area", "ward").prefetch_related("groups")
