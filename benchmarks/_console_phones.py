"""Phones for the console benchmark: join, then post one note each over a spread of time.

    python benchmarks/_console_phones.py JOIN_URL COOKIE ACTIVITY --phones 200 --seconds 10

Prints one JSON object per acknowledged note: {"id": note id, "acked": time.monotonic()}
(CLOCK_MONOTONIC is shared by every process on Linux, so the console process can compare
it with the moment the note showed on its wall), then {"done": true, "errors": n}.

Each phone connects from its own loopback address (127.0.1.1, 127.0.1.2, …): in a room every
phone is its own device, and the server allows each device only a few joins a minute
(decision 014), so 200 phones from one address would be refused as a join flood.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import time
import uuid

import aiohttp


async def phone(
    http: aiohttp.ClientSession,
    join: str,
    cookie: str,
    activity: str,
    at: float,
    rng: random.Random,
) -> dict[str, object] | None:
    async with http.post(f"{join}/join", data={"group": "none"}, allow_redirects=False) as resp:
        await resp.read()
        if resp.status != 303 or cookie not in resp.cookies:
            return None
        pid = resp.cookies[cookie].value
    await asyncio.sleep(max(0.0, at - time.monotonic()))
    key = uuid.uuid4().hex
    words = rng.sample(["apps", "school", "trust", "police", "parents", "report", "help"], 3)
    body = {"key": key, "activity": activity, "text": f"{' '.join(words)} {key[:6]}"}
    async with http.post(
        f"{join}/api/notes", json=body, headers={"Cookie": f"{cookie}={pid}"}
    ) as r:
        data = await r.json()
        acked = time.monotonic()
        if r.status >= 300:
            return None
    return {"id": data["note"]["id"], "acked": acked}


async def main_async(args: argparse.Namespace) -> int:
    rng = random.Random(7)
    start = time.monotonic() + 1.0  # everyone has joined by then
    moments = sorted(start + rng.uniform(0, args.seconds) for _ in range(args.phones))
    errors = 0
    sessions = [
        aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=4, local_addr=(device_address(i), 0)),
            cookie_jar=aiohttp.DummyCookieJar(),
        )
        for i in range(args.phones)
    ]
    try:
        tasks = [
            phone(http, args.join, args.cookie, args.activity, at, rng)
            for http, at in zip(sessions, moments, strict=True)
        ]
        for done in asyncio.as_completed(tasks):
            try:
                result = await done
            except aiohttp.ClientError:
                result = None
            if result is None:
                errors += 1
                continue
            print(json.dumps(result), flush=True)
    finally:
        for http in sessions:
            await http.close()
    print(json.dumps({"done": True, "errors": errors}), flush=True)
    return 0


def device_address(i: int) -> str:
    """Phone ``i``'s own loopback address (Linux routes all of 127.0.0.0/8 to lo)."""
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("join")
    parser.add_argument("cookie")
    parser.add_argument("activity")
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=10.0)
    return asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    sys.exit(main())
