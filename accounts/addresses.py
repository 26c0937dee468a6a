import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest | None) -> str | None:
    """The visitor's IP address. X-Forwarded-For is believed only from one of our own proxies
    (TRUSTED_PROXIES), which set it to the address they saw; from a proxy that appends to it,
    the last entry is the one it saw. Anyone else could write anything there."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    if address in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        address = forwarded or address
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:  # not an address (a Unix socket's peer, a proxy's garbage)
        return None
