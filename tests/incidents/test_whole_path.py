"""The whole path for each kind of reporter: filed → routed to the right people of the own
organisation only → acknowledged → aangifte prepared → closed."""

import pytest

from incidents import services
from incidents.constants import AangifteStatus, Status
from incidents.models import Melding
from incidents.services import followup
from weerbaar.models import Notification

from .factories import make_melding

pytestmark = pytest.mark.django_db

CASES = [
    ("raadslid_a", {}, ["griffier_a"], ["griffier_b", "secretaris_a", "vertrouwenspersoon"]),
    ("wethouder_a", {}, ["secretaris_a", "voorzitter_a"], ["griffier_a", "secretaris_b"]),
    ("ambtenaar_a", {}, ["secretaris_a"], ["griffier_a", "voorzitter_a", "secretaris_b"]),
    (
        "raadslid_a",
        {"confidential": True},
        ["vertrouwenspersoon"],
        ["griffier_a", "voorzitter_a", "secretaris_a"],
    ),
]


@pytest.mark.parametrize(("reporter", "extra", "receivers", "outsiders"), CASES)
def test_whole_path(request, reporter, extra, receivers, outsiders, griffier_b):
    reporter = request.getfixturevalue(reporter)
    receivers = [request.getfixturevalue(n) for n in receivers]
    outsiders = [request.getfixturevalue(n) for n in outsiders]

    melding = make_melding(reporter, **extra)
    notified = set(
        Notification.objects.filter(kind="incidents.new").values_list("recipient_id", flat=True)
    )
    assert notified == {u.pk for u in receivers}
    for outsider in outsiders:
        assert not Melding.objects.visible_to(outsider).filter(pk=melding.pk).exists()

    triager = receivers[0]
    melding = services.transition(melding, Status.IN_TRIAGE, actor=triager)
    followup.save_aangifte(
        melding, actor=triager, data={"status": AangifteStatus.PREPARED, "vpt_mentioned": True}
    )
    services.transition(melding, Status.IN_FOLLOW_UP, actor=triager)
    melding = services.transition(melding, Status.CLOSED, actor=triager)
    assert melding.status == Status.CLOSED
    assert melding.aangifte.status == AangifteStatus.PREPARED
    assert Notification.objects.filter(recipient=reporter, kind="incidents.status").count() == 3


def test_demo_seed_creates_routed_meldingen_once(organisations):
    from incidents.demo import seed_demo
    from weerbaar.demo import seed_accounts

    seed_accounts()
    seed_demo()
    seed_demo()
    assert Melding.objects.count() == 6
    griffier = Melding.objects.filter(route="griffier", route_organisation__code="GM0344")
    assert griffier.count() == 2
    assert Melding.objects.filter(filed_by__email="griffier@utrecht.demo").count() == 1
