import tablib
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_filters.constants import EMPTY_VALUES

from core.forms import add_service_errors, form_page
from core.pages import object_for, paginate
from core.spreadsheet import download, protect_row
from organisation.models import User
from training import requirements, services
from training.filters import ComplianceFilter, RequestFilter
from training.forms import (
    AttendanceForm,
    ConfirmImportForm,
    CourseChoiceForm,
    ImportForm,
    ReasonForm,
    RequestForm,
    ScheduleForm,
    SessionForm,
)
from training.imports import ImportRejected, decode, parse_completions
from training.models import (
    Audience,
    Booking,
    BookingStatus,
    Completion,
    Course,
    RequestStatus,
    Requirement,
    TrainingRequest,
    TrainingSession,
)
from training.permissions import (
    BOOKING_ACTIONS,
    REQUEST_ACTIONS,
    SESSION_ACTIONS,
    my_booking_status,
    people_visible_to,
)

# ---------------------------------------------------------------------------------------------------
# A person's own training, and the catalogue


def _training_of(request, person: User, *, own: bool):
    today = timezone.localdate()
    needs = requirements.needs_of(person, today)
    coming = {
        b.session.course_id: b.session
        for b in Booking.objects.filter(person=person, status=BookingStatus.BOOKED)
        .filter(session__in=TrainingSession.objects.upcoming())
        .select_related("session")
        .order_by("-session__starts_at")
    }
    for need in needs:
        need.booked = coming.get(need.course.pk)
    bookings = (
        Booking.objects.filter(person=person)
        .exclude(status=BookingStatus.CANCELLED)
        .select_related("session__course")
        .order_by("-session__starts_at")[:20]
    )
    return render(
        request,
        "training/mine.html",
        {
            "person": person,
            "own": own,
            "needs": needs,
            "bookings": bookings,
            "requests": TrainingRequest.objects.filter(requester=person)
            .select_related("course", "session")
            .order_by("-created_at")[:20],
            "completions": Completion.objects.filter(person=person)
            .with_expiry()
            .select_related("course")
            .order_by("-completed_on")[:20],
            "today": today,
        },
    )


@require_GET
def mine(request):
    return _training_of(request, request.user, own=True)


@require_GET
def person_training(request, pk: int):
    """A person's training: Comms and auditors anyone's; a head of service their area's; anyone their own."""
    visible = people_visible_to(request.user) | User.objects.filter(pk=request.user.pk)
    person = object_for(request.user, visible, pk)
    return _training_of(request, person, own=person.pk == request.user.pk)


def _who_needs() -> dict[int, list[str]]:
    needed: dict[int, list[str]] = {}
    for rule in Requirement.objects.order_by("responsibility"):
        needed.setdefault(rule.course_id, []).append(rule.get_responsibility_display())
    return needed


@require_GET
def catalogue(request):
    courses = Course.objects.filter(is_active=True).annotate(
        upcoming=Count(
            "sessions", filter=Q(sessions__status="scheduled", sessions__starts_at__gt=timezone.now())
        )
    )
    needed = _who_needs()
    for course in courses:
        course.needed_by = needed.get(course.pk, [])
    return render(request, "training/catalogue.html", {"courses": courses})


@require_GET
def course_detail(request, pk: int):
    course = object_for(request.user, Course.objects.filter(is_active=True), pk)
    sessions = _with_places(
        TrainingSession.objects.visible_to(request.user)
        .upcoming()
        .filter(course=course)
        .select_related("course")
    ).annotate(my_booking=my_booking_status(request.user))
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "needed_by": _who_needs().get(course.pk, []),
            "sessions": [(s, SESSION_ACTIONS.for_record(s, request.user)) for s in sessions],
        },
    )


def _with_places(sessions):
    return sessions.annotate(
        booked=Count("bookings", filter=Q(bookings__status=BookingStatus.BOOKED)),
        waiting=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITING)),
    ).annotate(places_left=F("capacity") - F("booked"))


