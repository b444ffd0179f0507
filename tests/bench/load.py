"""The asyncio load client of `make bench`: cadres as coroutines, each with its own
session cookie, talking plain HTTP to gunicorn; latencies per endpoint."""

import asyncio
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field

import aiohttp

from tests.reliability.servers import CSRF_SECRET, answer_for, attempt_page_facts, cookie_header

RETRIES = 5


def percentile(values, share):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@dataclass
class Stats:
    """Per endpoint: latencies (s), errors, and the wall-clock window of the phase."""

    latencies: dict = field(default_factory=lambda: defaultdict(list))
    errors: dict = field(default_factory=lambda: defaultdict(int))
    error_samples: list = field(default_factory=list)
    windows: dict = field(default_factory=dict)

    def record(self, name, started, ok, detail=""):
        now = time.perf_counter()
        self.latencies[name].append(now - started)
        first, _last = self.windows.get(name, (started, now))
        self.windows[name] = (min(first, started), now)
        if not ok:
            self.errors[name] += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{name}: {detail}"[:300])

    def row(self, name):
        values = self.latencies[name]
        first, last = self.windows.get(name, (0, 0))
        seconds = max(last - first, 1e-9)
        return {
            "endpoint": name,
            "requests": len(values),
            "seconds": round(seconds, 2),
            "throughput": round(len(values) / seconds, 1),
            "p50_ms": round(1000 * percentile(values, 0.50), 1) if values else None,
            "p95_ms": round(1000 * percentile(values, 0.95), 1) if values else None,
            "p99_ms": round(1000 * percentile(values, 0.99), 1) if values else None,
            "errors": self.errors[name],
        }


class Cadre:
    def __init__(self, http, base, *, exam_id, session, stats, acknowledged):
        self.http, self.base, self.exam_id, self.session = http, base, exam_id, session
        self.stats, self.acknowledged = stats, acknowledged
        # With the device cookie: without it every request would be a new phone, refused
        # as "the attempt is open on another device".
        self.cookies = cookie_header(session)
        self.attempt_id = None
        self.page = None
        self.seq = 0

    async def _request(self, name, method, path, *, ok_statuses, **kwargs):
        headers = kwargs.pop("headers", {})
        if not kwargs.pop("anonymous", False):
            headers.setdefault("Cookie", self.cookies)
        if method == "POST":
            headers.setdefault("X-CSRFToken", CSRF_SECRET)
        started = time.perf_counter()
        try:
            async with self.http.request(
                method, self.base + path, headers=headers, allow_redirects=False, **kwargs
            ) as response:
                body = await response.read()
                ok = response.status in ok_statuses
                self.stats.record(name, started, ok, f"{response.status} {body[:200]!r}")
                return response.status, response.headers, body
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.stats.record(name, started, False, repr(exc))
            return None, {}, b""

    async def start(self):
        """Start (or resume) the attempt: the answer is the attempt page itself."""
        status, _headers, body = await self._request(
            "start (POST)", "POST", f"/exams/{self.exam_id}/start/", ok_statuses={200}
        )
        if status != 200:
            return False
        self.page = attempt_page_facts(body.decode())
        self.attempt_id = self.page["attempt_id"]
        self.seq = self.page["next_seq"]
        return True

    async def reload(self):
        """The attempt page again, as a cadre who reloads it or comes back to it."""
        status, _headers, body = await self._request(
            "attempt page (GET)", "GET", f"/exams/attempts/{self.attempt_id}/", ok_statuses={200}
        )
        return status == 200

    async def save(self, position, *, name="answer save", path=None):
        kind, blanks = self.page["questions"][position]
        answer = answer_for(kind, blanks)
        seq = self.seq
        self.seq += 1
        body = json.dumps({"position": position, "answer": answer, "seq": seq})
        path = path or f"/exams/api/attempts/{self.attempt_id}/answers/"
        for _try in range(RETRIES):
            status, _headers, reply = await self._request(
                name,
                "POST",
                path,
                ok_statuses={200},
                data=body,
                # The token proves who writes; no cookie, so that the floor view (which
                # must not load a session or a user) gets exactly the same requests.
                anonymous=True,
                headers={
                    "X-Attempt-Token": self.page["token"],
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
            )
            if status == 200:
                if path.startswith("/exams/api/") and json.loads(reply)["ok"]:
                    key = (self.attempt_id, position)
                    previous = self.acknowledged.get(key, (0, None))
                    if seq > previous[0]:
                        self.acknowledged[key] = (seq, answer)
                return True
            if status is not None and status < 500:
                return False  # a refusal: retrying the same thing cannot help
            await asyncio.sleep(0.5)
        return False

    async def submit(self):
        status, headers, _ = await self._request(
            "submit (POST)",
            "POST",
            f"/exams/attempts/{self.attempt_id}/submit/",
            ok_statuses={302},
        )
        return status == 302


def connector(clients):
    return aiohttp.TCPConnector(limit=clients, limit_per_host=clients, force_close=False)


def client_session(clients, timeout=120):
    return aiohttp.ClientSession(
        connector=connector(clients),
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=timeout),
    )


async def storm(base, *, exam_id, sessions, ramp, think, stats, acknowledged) -> list:
    """Phase 1: every cadre starts within `ramp` seconds, then answers each question
    after `think` seconds (±50%), reloading the page once halfway. Returns the cadres
    whose attempt is open."""
    async with client_session(len(sessions)) as http:
        cadres = [
            Cadre(http, base, exam_id=exam_id, session=s, stats=stats, acknowledged=acknowledged)
            for s in sessions
        ]

        async def one(cadre):
            await asyncio.sleep(random.uniform(0, ramp))
            if not await cadre.start():
                return
            positions = sorted(cadre.page["questions"])
            for index, position in enumerate(positions):
                if index == len(positions) // 2:
                    # Halfway, the phone reloads the page (the browser was swapped out):
                    # the page comes back with the answers given so far.
                    await cadre.reload()
                await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))
                await cadre.save(position)

        await asyncio.gather(*(one(c) for c in cadres))
    return [c for c in cadres if c.page]


async def closed_loop(cadres, *, seconds, step):
    """Closed loop, no thinking: every cadre takes its next `step(cadre, index)` as soon
    as the last one is answered, for `seconds`."""
    async with client_session(len(cadres)) as http:
        deadline = time.perf_counter() + seconds
        for cadre in cadres:
            cadre.http = http

        async def loop(cadre):
            index = 0
            while time.perf_counter() < deadline:
                await step(cadre, index)
                index += 1

        await asyncio.gather(*(loop(c) for c in cadres))


async def saturate(cadres, *, seconds, name, floor):
    """Saves in a closed loop; the same clients for the answer save and the floor."""

    async def step(cadre, index):
        positions = sorted(cadre.page["questions"])
        position = positions[index % len(positions)]
        path = f"/bench/floor/{cadre.attempt_id}/" if floor else None
        await cadre.save(position, name=name, path=path)

    await closed_loop(cadres, seconds=seconds, step=step)


async def submit_all(cadres, *, double_share):
    """Everyone submits at once; some tap twice (the second submit must change nothing)."""
    async with client_session(len(cadres)) as http:
        for cadre in cadres:
            cadre.http = http

        async def one(cadre):
            if random.random() < double_share:
                await asyncio.gather(cadre.submit(), cadre.submit())
            else:
                await cadre.submit()

        await asyncio.gather(*(one(c) for c in cadres))
