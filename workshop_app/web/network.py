"""Which addresses of this laptop phones on the room's Wi-Fi can likely reach.

Standard library only, and nothing is sent: "connecting" a UDP socket just asks the
operating system which local address it would route from.
"""

from __future__ import annotations

import ipaddress
import socket


def likely_lan_address() -> str | None:
    """The address this laptop would use to reach the local network, if any."""
    for probe in ("192.168.1.1", "10.0.0.1", "172.16.0.1"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.connect((probe, 9))
                address = s.getsockname()[0]
        except OSError:
            continue
        if address and not address.startswith(("127.", "0.")):
            return str(address)
    return None


def candidate_addresses(extra: list[str] | None = None) -> list[str]:
    """Likely address first, then the others; private LAN ranges before public ones."""
    found: list[str] = []
    first = likely_lan_address()
    if first:
        found.append(first)
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    found += extra or []
    usable = []
    for a in dict.fromkeys(found):
        try:
            ip = ipaddress.ip_address(a)
        except ValueError:
            continue
        if ip.version == 4 and not ip.is_loopback and not ip.is_link_local:
            usable.append(a)
    usable.sort(key=lambda a: (a != first, not ipaddress.ip_address(a).is_private))
    return usable
