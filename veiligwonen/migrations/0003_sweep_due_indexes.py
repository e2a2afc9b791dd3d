from django.db import migrations, models

# A score is recomputed by every change that goes through the services (``save_scored``
# sets ``scored_at``). Any other write that changes what the score is made of, without a
# new ``scored_at``, clears ``scored_at`` so the daily rescoring picks the row up.
CREATE = """
CREATE OR REPLACE FUNCTION veiligwonen_score_inputs_changed() RETURNS trigger AS $$
BEGIN
    NEW.scored_at := NULL;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER veiligwonen_application_score_inputs
    BEFORE UPDATE ON veiligwonen_application
    FOR EACH ROW
    WHEN (
        NEW.scored_at IS NOT DISTINCT FROM OLD.scored_at
        AND (
            NEW.urgency_class, NEW.recent_threats, NEW.public_exposure, NEW.incidents_at_home,
            NEW.planned_move, NEW.linked_meldingen, NEW.submitted_at, NEW.status
        ) IS DISTINCT FROM (
            OLD.urgency_class, OLD.recent_threats, OLD.public_exposure, OLD.incidents_at_home,
            OLD.planned_move, OLD.linked_meldingen, OLD.submitted_at, OLD.status
        )
    )
    EXECUTE FUNCTION veiligwonen_score_inputs_changed();
"""

DROP = """
DROP TRIGGER IF EXISTS veiligwonen_application_score_inputs ON veiligwonen_application;
DROP FUNCTION IF EXISTS veiligwonen_score_inputs_changed();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    """The sweeps read only what is due: the daily rescoring what is out of date (see
    services/rescore.py), the SLA sweep what still waits for its intake."""

    dependencies = [("veiligwonen", "0002_catalogue_and_sla")]

    operations = [
        migrations.RemoveIndex(model_name="application", name="vw_sla_warn_idx"),
        migrations.RemoveIndex(model_name="application", name="vw_sla_due_idx"),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("intake_held_at__isnull", True),
                    ("status__in", ["intake_planned", "submitted"]),
                ),
                fields=["sla_warn_at"],
                name="vw_sla_warn_waiting_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    ("intake_held_at__isnull", True),
                    ("status__in", ["intake_planned", "submitted"]),
                ),
                fields=["sla_due_at"],
                name="vw_sla_due_waiting_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(
                condition=models.Q(
                    (
                        "status__in",
                        [
                            "advice_draft",
                            "advice_issued",
                            "intake_held",
                            "intake_planned",
                            "measures_in_progress",
                            "returned",
                            "scan_done",
                            "scan_planned",
                            "submitted",
                            "under_review",
                        ],
                    )
                ),
                fields=["scored_at"],
                name="vw_rescore_idx",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
