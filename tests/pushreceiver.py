"""A Web Push service on loopback for tests: it checks each push as a real push service
and browser would, without trusting the sender's library.

- the VAPID ``Authorization: vapid t=<JWT>, k=<key>`` header (RFC 8292): an ES256 JWT
  verified with the key ``k``, which must be the portal's public key; ``aud`` is this
  server's origin, ``exp`` in the future (and at most 24 h ahead), ``sub`` a contact;
- the body decrypted per RFC 8291 (``aes128gcm``, RFC 8188) with the subscription's private
  key and auth secret, written out here with ``cryptography`` alone.

A push that fails a check is answered 400 and kept in ``rejected``; one that passes is kept
in ``accepted`` (token, plaintext payload, JWT claims, headers)."""

import base64
import json
import os
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def b64d(value):
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))


def b64e(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hkdf(salt, ikm, info, length):
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


@dataclass
class Browser:
    """What a browser keeps for one subscription: its key pair and auth secret."""

    token: str
    private_key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public_bytes(self):
        return self.private_key.public_key().public_bytes(
            Encoding.X962, PublicFormat.UncompressedPoint
        )

    @property
    def p256dh(self):
        return b64e(self.public_bytes)

    @property
    def auth(self):
        return b64e(self.auth_secret)

    def decrypt(self, body):
        """RFC 8291 §3.4 and RFC 8188 §2: one record, padding delimiter 0x02."""
        salt, record_size, id_length = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        server_public = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        assert len(ciphertext) <= record_size, "more than one record"
        shared = self.private_key.exchange(
            ec.ECDH(),
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_public),
        )
        key_info = b"WebPush: info\x00" + self.public_bytes + server_public
        ikm = hkdf(self.auth_secret, shared, key_info, 32)
        cek = hkdf(salt, ikm, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = hkdf(salt, ikm, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert padded.endswith(b"\x02"), "last record must end with delimiter 0x02"
        return padded[:-1]


def verify_vapid(header, *, origin, public_key):
    """Returns the JWT claims; raises AssertionError (or a cryptography error) otherwise."""
    scheme, _, params = header.partition(" ")
    assert scheme == "vapid", f"scheme {scheme!r}"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    token, key = parts["t"], parts["k"]
    assert key == public_key, "signed with another key than the portal's"
    head, claims, signature = token.split(".")
    assert json.loads(b64d(head))["alg"] == "ES256"
    raw = b64d(signature)
    assert len(raw) == 64
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64d(key)).verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{head}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )
    claims = json.loads(b64d(claims))
    now = time.time()
    assert claims["aud"] == origin, f"aud {claims['aud']!r}"
    assert now < claims["exp"] <= now + 24 * 3600, "exp not in the next 24 hours"
    assert claims["sub"].startswith(("mailto:", "https:"))
    return claims


class PushReceiver:
    def __init__(self, vapid_public_key):
        self.vapid_public_key = vapid_public_key
        self.browsers = {}
        self.answers = {}  # token -> HTTP status to answer instead of 201
        self.accepted, self.rejected = [], []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def browser(self, token):
        self.browsers[token] = Browser(token)
        return self.browsers[token]

    def endpoint(self, token):
        return f"{self.origin}/push/{token}"

    def accepted_for(self, token):
        return [a for a in self.accepted if a["token"] == token]

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                token = self.path.rsplit("/", 1)[-1]
                status = receiver.receive(token, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        return Handler

    def receive(self, token, headers, body):
        answer = self.answers.get(token)
        if answer is not None:
            return answer
        try:
            browser = self.browsers[token]
            assert headers["Content-Encoding"] == "aes128gcm"
            assert int(headers["TTL"]) > 0
            claims = verify_vapid(
                headers["Authorization"], origin=self.origin, public_key=self.vapid_public_key
            )
            payload = json.loads(browser.decrypt(body))
        except Exception as exc:  # a rejected push is what the test looks at
            with self.lock:
                self.rejected.append((token, repr(exc)))
            return 400
        with self.lock:
            self.accepted.append(
                {
                    "token": token,
                    "payload": payload,
                    "claims": claims,
                    "headers": {k.lower(): v for k, v in headers.items()},
                }
            )
        return 201

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def add_browser(receiver, user, token):
    """Subscribe ``user`` with a new browser whose push service is ``receiver``."""
    from weerbaar.push_subscriptions import subscribe

    browser = receiver.browser(token)
    return subscribe(
        user=user,
        endpoint=receiver.endpoint(token),
        p256dh=browser.p256dh,
        auth=browser.auth,
        user_agent="Mozilla/5.0 (Android 14) Firefox/128.0",
    )
