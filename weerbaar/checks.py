from django.conf import settings
from django.core.checks import Error, register

from . import crypto


@register()
def encryption_keys(app_configs, **kwargs):
    try:
        crypto.current_key_id()
    except Exception as exc:
        return [Error(f"FIELD_ENCRYPTION_KEYS: {exc}", id="weerbaar.E001")]
    if settings.FIELD_ENCRYPTION_KEYS and settings.SECRET_KEY in settings.FIELD_ENCRYPTION_KEYS[0]:
        return [Error("The encryption key must differ from SECRET_KEY.", id="weerbaar.E002")]
    return []
