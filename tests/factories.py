import factory
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
