"""``make run`` gets a Web Push key pair in var/run.env: a new file has one, and a file
written before the portal had push gets one added without losing its other keys."""

import base64

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from py_vapid import Vapid

from scripts.dev_env import generate_vapid_keys, write_run_env


def b64d(value):
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def test_vapid_pair_belongs_together_and_signs():
    keys = generate_vapid_keys()
    private = int.from_bytes(b64d(keys["VAPID_PRIVATE_KEY"]), "big")
    public = (
        ec.derive_private_key(private, ec.SECP256R1())
        .public_key()
        .public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    )
    assert b64d(keys["VAPID_PUBLIC_KEY"]) == public
    vapid = Vapid.from_raw(keys["VAPID_PRIVATE_KEY"].encode())
    header = vapid.sign({"sub": "mailto:a@example.org", "aud": "https://push.example", "exp": 9e9})
    assert keys["VAPID_PUBLIC_KEY"] in header["Authorization"]


def test_run_env_gets_vapid_keys_once_and_keeps_the_others(tmp_path):
    path = tmp_path / "run.env"
    path.write_text("SECRET_KEY=old\nFIELD_ENCRYPTION_KEYS=k1:abc\n")
    write_run_env(path)
    write_run_env(path)
    lines = path.read_text().splitlines()
    assert lines[:2] == ["SECRET_KEY=old", "FIELD_ENCRYPTION_KEYS=k1:abc"]
    assert sorted(line.split("=")[0] for line in lines[2:]) == [
        "SEARCH_INDEX_KEY",
        "VAPID_PRIVATE_KEY",
        "VAPID_PUBLIC_KEY",
    ]
