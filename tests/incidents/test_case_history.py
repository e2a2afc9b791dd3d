"""The case page's history is one statement built once per process and reused for every
case (incidents/views/case_history.py): each case must still get its own lines."""

from incidents import services
from incidents.constants import Status
from incidents.views.case_history import read_history

from .factories import make_melding
from .helpers import case_url


def test_each_case_page_shows_its_own_notes_and_messages_not_the_previous_cases(
    client_for, raadslid_a, griffier_a
):
    first, second = make_melding(raadslid_a), make_melding(raadslid_a)
    for melding, word in ((first, "eerste"), (second, "tweede")):
        services.transition(melding, Status.IN_TRIAGE, actor=griffier_a)
        services.post_message(melding, f"Bericht over de {word} melding", actor=raadslid_a)
        services.note(melding, f"Notitie over de {word} melding", actor=griffier_a)
    client = client_for(griffier_a)
    for melding, word, other in ((first, "eerste", "tweede"), (second, "tweede", "eerste")):
        page = client.get(case_url(melding)).content.decode()
        assert f"Bericht over de {word} melding" in page
        assert f"Notitie over de {word} melding" in page
        assert f"over de {other} melding" not in page


def test_the_history_reads_the_lines_of_the_case_it_is_given(raadslid_a, griffier_a):
    first, second = make_melding(raadslid_a), make_melding(raadslid_a)
    services.note(second, "Alleen op de tweede", actor=griffier_a)
    # Read first without notes' flag (every part), then the other case with the same parts.
    timeline, notes, messages = read_history(first)
    assert {entry.melding_id for entry in timeline} == {first.pk}
    assert notes == [] and messages == []
    timeline, notes, messages = read_history(second)
    assert [note.body for note in notes] == ["Alleen op de tweede"]
    assert {entry.melding_id for entry in timeline} == {second.pk}
    assert len(timeline) == second.timeline.count()
