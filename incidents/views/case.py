"""The case page: one URL for everyone who may see the melding. Triagers get the working
view (severity, assignment, notes, stappenplan, follow-up, aangifte, sharing); the
reporter and people it was shared with get the timeline without internal lines."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar import audit
from weerbaar.access import get_visible_or_404, user_is_active
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent, Notification

from .. import forms, routing, services
from ..constants import OPEN_STATUSES, Status, Step
from ..models import (
    Aangifte,
    AftercareAction,
    Attachment,
    CaseStep,
    InternalNote,
    Melding,
    MeldingUserObjectPermission,
    Message,
    PerpetratorAction,
)
from ..notice_texts import MESSAGE_KIND, MESSAGES, case_link
from ..pdf import aangifte_pdf_bytes, domicile_notice
from ..services import followup
from ..workflow import REPORTER, TRIAGER, TransitionError, allowed
from . import case_sections
from .categories import CATEGORY_LIST, category_labels
from .triage_context import follow_up_context, page_form, triage_context, unless_empty


def _viewers(melding):
    """Who looked at this melding (other than its reporter), latest first."""
    events = (
        AuditEvent.objects.for_object(melding)
        .filter(action=AuditAction.VIEW)
        .exclude(actor_id__in=[melding.reporter_id, melding.filed_by_id])
        .select_related("actor")
        .order_by("-created_at")
    )
    seen = {}
    for event in events[:200]:
        seen.setdefault(event.actor_id, event)
    return list(seen.values())


def _receivers(melding):
    """Who has the reporter's open melding, by name, as ``routing`` resolves it (the same
    resolution that notified them at sending)."""
    if melding.status not in OPEN_STATUSES:
        return None
    target = routing.Target.receivers(melding)
    return routing.describe(routing.Recipients().resolve(target), melding.route_organisation)


def _has_rows(model, field="melding"):
    """Whether ``model`` has rows of the case fetched, as raw SQL (constant, no user input).
    Built and compiled as six ``Exists`` subqueries, the flags below made the case's query
    cost 3.1 ms of Python to build and compile; as SQL text, 1.9 ms."""
    column = model._meta.get_field(field).column
    return RawSQL(  # noqa: S611 (table and column names from the models, no parameters)
        f'EXISTS (SELECT 1 FROM "{model._meta.db_table}" U0 '  # noqa: S608 (no user input)
        f'WHERE U0."{column}" = "{Melding._meta.db_table}"."id")',
        (),
        output_field=BooleanField(),
    )


# The case's lists that are often empty, each with a flag fetched with the case (an index
# probe each): an empty one is shown without a query of its own (``unless_empty``,
# ``triage_context.read_together``); the notes and messages are read with the timeline
# (``case_history``). The stappenplan and the timeline are rarely empty and are always read.
OFTEN_EMPTY = {
    "has_aftercare": _has_rows(AftercareAction),
    "has_perpetrator_actions": _has_rows(PerpetratorAction),
    "has_shares": _has_rows(MeldingUserObjectPermission, "content_object"),
    "has_notes": _has_rows(InternalNote),
    "has_messages": _has_rows(Message),
    "has_attachments": _has_rows(Attachment),
    "has_case_steps": _has_rows(CaseStep),
    "has_aangifte": _has_rows(Aangifte),
}


def _with_triageable(queryset, user):
    """``triageable`` on each row: services.is_triager's question, answered by the query
    that fetches the case instead of a second one."""
    return queryset.annotate(
        triageable=ExpressionWrapper(Melding.objects.triage_q(user), output_field=BooleanField())
    )


def _unread_message_notice(user, pk):
    """Whether ``user`` has an unread "Nieuw bericht" notification of case ``pk``, as a flag
    fetched with the case (raw SQL like the flags above), matched by its link as the start
    page's flag matches it (``filters.new_message_flag``). Asked only of a case with
    messages (a notice is written with its message): PostgreSQL evaluates the second
    subquery, which reads the user's unread notifications, only when the first is true."""
    return RawSQL(  # noqa: S611 (table and column names from the model; values as parameters)
        f"({OFTEN_EMPTY['has_messages'].sql}) AND "  # noqa: S608 (values as parameters)
        f'EXISTS (SELECT 1 FROM "{Notification._meta.db_table}" N0 '
        'WHERE N0."recipient_id" = %s AND N0."read_at" IS NULL AND N0."kind" = %s '
        'AND N0."link" = %s)',
        (user.pk, MESSAGE_KIND, case_link(pk, MESSAGES)),
        output_field=BooleanField(),
    )


