"""Builders for Veilig Wonen tests: people in each role and applications walked to a stage
through the real services (so every test starts from a state the app can produce)."""

from datetime import timedelta

from django.utils import timezone

from tests.factories import make_user
from veiligwonen import services
from veiligwonen.constants import Domain
from veiligwonen.models import MeasureType, StaffProfile
from weerbaar.constants import Role

HOME = "Geheimelaan 7, 3511 AA Utrecht"
HOUSEHOLD = "Partner Jip en dochter Janneke (9)"


class Cast:
    """Everyone around one gemeente's applications, plus outsiders."""

    def __init__(self, gemeente, other_gemeente, bzk, ccv):
        self.gemeente = gemeente
        self.burgemeester = make_user(Role.OFFICE_HOLDER, gemeente, "burgemeester")
        self.wethouder = make_user(Role.OFFICE_HOLDER, gemeente, "wethouder")
        self.raadslid = make_user(Role.OFFICE_HOLDER, gemeente, "raadslid")
        self.secretaris = make_user(Role.SECRETARIS, gemeente)
        self.griffier = make_user(Role.GRIFFIER, gemeente)
        self.other_secretaris = make_user(Role.SECRETARIS, other_gemeente)
        self.intake = make_user(Role.VW_INTAKE, bzk)
        self.intake2 = make_user(Role.VW_INTAKE, bzk)
        self.team_lead = make_user(Role.VW_INTAKE, bzk)
        StaffProfile.objects.create(user=self.team_lead, is_team_lead=True)
        self.adviser = make_user(Role.SECURITY_ADVISER, ccv)
        self.other_adviser = make_user(Role.SECURITY_ADVISER, ccv)
        self.bva = make_user(Role.BVA, bzk)
        self.bva2 = make_user(Role.BVA, bzk)
        self.analyst = make_user(Role.ANALYST, bzk)

    def membership(self, user):
        return user.active_memberships[0]


def submit(cast, applicant=None, *, filed_by=None, **indicators):
    applicant = applicant or cast.burgemeester
    return services.submit_application(
        membership=cast.membership(applicant),
        filed_by=filed_by or applicant,
        home_address=HOME,
        household=HOUSEHOLD,
        phone="06-12345678",
        **indicators,
    )


def to_scan_done(cast, app):
    # Appointments that have begun: an intake or scan is recorded only from its planned time.
    when = timezone.now() - timedelta(hours=4)
    app = services.plan_intake(app, actor=cast.intake, adviser=cast.adviser, when=when)
    app = services.hold_intake(
        app, actor=cast.adviser, findings="Gesprek gevoerd", urgency_class=app.urgency_class
    )
    app = services.plan_scan(app, actor=cast.adviser, when=when + timedelta(hours=1))
    return services.record_scan(
        app,
        actor=cast.adviser,
        findings_by_domain={Domain.WONEN: "Achterdeur zwak", Domain.DIGITAAL: "Adres vindbaar"},
    )


def to_review(cast, app, codes=("pkvw", "camera-intercom")):
    app = to_scan_done(cast, app)
    app = services.start_advice(app, actor=cast.adviser)
    services.save_summary(app, actor=cast.adviser, summary="Versterk de achterdeur bij Geheimelaan")
    for code in codes:
        services.add_measure(
            app,
            actor=cast.adviser,
            measure_type=MeasureType.objects.get(code=code),
            notes="Bij de achterdeur",
        )
    return services.submit_for_review(app, actor=cast.adviser)


def to_issued(cast, app, **kwargs):
    app = to_review(cast, app, **kwargs)
    return services.issue_advice(app, actor=cast.bva)
