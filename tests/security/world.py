"""A populated gemeente B (Groningen): one object behind every object URL of the portal,
made through the apps' real write paths, and the ids to put into those URLs.

Authorization tests walk the URL conf with these ids as people of gemeente A and national
roles that have no business with them, and expect the same answer as for an id that does
not exist."""

import io
import re
from datetime import timedelta

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from PIL import Image

from incidents import services as incident_services
from incidents.models import CaseStep, LocalStep
from incidents.services import followup
from otwb import services as otwb_services
from otwb.constants import RegistrationStatus, SessionKind
from otwb.models import FollowUpAgreement, Registration, Traject, Voorgesprek
from tests.factories import make_user
from tests.incidents.factories import make_melding
from tests.otwb.factories import SessionFactory, TourFactory, TrainerFactory, driehoek_people
from tests.veiligwonen.factories import Cast, submit, to_issued
from veiligwonen import services as vw_services
from weerbaar.constants import Position, Role

MISSING = 987654321
APPS = ("incidents", "veiligwonen", "otwb")


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


class WorldB:
    """Every kind of object of gemeente B, and ``ids[app][kwarg]`` for URL patterns."""

    def __init__(self, gemeente_b, gemeente_a, bzk, ccv):
        self.gemeente = gemeente_b
        # Veilig Wonen: an issued advice with measures (PDFs and measure updates exist).
        self.cast = Cast(gemeente_b, gemeente_a, bzk, ccv)
        self.application = to_issued(self.cast, submit(self.cast, recent_threats=True))
        self.measure = self.application.advice.measures.first()
        self.document = vw_services.add_document(
            self.application,
            actor=self.cast.burgemeester,
            kind="quote",
            filename="offerte.png",
            content_type="image/png",
            data=b"\x89PNG",
        )
        # Meldingen: a raadslid's melding routed to griffier B, with an attachment and a share.
        self.raadslid = make_user(Role.OFFICE_HOLDER, gemeente_b, Position.RAADSLID)
        self.griffier = make_user(Role.GRIFFIER, gemeente_b)
        self.melding = make_melding(self.raadslid)
        self.attachment = incident_services.add_attachment(
            self.melding,
            actor=self.raadslid,
            filename="schermafdruk.png",
            content_type="image/png",
            data=png_bytes(),
        )
        self.colleague = make_user(Role.GRIFFIER, gemeente_b)
        followup.share(self.melding, self.colleague, actor=self.griffier)
        # OTWB: gemeente B's traject, voorgesprek and agreement; a council session for B
        # only, with a trainer; B's registration for a regional driehoek session.
        tour = TourFactory()
        self.traject = Traject.objects.create(tour=tour, organisation=gemeente_b)
        self.voorgesprek = Voorgesprek.objects.create(
            traject=self.traject, planned_at=timezone.now() + timedelta(days=3)
        )
        self.agreement = FollowUpAgreement.objects.create(
            traject=self.traject,
            description="Agressieprotocol vaststellen",
            owner="Griffie",
            due_on=timezone.localdate() + timedelta(days=30),
        )
        start = timezone.localtime().replace(hour=14, minute=0, second=0, microsecond=0)
        start += timedelta(days=60)
        self.session = SessionFactory(
            tour=tour, starts_at=start, ends_at=start + timedelta(hours=3)
        )
        self.session.organisations.set([gemeente_b])
        self.trainer = TrainerFactory()
        self.assignment = otwb_services.assign_trainer(self.session, self.trainer, actor=None)
        driehoek = SessionFactory(
            tour=tour,
            kind=SessionKind.DRIEHOEK,
            starts_at=start + timedelta(days=1),
            ends_at=start + timedelta(days=1, hours=4),
        )
        self.registration = Registration.objects.create(
            session=driehoek,
            organisation=gemeente_b,
            status=RegistrationStatus.CONFIRMED,
            registered_by=self.griffier,
            **driehoek_people("b"),
        )
        self.local_step = LocalStep.objects.create(
            organisation=gemeente_b, title="Wijkagent informeren", owner_role=Role.GRIFFIER
        )
        self.case_step = CaseStep.objects.create(
            melding=self.melding,
            title="Wijkagent informeren",
            owner_role=Role.GRIFFIER,
            due_at=timezone.now(),
            order=1,
        )
        self.ids = {
            "veiligwonen": {
                "pk": self.application.pk,
                "measure_id": self.measure.pk,
                "document_id": self.document.pk,
            },
            "incidents": {"pk": self.melding.pk, "user_pk": self.colleague.pk},
            "otwb": {"pk": None},
        }
        # The attachment URL's pk is an attachment; otwb pks depend on the route.
        self.route_ids = {
            "incidents:attachment": {"pk": self.attachment.pk},
            # The organisation's own protocol pages of B, and B's case's own step.
            "incidents:case_step": {"pk": self.melding.pk, "step_pk": self.case_step.pk},
            "incidents:local_steps": {"org_pk": gemeente_b.pk},
            "incidents:local_step": {"org_pk": gemeente_b.pk, "step_pk": self.local_step.pk},
            "incidents:letter_templates": {"org_pk": gemeente_b.pk},
            "incidents:letter_template": {"org_pk": gemeente_b.pk},
            "incidents:letter_template_reset": {"org_pk": gemeente_b.pk},
            "otwb:traject_detail": {"pk": self.traject.pk},
            "otwb:traject_transition": {"pk": self.traject.pk},
            "otwb:invitation_letter": {"pk": self.traject.pk},
            "otwb:voorgesprek_plan": {"pk": self.traject.pk},
            "otwb:agreement_add": {"pk": self.traject.pk},
            "otwb:voorgesprek_record": {"pk": self.voorgesprek.pk},
            "otwb:agreement_done": {"pk": self.agreement.pk},
            "otwb:assignment_remove": {"pk": self.assignment.pk},
            "otwb:registration_cancel": {"pk": self.registration.pk},
            "otwb:trainer_edit": {"pk": self.trainer.pk},
            "incidents:protocol_routes": {"pk": gemeente_b.pk},
        }

    def kwargs_for(self, name, converters):
        """``converters`` maps kwarg → converter; gives B's id for every int kwarg."""
        app = name.split(":", 1)[0]
        ids = {**self.ids.get(app, {}), **self.route_ids.get(name, {})}
        if app == "otwb" and "pk" not in self.route_ids.get(name, {}):
            ids["pk"] = self.session.pk  # every other otwb pk is a session
        out = {}
        for kwarg, converter in converters.items():
            if converter == "int":
                out[kwarg] = ids[kwarg]
            elif kwarg == "action":
                out[kwarg] = "withdraw"
            else:
                out[kwarg] = "x"
        return out

    def fingerprint(self):
        """Every row of the three apps, to prove a refused request changed nothing."""
        rows = {}
        for label in APPS:
            for model in apps.get_app_config(label).get_models():
                rows[model._meta.label] = list(model.objects.order_by("pk").values_list())
        return rows


def object_routes():
    """(name, route with converters, {kwarg: converter}) for every named URL pattern of the
    apps that carries an int id."""
    found = []

    def walk(patterns, prefix, namespace):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                ns = entry.namespace or namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                route = prefix + str(entry.pattern)
                converters = {kw: conv for conv, kw in re.findall(r"<(\w+):(\w+)>", route)}
                if "int" in converters.values() and namespace in APPS:
                    yield f"{namespace}:{entry.name}", route, converters

    found.extend(walk(get_resolver().url_patterns, "", None))
    return found


def fill(route, kwargs):
    return "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(kwargs[m.group(1)]), route)
