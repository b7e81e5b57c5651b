"""Benchmark: the server under a region's users at once.

    .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 60] [--workers 2]
                                        [--database-url postgresql+psycopg://…]
                                        [--public-refresh-seconds 5]
                                        [--readers visitors|signed-in]

Starts ``jjj serve`` on a loopback port with the sample data (``jjj db init`` into a fresh
SQLite file, or into the PostgreSQL database given, which is emptied first), waits until every
worker is ready (``/readyz``: the start-up warm-up is done), then in the same run:

1. the ceiling: ``--clients`` concurrent clients request ``/healthz`` alone for ``--seconds``
   / 4 (the cheapest request the server has: what the machine, the server and this client can
   do at most);
2. the mix: the same clients for ``--seconds`` running a realistic mix of pages (总览, 供需对接,
   产业链, 项目库, 政策, 协同成效, a listing page), listing search, chain coverage and
   suggestions, matches of a listing, project statistics and flows, 协同成效 figures, policy
   search, and signed-in writes (publish a listing; open a deal and express 意向). The
   readers are visitors who are not signed in, or with ``--readers signed-in`` analysts
   signed in each to an account of their own (whose pages are never kept for others).

It prints requests/s, p50/p95/p99 per endpoint, errors and timeouts, and the ratio of the
mix's throughput to the ceiling. Targets (2 cores): 0 errors and 0 timeouts, p99 under 1 s
for every read endpoint, at least 100 requests/s. The client is asyncio + aiohttp in this
process and shares the machine with the server, so the ceiling measures both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import httpx

from jingjinji.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
JJJ = Path(sys.executable).with_name("jjj")
PASSWORD = "bench-password-2026"
TIMEOUT = 30.0
KIND_NAMES = {"achievement": "成果", "demand": "需求"}

Request = tuple[str, str]  # (endpoint label, path)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _prepare(env: dict[str, str], database_url: str, readers: int) -> None:
    """Sample data, two editors (a 保定 government office, a Beijing university) and
    ``readers`` analysts (``bench_reader0``, …)."""
    if database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(database_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run([str(JJJ), "db", "init"], env=env, check=True, capture_output=True)
    from jingjinji import auth
    from jingjinji.store import create_db_engine, make_session_factory

    engine = create_db_engine(database_url)
    with make_session_factory(engine)() as session:
        for name, kind, place, user in (
            ("保定市压测促进中心", "government", "130600", "bench_baoding"),
            ("北京压测大学", "university", "110108", "bench_beijing"),
        ):
            org = auth.create_organization(session, name=name, kind=kind, place_adcode=place)
            auth.create_user(
                session, username=user, password=PASSWORD, role="editor", organization=org
            )
        for number in range(readers):
            auth.create_user(
                session,
                username=f"bench_reader{number}",
                password=PASSWORD,
                role="analyst",
                organization=org,
            )
        session.commit()
    engine.dispose()


def _start(env: dict[str, str], base: str) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(JJJ), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode() if process.stderr else "exited")
    process.kill()
    raise RuntimeError("the server did not start within 120 s")


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> float:
    """Wait until ``/readyz`` answers 200 on 20 fresh connections in a row (each worker
    process answers for itself, and a new connection may reach any of them): the server has
    warmed its caches, as a load balancer would wait for before sending users. Returns the
    seconds waited."""
    start = time.monotonic()
    in_a_row = 0
    while in_a_row < 20:
        if time.monotonic() - start > 300:
            raise RuntimeError("the server was not ready within 300 s")
        if process.poll() is not None:
            raise RuntimeError("the server exited while warming up")
        with httpx.Client(timeout=10) as fresh:
            ready = fresh.get(f"{base}/readyz").status_code == 200
        in_a_row = in_a_row + 1 if ready else 0
        if not ready:
            time.sleep(0.5)
    return time.monotonic() - start


class Recorder:
    """Latencies (s) and errors per endpoint label."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.timeouts: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    async def call(
        self,
        session: aiohttp.ClientSession,
        label: str,
        method: str,
        path: str,
        **kwargs: Any,
    ) -> tuple[int, Any] | None:
        """Send one request, read its whole body and record it: ``(status, JSON or None)``,
        or None on a transport error or a timeout."""
        start = time.perf_counter()
        try:
            async with session.request(method, path, **kwargs) as response:
                body = await response.read()
                status = response.status
                is_json = response.content_type == "application/json"
        except TimeoutError:
            self.timeouts[label] += 1
            return None
        except aiohttp.ClientError as exc:
            self.errors[label] += 1
            self.samples.setdefault(label, repr(exc))
            return None
        self.times[label].append(time.perf_counter() - start)
        if status >= 400:
            self.errors[label] += 1
            self.samples.setdefault(label, f"{status} {body[:200].decode(errors='replace')}")
        return status, (json.loads(body) if is_json and body else None)

    def total(self) -> int:
        return sum(len(t) for t in self.times.values()) + sum(self.errors.values())