# ---------------------------------------------------------------------------------------------------
# Requests


@require_http_methods(["GET", "POST"])
@permission_required("training.take_part", raise_exception=True)
def request_new(request):
    initial = {}
    if (course := request.GET.get("course", "")).isdigit():
        initial["course"] = course
    return form_page(
        request,
        RequestForm(request.POST or None, initial=initial),
        lambda data: services.request_create(by=request.user, course=data["course"], need=data["need"]),
        template="includes/simple_form.html",
        context={
            "heading": "Ask for training",
            "intro": "Choose a course from the catalogue, or tell us what you need. The Communications "
            "team arranges sessions when enough people ask, and will email you.",
            "back_url": reverse("training:mine"),
        },
        success="Your request has been sent to the Communications team.",
        redirect_to=lambda made: reverse("training:request", args=[made.pk]),
    )


def demand(requests) -> list[dict]:
    """Waiting requests by course and by audience: how many people want what (one query)."""
    counts = {
        (row["course"], row["audience"]): row["people"]
        for row in requests.filter(status=RequestStatus.WAITING)
        .values("course", "audience")
        .annotate(people=Count("requester", distinct=True))
    }
    rows = []
    for course in Course.objects.filter(is_active=True):
        officers, councillors = (
            counts.get((course.pk, Audience.OFFICERS), 0),
            counts.get((course.pk, Audience.COUNCILLORS), 0),
        )
        rows.append(
            {
                "course": course,
                "officers": officers,
                "councillors": councillors,
                "total": officers + councillors,
            }
        )
    officers, councillors = (
        counts.get((None, Audience.OFFICERS), 0),
        counts.get((None, Audience.COUNCILLORS), 0),
    )
    rows.sort(key=lambda r: (-r["total"], r["course"].title))
    rows.append(
        {"course": None, "officers": officers, "councillors": councillors, "total": officers + councillors}
    )
    return rows


@require_GET
@permission_required("training.view_all_training", raise_exception=True)
def request_list(request):
    visible = TrainingRequest.objects.visible_to(request.user)
    request_filter = RequestFilter(
        request.GET or {"status": RequestStatus.WAITING},
        queryset=visible.select_related("requester", "course", "session").order_by("created_at", "pk"),
    )
    page, query = paginate(request, request_filter.qs)
    return render(
        request,
        "training/request_list.html",
        {"filter": request_filter, "page": page, "query": query, "demand": demand(visible)},
    )


def _request_for(user, pk: int, action: str | None = None) -> TrainingRequest:
    visible = TrainingRequest.objects.visible_to(user).select_related(
        "requester", "course", "session__course"
    )
    record = object_for(user, visible, pk)
    if action:
        REQUEST_ACTIONS.require(action, record, user)
    return record


@require_GET
def request_detail(request, pk: int):
    record = _request_for(request.user, pk)
    return render(
        request,
        "training/request_detail.html",
        {
            "record": record,
            "actions": REQUEST_ACTIONS.for_record(record, request.user),
            "events": record.events.select_related("actor").order_by("-created_at", "-pk")[:50],
        },
    )


def _request_page(record: TrainingRequest) -> dict:
    return {
        "caption": f"{record.subject} · asked by {record.requester}",
        "back_url": reverse("training:request", args=[record.pk]),
        "quote": record.need,
    }


