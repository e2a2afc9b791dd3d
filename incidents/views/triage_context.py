"""What the triager's case page shows, gathered in a fixed number of queries, and the page's
forms: empty with the case's current values, or bound to a refused submission that is shown
again with what was typed and what is wrong with it."""

from django.db import connection
from django.db.models import ExpressionWrapper, F, IntegerField, TextField, Value
from django.urls import reverse

from weerbaar.profiles import PoliceContacts, can_edit_profile, police_contacts

from .. import forms, routing
from ..constants import HELP_GIVEN_AS, Step
from ..forms_local import LetterRequestForm
from ..models import (
    AftercareAction,
    CaseStep,
    MeldingUserObjectPermission,
    PerpetratorAction,
)
from ..workflow import TRIAGER, allowed
from .case_history import read_history
from .case_sections import OF_FORM


def _plain(form_class):
    return lambda melding, data: form_class(data)


def _beoordeling_form(melding, data):
    """Severity and assignee in one form. A submitted field that is missing keeps the case's
    current value, so a post of one of the two changes only that one."""
    current = {"severity": melding.severity, "assignee": melding.assigned_to_id}
    if data is not None:
        data = data.copy()
        for name, value in current.items():
            if name not in data:
                data[name] = "" if value is None else value
    # The page offers the system's proposal until someone decided the severity.
    initial = {**current, "severity": melding.severity or melding.severity_proposal}
    return forms.BeoordelingForm(data, people=routing.triagers(melding), initial=initial)


def _aangifte_form(melding, data):
    if data is not None:
        return forms.AangifteForm(data)
    # Fetched with the case (select_related); None when there is none yet.
    aangifte = getattr(melding, "aangifte", None)
    initial = (
        {f: getattr(aangifte, f) for f in forms.AangifteForm.base_fields}
        if aangifte
        else {"advised": True}
    )
    return forms.AangifteForm(initial=initial)


# The page's forms by their name in the context, each made from the case and the submitted
# data (None for the empty form). The stappenplan's buttons post step_form's fields as
# hidden inputs; it is here so that its submissions are checked like the others.
FORMS = {
    "beoordeling_form": _beoordeling_form,
    "step_form": _plain(forms.StepForm),
    "note_form": _plain(forms.NoteForm),
    "aftercare_form": _plain(forms.AftercareForm),
    "perpetrator_form": _plain(forms.PerpetratorActionForm),
    "aangifte_form": _aangifte_form,
    "share_form": _plain(forms.ShareForm),
}


def unless_empty(melding, flag, rows):
    """``rows()`` (a queryset), or no rows when the case was fetched (``_fetch``) with
    ``flag`` false: an empty list, not ``none()`` of the queryset, which is built and then
    compiled up to its empty condition every time it is read (0.3–0.5 ms each)."""
    return rows() if getattr(melding, flag, True) else []


def read_together(melding, kinds, *, copy, user, order):
    """Rows of the case from models of the same shape, in one query (UNION ALL) instead of
    one each: a list per kind, each in ``order``. ``kinds``: (flag, model, text) with the
    case's flag that says the model has rows (from ``_fetch``; skipped when false) and the
    model's encrypted text field; ``copy``: the other fields shown, ``user``: the user
    fetched with each row."""
    lists = [[] for _ in kinds]
    parts = [
        model.objects.filter(melding=melding)
        .select_related(user)
        # Each model's text is encrypted with its own key context: read as stored and
        # opened below by the field of the model the row came from.
        .defer(text)
        .annotate(
            box=Value(n, output_field=IntegerField()),
            sealed=ExpressionWrapper(F(text), output_field=TextField()),
        )
        .order_by()
        for n, (flag, model, text) in enumerate(kinds)
        if getattr(melding, flag, True)
    ]
    if not parts:
        return lists
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for row in rows:
        _flag, model, text = kinds[row.box]
        opened = model._meta.get_field(text).from_db_value(row.sealed, None, connection)
        item = model(**{name: getattr(row, name) for name in copy}, **{text: opened})
        setattr(item, user, getattr(row, user))
        lists[row.box].append(item)
    for items in lists:
        items.sort(key=lambda item: tuple(getattr(item, name) for name in order))
    return lists


