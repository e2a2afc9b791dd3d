from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import UserObjectPermissionBase

from weerbaar.access import NOTHING, ScopedQuerySet
from weerbaar.constants import Role
from weerbaar.fields import EncryptedTextField

from ..constants import (
    CATEGORY_SEVERITY,
    OPEN_STATUSES,
    SEVERITY_RANK,
    About,
    Channel,
    Fallback,
    Perpetrator,
    Place,
    Route,
    Severity,
    Status,
)
from ..routing import ROUTE_ROLES

# The columns of ``incidents.reminders``, one per reminder sweep.
REMINDER_COLUMNS = (
    "aftercare_reminder_at",
    "aangifte_reminder_at",
    "police_reminder_at",
    "idle_reminder_at",
)
PROTOCOL_ROLES = frozenset({Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER})


class MeldingQuerySet(ScopedQuerySet):
    def scope_q(self, user) -> Q:
        """Reporter and filer see their own; triagers see what :meth:`triage_q` gives."""
        return Q(reporter=user) | Q(filed_by=user) | self.triage_q(user)

    def triage_q(self, user) -> Q:
        """What is routed to the user's role in their own organisation (never drafts, never
        the confidential route), or fell back to that role because nobody held the route's;
        for the voorzitter also what was escalated to them; for OTWB vertrouwenspersonen
        what involves the OTWB; and what the local protocol in force at sending added a
        receiving or escalation role of theirs to."""
        triage = NOTHING
        for m in user.active_memberships:
            routes = [r for r, roles in ROUTE_ROLES.items() if m.role in roles]
            if routes:
                triage |= Q(route_organisation_id=m.organisation_id, route__in=routes)
            if m.role in PROTOCOL_ROLES:
                # Added to the route by the local protocol in force at sending. The role's
                # JSON string in the list's text, not JSON containment: SQLite (make run)
                # has no containment lookup, and no role's name holds another's.
                mine = Q(route_organisation_id=m.organisation_id)
                role = f'"{m.role}"'
                triage |= mine & Q(protocol__receive__icontains=role)
                triage |= mine & Q(protocol__escalate__icontains=role, escalation_level__gte=2)
            if m.role in Fallback.values:
                triage |= Q(route_organisation_id=m.organisation_id, routing_fallback=m.role)
            if m.role == Role.VOORZITTER:
                triage |= Q(route_organisation_id=m.organisation_id, escalation_level__gte=2)
            if m.role == Role.VERTROUWENSPERSOON and m.organisation.code == "OTWB":
                triage |= Q(otwb_involved=True)
        return triage & ~Q(status=Status.DRAFT)

    def triageable_by(self, user):
        return self.filter(self.triage_q(user))

    def own_by(self, user):
        """Meldingen the user filed or that were filed for them (nothing they only triage);
        a draft only to the person writing it."""
        return self.visible_to(user).filter(self.own_q(user))

    @staticmethod
    def own_q(user):
        """The condition of ``own_by``: a part of :meth:`scope_q` (reporter or filer), so
        it needs no other scope where the user is known to be active (the start page)."""
        return Q(filed_by=user) | (Q(reporter=user) & ~Q(status=Status.DRAFT))


