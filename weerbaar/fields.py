"""Model fields whose value is encrypted at rest (see ``weerbaar.crypto``).

Encrypted columns cannot be searched or sorted in the database; keep anything a list
filters on in a plain column and only the sensitive payload here.
"""

import json

from django.db import models

from . import crypto


class EncryptedFieldMixin:
    encrypted = True

    def contribute_to_class(self, cls, name, *args, **kwargs):
        super().contribute_to_class(cls, name, *args, **kwargs)
        self.crypto_context = f"{cls._meta.app_label}.{cls._meta.model_name}.{name}"


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Text stored as AES-GCM ciphertext. Empty strings stay empty (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt_text(value, context=self.crypto_context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt_text(str(value), context=self.crypto_context)


class EncryptedJSONField(EncryptedTextField):
    """A small JSON object stored as the ciphertext of its text; empty means ``{}``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        text = super().from_db_value(value, expression, connection)
        return json.loads(text) if text else {}

    def to_python(self, value):
        if isinstance(value, dict):
            return value
        return json.loads(value) if value else {}

    def get_prep_value(self, value):
        if not value:
            return ""
        return crypto.encrypt_text(json.dumps(value), context=self.crypto_context)


class EncryptedBinaryField(EncryptedFieldMixin, models.BinaryField):
    """Bytes (an uploaded file) stored as AES-GCM ciphertext."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt_bytes(bytes(value), context=self.crypto_context)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is not None and not prepared:
            value = crypto.encrypt_bytes(bytes(value), context=self.crypto_context)
        return super().get_db_prep_value(value, connection, prepared=True)


def encrypted_fields():
    """Every (model, field) pair in the project that is encrypted at rest."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "encrypted", False):
                yield model, field
