"""Authenticated encryption for sensitive fields and files (AES-256-GCM).

Keys come from ``settings.FIELD_ENCRYPTION_KEYS`` as ``"<key id>:<urlsafe base64 of 32
bytes>"``, newest first. Every ciphertext carries the id of the key that made it, so old
data stays readable after a new key is put in front, and ``rotate_encryption_keys``
re-encrypts it with the newest key. The associated data binds a ciphertext to its column,
so a value copied from one column into another does not decrypt.
"""

import base64
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "DecryptionError",
    "current_key_id",
    "decrypt_bytes",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_text",
    "generate_key",
    "key_id_of",
]

VERSION = "v1"
NONCE_SIZE = 12


class DecryptionError(Exception):
    pass


def generate_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


@lru_cache(maxsize=8)
def _parse_keys(raw: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    keys = []
    for entry in raw:
        key_id, sep, material = entry.strip().partition(":")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS entries look like 'id:base64key'.")
        key = base64.urlsafe_b64decode(material)
        if len(key) != 32:
            raise ImproperlyConfigured(f"Encryption key {key_id!r} must be 32 bytes.")
        keys.append((key_id, AESGCM(key)))
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return tuple(keys)


def _keys() -> tuple[tuple[str, AESGCM], ...]:
    return _parse_keys(tuple(settings.FIELD_ENCRYPTION_KEYS))


def current_key_id() -> str:
    return _keys()[0][0]


def encrypt_bytes(data: bytes, *, context: str) -> bytes:
    key_id, aead = _keys()[0]
    nonce = os.urandom(NONCE_SIZE)
    sealed = aead.encrypt(nonce, data, context.encode())
    return f"{VERSION}:{key_id}:".encode() + nonce + sealed


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    try:
        version, key_id, payload = bytes(blob).split(b":", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if version.decode() != VERSION:
        raise DecryptionError("unknown format")
    aead = dict(_keys()).get(key_id.decode())
    if aead is None:
        raise DecryptionError(f"unknown key id {key_id.decode()!r}")
    try:
        return aead.decrypt(payload[:NONCE_SIZE], payload[NONCE_SIZE:], context.encode())
    except Exception as exc:  # InvalidTag: tampered, wrong column or wrong key
        raise DecryptionError("ciphertext does not authenticate") from exc


def encrypt_text(text: str, *, context: str) -> str:
    blob = encrypt_bytes(text.encode(), context=context)
    version, key_id, payload = blob.split(b":", 2)
    return f"{version.decode()}:{key_id.decode()}:{base64.urlsafe_b64encode(payload).decode()}"


def decrypt_text(token: str, *, context: str) -> str:
    try:
        version, key_id, payload = token.split(":", 2)
        raw = base64.urlsafe_b64decode(payload)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    blob = f"{version}:{key_id}:".encode() + raw
    return decrypt_bytes(blob, context=context).decode()


def key_id_of(value: str | bytes) -> str:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return value.split(b":", 2)[1].decode()
    return value.split(":", 2)[1]
