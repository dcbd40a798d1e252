"""The device key the per-device limits use (web/limits.py): what counts as one device."""

from __future__ import annotations

from typing import Any

import pytest

from workshop_app.web.limits import source_of


class Transport:
    """What asyncio's transports answer for "peername" (a tuple, or None once closed)."""

    def __init__(self, peer: Any) -> None:
        self.peer = peer

    def get_extra_info(self, name: str) -> Any:
        return self.peer if name == "peername" else None


@pytest.mark.parametrize(
    ("peer", "key"),
    [
        (("192.168.1.23", 51000), "192.168.1.23"),
        (("::ffff:192.168.1.23", 51000, 0, 0), "192.168.1.23"),  # IPv4 seen through IPv6
        (("2001:db8:1:2:a:b:c:d", 51000, 0, 0), "2001:db8:1:2::/64"),
        (("fe80::1c2:3%wlan0", 51000, 0, 3), "fe80::/64"),  # a scoped link-local address
        (("not an address", 1), "local"),
        ("/run/some.sock", "local"),  # not a network peer
        (None, "local"),  # a closed transport
        ((), "local"),
    ],
)
def test_a_device_is_its_ipv4_address_or_its_ipv6_64(peer: Any, key: str) -> None:
    assert source_of(Transport(peer)) == key
    assert source_of(Transport(peer)) == key  # asked again (remembered), the same


def test_privacy_addresses_of_one_phone_are_one_device_and_neighbours_are_not() -> None:
    one = {source_of(Transport((f"2001:db8:1:2::{n:x}", 1, 0, 0))) for n in range(1, 300)}
    assert one == {"2001:db8:1:2::/64"}
    assert source_of(Transport(("2001:db8:1:3::1", 1, 0, 0))) != one.pop()
    v4 = {source_of(Transport((f"10.0.{n // 250}.{n % 250 + 1}", 1))) for n in range(5000)}
    assert len(v4) == 5000  # more devices than are remembered: each still its own
    assert source_of(Transport(None)) == "local" and source_of(None) == "local"