@require_POST
def request_withdraw(request, pk: int):
    record = _request_for(request.user, pk, "withdraw")
    return _act(
        request,
        lambda: services.request_withdraw(request=record, by=request.user),
        "Your request is withdrawn.",
        reverse("training:request", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def request_decline(request, pk: int):
    record = _request_for(request.user, pk, "decline")
    return form_page(
        request,
        ReasonForm(
            request.POST or None,
            label="Why will it not be arranged?",
            hint="The person who asked is told this.",
            submit="Decline the request",
        ),
        lambda data: services.request_decline(request=record, by=request.user, reason=data["reason"]),
        template="includes/simple_form.html",
        context={**_request_page(record), "heading": "Decline the request"},
        success="The request is declined. The person who asked has been told.",
        redirect_to=reverse("training:request_list"),
    )


@require_http_methods(["GET", "POST"])
def request_schedule(request, pk: int):
    record = _request_for(request.user, pk, "schedule")
    sessions = TrainingSession.objects.upcoming().select_related("course").order_by("starts_at")
    if record.course_id:
        sessions = sessions.filter(course=record.course_id)
    new_url = reverse("training:session_new") + (f"?course={record.course_id}" if record.course_id else "")
    if not sessions.exists() and request.method == "GET":
        return redirect(new_url)
    return form_page(
        request,
        ScheduleForm(request.POST or None, sessions=sessions),
        lambda data: services.request_schedule(request=record, by=request.user, session=data["session"]),
        template="training/request_schedule.html",
        context={**_request_page(record), "heading": "Offer a session", "new_url": new_url},
        success="The session is offered. The person who asked has been told.",
        redirect_to=reverse("training:request_list"),
    )


# ---------------------------------------------------------------------------------------------------
# Sessions


@require_GET
@permission_required("training.view_all_training", raise_exception=True)
def session_list(request):
    now = timezone.now()
    sessions = _with_places(TrainingSession.objects.select_related("course"))
    past = sessions.exclude(status="scheduled").order_by("-starts_at")
    page, query = paginate(request, past, per_page=20)
    return render(
        request,
        "training/session_list.html",
        {
            "due": sessions.needing_attendance(now).order_by("starts_at"),
            "upcoming": sessions.upcoming(now).order_by("starts_at"),
            "page": page,
            "query": query,
        },
    )


@require_GET
@permission_required("training.manage_training", raise_exception=True)
def session_new(request):
    """Step one: which course (the requests offered depend on it). Step two: session_create."""
    if (course := request.GET.get("course", "")).isdigit():
        return redirect("training:session_create", course_pk=int(course))
    return render(
        request,
        "training/session_course.html",
        {
            "form": CourseChoiceForm(),
            "heading": "Arrange a session",
            "back_url": reverse("training:session_list"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("training.manage_training", raise_exception=True)
def session_create(request, course_pk: int):
    course = object_for(request.user, Course.objects.filter(is_active=True), course_pk)
    waiting = (
        TrainingRequest.objects.filter(status=RequestStatus.WAITING)
        .filter(Q(course=course) | Q(course__isnull=True))
        .select_related("requester")
        .order_by("course", "created_at")
    )
    form = SessionForm(
        request.POST or None,
        waiting=waiting,
        initial={"requests": list(waiting.filter(course=course).values_list("pk", flat=True))},
    )

    def act(data):
        fields = services.SessionFields(
            course=course,
            starts_at=data["starts_at"],
            capacity=data["capacity"],
            trainer=data["trainer"],
            place=data["place"],
            online_link=data["online_link"],
        )
        return services.session_create(
            by=request.user, fields=fields, requests=list(data.get("requests") or [])
        )

    return form_page(
        request,
        form,
        act,
        template="includes/simple_form.html",
        context={
            "heading": "Arrange a session",
            "caption": course.title,
            "back_url": reverse("training:session_new"),
            "intro": f"{course.get_format_display()}, {course.length_display}.",
        },
        success="The session is arranged.",
        redirect_to=lambda session: reverse("training:session", args=[session.pk]),
    )


def _session_for(user, pk: int, action: str | None = None) -> TrainingSession:
    visible = _with_places(TrainingSession.objects.visible_to(user).select_related("course", "created_by"))
    session = object_for(user, visible, pk)
    if action:
        SESSION_ACTIONS.require(action, session, user)
    return session


@require_GET
def session_detail(request, pk: int):
    session = _session_for(request.user, pk)
    everyone = request.user.has_perm("training.view_all_training")
    mine = (
        Booking.objects.filter(session=session, person=request.user)
        .exclude(status=BookingStatus.CANCELLED)
        .first()
    )
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "actions": SESSION_ACTIONS.for_record(session, request.user),
            "mine": mine,
            "position": services.waiting_position(mine) if mine else None,
            "bookings": session.bookings.select_related("person").order_by("status", "created_at", "pk")
            if everyone
            else None,
            "requests": session.requests.select_related("requester") if everyone else None,
            "events": session.events.select_related("actor").order_by("-created_at", "-pk")[:50]
            if everyone
            else None,
        },
    )


@require_POST
def session_book(request, pk: int):
    session = _session_for(request.user, pk, "book")

    def book():
        booking = services.booking_create(session=session, by=request.user)
        if booking.status == BookingStatus.WAITING:
            position = services.waiting_position(booking)
            return (
                f"The session is full: you are number {position} on the waiting list. "
                "We will email you if a place comes free."
            )
        return "You have a place. We have emailed you the details."

    return _act(request, book, None, reverse("training:session", args=[pk]))


@require_http_methods(["GET", "POST"])
def session_attendance(request, pk: int):
    session = _session_for(request.user, pk, "attendance")
    booked = list(
        session.bookings.filter(status=BookingStatus.BOOKED)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    form = AttendanceForm(request.POST or None, bookings=booked)
    return form_page(
        request,
        form,
        lambda data: services.session_record_attendance(
            session=session, by=request.user, outcomes=form.outcomes()
        ),
        template="training/attendance.html",
        context={
            "session": session,
            "booked": booked,
            "heading": "Record attendance",
            "caption": str(session),
            "back_url": reverse("training:session", args=[pk]),
        },
        success="Attendance is recorded. Those who attended have the course on their record.",
        redirect_to=reverse("training:session", args=[pk]),
    )


@require_http_methods(["GET", "POST"])
def session_cancel(request, pk: int):
    session = _session_for(request.user, pk, "cancel")
    return form_page(
        request,
        ReasonForm(
            request.POST or None,
            label="Why is it cancelled?",
            hint="Everyone booked or waiting is told this.",
            submit="Cancel the session",
        ),
        lambda data: services.session_cancel(session=session, by=request.user, reason=data["reason"]),
        template="includes/simple_form.html",
        context={
            "heading": "Cancel the session",
            "caption": str(session),
            "back_url": reverse("training:session", args=[pk]),
        },
        success="The session is cancelled. Everyone booked has been told.",
        redirect_to=reverse("training:session", args=[pk]),
    )


# ---------------------------------------------------------------------------------------------------
# Bookings


def _booking_for(user, pk: int, action: str | None = None) -> Booking:
    visible = Booking.objects.visible_to(user).select_related("session__course", "person")
    booking = object_for(user, visible, pk)
    if action:
        BOOKING_ACTIONS.require(action, booking, user)
    return booking


@require_GET
def booking_detail(request, pk: int):
    booking = _booking_for(request.user, pk)
    return render(
        request,
        "training/booking_detail.html",
        {
            "booking": booking,
            "position": services.waiting_position(booking),
            "actions": BOOKING_ACTIONS.for_record(booking, request.user),
            "events": booking.events.select_related("actor").order_by("-created_at", "-pk"),
        },
    )


@require_POST
def booking_cancel(request, pk: int):
    booking = _booking_for(request.user, pk, "cancel")
    return _act(
        request,
        lambda: services.booking_cancel(booking=booking, by=request.user),
        "The booking is cancelled.",
        reverse("training:booking", args=[pk]),
    )


def _act(request, action, success: str | None, redirect_to: str):
    """A button that acts at once: run the service, say what happened (or why not), go back."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success or result)
    return redirect(redirect_to)


# ---------------------------------------------------------------------------------------------------
# Compliance


def _compliance(request):
    today = timezone.localdate()
    people = requirements.people_requiring(today, people_visible_to(request.user))
    compliance_filter = ComplianceFilter(
        request.GET or None,
        queryset=people.select_related("service_area").order_by("last_name", "first_name", "pk"),
        request=request,
    )
    return today, compliance_filter


def _filtered(compliance_filter) -> bool:
    """Whether a filter is chosen (one left empty, or with an invalid value, filters nothing)."""
    if not compliance_filter.is_bound:
        return False
    compliance_filter.is_valid()  # cleaned_data: the valid values, as the filtering uses
    return any(value not in EMPTY_VALUES for value in compliance_filter.form.cleaned_data.values())


# 25 people a page: each row's courses (required, valid, expiring, missing) are worked out for the rows
# drawn, so the page's cost follows its length (as the register's and the block register's).
COMPLIANCE_PAGE_SIZE = 25


@require_GET
@permission_required("training.view_compliance", raise_exception=True)
def compliance(request):
    today, compliance_filter = _compliance(request)
    overall, areas = requirements.figures(today, people_visible_to(request.user))
    # Unfiltered, the page lists the people the overall figures count.
    count = None if _filtered(compliance_filter) else overall["people"]
    page, query = paginate(request, compliance_filter.qs, per_page=COMPLIANCE_PAGE_SIZE, count=count)
    for person in requirements.add_training(list(page.object_list), today):
        person.lasting_codes = [c for c in person.valid_codes if c not in person.expiring_codes]
    return render(
        request,
        "training/compliance.html",
        {
            "filter": compliance_filter,
            "page": page,
            "query": query,
            "today": today,
            "overall": overall,
            "areas": areas,
            "unplaced": overall["people"] - sum(area["people"] for area in areas),
            "expiring_days": requirements.EXPIRING_DAYS,
            "courses": Course.objects.filter(is_active=True).order_by("code"),
        },
    )


@require_GET
@permission_required("training.view_compliance", raise_exception=True)
def compliance_export(request, file_format: str):
    _, compliance_filter = _compliance(request)
    dataset = tablib.Dataset(
        headers=["email", "name", "service area", "required", "valid", "expiring", "missing", "fully trained"]
    )
    for person in requirements.add_training(list(compliance_filter.qs)):
        dataset.append(
            protect_row(
                [
                    person.email,
                    person.get_full_name(),
                    person.service_area.name if person.service_area else "",
                    "; ".join(person.required_codes),
                    "; ".join(person.valid_codes),
                    "; ".join(person.expiring_codes),
                    "; ".join(person.missing_codes),
                    "yes" if person.fully_trained else "no",
                ]
            )
        )
    return download(dataset, name="training-compliance", file_format=file_format, title="Training compliance")


# ---------------------------------------------------------------------------------------------------
# Import of completions


@require_http_methods(["GET", "POST"])
@permission_required("training.import_completions", raise_exception=True)
def completions_import(request):
    """Upload → check and preview → confirm. The confirmation carries the file back and it is checked
    again before anything is saved (someone may have changed the people or courses meanwhile)."""
    context = {"problems": [], "rows": None, "confirm": None}
    upload = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "data" in request.POST:
        confirm = ConfirmImportForm(request.POST)
        if confirm.is_valid():
            data = confirm.cleaned_data["data"].encode()
            try:
                done = services.completions_import(data=data, by=request.user)
            except ImportRejected as exc:
                context["problems"] = exc.problems
                add_service_errors(upload, exc)
            else:
                messages.success(
                    request,
                    f"{done.created} completion{'s' if done.created != 1 else ''} imported"
                    + (f"; {done.already} already recorded." if done.already else "."),
                )
                return redirect("training:compliance")
        upload = ImportForm()
    elif request.method == "POST" and upload.is_valid():
        data = upload.cleaned_data["completions"]
        try:
            context["rows"] = parse_completions(data, today=timezone.localdate())
            context["confirm"] = ConfirmImportForm(initial={"data": decode(data)})
        except ImportRejected as exc:
            context["problems"] = exc.problems
            add_service_errors(upload, exc)
    return render(request, "training/import.html", {"form": upload, **context})
