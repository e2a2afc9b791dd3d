"""Meldingen made through the real write path, so tests see what production would."""

from datetime import timedelta

from django.utils import timezone

from incidents import services
from incidents.constants import Category, Channel, Perpetrator, Place

DEFAULT_DATA = {
    "place": Place.WORK,
    "channel": Channel.SOCIAL,
    "description": "Na de raadsvergadering kreeg ik berichten met bedreigingen.",
    "perpetrator": Perpetrator.UNKNOWN,
    "perpetrator_details": "",
    "family_involved": False,
    "witnesses": "",
    "help_wanted": ["talk"],
    "confidential": False,
}


def membership_of(user):
    user.__dict__.pop("active_memberships", None)
    return user.active_memberships[0]


def make_melding(
    reporter,
    *,
    submit=True,
    categories=(Category.THREAT,),
    filed_by=None,
    membership=None,
    now=None,
    **data,
):
    values = {**DEFAULT_DATA, "occurred_at": timezone.now() - timedelta(hours=2), **data}
    melding = services.save_draft(
        filed_by=filed_by or reporter,
        membership=membership or membership_of(reporter),
        data=values,
        categories=list(categories),
    )
    if submit:
        melding = services.submit(melding, actor=filed_by or reporter, now=now)
    return melding
