"""The courses the 2018 audit names and the starting rules for who needs them. Loaded by the data
migration (so a new council starts with them) and by the demo; after that Comms manage both in the
administration pages. Adding missing ones never changes what Comms have since edited.

The audit: officers wanted training on dealing with unacceptable behaviour (13), building and keeping
audiences (11) and pre-prepared content (9); councillors mostly on audiences. It recommends training,
for everyone who uses social media for the council, on reviewing and approving content, responding
appropriately to the public and the blocking process."""

COURSES = [
    {
        "code": "BLOCKING",
        "title": "Dealing with unacceptable behaviour and the blocking process",
        "topic": "What counts as unacceptable behaviour on the council's social media, how to respond "
        "to it, when and how to refer someone to be blocked, and why the reason must be recorded.",
        "audience": "both",
        "format": "in_person",
        "length_minutes": 90,
        "validity_months": 24,
    },
    {
        "code": "AUDIENCES",
        "title": "Building and keeping audiences",
        "topic": "Who follows council accounts and why, planning content people want, posting at the "
        "right times, reaching people who are hard to reach, and reading the platforms' figures.",
        "audience": "both",
        "format": "online",
        "length_minutes": 60,
        "validity_months": None,
    },
    {
        "code": "STANDARD",
        "title": "Pre-prepared content and standard responses",
        "topic": "Using the library of standard responses to answer the public quickly and "
        "consistently, filling in placeholders, and suggesting new standard responses.",
        "audience": "officers",
        "format": "online",
        "length_minutes": 60,
        "validity_months": None,
    },
    {
        "code": "REVIEWING",
        "title": "Reviewing and approving content",
        "topic": "Checking a post or reply is accurate, appropriate and free of personal data before "
        "it goes out; approving, asking for changes and rejecting; the urgent path.",
        "audience": "officers",
        "format": "in_person",
        "length_minutes": 90,
        "validity_months": 24,
    },
    {
        "code": "RESPONDING",
        "title": "Responding appropriately to the public",
        "topic": "Tone, accuracy and agreed response times when replying to residents; what never to "
        "post; when to take a conversation offline.",
        "audience": "both",
        "format": "e_learning",
        "length_minutes": 45,
        "validity_months": 24,
    },
]

RULES = {
    "responsible": ["BLOCKING", "RESPONDING", "REVIEWING"],
    "deputy": ["BLOCKING", "RESPONDING"],
    "author": ["RESPONDING", "STANDARD"],
    "reviewer": ["REVIEWING", "RESPONDING"],
    "comms": ["BLOCKING", "RESPONDING", "REVIEWING", "STANDARD"],
    "councillor": ["BLOCKING", "RESPONDING"],
}


def seed_courses(course_model, requirement_model) -> int:
    """Add the courses and rules that are not there yet (by course code); returns how many were added."""
    added = 0
    for fields in COURSES:
        _, created = course_model.objects.get_or_create(code=fields["code"], defaults=fields)
        added += created
    courses = {c.code: c for c in course_model.objects.filter(code__in=[f["code"] for f in COURSES])}
    for responsibility, codes in RULES.items():
        for code in codes:
            _, created = requirement_model.objects.get_or_create(
                responsibility=responsibility, course=courses[code]
            )
            added += created
    return added
