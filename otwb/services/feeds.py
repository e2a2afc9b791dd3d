"""The personal agenda feed of a trainer. The token is shown once; only its SHA-256 is kept,
so a database leak does not open anyone's agenda, and regenerating revokes the old URL."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from weerbaar import audit
from weerbaar.constants import AuditAction

from ..models import Trainer

__all__ = ["hash_token", "regenerate_feed_token", "revoke_feed_token", "trainer_for_token"]


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def regenerate_feed_token(trainer, *, actor):
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        trainer = Trainer.objects.select_for_update().get(pk=trainer.pk)
        trainer.feed_token_hash = hash_token(token)
        trainer.feed_token_created_at = timezone.now()
        trainer.save(update_fields=["feed_token_hash", "feed_token_created_at"])
        audit.record(AuditAction.GRANT, actor=actor, obj=trainer, feed=True)
    return token


def revoke_feed_token(trainer, *, actor):
    with transaction.atomic():
        trainer = Trainer.objects.select_for_update().get(pk=trainer.pk)
        trainer.feed_token_hash = ""
        trainer.feed_token_created_at = None
        trainer.save(update_fields=["feed_token_hash", "feed_token_created_at"])
        audit.record(AuditAction.REVOKE, actor=actor, obj=trainer, feed=True)


def trainer_for_token(token):
    if not token:
        return None
    return Trainer.objects.filter(feed_token_hash=hash_token(token), is_active=True).first()
