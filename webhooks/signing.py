"""Standard Webhooks signatures (https://www.standardwebhooks.com): the receiver checks
``webhook-signature`` against ``{webhook-id}.{webhook-timestamp}.{body}`` with the
subscription's secret, and drops a message whose ``webhook-id`` it has seen."""

import base64
import hashlib
import hmac
import secrets

__all__ = ["PREFIX", "headers", "new_secret", "sign"]

PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret():
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret):
    return base64.b64decode(secret.removeprefix(PREFIX))


def sign(secret, *, message_id, timestamp, body):
    """``v1,<base64 HMAC-SHA256>`` of the message (``body`` as bytes)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secrets_, *, message_id, timestamp, body):
    """The three headers; one signature per secret, space separated (a rotation's overlap)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            sign(s, message_id=message_id, timestamp=timestamp, body=body) for s in secrets_
        ),
    }