def _weighted(rng: random.Random, table: list[tuple[float, Callable[[], Request]]]) -> Request:
    total = sum(w for w, _ in table)
    x = rng.random() * total
    for weight, make in table:
        x -= weight
        if x <= 0:
            return make()
    return table[-1][1]()


def _session(base: str, connections: int) -> aiohttp.ClientSession:
    """One client: keep-alive connections to ``base``, its own cookie jar."""
    return aiohttp.ClientSession(
        base_url=base,
        connector=aiohttp.TCPConnector(limit=connections, force_close=False),
        timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies for 127.0.0.1
    )


async def _sign_in(session: aiohttp.ClientSession, username: str) -> str:
    async with session.post(
        "/api/auth/login", json={"username": username, "password": PASSWORD}
    ) as response:
        response.raise_for_status()
    async with session.get("/login") as page:
        found = re.search(r'name="csrf_token" value="([^"]+)"', await page.text())
    assert found, "no CSRF token on /login"
    return found.group(1)


async def _ceiling(base: str, clients: int, seconds: float) -> tuple[Recorder, float]:
    recorder = Recorder()
    async with _session(base, clients) as session:
        end = time.perf_counter() + seconds

        async def one() -> None:
            while time.perf_counter() < end:
                await recorder.call(session, "GET /healthz", "GET", "/healthz")

        start = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(clients)))
        elapsed = time.perf_counter() - start
    return recorder, elapsed


