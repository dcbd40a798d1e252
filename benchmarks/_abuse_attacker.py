"""The attacker of benchmarks/abuse.py, in a process of its own, from one device
(127.0.0.2).

    python benchmarks/_abuse_attacker.py KIND PORT TOKEN SECONDS COUNT

KIND: idle (COUNT half-open connections, reopened when closed), slowloris (COUNT senders
trickling a header line a second), streams (one participant opening COUNT live-update
streams), flood (COUNT loops joining as fast as they can). Prints one JSON line of counts.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

SOURCE = "127.0.0.2"
stats = {"opened": 0, "closed_by_server": 0, "requests": 0, "refused": 0}


def join_request(token: str) -> bytes:
    body = b"group=none"
    head = (
        f"POST /j/{token}/join HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


async def connect(port: int) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(SOURCE, 0))
    stats["opened"] += 1
    return reader, writer


async def hold(port: int, first: bytes, trickle: float | None, seconds: float) -> None:
    """Keep a connection that never finishes its request; reopen it when it is closed."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            reader, writer = await connect(port)
            writer.write(first)
            await writer.drain()
            while time.monotonic() < end:
                if trickle is None:
                    left = end - time.monotonic()
                    if not await asyncio.wait_for(reader.read(1024), left):
                        stats["closed_by_server"] += 1
                        break
                else:
                    await asyncio.sleep(trickle)
                    writer.write(b"X-Slow: 1\r\n")
                    await writer.drain()
            writer.close()
        except TimeoutError:
            pass
        except OSError:
            stats["closed_by_server"] += 1
            await asyncio.sleep(0.05)


async def stream(port: int, token: str, cookie: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    request = f"GET /j/{token}/events HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n\r\n".encode()
    while time.monotonic() < end:
        try:
            reader, writer = await connect(port)
            writer.write(request)
            await writer.drain()
            stats["requests"] += 1
            while time.monotonic() < end:
                if not await asyncio.wait_for(reader.read(4096), end - time.monotonic()):
                    stats["closed_by_server"] += 1
                    break
            writer.close()
        except TimeoutError:
            pass
        except OSError:
            stats["closed_by_server"] += 1
            await asyncio.sleep(0.05)


async def flood(port: int, token: str, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            reader, writer = await connect(port)
            writer.write(join_request(token))
            await writer.drain()
            head = await reader.read(64)
            stats["requests"] += 1
            stats["refused"] += head.startswith(b"HTTP/1.1 429")
            writer.close()
        except OSError:
            await asyncio.sleep(0.01)


async def joined_cookie(port: int, token: str) -> str:
    reader, writer = await connect(port)
    writer.write(join_request(token))
    await writer.drain()
    head = (await reader.read(4096)).decode()
    writer.close()
    line = next(x for x in head.split("\r\n") if x.lower().startswith("set-cookie:"))
    return line.split(":", 1)[1].strip().split(";", 1)[0]


async def main() -> None:
    kind, port, token = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seconds, count = float(sys.argv[4]), int(sys.argv[5])
    if kind == "idle":
        tasks = [hold(port, b"GET / HTTP/1.1\r\nHost: x\r\n", None, seconds) for _ in range(count)]
    elif kind == "slowloris":
        tasks = [hold(port, b"GET / HTTP/1.1\r\n", 1.0, seconds) for _ in range(count)]
    elif kind == "streams":
        cookie = await joined_cookie(port, token)
        tasks = [stream(port, token, cookie, seconds) for _ in range(count)]
    else:
        tasks = [flood(port, token, seconds) for _ in range(count)]
    await asyncio.gather(*tasks)
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
