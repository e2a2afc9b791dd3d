import pytest

from weerbaar.models import Notification

from .factories import submit, to_issued, to_review

pytestmark = pytest.mark.django_db


def recipients(kind):
    return {n.recipient for n in Notification.objects.filter(kind=f"veiligwonen.{kind}")}


def test_each_step_notifies_the_right_people(cast):
    app = submit(cast, filed_by=cast.secretaris)
    assert recipients("submitted") == {cast.burgemeester, cast.secretaris}
    assert recipients("new_in_queue") == {cast.intake, cast.intake2, cast.team_lead}
    to_review(cast, app)
    assert recipients("intake_planned") == {cast.burgemeester}
    assert recipients("adviser_assigned") == {cast.adviser}
    assert recipients("review_requested") == {cast.bva, cast.bva2}
    to_issued_app = submit(cast, cast.wethouder)
    to_issued(cast, to_issued_app)
    assert recipients("advice_issued") == {cast.wethouder, cast.secretaris}
    for n in Notification.objects.all():
        assert n.link.startswith("/veilig-wonen/")
