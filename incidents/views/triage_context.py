"""What the triager's case page shows, gathered in a fixed number of queries."""

from .. import forms, routing
from ..constants import Step
from ..models import MeldingUserObjectPermission
from ..workflow import TRIAGER, allowed


def triage_context(melding, user):
    done = {row.step: row for row in melding.steps.select_related("done_by")}
    people = routing.recipients(
        melding.route, melding.route_organisation, otwb_involved=melding.otwb_involved
    )
    assign_form = forms.AssignForm(initial={"assignee": melding.assigned_to_id})
    assign_form.fields["assignee"].choices = [("", "—")] + [
        (p.pk, p.get_full_name()) for p in sorted(people, key=lambda p: p.get_full_name())
    ]
    # Fetched with the case (select_related); None when there is none yet.
    aangifte = getattr(melding, "aangifte", None)
    aangifte_initial = (
        {f: getattr(aangifte, f) for f in forms.AangifteForm.base_fields}
        if aangifte
        else {"advised": True}
    )
    return {
        "timeline": melding.timeline.select_related("actor"),
        "notes": melding.notes.select_related("author"),
        "steps": [(step, done.get(step)) for step in Step],
        "aftercare": melding.aftercare.select_related("recorded_by"),
        "perpetrator_actions": melding.perpetrator_actions.select_related("recorded_by"),
        "aangifte": aangifte,
        "shares": MeldingUserObjectPermission.objects.filter(content_object=melding).select_related(
            "user"
        ),
        "moves": allowed(melding.status, TRIAGER),
        "severity_form": forms.SeverityForm(
            initial={"severity": melding.severity or melding.severity_proposal}
        ),
        "assign_form": assign_form,
        "note_form": forms.NoteForm(),
        "aftercare_form": forms.AftercareForm(),
        "perpetrator_form": forms.PerpetratorActionForm(),
        "aangifte_form": forms.AangifteForm(initial=aangifte_initial),
        "share_form": forms.ShareForm(),
    }
