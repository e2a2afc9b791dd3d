from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from weerbaar.access import get_visible_or_404
from weerbaar.constants import OrganisationKind, Role

from .. import services
from ..access import is_coordinator
from ..constants import RegistrationStatus, SessionKind, SessionStatus
from ..errors import Refused
from ..filters import SessionFilter
from ..forms import (
    EvaluationForm,
    RescheduleForm,
    SessionCancelForm,
    SessionForm,
    SessionKindForm,
    SessionStatusForm,
)
from ..ical import session_calendar
from ..models import Evaluation, Registration, Session
from ..services.common import participant_users
from ..services.evaluations import registration_for_token, submit_named_evaluation
from ..workflow import SESSION_TRANSITIONS
from .common import coordinator_required, refused

RATINGS = ("overall", "usefulness", "trainers")


def _averages(qs):
    return qs.aggregate(n=Count("pk"), **{r: Avg(r) for r in RATINGS})


@login_required
def session_list(request):
    qs = Session.objects.visible_to(request.user).order_by("-starts_at")
    filterset = SessionFilter(request.GET or None, queryset=qs)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "otwb/session_list.html",
        {"filter": filterset, "page": page, "coordinator": is_coordinator(request.user)},
    )


@coordinator_required
def session_create(request):
    """Two steps, each a plain form: the kind of session, then the form for that kind (a
    driehoek session asks for a capacity, the others for an organisation)."""
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("soort")
    if kind not in SessionKind.values:
        kind_form = SessionKindForm(request.GET if "soort" in request.GET else None)
        return render(request, "otwb/session_kind.html", {"form": kind_form})
    form = SessionForm(request.POST or None, kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = services.create_session(
                tour=data["tour"],
                kind=kind,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                place=data["place"],
                online_url=data["online_url"],
                organisations=data["organisations"],
                capacity=data.get("capacity"),
                min_vertrouwenspersonen=data["min_vertrouwenspersonen"],
                actor=request.user,
            )
        except Refused as exc:
            refused(request, exc)
        else:
            messages.success(request, _("De sessie is aangemaakt. Wijs nu trainers toe."))
            return redirect("otwb:planner", pk=session.pk)
    return render(
        request,
        "otwb/session_form.html",
        {"form": form, "kind_label": SessionKind(kind).label},
    )


def _registerable_orgs(user):
    return [
        m.organisation
        for m in user.active_memberships
        if m.role == Role.GRIFFIER and m.organisation.kind == OrganisationKind.GEMEENTE
    ]


@login_required
def session_detail(request, pk):
    session = get_visible_or_404(request, Session.objects.prefetch_related("organisations"), pk=pk)
    coordinator = is_coordinator(request.user)
    registrations = (
        Registration.objects.visible_to(request.user)
        .filter(session=session)
        .exclude(status=RegistrationStatus.CANCELLED)
        .select_related("organisation")
        .order_by("status", "created_at", "pk")
    )
    placed = session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()
    waiting_order = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    registrations = list(registrations)
    for registration in registrations:
        if registration.pk in waiting_order:
            registration.waiting_position = waiting_order.index(registration.pk) + 1
    own_orgs = _registerable_orgs(request.user)
    own_registered = {r.organisation_id for r in registrations}
    can_register = (
        session.takes_registrations
        and session.is_open
        and timezone.now() < session.registration_closes_at
        and any(o.pk not in own_registered for o in own_orgs)
    )
    assignments = session.assignments.filter(active=True).select_related("trainer")
    is_trainer = any(a.trainer.user_id == request.user.pk for a in assignments)
    context = {
        "session": session,
        "coordinator": coordinator,
        "assignments": assignments,
        "registrations": registrations,
        "placed": placed,
        "free": max(session.capacity - placed, 0),
        "can_register": can_register,
        "can_evaluate": session.status == SessionStatus.HELD
        and request.user in participant_users(session),
        "steps": _next_steps(session),
        "can_cancel": SessionStatus.CANCELLED in SESSION_TRANSITIONS.get(session.status, ()),
    }
    if coordinator and session.is_open:
        local = timezone.localtime(session.starts_at)
        context["reschedule_form"] = RescheduleForm(
            initial={
                "date": local.date(),
                "start_time": local.time(),
                "end_time": timezone.localtime(session.ends_at).time(),
            }
        )
    if coordinator or is_trainer:
        context["results"] = _averages(session.evaluations.all())
    return render(request, "otwb/session_detail.html", context)


# The button of each next step, in the order they are offered; the first is the main one.
STEP_BUTTONS = (
    (SessionStatus.CONFIRMED, _lazy("Sessie bevestigen")),
    (SessionStatus.HELD, _lazy("Markeren als gehouden")),
    (SessionStatus.PLANNED, _lazy("Terugzetten naar gepland")),
)


def _next_steps(session):
    allowed = SESSION_TRANSITIONS.get(session.status, ())
    return [(status, label) for status, label in STEP_BUTTONS if status in allowed]


@coordinator_required
def session_cancel(request, pk):
    """ "Weet u het zeker?": what cancelling does, and a reason, before it is done."""
    session = get_visible_or_404(request, Session, pk=pk)
    if SessionStatus.CANCELLED not in SESSION_TRANSITIONS.get(session.status, ()):
        messages.error(request, _("Deze sessie kan niet meer worden geannuleerd."))
        return redirect("otwb:session_detail", pk=session.pk)
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.transition_session(
                session,
                SessionStatus.CANCELLED,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("De sessie is geannuleerd. De deelnemers en trainers krijgen bericht.")
            )
            return redirect("otwb:session_detail", pk=session.pk)
    registrations = session.registrations.values("status").annotate(n=Count("pk"))
    counts = {r["status"]: r["n"] for r in registrations}
    context = {
        "session": session,
        "form": form,
        "trainers": session.assignments.filter(active=True).count(),
        "placed": counts.get(RegistrationStatus.CONFIRMED, 0),
        "waiting": counts.get(RegistrationStatus.WAITING, 0),
    }
    return render(request, "otwb/session_cancel.html", context)


@coordinator_required
@require_POST
def session_transition(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    form = SessionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.transition_session(session, form.cleaned_data["to"], actor=request.user)
            messages.success(request, _("De status van de sessie is bijgewerkt."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Kies een van de knoppen voor de volgende stap."))
    return redirect("otwb:session_detail", pk=session.pk)


@coordinator_required
@require_POST
def session_reschedule(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            services.reschedule_session(
                session,
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                actor=request.user,
            )
            messages.success(request, _("De sessie is verplaatst; de deelnemers krijgen bericht."))
        except Refused as exc:
            refused(request, exc)
    else:
        messages.error(request, _("Vul een geldige datum, begin- en eindtijd in."))
    return redirect("otwb:session_detail", pk=session.pk)


@login_required
def session_ics(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    response = HttpResponse(session_calendar(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="otwb-sessie-{session.pk}.ics"'
    return response


@login_required
def evaluate(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    existing = Evaluation.objects.filter(session=session, respondent=request.user).first()
    form = EvaluationForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(
                session, respondent=request.user, **{f: form.cleaned_data[f] for f in form.fields}
            )
        except Refused as exc:
            refused(request, exc)
        else:
            messages.success(request, _("Dank u wel voor uw evaluatie."))
            return redirect("otwb:session_detail", pk=session.pk)
    return render(request, "otwb/evaluation_form.html", {"session": session, "form": form})


def evaluate_named(request, token):
    """The evaluation of a burgemeester, griffier or secretaris named on a driehoek,
    through their personal signed link: no account needed."""
    found = registration_for_token(token)
    if found is None:
        raise Http404
    registration, role = found
    form = EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submit_named_evaluation(
            registration, role, **{f: form.cleaned_data[f] for f in form.fields}
        )
        return render(request, "otwb/evaluation_thanks.html", {"session": registration.session})
    return render(
        request, "otwb/evaluation_form.html", {"session": registration.session, "form": form}
    )


@coordinator_required
def evaluation_results(request):
    held = Q(status=SessionStatus.HELD)
    sessions = (
        Session.objects.filter(held)
        .annotate(n=Count("evaluations"), **{r: Avg(f"evaluations__{r}") for r in RATINGS})
        .filter(n__gt=0)
        .order_by("-starts_at")
    )
    overall = _averages(Evaluation.objects.filter(session__status=SessionStatus.HELD))
    by_kind = [
        {**row, "label": SessionKind(row["session__kind"]).label}
        for row in Evaluation.objects.filter(session__status=SessionStatus.HELD)
        .values("session__kind")
        .annotate(n=Count("pk"), **{r: Avg(r) for r in RATINGS})
        .order_by("session__kind")
    ]
    return render(
        request,
        "otwb/evaluation_results.html",
        {"sessions": sessions, "overall": overall, "by_kind": by_kind},
    )
