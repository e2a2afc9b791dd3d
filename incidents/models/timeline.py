from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.fields import EncryptedJSONField, EncryptedTextField

from .. import timeline_texts
from ..constants import JobKind, Step, TimelineKind


class TimelineEntry(models.Model):
    """What happened to a melding, in order. A line is a ``code`` from
    ``incidents.timeline_texts`` with its ``params``, worded when shown in the viewer's
    language; the params may name people ("Gedeeld met …") or hold a title someone typed,
    so they are encrypted like the content. ``summary`` is the worded text of lines written
    before codes existed (and of lines no code covers); entries marked ``internal`` are not
    shown to the reporter."""

    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="timeline"
    )
    at = models.DateTimeField(_("tijdstip"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("soort"), max_length=16, choices=TimelineKind.choices)
    code = models.CharField(_("code"), max_length=40, blank=True)
    params = EncryptedJSONField(_("parameters"))
    summary = EncryptedTextField(_("omschrijving"), blank=True)
    internal = models.BooleanField(_("intern"), default=False)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text

    @property
    def text(self):
        return timeline_texts.render(self.code, self.params, fallback=self.summary)


class InternalNote(models.Model):
    melding = models.ForeignKey("incidents.Melding", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = EncryptedTextField(_("notitie"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Notitie {self.pk}"


class Message(models.Model):
    """A message between the reporter and the triagers."""

    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = EncryptedTextField(_("bericht"))

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Bericht {self.pk}"


class StepCheck(models.Model):
    """A step of the stappenplan ticked off: who and when."""

    melding = models.ForeignKey("incidents.Melding", on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("stap"), max_length=24, choices=Step.choices)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("gedaan op"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["melding", "step"], name="step_once")]

    def __str__(self):
        return self.get_step_display()


class JobRecord(models.Model):
    """That a sweep acted on a melding at a level: the unique constraint makes a retry or a
    second worker a no-op."""

    melding = models.ForeignKey(
        "incidents.Melding", on_delete=models.CASCADE, related_name="job_records"
    )
    kind = models.CharField(max_length=16, choices=JobKind.choices)
    level = models.IntegerField()
    acted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["melding", "kind", "level"], name="job_once")
        ]

    def __str__(self):
        return f"{self.kind}/{self.level} melding {self.melding_id}"