def _fetch(request, pk, *, opened=frozenset(), notices=False):
    """The case as its page shows it, with its categories and which of its often empty
    lists have rows. The aangifte is joined only when its section is open; ``notices``:
    with ``unread_message_notice``, whether the user has a "Nieuw bericht" of it unread."""
    related = ["organisation__profile", "reporter", "filed_by", "route_organisation"]
    if "aangifte" in opened:
        related.append("aangifte")
    flags = dict(OFTEN_EMPTY)
    if notices:
        flags["unread_message_notice"] = _unread_message_notice(request.user, pk)
    return get_visible_or_404(
        request,
        # Only what the page shows: each joined table costs PostgreSQL planning time (with
        # the assignee too, 7 tables took 2.2 ms to plan against 0.2 ms to run); the assign
        # form needs just ``assigned_to_id``.
        _with_triageable(Melding.objects.select_related(*related), request.user).annotate(
            category_list=CATEGORY_LIST,
            **flags,
        ),
        pk=pk,
    )


def _works_on(user, melding):
    """Whether ``user`` gets the triager's page of ``melding``. A chair who reports (a CdK,
    a dijkgraaf) also holds the role their own melding's route names; they see it as its
    reporter: who received it and by when, not the triage of their own case (``routing``
    never counts a reporter among its receivers)."""
    return user_is_active(user) and melding.triageable and user.pk != melding.reporter_id


def _page(request, melding, *, bound=None, status=200, opened=frozenset()):
    """The case page of ``melding`` (from ``_fetch`` with the same ``opened``). ``bound``:
    {context name: form} of a refused submission, shown instead of the empty form;
    ``opened``: the follow-up sections rendered open (``case_sections.requested``). Either
    way the page shows the case, so it is recorded as one view."""
    if melding.status == Status.DRAFT:
        return redirect("incidents:edit", melding.pk)
    user = request.user
    bound = bound or {}
    audit.record_view(request, melding, organisation=melding.route_organisation)
    context = {
        "melding": melding,
        "category_labels": category_labels(melding),
        "attachments": unless_empty(
            melding, "has_attachments", lambda: melding.attachments.defer("data")
        ),
        "message_form": bound["message_form"] if "message_form" in bound else forms.MessageForm(),
    }
    # Who may write in the thread, as services.post_message decides it: no one offered a
    # form can lose what they typed to a refusal.
    open_thread = melding.status != Status.WITHDRAWN
    if _works_on(user, melding):
        context.update(
            triage_context(melding, user, bound=bound, opened=opened),
            can_message=open_thread,
            domicile=domicile_notice(melding, user),
            follow_up=case_sections.listed(melding, opened),
            domicile_url=case_sections.page_url(
                melding.pk, opened | {"aangifte"}, "domicilie-ontbreekt"
            ),
        )
        return render(request, "incidents/case.html", context, status=status)
    is_own = services.is_reporter(user, melding)
    context.update(
        {
            "messages_thread": unless_empty(
                melding, "has_messages", lambda: melding.messages.select_related("author")
            ),
            "timeline": melding.timeline.filter(internal=False),
            "is_own": is_own,
            "can_message": open_thread and is_own,
            "viewers": _viewers(melding) if is_own else [],
            "moves": allowed(melding.status, REPORTER) if is_own else [],
            "receivers": _receivers(melding) if is_own else None,
            "domicile": domicile_notice(melding, user) if is_own else None,
        }
    )
    return render(request, "incidents/reporter_case.html", context, status=status)


@login_required
def detail(request, pk):
    opened = case_sections.requested(request)
    # Whether the page has a "Nieuw bericht" to mark read is asked with the case, and only
    # of a user with unread notifications: a visit without one writes nothing. (An update
    # on every visit read all unread notifications of the user, which grow with the data:
    # a griffier of a large gemeente who never empties the inbox.)
    melding = _fetch(request, pk, opened=opened, notices=bool(request.unread_count))
    if getattr(melding, "unread_message_notice", False):
        # The page shows the messages: its "Nieuw bericht" notifications are read now (the
        # start page's flag).
        Notification.objects.unread_for(request.user).filter(
            kind=MESSAGE_KIND, link=case_link(melding.pk, MESSAGES)
        ).update(read_at=timezone.now())
    return _page(request, melding, opened=opened)


