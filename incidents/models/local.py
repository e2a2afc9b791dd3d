"""The organisation's own part of the protocol: the steps it adds to the national
stappenplan, the copy of them each new case gets, and its letter templates.

A case copies the organisation's active steps when it is first sent (``CaseStep``): editing
or deactivating a step later changes new cases only, never a case already being worked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import Role

from ..constants import LetterKind

# The roles a local step may be owned by: the people who work a case in the organisation.
STEP_OWNER_ROLES = [
    (r.value, r.label)
    for r in (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER, Role.VERTROUWENSPERSOON)
]


class LocalStep(models.Model):
    """A step the organisation adds to the national stappenplan of its new cases."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation", on_delete=models.CASCADE, related_name="local_steps"
    )
    title = models.CharField(_("stap"), max_length=200)
    title_en = models.CharField(_("stap (Engels)"), max_length=200, blank=True)
    owner_role = models.CharField(_("eigenaar"), max_length=32, choices=STEP_OWNER_ROLES)
    due_days = models.PositiveSmallIntegerField(
        _("termijn in werkdagen na het indienen"), default=5
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=10)
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("eigen stap")
        verbose_name_plural = _("eigen stappen")
        ordering = ["order", "pk"]
        indexes = [models.Index(fields=["organisation", "active", "order"])]

    def __str__(self):
        return self.title


class CaseStep(models.Model):
    """A local step as a case got it when it was sent: its title, owner and due date stay
    what they were then; ticking it off keeps who and when, as ``StepCheck`` does."""

    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="case_steps"
    )
    local_step = models.ForeignKey(
        LocalStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("stap"), max_length=200)
    title_en = models.CharField(_("stap (Engels)"), max_length=200, blank=True)
    owner_role = models.CharField(_("eigenaar"), max_length=32, choices=STEP_OWNER_ROLES)
    due_at = models.DateTimeField(_("uiterlijk"))
    order = models.PositiveSmallIntegerField(_("volgorde"))
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("gedaan op"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title

    @property
    def owner_label(self):
        return Role(self.owner_role).label


class LetterTemplate(models.Model):
    """A letter's text: the national default (no organisation) or an organisation's own.
    ``subject`` and ``body`` are plain text with ``{{ naam }}`` placeholders, filled in by
    ``incidents.letters`` — never by the template engine."""

    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="letter_templates",
    )
    kind = models.CharField(_("soort brief"), max_length=24, choices=LetterKind.choices)
    subject = models.CharField(_("onderwerp"), max_length=200)
    body = models.TextField(_("tekst"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="letter_template_once_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(organisation__isnull=True),
                name="letter_template_one_national_default",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()
