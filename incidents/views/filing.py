"""Filing a melding: one page, saved as draft on request, sent after the reporter has seen
who will receive it. A form with errors comes back with everything typed still in it.

The page is one form in three parts (``STEPS``); on a phone ``static/incidents/form.js``
shows them one at a time (docs/filing-steps.md). Without the script it stays one page."""

import uuid

import structlog
from allauth.core import ratelimit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from weerbaar.access import get_visible_or_404

from .. import protocol, routing, services
from ..constants import Status
from ..forms import MeldingForm, reporter_memberships
from ..models import Melding

log = structlog.get_logger(__name__)

# The form's three parts, each short enough for a phone: what happened, who was involved
# (and the evidence), what the reporter needs and who will receive it.
STEPS = (
    (
        gettext_lazy("Wat is er gebeurd?"),
        (
            "reporter_membership",
            "about",
            "occurred_at",
            "place",
            "channel",
            "categories",
            "description",
        ),
    ),
    (
        gettext_lazy("Wie was erbij?"),
        ("perpetrator", "perpetrator_details", "family_involved", "witnesses", "attachments"),
    ),
    (gettext_lazy("Wat heeft u nodig?"), ("help_wanted", "confidential")),
)


def _steps(form):
    """The parts of the page with their fields, and per part the fields sending requires
    (the script checks those before moving on, with the server's message)."""
    steps = []
    for number, (title, names) in enumerate(STEPS, start=1):
        required = [
            name
            for name in names
            if not form.fields[name].widget.is_hidden
            and (form.fields[name].required or name in form.DRAFT_OPTIONAL)
        ]
        fields = [form[name] for name in names]
        steps.append({"number": number, "title": title, "fields": fields, "required": required})
    return steps


def _initial(melding):
    data = {name: getattr(melding, name) for name in services.filing.FIELDS}
    data["categories"] = melding.categories
    membership = next(
        (
            m
            for m in reporter_memberships(melding.filed_by)
            if m.user_id == melding.reporter_id and m.organisation_id == melding.organisation_id
        ),
        None,
    )
    data["reporter_membership"] = membership.pk if membership else None
    return data


def _routes(request):
    """Who will receive the melding, per membership the user may file in, by name: the
    resolution ``services.submit`` notifies (one query for all memberships)."""
    recipients = routing.Recipients()
    result, choices = [], {}
    for m in reporter_memberships(request.user):
        decided = routing.decide(m)
        if m.organisation_id not in choices:
            choices[m.organisation_id] = protocol.choices_of(m.organisation_id)
        key = protocol.position_key(m)
        snap = protocol.snapshot(decided, key, choices[m.organisation_id].get(key))
        target = routing.Target.for_routing(decided, reporter_id=m.user_id, protocol=snap)
        result.append((m, routing.describe(recipients.resolve(target), decided.organisation)))
    return result


def _confidential():
    decided = routing.decide(None, confidential=True)
    target = routing.Target.for_routing(decided, reporter_id=None)
    return routing.describe(routing.Recipients().resolve(target), None)


def _save(request, form, melding, *, send):
    data = {k: form.cleaned_data.get(k) for k in services.filing.FIELDS}
    data = {k: ("" if v is None and k not in ("occurred_at",) else v) for k, v in data.items()}
    data["help_wanted"] = data.get("help_wanted") or []
    with transaction.atomic():
        melding = services.save_draft(
            filed_by=request.user,
            membership=form.membership(),
            data=data,
            categories=form.cleaned_data.get("categories") or [],
            melding=melding,
            submission_key=form.cleaned_data.get("submission_key"),
            request=request,
        )
        for filename, content_type, blob in form.cleaned_data.get("attachments") or []:
            services.add_attachment(
                melding,
                actor=request.user,
                filename=filename,
                content_type=content_type,
                data=blob,
                request=request,
            )
        if send:
            services.submit(melding, actor=request.user, request=request)
    return melding


def _filed_earlier(request):
    """The melding this user already filed with the form being sent (its hidden key), if any."""
    try:
        key = uuid.UUID(request.POST.get("submission_key", ""))
    except ValueError:
        return None
    return Melding.objects.filter(filed_by=request.user, submission_key=key).first()


def _sent_before(melding):
    """The same form was sent again after it had been filed: show what came of it (the
    page after sending, or the case page once it is no longer open)."""
    if melding.status == Status.DRAFT:
        return None
    return redirect("incidents:sent", melding.pk)


def _page(request, melding=None):
    if not reporter_memberships(request.user):
        raise Http404
    send = request.POST.get("action") == "send"
    if request.method == "POST" and melding is None:
        # A retry of a form that was filed already (its answer was lost, or the browser sent
        # it twice) works on that melding instead of filing a second one.
        melding = _filed_earlier(request)
        if melding is not None and (done := _sent_before(melding)):
            return done
    if request.method == "POST":
        form = MeldingForm(request.POST, request.FILES, user=request.user, for_draft=not send)
        if send and form.is_valid() and not _within_rate_limit(request):
            # A stolen account or a script must not bury the griffie; nothing typed is lost.
            form.add_error(
                None,
                _(
                    "Te veel meldingen in korte tijd. Uw tekst staat er nog; probeer het later "
                    "opnieuw of sla de melding op als concept. Bij acuut gevaar: bel 112."
                ),
            )
        if form.is_valid():
            try:
                melding = _save(request, form, melding, send=send)
            except IntegrityError:
                # The same form, sent twice at once: the other request filed it.
                earlier = _filed_earlier(request)
                if earlier is None:
                    raise
                return _sent_before(earlier) or redirect("incidents:edit", earlier.pk)
            except (ValidationError, services.NotAllowed):
                form.add_error(
                    None,
                    _(
                        "Deze melding kon niet worden verstuurd. Controleer de "
                        "vragen met een sterretje."
                    ),
                )
            else:
                if send:
                    # The page itself says it was sent, to whom and by when they answer.
                    return redirect("incidents:sent", melding.pk)
                messages.success(
                    request,
                    _("Uw concept is opgeslagen. Niemand anders kan het zien tot u het verstuurt."),
                )
                return redirect("incidents:edit", melding.pk)
        if form.errors:
            messages.error(
                request,
                _(
                    "Niet alles is goed ingevuld. Wat u al had ingevuld staat "
                    "er nog; bijlagen moet u opnieuw kiezen."
                ),
            )
    else:
        initial = _initial(melding) if melding else {"submission_key": uuid.uuid4()}
        form = MeldingForm(initial=initial, user=request.user)
    return render(
        request,
        "incidents/form.html",
        {
            "form": form,
            "steps": _steps(form),
            "required_message": forms.Field.default_error_messages["required"],
            "melding": melding,
            "routes": _routes(request),
            "confidential": _confidential(),
            "protocol_texts": protocol.texts_for(
                [m.organisation_id for m in reporter_memberships(request.user)], get_language()
            ),
        },
    )


def _within_rate_limit(request):
    """Without the cache (Redis down) reporting goes on: a lost report is worse than a
    missed limit."""
    try:
        return ratelimit.consume(request, action="melding_submit", user=request.user)
    except (RedisError, OSError):
        log.warning("ratelimit.unavailable", action="melding_submit")
        return True


@login_required
def new(request):
    return _page(request)


@login_required
def edit(request, pk):
    melding = get_visible_or_404(request, Melding.objects.filter(filed_by=request.user), pk=pk)
    if melding.status != Status.DRAFT:
        return redirect("incidents:case", melding.pk)
    return _page(request, melding)
