"""Rate limits kept in memory: per participant, per device, and for the whole server.

A participant's bucket is keyed by their random id. So that one device cannot use up what
the whole room shares (joining again and again, or flooding joins), joins and writes also
have a bucket per device, keyed by the connection's source address (IPv4, or an IPv6 /64).
Those keys live in this process's memory only, for a few thousand devices at most: they are
never stored, logged or exported.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any


@dataclass
class Bucket:
    rate: float  # tokens per second
    burst: float
    tokens: float = -1.0
    stamp: float = 0.0

    def take(self, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        if self.tokens < 0:
            self.tokens, self.stamp = self.burst, now
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class Buckets:
    """One bucket per key, the least recently used forgotten beyond `size` keys."""

    def __init__(self, rate: float, burst: float, size: int = 5000):
        self.rate, self.burst, self.size = rate, burst, size
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    def take(self, key: str) -> bool:
        bucket = self._buckets.pop(key, None) or Bucket(self.rate, self.burst)
        self._buckets[key] = bucket
        while len(self._buckets) > self.size:
            self._buckets.popitem(last=False)
        return bucket.take()


def source_of(transport: Any) -> str:
    """The device a request came from, as a bucket key: its IPv4 address, or the /64 of
    an IPv6 address (privacy addresses change within it). In memory only."""
    peer = transport.get_extra_info("peername") if transport is not None else None
    if not peer or not isinstance(peer, tuple):
        return "local"
    return _device_key(str(peer[0]))


@functools.lru_cache(maxsize=4096)
def _device_key(host: str) -> str:
    """A peer address as a device key, remembered: every request asks, and parsing the
    address was a tenth of the event loop's own work per note (docs/performance.md). Like
    the buckets, in memory only, a few thousand devices at most."""
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return "local"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
