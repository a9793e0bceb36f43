"""People, their roles, and the council's structure: what every other app refers to."""

import pghistory
import rules
from django.contrib.auth.models import AbstractUser, BaseUserManager, Group, Permission
from django.db import models
from django.db.models import CharField, F, Q, Value
from django.db.models.functions import Lower
from django_fsm import FSMField, FSMModelMixin, transition

from core.contributions import workflow_rule_apps


class Role(models.TextChoices):
    """Roles are Django groups with these names; a person may hold several."""

    COMMS = "Communications", "Communications"
    OFFICER = "Officer", "Officer"
    REVIEWER = "Reviewer", "Reviewer"
    HEAD_OF_SERVICE = "Head of Service", "Head of service"
    COUNCILLOR = "Councillor", "Councillor"
    AUDITOR = "Auditor", "Auditor"


# Roles nobody gives alone: a second member of the Communications team confirms (RoleGrant), or the
# server's own command line gives them (create_comms_user, demo data).
PRIVILEGED_ROLES = frozenset({Role.COMMS, Role.AUDITOR})


@pghistory.track()
class ServiceArea(models.Model):
    name = models.CharField(max_length=150, unique=True)
    code = models.SlugField(max_length=50, unique=True, help_text="A short stable code, used by imports.")
    head_of_service = models.ForeignKey(
        "organisation.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_service_areas",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


@pghistory.track()
class Ward(models.Model):
    name = models.CharField(max_length=150, unique=True)
    code = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def with_roles(self):
        return self.prefetch_related("groups")

    def current(self):
        return self.filter(left_on__isnull=True)

    def with_role(self, role: Role):
        return self.filter(groups__name=role)


class PersonManager(BaseUserManager.from_queryset(PersonQuerySet)):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, email: str):
        # Sign-in accepts the address in any case; addresses are unique whatever the case.
        return self.get(email__iexact=email)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        return self.create_user(email, password, is_staff=True, is_superuser=True, **extra_fields)


@pghistory.track(exclude=["password", "last_login"])
class User(AbstractUser):
    """A person: council staff or a councillor. They sign in with their email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    job_title = models.CharField(max_length=150, blank=True)
    employee_number = models.CharField(
        max_length=30,
        blank=True,
        help_text="The HR system's identifier, when the person came from an HR import.",
    )
    service_area = models.ForeignKey(
        ServiceArea, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    ward = models.ForeignKey(
        Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="councillors"
    )
    left_on = models.DateField(
        "left the council on", null=True, blank=True, help_text="Set through “Mark as left”, never by hand."
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = PersonManager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="person_email_unique_ci"),
            models.UniqueConstraint(
                fields=["employee_number"],
                condition=~models.Q(employee_number=""),
                name="person_employee_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def role_names(self) -> set[str]:
        # Cached per instance (a request's user is its own instance, so never across requests):
        # templates and permission checks ask many times per page. Cleared by forget_roles.
        if not hasattr(self, "_role_names"):
            self._load_roles()
        return self._role_names

    # What _load_roles fills, and forget_roles clears: ours, rules' is_group_member's and ModelBackend's.
    ROLE_CACHES = (
        "_role_names",
        "_group_names_cache",
        "_user_perm_cache",
        "_group_perm_cache",
        "_perm_cache",
    )

    def _load_roles(self) -> None:
        """The person's roles, and the Django permissions they hold through them or directly, in one
        query. Every page asks ModelBackend for some permission the rules refuse (the navigation's
        items), and it would otherwise make two queries of its own; it reads the permissions from
        the caches filled here (`_user_perm_cache`, `_group_perm_cache`), as it would its own."""
        if not self.pk:
            self._role_names = set()
            return
        if "groups" in getattr(self, "_prefetched_objects_cache", {}):  # a list of people (with_roles)
            self._role_names = {g.name for g in self.groups.all()}
            return
        through_roles = Group.objects.filter(user=self).values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        direct = Permission.objects.filter(user=self).values_list(
            Value(None, output_field=CharField()), "content_type__app_label", "codename"
        )
        rows = list(through_roles.order_by().union(direct.order_by(), all=True))
        self._role_names = {name for name, _, _ in rows if name is not None}
        if not self.is_superuser:  # ModelBackend gives a superuser every permission: left to it
            self._group_perm_cache = {f"{app}.{code}" for name, app, code in rows if name and code}
            self._user_perm_cache = {f"{app}.{code}" for name, app, code in rows if name is None}

    def forget_roles(self) -> None:
        """After a change of roles: the next question about them reads them again."""
        for cache in self.ROLE_CACHES:
            self.__dict__.pop(cache, None)

    def has_perm(self, perm: str, obj=None) -> bool:
        """Superusers administer the platform, but the council's governance rules (who may review,
        approve, publish, decide) apply to them exactly as their roles say: no bypass."""
        if self.is_active and self.is_superuser and perm.split(".", 1)[0] in workflow_rule_apps():
            return rules.has_perm(perm, self, obj)
        self.role_names  # noqa: B018  (loads the Django permissions with the roles, for ModelBackend)
        return super().has_perm(perm, obj)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_names.intersection(roles))

    @property
    def roles_display(self) -> str:
        return ", ".join(r.label for r in Role if r.value in self.role_names)


def role_group(role: Role) -> Group:
    group, _ = Group.objects.get_or_create(name=role.value)
    return group


# Role changes are membership rows in the user-group table: record who gained or lost which role.
pghistory.track(
    pghistory.InsertEvent("role.added"),
    pghistory.DeleteEvent("role.removed"),
    obj_field=pghistory.ObjForeignKey(related_name="+", db_constraint=False),
    model_name="PersonRoleEvent",
)(User.groups.through)


class RoleGrantQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=RoleGrant.Status.PENDING)

    def decidable_by(self, user):
        """Pending grants this person could confirm or refuse: not their own request, not for them."""
        return self.pending().exclude(requested_by=user).exclude(person=user)


@pghistory.track()
class RoleGrant(FSMModelMixin, models.Model):
    """A request to give someone the Communications or Auditor role (and with Communications, the
    admin). One member of the Communications team asks; a different one confirms or refuses it
    (organisation.services). Kept for ever: it is the record of who gave whom the role."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a second person"
        CONFIRMED = "confirmed", "Confirmed"
        REFUSED = "refused", "Refused"

    person = models.ForeignKey(User, on_delete=models.PROTECT, related_name="role_grants")
    role = models.CharField(
        max_length=50, choices=[(r.value, r.label) for r in Role if r in PRIVILEGED_ROLES]
    )
    reason = models.TextField("why they need it", max_length=1000)
    status = FSMField(max_length=20, choices=Status, default=Status.PENDING, protected=True)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(max_length=1000, blank=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "role"], condition=Q(status="pending"), name="role_grant_one_pending"
            ),
            # The database, too, refuses a grant decided by whoever asked for it or received it.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True)
                | (~Q(decided_by=F("requested_by")) & ~Q(decided_by=F("person"))),
                name="role_grant_second_person",
            ),
            models.CheckConstraint(
                condition=Q(status="pending", decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_by__isnull=False)),
                name="role_grant_decided_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} role for {self.person}"

    @transition(field=status, source=Status.PENDING, target=Status.CONFIRMED)
    def confirm(self):
        """A second member of the Communications team agrees: the person gets the role."""

    @transition(field=status, source=Status.PENDING, target=Status.REFUSED)
    def refuse(self):
        """A second member of the Communications team does not agree, and says why."""
