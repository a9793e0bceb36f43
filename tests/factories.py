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
