import base64
import hashlib
import hmac

import pytest

from ..api.conftest import (  # noqa: F401  (the API tests' clients and meldingen)
    _generous_rate,
    melding_a,
    melding_b,
    raadslid_a,
    raadslid_b,
    register,
)
from ..incidents.conftest import SUBSET, organisations  # noqa: F401
from .receiver import Receiver


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def verify(secret, headers, body, *, tolerance=None, now=None):
    """A Standard Webhooks receiver's check, written from the specification and not from
    the portal's signer: any ``v1`` signature in the header must match the HMAC-SHA256,
    keyed with the base64 part of ``whsec_…``, of ``{id}.{timestamp}.{body}``."""
    message_id = headers["webhook-id"]
    timestamp = headers["webhook-timestamp"]
    if tolerance is not None and abs(int(now) - int(timestamp)) > tolerance:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = message_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for candidate in headers["webhook-signature"].split(" "):
        version, _comma, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return True
    return False
