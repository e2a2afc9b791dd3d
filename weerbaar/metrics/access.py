"""Who may read the metrics: a caller on one of ``METRICS_ALLOWED_NETWORKS`` (loopback
only unless configured), talking to the portal directly, with ``METRICS_TOKEN`` as bearer
token when one is set. Anyone else gets the portal's ordinary 404, as if the path did not
exist.

The address judged is the TCP peer (``REMOTE_ADDR``), never ``X-Forwarded-For``: that
header is whatever the caller wrote. And since the TLS proxy in front of web sits on the
hosting network itself, a request that came through it (it carries ``X-Forwarded-For``,
``Forwarded`` or ``X-Real-IP``) is refused whatever its peer address: otherwise anyone on
the internet could read the metrics through the proxy."""

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["FORWARDING_HEADERS", "allowed", "networks", "peer_allowed"]

FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@lru_cache(maxsize=8)
def _parse(cidrs):
    try:
        return tuple(ipaddress.ip_network(cidr.strip(), strict=False) for cidr in cidrs)
    except ValueError as exc:
        raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {exc}") from exc


def networks():
    return _parse(tuple(settings.METRICS_ALLOWED_NETWORKS))


def peer_allowed(address):
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return any(ip in network for network in networks())


def _token_matches(authorization):
    token = settings.METRICS_TOKEN
    if not token:
        return True
    scheme, _sep, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)


def allowed(environ):
    """``environ``: a WSGI environ or a Django request's ``META``."""
    if any(environ.get(header) for header in FORWARDING_HEADERS):
        return False
    return peer_allowed(environ.get("REMOTE_ADDR")) and _token_matches(
        environ.get("HTTP_AUTHORIZATION")
    )
