"""Where a webhook may go: no server-side request forgery.

A URL is checked when it is subscribed and again at every delivery: its host is resolved,
every address must be public (no private, loopback, link-local, reserved or multicast
range, also not an IPv4 address inside IPv6), and the connection goes to the address that
was checked, never to a second lookup, so a name that resolves differently a moment later
(DNS rebinding) cannot reach the inside. Only ``https`` outside the test settings
(``WEBHOOKS_ALLOW_PRIVATE_TARGETS``, which also allows ``http`` and loopback)."""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["Refused", "Target", "check_url", "resolve"]


class Refused(ValueError):
    """A target the portal does not send to; the message is for the client's owner."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address to connect to


def _allow_private():
    return getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)


def _public(address):
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None) or getattr(ip, "sixtofour", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not ip.is_multicast


def _parts(url):
    parts = urlsplit(url)
    schemes = ("https", "http") if _allow_private() else ("https",)
    if parts.scheme not in schemes:
        raise Refused(_("Het adres moet met https:// beginnen."))
    if not parts.hostname or parts.username or parts.password:
        raise Refused(_("Het adres moet een geldige host hebben, zonder gebruikersnaam."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(_("Het poortnummer in het adres is ongeldig.")) from None
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port, path


def resolve(url):
    """The ``Target`` to connect to, or ``Refused``: every address the host resolves to
    must be public (one private address among public ones is refused too)."""
    scheme, host, port, path = _parts(url)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise Refused(_("De host van het adres is niet gevonden.")) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise Refused(_("De host van het adres is niet gevonden."))
    if not _allow_private() and not all(_public(a) for a in addresses):
        raise Refused(
            _("Het adres wijst naar een intern, lokaal of gereserveerd netwerk; dat kan niet.")
        )
    return Target(scheme, host, port, path, addresses[0])


def check_url(url):
    """At subscription time: ``Refused`` unless the URL is one the portal would send to."""
    resolve(url)