@login_required
def section(request, pk, section):
    """One follow-up section of the case page, open, as the page's script puts it into the
    page: the same access as the page (404 for anyone but who triages the case) and, as
    it shows the case, recorded as a view. Asked for by anything but the script (a link
    opened in a new tab), it sends to the page with the section open."""
    row = case_sections.BY_ID.get(section)
    if row is None:
        raise Http404
    opened = {section}
    melding = _fetch(request, pk, opened=opened)
    user = request.user
    if melding.status == Status.DRAFT or not _works_on(user, melding):
        raise Http404
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect(case_sections.page_url(melding.pk, opened, section))
    audit.record_view(request, melding, organisation=melding.route_organisation)
    context = {
        "melding": melding,
        "row": next(r for r in case_sections.listed(melding, opened) if r["section"] is row),
        "domicile": domicile_notice(melding, user) if section == "aangifte" else None,
        **follow_up_context(melding, user, opened=opened),
    }
    if row.form:
        context[row.form] = page_form(row.form, melding)
    return render(request, "incidents/includes/case_follow_up_body.html", context)


def refused(request, pk, name, form):
    """A refused submission on the case page: the page again (400) with ``form`` in place of
    its empty form ``name``, so what was typed stays and each field says what is wrong (its
    section open). The caller has checked access and says in a message what was not
    saved."""
    bound = {name: form}
    opened = case_sections.requested(request, bound)
    return _page(
        request, _fetch(request, pk, opened=opened), bound=bound, status=400, opened=opened
    )


def case_redirect(pk, section):
    """Back to the case page at ``section`` (the ``id`` of one of its sections), so that a
    save leaves the user where they were, with or without JavaScript; a follow-up section
    open, with what was saved in it."""
    if section in case_sections.BY_ID:
        return redirect(case_sections.page_url(pk, {section}, section))
    return redirect(f"{reverse('incidents:case', args=[pk])}#{section}")


def triage_action(form=None, *, section="overzicht"):
    """A POST on the case page by someone who triages it; anyone else gets a 404, before the
    submission is looked at. ``form`` names the page's form the handler takes (a key of
    ``triage_context.FORMS``); a refused one is shown again by ``refused``. The handler may
    return the message to show on success (by default "Opgeslagen."). ``section``: the part
    of the page the redirect returns to (``case_redirect``)."""

    def decorate(handler):
        @login_required
        @require_POST
        @wraps(handler)
        def view(request, pk, **kwargs):
            melding = get_visible_or_404(
                request, _with_triageable(Melding.objects.all(), request.user), pk=pk
            )
            if not melding.triageable:
                raise Http404
            submitted = page_form(form, melding, request.POST) if form else None
            if submitted is not None and not submitted.is_valid():
                messages.error(request, _("Dit is niet opgeslagen: controleer de invoer."))
                return refused(request, melding.pk, form, submitted)
            try:
                saved = handler(request, melding, submitted, **kwargs)
            except TransitionError:
                # Usually a colleague acted first: say what the case is now.
                melding.refresh_from_db(fields=["status"])
                messages.error(
                    request,
                    _(
                        "Dit kon niet: de melding staat intussen op '%(status)s', mogelijk "
                        "doordat een collega haar net heeft gewijzigd. Bekijk de actuele stand."
                    )
                    % {"status": melding.get_status_display()},
                    extra_tags=section,
                )
            except services.NotAllowed:
                messages.error(request, _("Deze wijziging is niet toegestaan."), extra_tags=section)
            else:
                # Shown in the section the redirect returns to (section_messages.html).
                messages.success(request, saved or _("Opgeslagen."), extra_tags=section)
            return case_redirect(melding.pk, section)

        return view

    return decorate


@triage_action()
def transition(request, melding, form):
    target = request.POST.get("to", "")
    if target not in dict(allowed(melding.status, TRIAGER)):
        raise TransitionError(target)
    if target == Status.CLOSED:
        # Closing asks for confirmation and a reason (``close``); a forged post does not
        # close without one.
        raise services.NotAllowed
    services.transition(melding, target, actor=request.user, request=request)


