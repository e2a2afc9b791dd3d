from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Who sees their organisation's readiness checklist on the start page.
KEEPERS = ("griffier", "secretaris")


class IncidentsConfig(AppConfig):
    name = "incidents"
    verbose_name = _("Meldingen")
    # (prefix, URLconf) pairs the project's URLconf mounts (weerbaar/urls.py names no app).
    url_mounts = (("meldingen/", "incidents.urls"),)

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from weerbaar.models import Membership, Organisation, OrganisationProfile

        from . import readiness, search
        from .models import LocalProtocol, ProtocolRoute

        search.register()

        models = (Organisation, OrganisationProfile, Membership, LocalProtocol, ProtocolRoute)
        for model in models:
            for signal in (post_save, post_delete):
                signal.connect(readiness.forget, sender=model, dispatch_uid=f"readiness-{model}")

    def start_panels(self, user, membership):
        """What the active role starts with (``weerbaar.navigation.start_panels_for``):
        a reporter's "Melding doen" and own meldingen with the "Bij wie meldt u?" text, a
        griffier's, secretaris' or voorzitter's "what needs me now", an OTWB
        vertrouwenspersoon's confidential cases and nazorg."""
        from . import start

        return start.panels(user, membership)

    def home_panels(self, user):
        """The readiness checklist of each organisation the user is griffier or secretaris
        of (``weerbaar.navigation.panels_for``)."""
        from django.utils.translation import get_language

        from . import readiness

        panels = self._own_meldingen_panel(user)
        orgs = [m.organisation_id for m in user.active_memberships if m.role in KEEPERS]
        if not orgs:
            return panels
        rows = readiness.of_organisations(orgs, language=get_language())
        return panels + [("incidents/includes/readiness_checklist.html", row) for row in rows]

    def _own_meldingen_panel(self, user):
        """Someone whose roles ended (no reporter role left) still reads their own
        meldingen: the start page links to them when there are any (issue 20 §3)."""
        from django.db.models import Exists

        from weerbaar.constants import REPORTER_ROLES
        from weerbaar.models import User

        from .models import Melding

        if any(m.role in REPORTER_ROLES or m.role in KEEPERS for m in user.active_memberships):
            return []
        # Two probes, each on its own index, not "reporter OR filed by ... LIMIT 1": for a
        # user with no meldingen PostgreSQL expected the OR to match early in a scan and read
        # every melding instead (1.4 s, 95 000 buffers at scale 10 for the coordinator; issue
        # 25 §2).
        own = Exists(Melding.objects.filter(reporter=user)) | Exists(
            Melding.objects.filter(filed_by=user)
        )
        if not User.objects.filter(pk=user.pk).filter(own).exists():
            return []
        return [("incidents/includes/own_meldingen.html", None)]

    @property
    def home_sections(self):
        from weerbaar.constants import REPORTER_ROLES, Role
        from weerbaar.navigation import Section

        from .routing import TRIAGE_ROLES

        reporters = REPORTER_ROLES | {Role.GRIFFIER}
        # The same roles the dashboard lets in (views/dashboard.py): no link to a 403.
        triagers = TRIAGE_ROLES
        return (
            Section(
                "incidents:new",
                _("Melding doen"),
                _("Meld agressie, intimidatie of bedreiging. Bij acuut gevaar: bel 112."),
                reporters,
                nav=REPORTER_ROLES,
                nav_order=10,
            ),
            Section(
                "incidents:mine",
                _("Mijn meldingen"),
                _("Zie wat er met uw meldingen gebeurt en stuur berichten."),
                reporters,
                nav=REPORTER_ROLES,
            ),
            Section(
                "incidents:dashboard",
                _("Triage meldingen"),
                _("Meldingen voor uw organisatie: beoordelen, opvolgen, aangifte."),
                triagers,
                nav=True,
                nav_title=_("Meldingen"),
                nav_order=10,
            ),
            Section(
                "incidents:protocol",
                _("Eigen stappen en brieven"),
                _(
                    "De stappen die uw organisatie aan het stappenplan toevoegt, "
                    "en uw briefsjablonen."
                ),
                frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.FUNCTIONEEL_BEHEERDER}),
            ),
            Section(
                "incidents:protocol_mine",
                _("Lokaal protocol"),
                _('Spreek af wie meldingen ontvangt en publiceer "Bij wie meldt u?".'),
                frozenset({Role.GRIFFIER, Role.SECRETARIS}),
                nav=True,
                nav_title=_("Protocol"),
                nav_order=60,
            ),
            Section(
                "incidents:readiness",
                _("Gereedheid organisaties"),
                _("Welke gemeenten, provincies en waterschappen klaar zijn, en wat ontbreekt."),
                frozenset({Role.FUNCTIONEEL_BEHEERDER, Role.OTWB_COORDINATOR}),
                nav=True,
                nav_title=_("Gereedheid"),
            ),
        )
