"""A realistic demo council: 52 service areas with heads of service, 47 councillors across 16 wards,
a Communications team, internal auditors and officers. Safe to run twice: everything is keyed on
stable codes and email addresses. Later apps add their own demo data after this."""

from django.contrib.auth.hashers import make_password
from django.db import transaction

from organisation.models import Role, ServiceArea, User, Ward
from organisation.services import person_set_roles

# Printed for the demo sign-ins; never used in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105
DOMAIN = "northfield.gov.uk"

SERVICE_AREAS = [
    "Adult Social Care",
    "Children's Services",
    "Education and Skills",
    "Early Help",
    "Public Health",
    "Housing Options",
    "Housing Management",
    "Homelessness Prevention",
    "Planning",
    "Building Control",
    "Environmental Health",
    "Trading Standards",
    "Licensing",
    "Waste and Recycling",
    "Street Cleansing",
    "Parks and Open Spaces",
    "Highways",
    "Transport and Parking",
    "Libraries",
    "Museums and Heritage",
    "Leisure and Sport",
    "Arts and Culture",
    "Tourism and Events",
    "Economic Development",
    "Regeneration",
    "Employment Support",
    "Business Rates",
    "Council Tax",
    "Benefits",
    "Customer Services",
    "Registration Services",
    "Bereavement Services",
    "Emergency Planning",
    "Community Safety",
    "Electoral Services",
    "Democratic Services",
    "Legal Services",
    "Human Resources",
    "Finance",
    "Procurement",
    "Internal Audit",
    "Information Governance",
    "Digital and ICT",
    "Property and Estates",
    "Facilities Management",
    "Climate Change and Sustainability",
    "Equalities and Inclusion",
    "Voluntary and Community Sector",
    "Youth Services",
    "Fostering and Adoption",
    "Special Educational Needs",
    "Policy and Performance",
]
WARDS = [
    "Abbey",
    "Brookside",
    "Castle",
    "Deanery",
    "Eastfield",
    "Fairholme",
    "Greenway",
    "Hillcrest",
    "Kingsmead",
    "Lowther",
    "Millbrook",
    "Northgate",
    "Oakwood",
    "Priory",
    "Riverside",
    "Westcliffe",
]
FIRST_NAMES = [
    "Aisha",
    "Ben",
    "Chloe",
    "Daniel",
    "Eleanor",
    "Farid",
    "Grace",
    "Harry",
    "Imran",
    "Jess",
    "Kofi",
    "Laura",
    "Mohammed",
    "Niamh",
    "Oliver",
    "Priya",
    "Rhys",
    "Sophie",
    "Tom",
    "Uma",
    "Victoria",
    "William",
    "Yasmin",
    "Zoe",
    "Adam",
    "Bethan",
    "Callum",
    "Deborah",
    "Ewan",
    "Fiona",
    "Gareth",
    "Hannah",
    "Ian",
    "Joanne",
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fletcher",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nowak",
    "O'Brien",
    "Patel",
    "Quinn",
    "Roberts",
    "Shah",
    "Taylor",
    "Usman",
    "Walker",
    "Wright",
    "Young",
    "Begum",
    "Campbell",
    "Edwards",
    "Hall",
    "Kaur",
    "Murphy",
    "Singh",
    "Thomas",
    "Wood",
]

# One sign-in per role, printed by the run command.
DEMO_LOGINS = {
    Role.COMMS: "comms@" + DOMAIN,
    Role.OFFICER: "officer@" + DOMAIN,
    Role.REVIEWER: "reviewer@" + DOMAIN,
    Role.HEAD_OF_SERVICE: "head.of.service@" + DOMAIN,
    Role.COUNCILLOR: "councillor@" + DOMAIN,
    Role.AUDITOR: "auditor@" + DOMAIN,
}


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).replace("--", "-").strip("-")


def _name(n: int) -> tuple[str, str]:
    # Deterministic and varied: the same person gets the same name on every run.
    return FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[(n * 7 + n // len(FIRST_NAMES)) % len(LAST_NAMES)]


class _People:
    def __init__(self):
        self.password = make_password(DEMO_PASSWORD)  # hashed once, not once per person
        self.count = 0

    def person(self, email: str, roles: list[Role], **fields) -> User:
        first, last = _name(self.count)
        self.count += 1
        fields.setdefault("first_name", first)
        fields.setdefault("last_name", last)
        person, created = User.objects.get_or_create(
            email=email, defaults={**fields, "password": self.password}
        )
        if not created:
            for key, value in fields.items():
                setattr(person, key, value)
            person.save()
        person_set_roles(person=person, roles=roles)
        return person


@transaction.atomic
def create_demo_council() -> dict[str, int]:
    people = _People()
    wards = [Ward.objects.update_or_create(code=_slug(w), defaults={"name": w})[0] for w in WARDS]
    areas = [
        ServiceArea.objects.update_or_create(code=_slug(a), defaults={"name": a})[0] for a in SERVICE_AREAS
    ]

    comms_area = next(a for a in areas if a.code == "policy-and-performance")
    for i in range(6):
        email = DEMO_LOGINS[Role.COMMS] if i == 0 else f"comms.{i + 1}@{DOMAIN}"
        people.person(
            email,
            [Role.COMMS],
            job_title="Communications Officer" if i else "Head of Communications",
            service_area=comms_area,
        )
    audit = next(a for a in areas if a.code == "internal-audit")
    for i in range(2):
        email = DEMO_LOGINS[Role.AUDITOR] if i == 0 else f"auditor.{i + 1}@{DOMAIN}"
        people.person(email, [Role.AUDITOR], job_title="Internal Auditor", service_area=audit)

    for i, area in enumerate(areas):
        email = DEMO_LOGINS[Role.HEAD_OF_SERVICE] if i == 0 else f"head.{area.code}@{DOMAIN}"
        head = people.person(
            email, [Role.HEAD_OF_SERVICE], job_title=f"Head of {area.name}", service_area=area
        )
        if area.head_of_service_id != head.pk:
            area.head_of_service = head
            area.save(update_fields=["head_of_service"])

    # Officers who draft social media content in the busier service areas; a few also review. The demo
    # officer works in Waste and Recycling, whose accounts they run (accounts_registry.demo), so the
    # officer's journey is tried on their own service's accounts.
    waste = next(a for a in areas if a.code == "waste-and-recycling")
    for i in range(30):
        area = waste if i == 0 else areas[i % 15]
        roles = [Role.OFFICER] + ([Role.REVIEWER] if i % 6 == 0 and i else [])
        if i == 0:
            email = DEMO_LOGINS[Role.OFFICER]
        elif i == 6:
            email = DEMO_LOGINS[Role.REVIEWER]
        else:
            email = f"officer.{i + 1}@{DOMAIN}"
        title = "Senior Communications Lead" if Role.REVIEWER in roles else "Engagement Officer"
        people.person(email, roles, job_title=f"{title}, {area.name}", service_area=area)

    # 47 councillors: three per ward, two in the last.
    for i in range(47):
        ward = wards[i // 3]
        email = DEMO_LOGINS[Role.COUNCILLOR] if i == 0 else f"cllr.{ward.code}.{i % 3 + 1}@{DOMAIN}"
        people.person(email, [Role.COUNCILLOR], job_title="Councillor", ward=ward)

    return {
        "service areas": len(areas),
        "wards": len(wards),
        "people": User.objects.count(),
        "councillors": User.objects.with_role(Role.COUNCILLOR).count(),
    }