async def _mix(
    base: str,
    clients: int,
    seconds: float,
    listing_ids: list[int],
    segment: str,
    *,
    signed_in: bool = False,
) -> tuple[Recorder, float]:
    recorder = Recorder()
    rng = random.Random(2026)
    queries = ["电解槽", "膜电极", "工业机器人", "集成电路", "锂离子电池", "减速器", "储氢"]
    places = ["130600", "120000", "130100", "130200", "110000"]
    industries = ["hydrogen", "robotics", "integrated-circuits", "nev-icv", "biomedicine"]

    def pick() -> int:
        return listing_ids[rng.randrange(len(listing_ids))]

    reads: list[tuple[float, Callable[[], Request]]] = [
        (6, lambda: ("页面 /", "/")),
        (6, lambda: ("页面 /market", "/market")),
        (5, lambda: ("页面 /chains/{slug}", f"/chains/{rng.choice(industries)}")),
        (4, lambda: ("页面 /projects", "/projects")),
        (3, lambda: ("页面 /policies", "/policies")),
        (3, lambda: ("页面 /loop", "/loop")),
        (6, lambda: ("页面 /market/listings/{id}", f"/market/listings/{pick()}")),
        (12, lambda: ("GET /api/listings?q=", f"/api/listings?q={rng.choice(queries)}")),
        (6, lambda: ("GET /api/listings", "/api/listings?kind=demand")),
        (
            8,
            lambda: (
                "GET /api/industries/{slug}/coverage",
                f"/api/industries/{rng.choice(industries)}/coverage?place={rng.choice(places)}",
            ),
        ),
        (
            6,
            lambda: (
                "GET /api/industries/{slug}/suggestions",
                f"/api/industries/{rng.choice(industries)}/suggestions?place={rng.choice(places)}",
            ),
        ),
        (12, lambda: ("GET /api/listings/{id}/matches", f"/api/listings/{pick()}/matches")),
        (4, lambda: ("GET /api/projects/stats", "/api/projects/stats")),
        (3, lambda: ("GET /api/projects/flows", "/api/projects/flows")),
        (3, lambda: ("GET /api/loop", "/api/loop")),
        (3, lambda: ("GET /api/policies/search", f"/api/policies/search?q={rng.choice(queries)}")),
        (2, lambda: ("GET /api/market/statistics", "/api/market/statistics")),
    ]
    end = time.perf_counter() + seconds
    counter = iter(range(10**9))

    async def reader(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < end:
            label, path = _weighted(rng, reads)
            await recorder.call(session, label, "GET", path)

    async def writer(username: str, kind: str, place: str) -> None:
        async with _session(base, 1) as client:
            token = await _sign_in(client, username)
            headers = {"X-CSRF-Token": token}
            mine: list[int] = []
            while time.perf_counter() < end:
                n = next(counter)
                body = {
                    "kind": kind,
                    "status": "published",
                    "title": f"压测{KIND_NAMES[kind]}{n}：膜电极批量制备",
                    "summary": "膜电极与质子交换膜的批量制备、催化剂涂布与电堆集成。",
                    "keywords": ["膜电极", "质子交换膜", "催化剂涂布"],
                    "segments": [segment],
                    "place_adcode": place,
                    "stage": "中试",
                    "contact": "压测联系人（示例）",
                }
                made = await recorder.call(
                    client,
                    "POST /api/listings（发布）",
                    "POST",
                    "/api/listings",
                    json=body,
                    headers=headers,
                )
                if made is not None and made[0] == 201:
                    mine.append(int(made[1]["id"]))
                if kind == "demand" and mine:
                    demand = mine[-1]
                    matches = await recorder.call(
                        client,
                        "GET /api/listings/{id}/matches（新需求）",
                        "GET",
                        f"/api/listings/{demand}/matches?top=3",
                    )
                    data = matches[1].get("data", []) if matches and matches[0] == 200 else []
                    if data:
                        pair = {"demand_id": demand, "achievement_id": data[0]["listing"]["id"]}
                        opened = await recorder.call(
                            client,
                            "POST /api/matches（打开对接）",
                            "POST",
                            "/api/matches",
                            json=pair,
                            headers=headers,
                        )
                        if opened is not None and opened[0] in (200, 201):
                            await recorder.call(
                                client,
                                "POST /api/matches/{id}/transitions（意向）",
                                "POST",
                                f"/api/matches/{opened[1]['id']}/transitions",
                                json={"to": "意向"},
                                headers=headers,
                            )
                await asyncio.sleep(0.5)  # an editor types between writes

    writers = [
        writer("bench_beijing", "achievement", "110108"),
        writer("bench_baoding", "demand", "130600"),
    ]
    readers = _readers(clients)
    if not signed_in:  # visitors: one client with a connection per reader
        async with _session(base, readers) as session:
            start = time.perf_counter()
            await asyncio.gather(*writers, *(reader(session) for _ in range(readers)))
            return recorder, time.perf_counter() - start
    # signed in: each reader an analyst of their own in a browser of their own
    browsers = [_session(base, 1) for _ in range(readers)]
    try:
        await asyncio.gather(
            *(_sign_in(browser, f"bench_reader{n}") for n, browser in enumerate(browsers))
        )
        end = time.perf_counter() + seconds  # the mix's time starts once all are signed in
        start = time.perf_counter()
        await asyncio.gather(*writers, *(reader(browser) for browser in browsers))
        return recorder, time.perf_counter() - start
    finally:
        for browser in browsers:
            await browser.close()


def _readers(clients: int) -> int:
    """How many of the mix's clients read: all but the two editors who write."""
    return max(clients - 2, 1)


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _report(title: str, recorder: Recorder, elapsed: float) -> float:
    rate = recorder.total() / elapsed
    print(f"\n## {title}: {recorder.total():,} requests in {elapsed:.1f} s = {rate:,.1f} req/s")
    print(
        f"{'endpoint':46} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'err':>4} {'t/o':>4}"
    )
    labels = sorted(set(recorder.times) | set(recorder.errors) | set(recorder.timeouts))
    for label in labels:
        times = recorder.times.get(label, [])
        print(
            f"{label:46} {len(times):>6} {1000 * statistics.median(times) if times else 0:>8.1f}"
            f" {1000 * _pct(times, 0.95):>8.1f} {1000 * _pct(times, 0.99):>8.1f}"
            f" {recorder.errors.get(label, 0):>4} {recorder.timeouts.get(label, 0):>4}"
        )
    for label, sample in recorder.samples.items():
        print(f"  first error of {label}: {sample}")
    return rate


def _listing_ids(base: str) -> tuple[list[int], str]:
    ids: list[int] = []
    for kind in ("demand", "achievement"):
        page = httpx.get(f"{base}/api/listings", params={"kind": kind, "limit": 100}, timeout=60)
        page.raise_for_status()
        ids.extend(int(item["id"]) for item in page.json()["data"])
    industry = httpx.get(f"{base}/api/industries/hydrogen", timeout=60).json()
    return ids, industry["segments"][0]["slug"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--database-url", default="", help="PostgreSQL URL (emptied first)")
    parser.add_argument(
        "--public-refresh-seconds",
        type=float,
        default=Settings.model_fields["public_refresh_seconds"].default,
        help="JJJ_PUBLIC_REFRESH_SECONDS of the server (the setting's default unless given; "
        "0: visitors' answers always computed anew)",
    )
    parser.add_argument(
        "--readers",
        choices=("visitors", "signed-in"),
        default="visitors",
        help="who reads: visitors (not signed in, the default) or signed-in analysts, one "
        "account and browser each, whose pages are never kept",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jjj-load-") as tmp:
        database_url = args.database_url or f"sqlite:///{Path(tmp) / 'load.sqlite3'}"
        port = _free_port()
        env = dict(
            os.environ,
            JJJ_DATABASE_URL=database_url,
            JJJ_HOST="127.0.0.1",
            JJJ_PORT=str(port),
            JJJ_LOG_LEVEL="warning",
            JJJ_WORKERS=str(args.workers),
            JJJ_PUBLIC_REFRESH_SECONDS=str(args.public_refresh_seconds),
        )
        print(
            f"database: {database_url.split('@')[-1]}; server workers: {args.workers}; "
            f"JJJ_PUBLIC_REFRESH_SECONDS={args.public_refresh_seconds:g}; readers: {args.readers}"
        )
        print(
            f"clients: {args.clients}; mix: {args.seconds:.0f} s; ceiling: {args.seconds / 4:.0f} s"
        )
        _prepare(env, database_url, _readers(args.clients))
        base = f"http://127.0.0.1:{port}"
        server = _start(env, base)
        try:
            print(f"ready (caches warmed, /readyz) after {_wait_ready(base, server):.1f} s")
            ids, segment = _listing_ids(base)
            ceiling, t_ceiling = asyncio.run(_ceiling(base, args.clients, args.seconds / 4))
            rate_ceiling = _report("ceiling: /healthz alone", ceiling, t_ceiling)
            mix, t_mix = asyncio.run(
                _mix(
                    base,
                    args.clients,
                    args.seconds,
                    ids,
                    segment,
                    signed_in=args.readers == "signed-in",
                )
            )
            rate_mix = _report("mix", mix, t_mix)
        finally:
            server.terminate()
            server.wait(timeout=30)
    reads = [label for label in mix.times if not label.startswith("POST")]
    worst = max((_pct(mix.times[label], 0.99) for label in reads), default=float("nan"))
    errors = sum(mix.errors.values())
    timeouts = sum(mix.timeouts.values())
    print(
        f"\nmix / ceiling throughput: {rate_mix:,.1f} / {rate_ceiling:,.1f} req/s = "
        f"{rate_mix / rate_ceiling:.3f}"
    )
    print(f"errors: {errors}; timeouts: {timeouts}; worst read p99: {1000 * worst:.0f} ms")
    ok = errors == 0 and timeouts == 0 and worst < 1.0 and rate_mix >= 100
    print(
        "targets (0 errors, 0 timeouts, read p99 < 1 s, >= 100 req/s):", "met" if ok else "NOT met"
    )


if __name__ == "__main__":
    main()