class Melding(models.Model):
    """A report of aggression, intimidation or threat against an office holder or civil
    servant. Everything a list filters on is a plain column; what the reporter tells is
    encrypted at rest."""

    # Empty only after retention anonymisation.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("melder"),
        null=True,
        on_delete=models.PROTECT,
        related_name="meldingen",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingediend door"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Snapshot of the reporter's office at filing.
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reporter_role = models.CharField(_("rol melder"), max_length=32, choices=Role.choices)
    reporter_position = models.CharField(_("functie melder"), max_length=32, blank=True)
    confidential = models.BooleanField(_("vertrouwelijke route"), default=False)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)
    route_organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("ontvangende organisatie"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    otwb_involved = models.BooleanField(_("OTWB betrokken"), default=False)
    # Who stood in when nobody held the route's roles in force (routing.CHAINS); it gives
    # them the case in the triage scope. Empty while the route's own roles receive it.
    routing_fallback = models.CharField(
        _("vervangende ontvanger"), max_length=16, choices=Fallback.choices, blank=True
    )
    # The local protocol in force when it was sent (``incidents.protocol.snapshot``): the
    # receiving roles and the first escalation step, as role values. Routing, reminders and
    # escalations read it from this row, so a later change of the protocol does not move
    # the case. Empty for drafts and meldingen sent before local protocols: the design's.
    protocol = models.JSONField(_("protocol bij verzenden"), default=dict, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    severity = models.CharField(_("ernst"), max_length=8, choices=Severity.choices, blank=True)
    severity_proposal = models.CharField(
        _("voorgestelde ernst"), max_length=8, choices=Severity.choices, blank=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("behandelaar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    occurred_at = models.DateTimeField(_("wanneer"), null=True, blank=True)
    place = models.CharField(_("waar"), max_length=16, choices=Place.choices, blank=True)
    channel = models.CharField(_("hoe"), max_length=16, choices=Channel.choices, blank=True)
    description = EncryptedTextField(_("wat er gebeurde"), blank=True)
    perpetrator = models.CharField(
        _("pleger"), max_length=8, choices=Perpetrator.choices, blank=True
    )
    perpetrator_details = EncryptedTextField(_("over de pleger"), blank=True)
    family_involved = models.BooleanField(_("gezin of familie betrokken"), default=False)
    # Whom it happened to: the reporter's office decides the route whoever it is about.
    about = models.CharField(
        _("over wie"), max_length=16, choices=About.choices, default=About.SELF
    )
    witnesses = EncryptedTextField(_("getuigen"), blank=True)
    help_wanted = models.JSONField(_("gewenste hulp"), default=list, blank=True)
    # A copy of the category rows as ",insult,threat," (sorted), kept by services.filing:
    # the triage filter by category then reads the scope index alone instead of joining
    # every row of that category in the country. The rows stay the truth for everything else.
    category_codes = models.CharField(max_length=200, default="", editable=False)
    # The key of the form the melding was filed with (a hidden field of the new-melding
    # page): sending the same form again — a retry after a "try again" page, a double click,
    # the browser's back button and resend — finds this melding instead of filing another.
    submission_key = models.UUIDField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("verstuurd"), null=True, blank=True, db_index=True)
    acknowledged_at = models.DateTimeField(_("ontvangst bevestigd"), null=True, blank=True)
    ack_deadline = models.DateTimeField(_("bevestigen vóór"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalatieniveau"), default=0)
    next_escalation_at = models.DateTimeField(null=True, blank=True)
    # When each reminder sweep next has something to do for this case, empty when nothing
    # (``incidents.reminders``): written with every change to the case by
    # ``services.common.log`` and by the sweeps, never from a form.
    aftercare_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    aangifte_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    police_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    idle_reminder_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The last status change of its aangifte while the aangifte is not closed and the
    # melding open, kept with the reminder columns (``incidents.reminders``): the start
    # page's "Status van de aangifte gevraagd" reads a range of its index for the
    # organisation instead of looking up the aangifte of every open case.
    aangifte_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_activity_at = models.DateTimeField(_("laatste activiteit"), null=True, blank=True)
    closed_at = models.DateTimeField(_("afgesloten"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd"), null=True, blank=True)

    objects = MeldingQuerySet.as_manager()
    object_permission_model = "incidents.MeldingUserObjectPermission"

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["filed_by", "submission_key"], name="melding_filed_once_per_form"
            )
        ]
        indexes = [
            # The triage scope (route organisation, route, status) with the id and the
            # categories, and what else the scope reads (a stand-in, the escalation level, the
            # local protocol at sending): counts per status and the filtered count (by status
            # and category too) are read from the index alone.
            models.Index(
                fields=[
                    "route_organisation",
                    "route",
                    "status",
                    "id",
                    "category_codes",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                ],
                name="melding_triage_scope_v2",
            ),
            # A status of the organisation as one range of the index, in order of the
            # acknowledgement deadline, with what the scope and the category filter read:
            # the counts up to a cap (weerbaar.counting) and the start page's first rows
            # stop after the cap's rows of that status instead of reading every row of the
            # organisation (issue 25 §2).
            models.Index(
                fields=["route_organisation", "status", "ack_deadline", "id"],
                include=[
                    "route",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                    "category_codes",
                    "submitted_at",
                ],
                name="melding_triage_status",
            ),
            # The triage list, newest (or oldest) first, reads only its own organisation's
            # rows instead of walking every organisation's by date.
            models.Index(fields=["route_organisation", "submitted_at"], name="melding_triage_list"),
            # The list filtered by status ("Afgesloten", "Ingediend"), in the list's order
            # (date, then id): only that status's rows are walked until the page is full,
            # not every status's newest first (1 022 buffers, 899 rows for 25 closed
            # threats of the largest gemeente; 281 and 173 with it).
            models.Index(
                fields=["route_organisation", "status", "submitted_at", "id"],
                name="melding_triage_status_list",
            ),
            # The monitor's aggregates per (reporter's) organisation and period read every
            # column they count from the index (index-only scans) instead of one heap page
            # per melding.
            models.Index(
                fields=[
                    "organisation",
                    "submitted_at",
                    "status",
                    "confidential",
                    "channel",
                    "reporter_role",
                    "reporter_position",
                    "reporter",
                    "escalation_level",
                    "acknowledged_at",
                    "id",
                ],
                name="melding_monitor",
            ),
            models.Index(fields=["status", "severity"]),
            models.Index(fields=["reporter", "status"]),
            models.Index(
                fields=["next_escalation_at"],
                name="melding_escalation_due",
                condition=Q(status="submitted"),
            ),
            models.Index(
                fields=["closed_at"],
                name="melding_closed",
                condition=Q(status="closed", anonymised_at__isnull=True),
            ),
            models.Index(fields=["otwb_involved", "status"]),
            # What a reminder sweep has to do, however many cases are open: the rows
            # where its column is set (``incidents.reminders``).
            *(
                models.Index(
                    fields=[column],
                    name=f"melding_{column.removesuffix('_at')}",
                    condition=Q(**{f"{column}__isnull": False}),
                )
                for column in REMINDER_COLUMNS
            ),
            # Open cases with an aangifte that is not closed, by its last status change,
            # with what the triage scope reads (``filters.aangifte_due_q``).
            models.Index(
                fields=["route_organisation", "aangifte_changed_at"],
                # The status and the id too: the start page's block is then an index-only
                # scan of the organisation's range, instead of ANDing the status index over
                # every organisation's open cases and reading the heap (12.3 → 0.4 ms at
                # ten times national scale, docs/performance.md).
                include=[
                    "route",
                    "routing_fallback",
                    "escalation_level",
                    "protocol",
                    "submitted_at",
                    "status",
                    "id",
                ],
                name="melding_aangifte_changed",
                # Set only while the case is open: no status in the condition, which
                # PostgreSQL could not match to the scope's list of open statuses.
                condition=Q(aangifte_changed_at__isnull=False),
            ),
            # Open, acknowledged cases by acknowledgement (partial: a few thousand rows out
            # of years of closed ones), for the triage filter of nazorg due.
            models.Index(
                fields=["acknowledged_at"],
                name="melding_aftercare_due",
                condition=Q(status__in=["in_triage", "in_follow_up"]),
            ),
            # The OTWB vertrouwenspersoon's start page: its two blocks, each read up to a
            # cap in the block's own order, stop after the cap's entries of the block
            # instead of reading every open case the OTWB is involved in, nationally
            # (issue 25 §2; ``incidents.start``).
            models.Index(
                fields=["submitted_at", "id"],
                name="melding_otwb_confidential",
                condition=Q(otwb_involved=True, route=Route.CONFIDENTIAL, status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["submitted_at", "id"],
                include=["acknowledged_at"],
                name="melding_otwb_aftercare",
                condition=Q(otwb_involved=True, status__in=OPEN_STATUSES[1:]),
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self):
        return f"M-{self.pk:06d}" if self.pk else "M-nieuw"

    @staticmethod
    def codes_of(categories):
        """``category_codes`` for these categories."""
        return f",{','.join(sorted(set(categories)))}," if categories else ""

    @staticmethod
    def codes_containing(category):
        """What ``category_codes`` contains when the melding has ``category``."""
        return f",{category},"

    @property
    def categories(self):
        return [row.category for row in self.category_rows.all()]

    def category_labels(self):
        from ..constants import Category

        return [Category(c).label for c in self.categories]

    @property
    def reporter_label(self):
        """The reporter's office as a label (snapshotted at filing)."""
        from weerbaar.constants import Position, position_title

        if self.reporter_position in Position.values:
            # "Kandidaat-raadslid", "Oud-wethouder": a triager must not take them for one.
            return position_title(self.reporter_role, self.reporter_position)
        return Role(self.reporter_role).label if self.reporter_role else ""

    def help_wanted_labels(self):
        from ..constants import HelpWanted

        return [HelpWanted(h).label for h in self.help_wanted if h in HelpWanted.values]

    def help_still_open(self, aftercare):
        """Labels of the help asked for that the nazorg (``aftercare``, the case's rows)
        records as given under a kind of its own, and that is not recorded yet."""
        from ..constants import HELP_GIVEN_AS, HelpWanted

        given = {a.kind for a in aftercare}
        return [
            HelpWanted(h).label
            for h, kind in HELP_GIVEN_AS.items()
            if h in self.help_wanted and kind not in given
        ]

    @property
    def effective_severity(self):
        return self.severity or self.severity_proposal or Severity.MEDIUM

    @property
    def effective_severity_label(self):
        return Severity(self.effective_severity).label

    @staticmethod
    def propose_severity(categories):
        ranked = [CATEGORY_SEVERITY[c] for c in categories if c in CATEGORY_SEVERITY]
        return max(ranked, key=SEVERITY_RANK.get) if ranked else Severity.LOW


class MeldingCategory(models.Model):
    """One category of a melding: a row, so filtering by category works on every database."""

    melding = models.ForeignKey(Melding, on_delete=models.CASCADE, related_name="category_rows")
    category = models.CharField(_("categorie"), max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["melding", "category"], name="melding_category_once")
        ]
        indexes = [models.Index(fields=["category", "melding"])]

    def __str__(self):
        return self.category


# The encrypted free text of a melding: what anonymisation empties, and what lists and
# sweeps do not read (each would be decrypted per row).
FREE_TEXT = tuple(f.name for f in Melding._meta.concrete_fields if getattr(f, "encrypted", False))


class MeldingUserObjectPermission(UserObjectPermissionBase):
    """Explicit sharing of one melding with a named person (guardian, direct FK)."""

    content_object = models.ForeignKey(Melding, on_delete=models.CASCADE)
