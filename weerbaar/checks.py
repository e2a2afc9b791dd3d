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


@register()
def search_index_key(app_configs, **kwargs):
    from . import search

    try:
        search.blind("check", "key")
    except Exception as exc:
        return [Error(f"SEARCH_INDEX_KEY: {exc}", id="weerbaar.E003")]
    materials = [k.partition(":")[2].strip() for k in settings.FIELD_ENCRYPTION_KEYS]
    if settings.SEARCH_INDEX_KEY.strip() in materials:
        return [Error("SEARCH_INDEX_KEY must differ from the field keys.", id="weerbaar.E004")]
    return []
