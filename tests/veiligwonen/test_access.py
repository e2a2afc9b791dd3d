import pytest
from django.db import connection
from django.urls import reverse

from veiligwonen import services
from veiligwonen.access import can_see_private_details
from veiligwonen.models import Application
from weerbaar import memberships
from weerbaar.constants import AuditAction
from weerbaar.models import AuditEvent

from .factories import HOME, HOUSEHOLD, submit, to_review

pytestmark = pytest.mark.django_db

# role attribute on Cast → (sees the case, sees home address/household/phone)
UNDER_REVIEW = {
    "burgemeester": (True, True),  # applicant
    "secretaris": (True, False),  # employer contact
    "intake": (True, True),  # intake officer of the case
    "intake2": (True, False),  # another intake officer works the queue, no need to know
    "adviser": (True, True),  # assigned adviser
    "bva2": (True, True),  # BVA while the advice awaits review (not the author)
    "other_adviser": (False, False),
    "other_secretaris": (False, False),  # another gemeente's secretaris
    "griffier": (False, False),
    "wethouder": (False, False),  # another office holder of the same gemeente
    "raadslid": (False, False),
    "analyst": (False, False),
}


@pytest.mark.parametrize(("who", "expected"), UNDER_REVIEW.items())
def test_case_page_and_private_details_per_role(cast, client_for, who, expected):
    sees_case, sees_private = expected
    app = to_review(cast, submit(cast, recent_threats=True))
    user = getattr(cast, who)
    response = client_for(user).get(reverse("veiligwonen:detail", args=[app.pk]))
    if not sees_case:
        assert response.status_code == 404
        assert AuditEvent.objects.filter(actor=user, action=AuditAction.ACCESS_DENIED).exists()
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert (HOME in html) is sees_private
    assert (HOUSEHOLD in html) is sees_private
    assert ("06-12345678" in html) is sees_private
    assert can_see_private_details(user, app) is sees_private


def test_after_review_only_the_reviewer_of_record_keeps_seeing_the_home(cast):
    app = to_review(cast, submit(cast))
    app = services.issue_advice(app, actor=cast.bva)
    app = Application.objects.get(pk=app.pk)
    assert can_see_private_details(cast.bva, app)
    assert not can_see_private_details(cast.bva2, app)
    assert Application.objects.visible_to(cast.bva2).filter(pk=app.pk).exists()


def test_the_author_of_an_advice_sees_no_home_details_as_bva(cast, bzk):
    from weerbaar.constants import Role

    app = to_review(cast, submit(cast))
    memberships.seed(user=cast.bva, organisation=bzk, role="security_adviser", source="test")
    cast.bva.__dict__.pop("active_memberships", None)
    app.advice.author = cast.bva
    app.advice.save()
    assert cast.bva.has_role(Role.BVA)
    assert not can_see_private_details(cast.bva, Application.objects.get(pk=app.pk))


def test_another_gemeentes_secretaris_gets_404_on_everything(cast, client_for):
    app = to_review(cast, submit(cast))
    services.issue_advice(app, actor=cast.bva)
    client = client_for(cast.other_secretaris)
    urls = [
        reverse("veiligwonen:detail", args=[app.pk]),
        reverse("veiligwonen:pdf_employer", args=[app.pk]),
        reverse("veiligwonen:pdf_applicant", args=[app.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404
    measure = app.advice.measures.first()
    posts = [
        reverse("veiligwonen:step", args=[app.pk, "withdraw"]),
        reverse("veiligwonen:measure_update", args=[app.pk, measure.pk]),
    ]
    for url in posts:
        assert client.post(url, {"status": "done"}).status_code == 404
    index = client.get(reverse("veiligwonen:index")).content.decode()
    assert app.reference not in index


def test_employer_gets_the_employer_pdf_but_not_the_applicants(cast, client_for):
    app = to_review(cast, submit(cast))
    services.issue_advice(app, actor=cast.bva)
    client = client_for(cast.secretaris)
    assert client.get(reverse("veiligwonen:pdf_employer", args=[app.pk])).status_code == 200
    assert client.get(reverse("veiligwonen:pdf_applicant", args=[app.pk])).status_code == 404


def test_private_details_are_encrypted_at_rest(cast):
    app = submit(cast)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT home_address, household, phone FROM veiligwonen_application WHERE id = %s",
            [app.pk],
        )
        row = cursor.fetchone()
    assert HOME not in row[0]
    assert HOUSEHOLD not in row[1]
    assert "06-12345678" not in row[2]
    assert Application.objects.get(pk=app.pk).home_address == HOME


def test_viewing_a_case_is_audited(cast, client_for):
    app = submit(cast)
    client_for(cast.secretaris).get(reverse("veiligwonen:detail", args=[app.pk]))
    assert (
        AuditEvent.objects.for_object(app)
        .filter(action=AuditAction.VIEW, actor=cast.secretaris)
        .exists()
    )


def test_intake_sees_the_whole_queue_without_a_filter_and_others_stay_scoped(cast):
    """An intake officer's scope is everything: the query carries no condition at all (an
    ``id IS NOT NULL`` kept PostgreSQL from counting the queue from its partial index);
    another role is still filtered."""
    own = submit(cast)
    other = submit(cast, cast.wethouder)

    everything = Application.objects.visible_to(cast.intake)
    assert set(everything) == {own, other}
    assert "WHERE" not in str(everything.query)

    assert list(Application.objects.visible_to(cast.other_secretaris)) == []
    assert set(Application.objects.visible_to(cast.burgemeester)) == {own}
