"""Who receives a melding and who can see it: exactly the routing of DESIGN §5."""

import pytest

from incidents.constants import Route, Status
from incidents.models import Melding
from weerbaar import memberships
from weerbaar.constants import Position, Role
from weerbaar.models import Notification

from ..factories import make_user
from .factories import make_melding

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Melding.objects.visible_to(user).values_list("pk", flat=True))


def notified(melding):
    return set(
        Notification.objects.filter(link__contains=f"/{melding.pk}/#").values_list(
            "recipient_id", flat=True
        )
    )


def test_raadslid_melding_goes_to_griffier_of_own_gemeente_only(
    raadslid_a, griffier_a, griffier_b, secretaris_a, vertrouwenspersoon
):
    melding = make_melding(raadslid_a)
    assert melding.route == Route.GRIFFIER
    assert notified(melding) == {griffier_a.pk}
    assert melding.pk in visible(griffier_a)
    assert melding.pk in visible(raadslid_a)
    for outsider in (griffier_b, secretaris_a, vertrouwenspersoon):
        assert melding.pk not in visible(outsider)


def test_wethouder_melding_goes_to_secretaris_and_voorzitter(
    wethouder_a, secretaris_a, voorzitter_a, griffier_a, secretaris_b, voorzitter_b
):
    melding = make_melding(wethouder_a)
    assert notified(melding) == {secretaris_a.pk, voorzitter_a.pk}
    assert melding.pk in visible(secretaris_a) and melding.pk in visible(voorzitter_a)
    for outsider in (griffier_a, secretaris_b, voorzitter_b):
        assert melding.pk not in visible(outsider)


def test_civil_servant_melding_goes_to_secretaris_only(
    ambtenaar_a, secretaris_a, voorzitter_a, griffier_a
):
    melding = make_melding(ambtenaar_a)
    assert notified(melding) == {secretaris_a.pk}
    assert melding.pk not in visible(voorzitter_a)
    assert melding.pk not in visible(griffier_a)


def test_burgemeester_melding_goes_to_the_cdk_and_otwb_not_own_gemeente(
    burgemeester_a,
    provincie,
    provincie_griffier,
    cdk,
    vertrouwenspersoon,
    griffier_a,
    secretaris_a,
):
    """The CdK (the province's voorzitter) and the OTWB; the Statengriffier serves the
    Staten, not the CdK's kabinet, and does not receive it."""
    melding = make_melding(burgemeester_a)
    assert melding.route_organisation == provincie
    assert notified(melding) == {cdk.pk, vertrouwenspersoon.pk}
    assert melding.pk in visible(vertrouwenspersoon) and melding.pk in visible(cdk)
    for outsider in (provincie_griffier, griffier_a, secretaris_a):
        assert melding.pk not in visible(outsider)


def test_waterschap_ab_lid_goes_to_secretaris_directeur_as_it_has_no_griffier(waterschap):
    ab_lid = make_user(Role.OFFICE_HOLDER, waterschap, Position.AB_LID)
    dijkgraaf = make_user(Role.OFFICE_HOLDER, waterschap, Position.DIJKGRAAF)
    secretaris_directeur = make_user(Role.SECRETARIS, waterschap)
    melding = make_melding(ab_lid)
    assert melding.route == Route.SECRETARIS
    assert notified(melding) == {secretaris_directeur.pk}
    assert make_melding(dijkgraaf).route == Route.EXECUTIVE


def test_confidential_route_is_seen_only_by_otwb_vertrouwenspersoon(
    raadslid_a, griffier_a, voorzitter_a, vertrouwenspersoon
):
    melding = make_melding(raadslid_a, confidential=True)
    assert melding.route == Route.CONFIDENTIAL
    assert notified(melding) == {vertrouwenspersoon.pk}
    assert visible(vertrouwenspersoon) == {melding.pk}
    assert visible(griffier_a) == set() and visible(voorzitter_a) == set()


def test_drafts_are_seen_only_by_their_author(raadslid_a, griffier_a):
    draft = make_melding(raadslid_a, submit=False)
    assert draft.status == Status.DRAFT
    assert visible(raadslid_a) == {draft.pk}
    assert visible(griffier_a) == set()


def test_ended_membership_loses_sight_of_the_cases(raadslid_a, griffier_a):

    melding = make_melding(raadslid_a)
    memberships.end_all(user=griffier_a)
    griffier_a.__dict__.pop("active_memberships", None)
    assert melding.pk not in visible(griffier_a)


def test_other_reporter_of_same_gemeente_sees_nothing(raadslid_a, gemeente_a):
    make_melding(raadslid_a)
    colleague = make_user(Role.OFFICE_HOLDER, gemeente_a, Position.RAADSLID)
    assert visible(colleague) == set()


def test_griffier_files_on_behalf_of_raadslid_and_both_are_recorded(raadslid_a, griffier_a):
    melding = make_melding(raadslid_a, filed_by=griffier_a)
    assert melding.reporter == raadslid_a and melding.filed_by == griffier_a
    assert melding.reporter_position == Position.RAADSLID
    assert melding.organisation_id == raadslid_a.active_memberships[0].organisation_id
    assert melding.pk in visible(raadslid_a)


def test_griffier_of_other_gemeente_cannot_file_on_behalf(raadslid_a, griffier_b):
    from incidents.services import NotAllowed

    with pytest.raises(NotAllowed):
        make_melding(raadslid_a, filed_by=griffier_b)
