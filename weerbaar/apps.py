from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WeerbaarConfig(AppConfig):
    name = "weerbaar"
    verbose_name = _("Weerbaar Bestuur")

    def ready(self):
        from . import checks, signals  # noqa: F401

    def home_panels(self, user):
        """The gender question for the monitor, once, to someone who reports."""
        from . import self_declaration
        from .self_declaration_forms import GenderForm

        if not self_declaration.is_asked(user):
            return []
        return [("weerbaar/includes/gender_question.html", GenderForm(auto_id="vraag_%s"))]

    @property
    def home_sections(self):
        from .constants import REPORTER_ROLES, Role
        from .navigation import Section

        everyone = frozenset(Role)
        return (
            Section("inbox", _("Berichten"), _("Berichten en herinneringen voor u."), everyone),
            Section(
                "invitation_list",
                _("Mensen uitnodigen"),
                _("Nodig mensen van uw organisatie uit voor het portaal."),
                frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.FUNCTIONEEL_BEHEERDER}),
                nav=True,
                nav_title=_("Uitnodigen"),
                nav_order=70,
            ),
            Section(
                "people",
                _("Mensen van uw organisatie"),
                _("Wie welke rol heeft, en rollen beëindigen, ook na de verkiezingen."),
                frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.FUNCTIONEEL_BEHEERDER}),
            ),
            Section(
                "access_request_list",
                _("Aanvragen voor toegang"),
                _("Mensen zonder account die toegang vragen voor uw organisatie."),
                frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.FUNCTIONEEL_BEHEERDER}),
            ),
            Section(
                "organisation_profile",
                _("Profiel van de organisatie"),
                _("Adressen, het domicilie bij aangifte, contactpersonen en het logo."),
                frozenset({Role.GRIFFIER, Role.SECRETARIS}),
            ),
            Section(
                "membership_requests",
                _("Rolaanvragen"),
                _("Rollen die op goedkeuring wachten, en wat u zelf aanvroeg."),
                frozenset(
                    {
                        Role.GRIFFIER,
                        Role.SECRETARIS,
                        Role.VOORZITTER,
                        Role.OTWB_COORDINATOR,
                        Role.BVA,
                        Role.FUNCTIONEEL_BEHEERDER,
                    }
                ),
            ),
            Section(
                "sweep_failures",
                _("Storingen in taken"),
                _("Zaken waarop een periodieke taak vastliep, en ze als opgelost markeren."),
                frozenset({Role.FUNCTIONEEL_BEHEERDER}),
            ),
            Section(
                "mfa_lockouts",
                _("Geblokkeerde tweede factor"),
                _("Accounts die na te veel foute codes geblokkeerd zijn, en de blokkade opheffen."),
                frozenset({Role.FUNCTIONEEL_BEHEERDER}),
            ),
            Section(
                "own_details",
                _("Mijn gegevens voor de monitor"),
                _("Uw antwoord op de vraag naar gender: wijzigen of verwijderen."),
                REPORTER_ROLES,
                account=True,
            ),
            Section(
                "usersessions_list",
                _("Uw sessies"),
                _("Zie waar u bent ingelogd en beëindig sessies."),
                everyone,
                account=True,
            ),
            Section(
                "mfa_index",
                _("Tweestapsverificatie"),
                _("Authenticator-app, herstelcodes en beveiligingssleutels."),
                everyone,
                account=True,
            ),
        )
