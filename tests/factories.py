import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from organisation.models import ServiceArea, User, Ward
from organisation.services import person_set_roles


class ServiceAreaFactory(DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Service area {n}")
    code = factory.Sequence(lambda n: f"service-area-{n}")


class WardFactory(DjangoModelFactory):
    class Meta:
        model = Ward
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Ward {n}")
    code = factory.Sequence(lambda n: f"ward-{n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@northfield.gov.uk")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    job_title = "Officer"
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            person_set_roles(person=self, roles=extracted)


class AccountFactory(DjangoModelFactory):
    """A registered, active account. It bypasses the services (so tests can set up any state,
    such as a departed officer), but handle, handle_key and profile_url come from the platform rules."""

    class Meta:
        model = "accounts_registry.Account"

    platform = "x"
    handle = factory.Sequence(lambda n: f"NfieldAcct{n}")
    display_name = factory.Sequence(lambda n: f"Northfield account {n}")
    kind = "service"
    service_area = factory.SubFactory(ServiceAreaFactory)
    purpose = "News and service updates."
    audience = "Residents of the borough"
    responsible_officer = factory.SubFactory(
        PersonFactory, service_area=factory.SelfAttribute("..service_area"), roles=["Officer"]
    )
    status = "active"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from accounts_registry.platforms import identify

        identity = identify(kwargs["platform"], kwargs.get("handle", ""), kwargs.get("profile_url", ""))
        kwargs.update(handle=identity.handle, handle_key=identity.key, profile_url=identity.profile_url)
        return super()._create(model_class, *args, **kwargs)


class StandardResponseFactory(DjangoModelFactory):
    """An approved reply in the library, owned by a Comms member, with a [name] placeholder."""

    class Meta:
        model = "content_review.StandardResponse"

    title = factory.Sequence(lambda n: f"Standard response {n}")
    body = "Hi [name], sorry your bin was missed. Please report it at northfield.gov.uk/missedbin."
    tags = factory.LazyFunction(lambda: ["bins"])
    owner = factory.SubFactory(PersonFactory, roles=["Communications"])
    review_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=180))


class InboundMessageFactory(DjangoModelFactory):
    """A message from the public, recorded by the account's responsible officer, due a day later.
    It bypasses inbound_record, so tests can set any due time."""

    class Meta:
        model = "content_review.InboundMessage"

    account = factory.SubFactory(AccountFactory)
    sender_handle = factory.Sequence(lambda n: f"@resident{n}")
    text = "My bin was not collected this morning."
    received_at = factory.LazyFunction(timezone.now)
    recorded_by = factory.SelfAttribute("account.responsible_officer")
    due_at = factory.LazyAttribute(lambda m: m.received_at + datetime.timedelta(days=1))


class DraftFactory(DjangoModelFactory):
    """A draft post by the account's responsible officer (a reply when given an inbound_message).
    It bypasses the services: for a draft in a later state, pass status (no revision is made)."""

    class Meta:
        model = "content_review.Draft"

    account = factory.SubFactory(AccountFactory)
    author = factory.SelfAttribute("account.responsible_officer")
    kind = factory.LazyAttribute(lambda d: "reply" if d.inbound_message else "post")
    inbound_message = None
    text = factory.Sequence(lambda n: f"Bins are collected as normal this week. Post {n}.")


class CampaignFactory(DjangoModelFactory):
    """A month-long campaign owned by a Comms member."""

    class Meta:
        model = "content_review.Campaign"

    name = factory.Sequence(lambda n: f"Campaign {n}")
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda c: c.starts_on + datetime.timedelta(days=30))
    owner = factory.SubFactory(PersonFactory, roles=["Communications"])
    service_area = None


class ReviewerAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = "content_review.ReviewerAssignment"

    person = factory.SubFactory(PersonFactory, roles=["Reviewer"])
    account = None
    service_area = None


class CourseFactory(DjangoModelFactory):
    """A course; the same code gives the same course (the data migration seeds the audit's)."""

    class Meta:
        model = "training.Course"
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"COURSE-{n}")
    title = factory.Sequence(lambda n: f"Course {n}")
    topic = "What it covers."
    length_minutes = 60
    validity_months = 24


class TrainingSessionFactory(DjangoModelFactory):
    """A scheduled session a week ahead. It bypasses the services, so tests can make past ones."""

    class Meta:
        model = "training.TrainingSession"

    course = factory.SubFactory(CourseFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    place = "Committee Room 2, Town Hall"
    capacity = 10
    trainer = "Amira Shah"
    created_by = factory.SubFactory(PersonFactory, roles=["Communications"])


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = "training.Booking"

    session = factory.SubFactory(TrainingSessionFactory)
    person = factory.SubFactory(PersonFactory, roles=["Officer"])
    status = "booked"


class CompletionFactory(DjangoModelFactory):
    class Meta:
        model = "training.Completion"

    person = factory.SubFactory(PersonFactory, roles=["Officer"])
    course = factory.SubFactory(CourseFactory)
    completed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    source = "import"


class TrainingRequestFactory(DjangoModelFactory):
    class Meta:
        model = "training.TrainingRequest"

    requester = factory.SubFactory(PersonFactory, roles=["Officer"])
    course = factory.SubFactory(CourseFactory)
    audience = "officers"
