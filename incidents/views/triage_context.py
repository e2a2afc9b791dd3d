"""What the triager's case page shows, gathered in a fixed number of queries, and the page's
forms: empty with the case's current values, or bound to a refused submission that is shown
again with what was typed and what is wrong with it."""

from .. import forms, routing
from ..constants import Step
from ..models import MeldingUserObjectPermission
from ..workflow import TRIAGER, allowed


def _plain(form_class):
    return lambda melding, data: form_class(data)


def _severity_form(melding, data):
    return forms.SeverityForm(
        data, initial={"severity": melding.severity or melding.severity_proposal}
    )


def _assign_form(melding, data):
    people = routing.recipients(
        melding.route, melding.route_organisation, otwb_involved=melding.otwb_involved
    )
    return forms.AssignForm(data, people=people, initial={"assignee": melding.assigned_to_id})


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
    "severity_form": _severity_form,
    "assign_form": _assign_form,
    "step_form": _plain(forms.StepForm),
    "note_form": _plain(forms.NoteForm),
    "aftercare_form": _plain(forms.AftercareForm),
    "perpetrator_form": _plain(forms.PerpetratorActionForm),
    "aangifte_form": _aangifte_form,
    "share_form": _plain(forms.ShareForm),
}


def page_form(name, melding, data=None):
    """The page's form ``name`` (a key of ``FORMS``) for this case, bound to ``data`` if given."""
    return FORMS[name](melding, data)


def triage_context(melding, user, *, bound=None):
    """``bound``: {name: form} of a refused submission, shown instead of the empty form."""
    bound = bound or {}
    done = {row.step: row for row in melding.steps.select_related("done_by")}
    return {
        "timeline": melding.timeline.select_related("actor"),
        "notes": melding.notes.select_related("author"),
        "steps": [(step, done.get(step)) for step in Step],
        "aftercare": melding.aftercare.select_related("recorded_by"),
        "perpetrator_actions": melding.perpetrator_actions.select_related("recorded_by"),
        # Fetched with the case (select_related); None when there is none yet.
        "aangifte": getattr(melding, "aangifte", None),
        "shares": MeldingUserObjectPermission.objects.filter(content_object=melding).select_related(
            "user"
        ),
        "moves": allowed(melding.status, TRIAGER),
        **{
            name: bound[name] if name in bound else make(melding, None)
            for name, make in FORMS.items()
        },
    }
