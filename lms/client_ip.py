"""The client's address, the one every rate limit and log of ours keys on.

Behind nginx every request arrives from nginx's address (REMOTE_ADDR), so a limit keyed on
it would put a whole county in one bucket. The proxy appends the address it saw to
X-Forwarded-For; that header is believed only when the request came from a proxy listed in
TRUSTED_PROXIES (addresses or networks), and then only as far as the chain stays trusted:
the client is the right-most address that is not one of our proxies. Anything to its left
was written by the client itself and may be forged.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _parse(address: str):
    try:
        return ipaddress.ip_address(address.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return any(address in network for network in networks)


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
    hop = _parse(remote)
    if hop is None or not _is_trusted(hop, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for entry in reversed(forwarded.split(",")):
        address = _parse(entry)
        if address is None:
            # A malformed entry ends what can be believed: the last trusted hop answers.
            break
        hop = address
        if not _is_trusted(address, networks):
            break
    return str(hop)