def _followup(melding, opened):
    """The aftercare and perpetrator lists (in one query), each only when its section is
    open; a closed one is empty."""
    kinds = {
        "nazorg": ("has_aftercare", AftercareAction, "note"),
        "opvolging-dader": ("has_perpetrator_actions", PerpetratorAction, "result"),
    }
    wanted = [section for section in kinds if section in opened]
    lists = read_together(
        melding,
        tuple(kinds[section] for section in wanted),
        copy=("pk", "melding_id", "kind", "date", "recorded_by_id", "created_at"),
        user="recorded_by",
        order=("date", "pk"),
    )
    found = dict(zip(wanted, lists, strict=True))
    return found.get("nazorg", []), found.get("opvolging-dader", [])


def police_section(melding, user):
    """Whom the aangifte goes to: as recorded on the aangifte, else as the organisation's
    profile has it now; and where to fill the profile in, for who may."""
    organisation = melding.organisation
    aangifte = getattr(melding, "aangifte", None)
    if aangifte is not None:
        contacts = PoliceContacts(
            unit=aangifte.police_unit, police=aangifte.police_contact, ela=aangifte.ela_contact
        )
    else:
        contacts = police_contacts(organisation)
    edit_url = None
    if can_edit_profile(user, organisation=organisation):
        edit_url = reverse("organisation_profile_of", args=[organisation.code])
    return {"contacts": contacts, "edit_url": edit_url}


def page_form(name, melding, data=None):
    """The page's form ``name`` (a key of ``FORMS``) for this case, bound to ``data`` if given."""
    return FORMS[name](melding, data)


# The forms of the sections always shown; a follow-up section's form is made only when
# that section is open (``case_sections``).
ALWAYS = ("beoordeling_form", "step_form", "note_form")


def triage_context(melding, user, *, bound=None, opened=frozenset()):
    """``bound``: {name: form} of a refused submission, shown instead of the empty form;
    ``opened``: the follow-up sections rendered open (ids of ``case_sections.FOLLOW_UP``)."""
    bound = bound or {}
    done = {row.step: row for row in melding.steps.select_related("done_by")}
    timeline, notes, messages_thread = read_history(melding)
    context = {
        "timeline": timeline,
        "notes": notes,
        "messages_thread": messages_thread,
        "steps": [(step, done.get(step)) for step in Step],
        # The organisation's own steps, as the case got them when it was sent.
        "case_steps": unless_empty(
            melding,
            "has_case_steps",
            lambda: CaseStep.objects.filter(melding=melding).select_related("done_by"),
        ),
        "moves": allowed(melding.status, TRIAGER),
    }
    context.update(follow_up_context(melding, user, opened=opened))
    names = ALWAYS + tuple(form for form, section in OF_FORM.items() if section in opened)
    context.update(
        {name: bound[name] if name in bound else page_form(name, melding) for name in names}
    )
    return context


def follow_up_context(melding, user, *, opened):
    """What the open follow-up sections show, and nothing for the closed ones (but the
    help still open, empty unless read: a missing variable is logged with the context)."""
    context = {"help_open": []}
    if "brieven" in opened:
        context["letter_form"] = LetterRequestForm()
    # Help asked for that the nazorg records (legal support) and that is not recorded yet
    # is shown on the closed section too: the aftercare is read for it when there is any.
    asks = any(asked in melding.help_wanted for asked in HELP_GIVEN_AS)
    reads = opened & {"nazorg", "opvolging-dader"} | ({"nazorg"} if asks else set())
    if reads:
        aftercare, perpetrator_actions = _followup(melding, reads)
        context.update(aftercare=aftercare, perpetrator_actions=perpetrator_actions)
        context["help_open"] = melding.help_still_open(aftercare)
    if "aangifte" in opened:
        # Fetched with the case when the section is open (select_related); None when there
        # is none yet.
        context["aangifte"] = getattr(melding, "aangifte", None)
        context["police"] = police_section(melding, user)
    if "delen" in opened:
        context["shares"] = unless_empty(
            melding,
            "has_shares",
            lambda: MeldingUserObjectPermission.objects.filter(
                content_object=melding
            ).select_related("user"),
        )
    return context