@triage_action("beoordeling_form", section="beoordeling")
def beoordeling(request, melding, form):
    """Severity and assignee in one submission; each is saved (and logged) only when it
    changes."""
    severity = form.cleaned_data["severity"]
    if severity and severity != melding.severity:
        services.set_severity(melding, severity, actor=request.user, request=request)
    person = form.person()
    if (person.pk if person else None) != melding.assigned_to_id:
        services.assign(melding, person, actor=request.user, request=request)


@triage_action("note_form", section="berichten")
def note(request, melding, form):
    services.note(melding, form.cleaned_data["body"], actor=request.user, request=request)


@triage_action("step_form", section="stappenplan")
def step(request, melding, form):
    services.check_step(
        melding,
        Step(form.cleaned_data["step"]),
        actor=request.user,
        done=form.cleaned_data["done"],
        request=request,
    )


@triage_action("aftercare_form", section="nazorg")
def aftercare(request, melding, form):
    followup.add_aftercare(melding, actor=request.user, request=request, **form.cleaned_data)


@triage_action("perpetrator_form", section="opvolging-dader")
def perpetrator(request, melding, form):
    followup.add_perpetrator_action(
        melding, actor=request.user, request=request, **form.cleaned_data
    )


@triage_action("aangifte_form", section="aangifte")
def aangifte(request, melding, form):
    followup.save_aangifte(melding, actor=request.user, data=form.cleaned_data, request=request)


@triage_action("share_form", section="delen")
def share(request, melding, form):
    """The same answer whether or not the address has an account (issue 18 §4)."""
    followup.share_by_email(
        melding, email=form.cleaned_data["email"], actor=request.user, request=request
    )
    return _(
        "Als dit adres bij een account in het portaal hoort, is de melding met die persoon gedeeld."
    )


@triage_action(section="delen")
def revoke(request, melding, form, user_pk):
    grant = MeldingUserObjectPermission.objects.filter(content_object=melding, user_id=user_pk)
    person = grant.first().user if grant.exists() else None
    if person is None:
        raise services.NotAllowed
    followup.revoke(melding, person, actor=request.user, request=request)


@login_required
def aangifte_pdf(request, pk):
    """Everyone who may see the case may prepare the aangifte (the reporter files it)."""
    melding = get_visible_or_404(
        request, Melding.objects.select_related("organisation__profile"), pk=pk
    )
    notice = domicile_notice(melding, request.user)
    if notice is not None:
        # No document with a placeholder where the domicile must be: the page says what is
        # missing and who fills it in.
        return render(
            request,
            "incidents/aangifte_refused.html",
            {"melding": melding, "domicile": notice},
            status=409,
        )
    audit.record(AuditAction.DOWNLOAD, request=request, obj=melding, document="aangifte")
    response = HttpResponse(aangifte_pdf_bytes(melding), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="aangifte-voorbereiding-{melding.reference}.pdf"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def close(request, pk):
    """ "Afsluiten": a page that asks whether the case should really be closed and why. The
    GET changes nothing; the POST closes with the reason (required) kept as an internal
    note. Only someone who triages the case sees it (404 otherwise)."""
    melding = get_visible_or_404(
        request, _with_triageable(Melding.objects.all(), request.user), pk=pk
    )
    if not _works_on(request.user, melding):
        raise Http404
    if Status.CLOSED not in dict(allowed(melding.status, TRIAGER)):
        messages.error(
            request,
            _("Deze melding kan nu niet worden afgesloten: zij staat op '%(status)s'.")
            % {"status": melding.get_status_display()},
            extra_tags="overzicht",
        )
        return case_redirect(melding.pk, "overzicht")
    form = forms.CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.close(
                    melding, form.cleaned_data["reason"], actor=request.user, request=request
                )
            except TransitionError:
                messages.error(
                    request,
                    _("Dit kon niet: de melding is intussen gewijzigd."),
                    extra_tags="overzicht",
                )
            else:
                messages.success(request, _("De melding is afgesloten."), extra_tags="overzicht")
            return case_redirect(melding.pk, "overzicht")
        messages.error(request, _("De melding is niet afgesloten: controleer de invoer."))
    return render(
        request,
        "incidents/case_close.html",
        {"melding": melding, "form": form},
        status=400 if form.is_bound else 200,
    )
