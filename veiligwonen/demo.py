"""Demo data for Veilig Wonen (called by ``manage.py seed_demo``; never in production):
a few applications of the demo office holders at different stages, the catalogue, and
the demo intake officer as team lead."""

from datetime import timedelta

from django.utils import timezone

from weerbaar.constants import Role
from weerbaar.models import Membership, User

from . import demo_history, services
from .catalogue import load_catalogue
from .constants import Domain
from .models import Application, MeasureType, StaffProfile


def _membership(email):
    return Membership.objects.active().get(user__email=email, role=Role.OFFICE_HOLDER)


def _user(email):
    return User.objects.get(email=email)


def _file(email, **data):
    membership = _membership(email)
    if Application.objects.filter(applicant=membership.user).exists():
        return None
    return services.submit_application(
        membership=membership,
        filed_by=membership.user,
        home_address="Demostraat 1, Demodorp",
        **data,
    )


def seed_demo():
    load_catalogue(MeasureType)
    intake, adviser, bva = (
        _user("intake@bzk.demo"),
        _user("adviseur@ccv.demo"),
        _user("bva@bzk.demo"),
    )
    StaffProfile.objects.update_or_create(user=intake, defaults={"is_team_lead": True})
    StaffProfile.objects.update_or_create(user=adviser, defaults={"cases_per_week": 3})
    _file(
        "burgemeester@utrecht.demo",
        household="Partner en twee kinderen",
        recent_threats=True,
        incidents_at_home=True,
        public_exposure=True,
    )
    _file("wethouder@groningen.demo", household="Alleenstaand", planned_move=True)
    issued = _file("wethouder@utrecht.demo", public_exposure=True, household="Partner")
    if issued is None:
        return
    # In the past: an intake or scan is recorded only once it has begun.
    when = timezone.now() - timedelta(days=10)
    services.plan_intake(issued, actor=intake, adviser=adviser, when=when)
    services.hold_intake(issued, actor=adviser, findings="Demo-intake.", urgency_class="hoog")
    services.plan_scan(issued, actor=adviser, when=when + timedelta(days=2))
    services.record_scan(
        issued, actor=adviser, findings_by_domain={Domain.WONEN: "Achterdeur zonder goed slot."}
    )
    services.start_advice(issued, actor=adviser)
    services.save_summary(
        issued, actor=adviser, summary="Versterk de toegangen en beperk de vindbaarheid."
    )
    for code in ("pkvw", "deuren-sloten-ramen", "vindbaarheidscheck"):
        services.add_measure(issued, actor=adviser, measure_type=MeasureType.objects.get(code=code))
    services.submit_for_review(issued, actor=adviser)
    services.issue_advice(issued, actor=bva)


# What seed_history adds, as the command reports it ("493 meldingen").
HISTORY = "aanvragen Veilig Wonen"


def seed_history(people):
    """A year of applications of the made-up ``people``."""
    return demo_history.seed_history(people)
