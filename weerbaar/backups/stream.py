"""The encrypted backup file: AES-256-GCM over chunks, so neither writing nor reading needs
the whole backup in memory, and any change to the file is refused.

Layout::

    header  = b"WBBACKUP" | version (1 byte) | key fingerprint (8) | salt (16)
    records = ciphertext of each chunk of CHUNK plaintext bytes, + its 16-byte tag

Each file gets its own key, derived with HKDF from the backup key and the file's random salt,
so the chunk counter can be the nonce without ever repeating one under a key. The nonce
of chunk *i* is ``i`` (8 bytes) and a last-chunk flag (1 byte), padded to 12; the header is
the associated data of every chunk. A flipped byte fails that chunk's tag; reordered or
removed chunks fail on the counter; a cut-off file fails because no chunk carried the
last-chunk flag (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár).

The key fingerprint tells a wrong key from a damaged file before anything is decrypted. It
is a hash of the key under a fixed label: it says which key, and nothing about the key.

``BACKUP_ENCRYPTION_KEY`` is urlsafe base64 of 32 bytes; several, comma separated, newest
first, when the backup key is being replaced: the first encrypts, each of them decrypts."""

import base64
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = [
    "CHUNK",
    "BackupKeyError",
    "DecryptingReader",
    "EncryptingWriter",
    "TamperedError",
    "fingerprint",
    "parse_keys",
]

MAGIC = b"WBBACKUP"
VERSION = 1
CHUNK = 1024 * 1024
TAG = 16
HEADER = len(MAGIC) + 1 + 8 + 16


class BackupKeyError(Exception):
    """No usable key, or the file was made with another key."""


class TamperedError(Exception):
    """The file is not what the backup wrote: changed, cut off or not a backup."""


def parse_keys(raw):
    """The keys of ``BACKUP_ENCRYPTION_KEY`` (newest first) as bytes."""
    keys = []
    for entry in (raw or "").split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            key = base64.urlsafe_b64decode(entry)
        except ValueError as exc:
            raise BackupKeyError("BACKUP_ENCRYPTION_KEY is geen geldige base64.") from exc
        if len(key) != 32:
            raise BackupKeyError("Een sleutel in BACKUP_ENCRYPTION_KEY moet 32 bytes zijn.")
        keys.append(key)
    if not keys:
        raise BackupKeyError(
            "BACKUP_ENCRYPTION_KEY is niet gezet: zonder eigen back-upsleutel geen back-up."
        )
    return keys


def fingerprint(key):
    return hashlib.sha256(b"weerbaar-backup-key-fingerprint\0" + key).digest()[:8]


def _file_key(key, salt):
    return HKDF(hashes.SHA256(), 32, salt=salt, info=b"weerbaar backup v1").derive(key)


def _nonce(counter, last):
    return counter.to_bytes(8, "big") + (b"\1" if last else b"\0") + b"\0\0\0"


class EncryptingWriter:
    """A write-only binary file object that encrypts into ``raw``; ``close()`` writes the
    last chunk (and does not close ``raw``)."""

    def __init__(self, raw, key):
        salt = os.urandom(16)
        self._header = MAGIC + bytes([VERSION]) + fingerprint(key) + salt
        self._aead = AESGCM(_file_key(key, salt))
        self._raw = raw
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        raw.write(self._header)

    def writable(self):
        return True

    def _seal(self, data, last):
        self._raw.write(self._aead.encrypt(_nonce(self._counter, last), bytes(data), self._header))
        self._counter += 1

    def write(self, data):
        self._buffer += data
        # Keep at least one byte back: the last chunk is sealed by close(), with its flag.
        while len(self._buffer) > CHUNK:
            self._seal(self._buffer[:CHUNK], last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def flush(self):
        self._raw.flush()

    def close(self):
        if not self._closed:
            self._seal(self._buffer, last=True)
            self._buffer = bytearray()
            self._closed = True
            self._raw.flush()


class DecryptingReader:
    """A read-only binary file object over an encrypted backup in ``raw``. Raises
    ``BackupKeyError`` at once when none of ``keys`` made the file, ``TamperedError`` at
    the first chunk that is not as written, or at the end when the file was cut off."""

    def __init__(self, raw, keys):
        header = raw.read(HEADER)
        if len(header) < HEADER or not header.startswith(MAGIC):
            raise TamperedError("Dit is geen back-upbestand van de portal (kop ontbreekt).")
        if header[len(MAGIC)] != VERSION:
            raise TamperedError(f"Onbekende versie {header[len(MAGIC)]} van het back-upformaat.")
        wanted, salt = header[len(MAGIC) + 1 : len(MAGIC) + 9], header[len(MAGIC) + 9 :]
        key = next((k for k in keys if fingerprint(k) == wanted), None)
        if key is None:
            raise BackupKeyError(
                "Deze back-up is met een andere sleutel versleuteld dan die in "
                f"BACKUP_ENCRYPTION_KEY (sleutelkenmerk van het bestand: {wanted.hex()}). "
                "Zet de sleutel van toen in BACKUP_ENCRYPTION_KEY (achter de huidige, met een "
                "komma)."
            )
        self._header = header
        self._aead = AESGCM(_file_key(key, salt))
        self._raw = raw
        self._counter = 0
        self._pending = raw.read(CHUNK + TAG)
        self._buffer = bytearray()
        self._done = False

    def readable(self):
        return True

    def _next_chunk(self):
        record = self._pending
        self._pending = self._raw.read(CHUNK + TAG)
        last = not self._pending
        try:
            plain = self._aead.decrypt(_nonce(self._counter, last), record, self._header)
        except InvalidTag:
            where = "het einde ontbreekt" if last else f"blok {self._counter} is gewijzigd"
            raise TamperedError(
                f"De back-up is beschadigd of gewijzigd ({where}); er is niets teruggezet."
            ) from None
        self._counter += 1
        self._done = last
        return plain

    def read(self, size=-1):
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._buffer += self._next_chunk()
        if size < 0:
            size = len(self._buffer)
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data
