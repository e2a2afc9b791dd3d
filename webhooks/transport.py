"""One POST to a checked address, with short timeouts and no redirects.

``http.client`` connects to the address ``targets.resolve`` checked (not to the name,
which could resolve elsewhere by now); for https the TLS handshake still names and verifies
the host. A 3xx is an answer like any other non-2xx: it is not followed."""

import http.client
import socket
import ssl

from django.conf import settings

__all__ = ["post"]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, target, timeout):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection(
            (self._address, self.port), timeout=settings.WEBHOOKS_CONNECT_TIMEOUT
        )
        self.sock.settimeout(self.timeout)


class _PinnedHTTPS(_PinnedHTTP):
    def connect(self):
        super().connect()
        context = ssl.create_default_context()
        self.sock = context.wrap_socket(self.sock, server_hostname=self.host)


def post(target, *, body, headers):
    """POST ``body``; returns the status code. Raises ``OSError`` (refused, timed out, TLS)
    or ``http.client.HTTPException`` when no answer came."""
    kind = _PinnedHTTPS if target.scheme == "https" else _PinnedHTTP
    connection = kind(target, timeout=settings.WEBHOOKS_READ_TIMEOUT)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": "WeerbaarBestuur-Webhooks/1",
            },
        )
        response = connection.getresponse()
        response.read(1024)
        return response.status
    finally:
        connection.close()
