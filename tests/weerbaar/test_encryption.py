import base64
import os

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from weerbaar import crypto
from weerbaar.constants import Role
from weerbaar.models import User


def key(key_id):
    return f"{key_id}:{base64.urlsafe_b64encode(os.urandom(32)).decode()}"


def raw_phone(user):
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM weerbaar_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_database_holds_no_plaintext_phone(user_factory, gemeente_a):
    user = user_factory(Role.OFFICE_HOLDER, gemeente_a)
    user.phone = "06-12345678"
    user.save()
    stored = raw_phone(user)
    assert "12345678" not in stored
    assert stored.startswith(f"v1:{crypto.current_key_id()}:")
    assert User.objects.get(pk=user.pk).phone == "06-12345678"


def test_ciphertext_copied_to_another_column_does_not_decrypt():
    token = crypto.encrypt_text("Dorpsstraat 1", context="veiligwonen.application.home_address")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token, context="weerbaar.user.phone")


def test_tampered_ciphertext_is_refused():
    blob = bytearray(crypto.encrypt_bytes(b"screenshot", context="x"))
    blob[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(bytes(blob), context="x")


def test_rotation_reencrypts_with_newest_key_and_keeps_data_readable(
    user_factory, gemeente_a, settings
):
    old, new = key("old1"), key("new2")
    settings.FIELD_ENCRYPTION_KEYS = [old]
    user = user_factory(Role.GRIFFIER, gemeente_a)
    user.phone = "+31 6 11122233"
    user.save()
    assert crypto.key_id_of(raw_phone(user)) == "old1"

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    # Readable before rotation: the old key is still listed.
    assert User.objects.get(pk=user.pk).phone == "+31 6 11122233"
    call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert crypto.key_id_of(raw_phone(user)) == "new2"

    with override_settings(FIELD_ENCRYPTION_KEYS=[new]):
        assert User.objects.get(pk=user.pk).phone == "+31 6 11122233"


def test_totp_secrets_are_encrypted_at_rest_and_rotated(user_factory, gemeente_a, settings):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    old, new = key("old1"), key("new2")
    settings.FIELD_ENCRYPTION_KEYS = [old]
    user = user_factory(Role.GRIFFIER, gemeente_a)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(user, secret)
    stored = Authenticator.objects.get(user=user).data["secret"]
    assert secret not in stored

    settings.FIELD_ENCRYPTION_KEYS = [new, old]
    call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    settings.FIELD_ENCRYPTION_KEYS = [new]
    auth = Authenticator.objects.get(user=user)
    assert crypto.key_id_of(auth.data["secret"]) == "new2"
    import pyotp

    assert TOTP(auth).validate_code(pyotp.TOTP(secret).now())
