"""Benchmark the production server (`antrean serve`) with hundreds of live Socket.IO clients.

Why a script and not a test: the figures depend on the machine and its load; they are measured,
written down in docs/PERFORMANCE.md, and compared with the targets of issue 2 by a person.

What it does, all on 127.0.0.1: a temporary SQLite database loaded by `antrean demo`; `antrean
serve` (gunicorn gthread, the real server) on a free port; N display and counter-console clients
(python-socketio's asyncio client, WebSocket only) in this process. Then:

1. ticket issue, open loop at a target rate and closed loop at full speed (in a child process,
   so the flood of Socket.IO messages arriving here does not delay its clock);
2. call-next -> `call` received at every connected display and at the consoles of that agency,
   timed from the moment the request leaves to the moment each client's handler runs;
3. RSS of the gunicorn process tree: idle, with the clients connected, at the end.

Every loop is bounded in count and in time; the server is stopped at the end, whatever happens.
Run: .venv/bin/python benchmarks/bench_server.py --help
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

import aiohttp
import psutil
import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: tests.support's LiveServer starts the server as the suite does
from tests.support import LiveServer  # noqa: E402
KIOSK_TOKEN = "dev_demo-kiosk"
DISPLAY_TOKEN = "dev_demo-display"
DEMO_PASSWORD = "demo-antrean"
HTTP_TIMEOUT = 10.0  # seconds; a request slower than this counts as a timeout
MAX_RUN_S = 600.0  # client processes give up waiting for the end of the run after this
MiB = 1024 * 1024


# -- figures --------------------------------------------------------------------------------------

def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile of an ascending list (p in 0..100); NaN when empty."""
    if not sorted_values:
        return math.nan
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def summary_ms(seconds: list[float]) -> dict[str, float]:
    """n, p50/p90/p99/max and mean of durations given in seconds, in milliseconds."""
    values = sorted(s * 1000 for s in seconds)
    return {"n": len(values), "p50": percentile(values, 50), "p90": percentile(values, 90),
            "p99": percentile(values, 99), "max": values[-1] if values else math.nan,
            "mean": sum(values) / len(values) if values else math.nan}


def latency_row(name: str, s: dict[str, float]) -> str:
    """One line of a latency table."""
    return (f"  {name:<40} n={s['n']:<6} p50={s['p50']:7.1f}  p90={s['p90']:7.1f}  "
            f"p99={s['p99']:7.1f}  max={s['max']:7.1f} ms")


# -- the server under test --------------------------------------------------------------------------

class Server(LiveServer):
    """`antrean serve` (gunicorn, one gthread worker) on a temporary SQLite database, measured.

    It reads a copy of config.toml in the temporary folder, so the files the hall's configuration
    names relative to itself (speech cache, ticket folder) land there and not in the repository.
    """

    @classmethod
    def in_folder(cls, workdir: Path) -> Server:
        """A server whose database, configuration copy and log live in `workdir`."""
        shutil.copy(ROOT / "config.toml", workdir / "config.toml")
        return cls(f"sqlite:///{workdir / 'bench.db'}", workdir)

    def env(self) -> dict[str, str]:
        return {**super().env(), "ANTREAN_CONFIG": str(self.workdir / "config.toml")}

    def load_demo(self) -> None:
        """`antrean demo`: schema, the demo hall open round the clock, demo accounts and devices."""
        subprocess.run([sys.executable, "-m", "queue_server.entrypoints.cli", "demo"], env=self.env(), check=True,
                       stdout=subprocess.DEVNULL, timeout=120)

    def processes(self) -> list[psutil.Process]:
        """The gunicorn master and its worker(s)."""
        assert self.proc is not None
        master = psutil.Process(self.proc.pid)
        return [master, *master.children(recursive=True)]

    def rss_mib(self) -> float:
        """Resident memory of the whole server process tree."""
        return sum(p.memory_info().rss for p in self.processes()) / MiB

    def cpu_seconds(self) -> float:
        """User + system CPU time the server tree has used so far."""
        return sum(p.cpu_times().user + p.cpu_times().system for p in self.processes())

    def threads(self) -> int:
        """Threads in the server tree (gthread: one per open WebSocket, plus a writer each)."""
        return sum(p.num_threads() for p in self.processes())


# -- ticket issue load (runs in a child process) ----------------------------------------------------

def service_plan(budgets: dict[str, int | None], n: int) -> list[str]:
    """n service codes, round robin over all services, none beyond its remaining daily quota."""
    left = dict(budgets)
    plan: list[str] = []
    for code in itertools.cycle(list(left)):
        if len(plan) == n or not any(v is None or v > 0 for v in left.values()):
            break
        if left[code] is None or left[code] > 0:  # type: ignore[operator]
            plan.append(code)
            if left[code] is not None:
                left[code] -= 1  # type: ignore[operator]
    return plan


async def _issue(session: aiohttp.ClientSession, url: str, service: str) -> tuple[int | str, float]:
    """POST one ticket with its Idempotency-Key, as the kiosk page sends it; (status or error name,
    seconds from send to full response)."""
    t0 = time.perf_counter()
    try:
        async with session.post(url, json={"service": service}, headers={"Idempotency-Key": secrets.token_hex(12)}) as r:
            await r.read()
            return r.status, time.perf_counter() - t0
    except TimeoutError:
        return "timeout", time.perf_counter() - t0
    except aiohttp.ClientError as exc:
        return type(exc).__name__, time.perf_counter() - t0


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(headers={"Authorization": f"Bearer {KIOSK_TOKEN}"},
                                 timeout=aiohttp.ClientTimeout(total=HTTP_TIMEOUT),
                                 connector=aiohttp.TCPConnector(limit=256))


async def _open_loop(base: str, plan: list[str], rate: float) -> dict[str, Any]:
    """Send plan[i] at start + i/rate whatever the answers; latency counts from the scheduled time."""
    url = base + "/api/v1/tickets"

    async def one(i: int, start: float) -> tuple[int | str, float, float]:
        scheduled = start + i / rate
        await asyncio.sleep(max(0.0, scheduled - time.perf_counter()))
        lag = time.perf_counter() - scheduled
        status, took = await _issue(session, url, plan[i])
        return status, took, lag + took

    async with _session() as session:
        start = time.perf_counter() + 0.2
        results = await asyncio.gather(*(one(i, start) for i in range(len(plan))))
        elapsed = time.perf_counter() - start
    ok = [r for r in results if r[0] == 201]
    return {"target_rate": rate, "sent": len(plan), "elapsed_s": elapsed, "ok": len(ok),
            "achieved_rate": len(ok) / elapsed, "statuses": dict(Counter(str(r[0]) for r in results)),
            "latency": summary_ms([r[1] for r in ok]), "latency_from_schedule": summary_ms([r[2] for r in ok])}


async def _closed_loop(base: str, services: list[str], workers: int, seconds: float) -> dict[str, Any]:
    """`workers` clients each issuing back to back for `seconds`: the most the server sustains."""
    url = base + "/api/v1/tickets"
    cap = int(seconds * 2000)  # a bound on the number of requests, far above what 2 cores serve
    results: list[tuple[int | str, float]] = []
    counter = itertools.count()

    async def worker(deadline: float) -> None:
        while time.perf_counter() < deadline:
            i = next(counter)
            if i >= cap:
                return
            results.append(await _issue(session, url, services[i % len(services)]))

    async with _session() as session:
        start = time.perf_counter()
        await asyncio.gather(*(worker(start + seconds) for _ in range(workers)))
        elapsed = time.perf_counter() - start
    ok = [r for r in results if r[0] == 201]
    return {"workers": workers, "elapsed_s": elapsed, "ok": len(ok), "throughput": len(ok) / elapsed,
            "statuses": dict(Counter(str(r[0]) for r in results)), "latency": summary_ms([r[1] for r in ok])}


def run_issue_load(base: str, budgets: dict[str, int | None], rate: float, seconds: float,
                   closed_workers: int, closed_seconds: float) -> dict[str, Any]:
    """Open loop then closed loop; an entry point for the child process."""
    plan = service_plan(budgets, int(rate * seconds))
    unlimited = [code for code, left in budgets.items() if left is None]
    return {"open": asyncio.run(_open_loop(base, plan, rate)),
            "closed": asyncio.run(_closed_loop(base, unlimited, closed_workers, closed_seconds))}


# -- Socket.IO clients -----------------------------------------------------------------------------

@dataclass
class Client:
    """One connected screen or console and the `call` events it received (ticket id -> time)."""

    kind: str  # "display" or "counter"
    agency: str | None
    sio: socketio.AsyncClient
    calls: dict[str, float] = field(default_factory=dict)
    state: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass
class Fleet:
    """The clients of one process, and what went wrong while connecting or later."""

    clients: list[Client] = field(default_factory=list)
    connect_errors: Counter[str] = field(default_factory=Counter)
    disconnects: Counter[str] = field(default_factory=Counter)  # by reason, before the end of the run
    connect_times: list[float] = field(default_factory=list)

    async def connect(self, base: str, kind: str, auth: dict[str, str], agency: str | None,
                      timeout: float) -> None:
        """Connect one client on /display or /counter and wait for its `state`."""
        namespace = f"/{kind}"
        sio = socketio.AsyncClient(reconnection=False)
        client = Client(kind, agency, sio)

        def on_call(data: dict[str, Any]) -> None:
            client.calls.setdefault(data["ticket"]["id"], time.perf_counter())

        def on_disconnect(reason: str = "?") -> None:
            self.disconnects[str(reason)] += 1

        sio.on("call", on_call, namespace=namespace)
        sio.on("state", lambda *_: client.state.set(), namespace=namespace)
        sio.on("disconnect", on_disconnect, namespace=namespace)
        t0 = time.perf_counter()
        try:
            await asyncio.wait_for(self._connect(sio, base, namespace, auth, client), timeout)
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported, none hidden
            self.connect_errors[type(exc).__name__] += 1
            await sio.disconnect()
            return
        self.connect_times.append(time.perf_counter() - t0)
        self.clients.append(client)

    @staticmethod
    async def _connect(sio: socketio.AsyncClient, base: str, namespace: str, auth: dict[str, str],
                       client: Client) -> None:
        await sio.connect(base, namespaces=[namespace], transports=["websocket"], auth=auth, wait_timeout=10)
        await client.state.wait()

    async def close(self) -> None:
        """Disconnect everybody (bounded: each disconnect has 5 s)."""
        async def one(c: Client) -> None:
            try:
                await asyncio.wait_for(c.sio.disconnect(), 5)
            except Exception:  # noqa: BLE001 - the server is about to stop anyway
                pass
        await asyncio.gather(*(one(c) for c in self.clients))


Job = tuple[str, dict[str, str], str | None]  # kind ("display" or "counter"), auth, agency


def client_jobs(displays: int, consoles: int, counters: list[dict[str, Any]], tokens: dict[str, str]) -> list[Job]:
    """The displays (hall-wide device token) and the consoles, round robin over the counters."""
    jobs: list[Job] = [("display", {"token": DISPLAY_TOKEN}, None)] * displays
    for i in range(consoles):
        c = counters[i % len(counters)]
        agency = c["agency"]["code"]
        jobs.append(("counter", {"token": tokens[agency], "counter": c["code"]}, agency))
    return jobs


async def _client_group(base: str, jobs: list[Job], parallel: int, conn: Connection) -> None:
    fleet = Fleet()
    gate = asyncio.Semaphore(parallel)

    async def one(kind: str, auth: dict[str, str], agency: str | None) -> None:
        async with gate:
            await fleet.connect(base, kind, auth, agency, timeout=30)

    t0 = time.perf_counter()
    await asyncio.gather(*(one(*job) for job in jobs))
    conn.send({"total_s": time.perf_counter() - t0, "times": fleet.connect_times, "errors": dict(fleet.connect_errors)})
    await asyncio.get_running_loop().run_in_executor(None, conn.poll, MAX_RUN_S)  # until the run says stop
    conn.send({"receipts": [(c.kind, c.agency, c.calls) for c in fleet.clients],
               "disconnects": dict(fleet.disconnects)})
    await fleet.close()


def client_group(base: str, jobs: list[Job], parallel: int, conn: Connection) -> None:
    """Entry point of one client process: connect, report, keep receiving until told to stop."""
    asyncio.run(_client_group(base, jobs, parallel, conn))


class ClientGroups:
    """The clients spread over a few processes, so no single event loop has to run every handler
    of a broadcast one after the other (that alone adds ~0.1 ms per client to the last one's time).

    Receipts are read from time.perf_counter, CLOCK_MONOTONIC on Linux: one clock for every
    process of the machine, the one the call requests are timed with.
    """

    def __init__(self, base: str, jobs: list[Job], procs: int, parallel: int) -> None:
        ctx = get_context("spawn")
        self.pipes: list[Connection] = []
        self.procs: list[BaseProcess] = []
        for i in range(procs):
            here, there = ctx.Pipe()
            proc = ctx.Process(target=client_group, args=(base, jobs[i::procs], parallel, there), daemon=True)
            proc.start()
            self.pipes.append(here)
            self.procs.append(proc)

    async def _recv_all(self, timeout: float) -> list[dict[str, Any]]:
        loop = asyncio.get_running_loop()

        def recv(pipe: Connection) -> dict[str, Any]:
            if not pipe.poll(timeout):
                raise TimeoutError("a client process did not answer")
            return pipe.recv()

        return await asyncio.gather(*(loop.run_in_executor(None, recv, p) for p in self.pipes))

    async def connected(self) -> dict[str, Any]:
        """Wait until every process has connected its clients; their connect figures."""
        reports = await self._recv_all(120)
        times = [t for r in reports for t in r["times"]]
        errors: Counter[str] = Counter()
        for r in reports:
            errors.update(r["errors"])
        return {"clients": len(times), "total_s": max(r["total_s"] for r in reports),
                "per_client": summary_ms(times), "errors": dict(errors)}

    async def finish(self) -> tuple[list[tuple[str, str | None, dict[str, float]]], dict[str, int]]:
        """Stop the processes; every client's `call` receipts and the drops by reason."""
        for pipe in self.pipes:
            pipe.send("stop")
        reports = await self._recv_all(60)
        for proc in self.procs:
            proc.join(30)
        drops: Counter[str] = Counter()
        for r in reports:
            drops.update(r["disconnects"])
        return [c for r in reports for c in r["receipts"]], dict(drops)

    def cpu_seconds(self) -> float:
        """CPU time the client processes have used so far."""
        total = 0.0
        for proc in self.procs:
            times = psutil.Process(proc.pid).cpu_times()
            total += times.user + times.system
        return total


# -- calls ---------------------------------------------------------------------------------------

async def make_calls(base: str, counters: list[dict[str, Any]], tokens: dict[str, str], calls: int, rate: float,
                     settle: float) -> tuple[list[tuple[str, float, float, str]], dict[str, int]]:
    """`calls` call-next requests round robin over the counters at `rate`/s, each followed by finish.

    Returns (ticket id, time sent, time answered, agency) per call, and the HTTP statuses. Waits
    `settle` seconds after the last one for late deliveries.
    """
    sent: list[tuple[str, float, float, str]] = []
    statuses: Counter[str] = Counter()

    async def one(i: int, start: float) -> None:
        c = counters[i % len(counters)]
        await asyncio.sleep(max(0.0, start + i / rate - time.perf_counter()))
        headers = {"Authorization": f"Bearer {tokens[c['agency']['code']]}"}
        url = f"{base}/api/v1/counters/{c['code']}"
        t0 = time.perf_counter()
        try:
            async with session.post(url + "/call-next", headers=headers) as r:
                body = await r.json() if r.status == 200 else None
                statuses[f"call-next {r.status}"] += 1
            t1 = time.perf_counter()
            if body:
                sent.append((body["id"], t0, t1, c["agency"]["code"]))
                async with session.post(url + "/finish", headers=headers) as r:
                    statuses[f"finish {r.status}"] += 1
        except (TimeoutError, aiohttp.ClientError) as exc:
            statuses[f"error {type(exc).__name__}"] += 1

    # One counter may be called again only after its finish: one round over the counters at a time.
    timeout = aiohttp.ClientTimeout(total=HTTP_TIMEOUT)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        start = time.perf_counter()
        for first in range(0, calls, len(counters)):
            await asyncio.gather(*(one(i, start) for i in range(first, min(calls, first + len(counters)))))
        await asyncio.sleep(settle)
    return sent, dict(statuses)


def call_figures(sent: list[tuple[str, float, float, str]],
                 receipts: list[tuple[str, str | None, dict[str, float]]]) -> dict[str, Any]:
    """Delivery latency = a client's handler time minus the time its call-next request left.

    A display, or a console of the called counter's agency, without the call counts as a missed
    delivery, dropped clients included.
    """
    displays = [calls for kind, _, calls in receipts if kind == "display"]
    to_display, to_console, spread = [], [], []
    missed_display = missed_console = 0
    for ticket_id, t0, _, agency in sent:
        got = [d[ticket_id] for d in displays if ticket_id in d]
        missed_display += len(displays) - len(got)
        to_display += [t - t0 for t in got]
        if got:
            spread.append(max(got) - min(got))
        mine = [calls for kind, a, calls in receipts if kind == "counter" and a == agency]
        got_console = [k[ticket_id] for k in mine if ticket_id in k]
        missed_console += len(mine) - len(got_console)
        to_console += [t - t0 for t in got_console]
    return {"calls": len(sent), "call_next_http": summary_ms([t1 - t0 for _, t0, t1, _ in sent]),
            "to_display": summary_ms(to_display), "to_console": summary_ms(to_console),
            "first_to_last_display": summary_ms(spread),
            "missed_display_deliveries": missed_display, "missed_console_deliveries": missed_console}


# -- the run --------------------------------------------------------------------------------------

def sign_in(base: str, agencies: list[str]) -> dict[str, str]:
    """A bearer token per agency (its demo officer) plus the admin's under "*"."""
    tokens = {}
    for agency, user in [("*", "admin"), *((a, f"petugas.{a.lower()}") for a in agencies)]:
        r = requests.post(base + "/api/v1/auth/token", json={"username": user, "password": DEMO_PASSWORD},
                          timeout=HTTP_TIMEOUT)
        r.raise_for_status()
        tokens[agency] = r.json()["token"]
    return tokens


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


@dataclass
class Phase:
    """Wall time, server CPU and the client processes' CPU of one phase.

    Both share the machine's cores: clients near 100% of a core would mean the clients, not only
    the server, set the delivery latencies measured.

    With a profile folder, py-spy samples the gunicorn worker for the phase's length and leaves
    collapsed stacks (flamegraph input, greppable) in <folder>/<name>.txt. It samples the thread
    holding the GIL only: the worker has hundreds of threads and one GIL.
    """

    server: Server
    clients: ClientGroups
    name: str
    profile_dir: Path | None = None
    t0: float = 0.0
    cpu0: float = 0.0
    client_cpu0: float = 0.0
    spy: subprocess.Popen[bytes] | None = None
    result: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> Phase:
        if self.profile_dir:
            worker = self.server.processes()[-1].pid
            spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
            self.spy = subprocess.Popen([spy or "py-spy", "record", "--pid", str(worker), "--rate", "100", "--gil",
                                         "--format", "raw", "--nonblocking",
                                         "-o", str(self.profile_dir / f"{self.name}.txt")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.t0, self.cpu0 = time.perf_counter(), self.server.cpu_seconds()
        self.client_cpu0 = self.clients.cpu_seconds()
        return self

    def __exit__(self, *_: Any) -> None:
        wall = time.perf_counter() - self.t0
        cpu = self.server.cpu_seconds() - self.cpu0
        self.result = {"wall_s": wall, "server_cpu_s": cpu, "server_cpu_pct": 100 * cpu / wall,
                       "client_cpu_pct": 100 * (self.clients.cpu_seconds() - self.client_cpu0) / wall}
        if self.spy:
            self.spy.send_signal(signal.SIGINT)  # py-spy writes its file on Ctrl-C
            self.spy.wait(30)


async def bench(args: argparse.Namespace, server: Server) -> dict[str, Any]:
    """All phases against a started server; returns every figure."""
    base = server.url
    out: dict[str, Any] = {"load_average_before": load_average(), "cpus": os.cpu_count()}
    await asyncio.sleep(1.0)
    out["rss_idle_mib"] = server.rss_mib()

    services = requests.get(base + "/api/v1/services", timeout=HTTP_TIMEOUT).json()
    budgets = {s["code"]: s["quota_left"] for s in services}
    agencies = sorted({s["agency"]["code"] for s in services})
    tokens = sign_in(base, agencies)
    counters = requests.get(base + "/api/v1/counters", headers={"Authorization": f"Bearer {tokens['*']}"},
                            timeout=HTTP_TIMEOUT).json()

    groups = ClientGroups(base, client_jobs(args.displays, args.counters, counters, tokens), args.client_procs,
                          args.connect_parallel)
    with Phase(server, groups, "connect", args.profile) as phase:
        out["connect"] = await groups.connected()
    out["connect"].update(wanted=args.displays + args.counters, **phase.result)
    await asyncio.sleep(1.0)
    out["rss_connected_mib"] = server.rss_mib()
    out["server_threads_connected"] = server.threads()

    loop = asyncio.get_running_loop()
    with (ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool,
          Phase(server, groups, "issue", args.profile) as phase):
        out["issue"] = await loop.run_in_executor(pool, run_issue_load, base, budgets, args.rate, args.seconds,
                                                  args.closed_workers, args.closed_seconds)
    out["issue"]["phase"] = phase.result
    out["rss_after_issue_mib"] = server.rss_mib()

    await asyncio.sleep(1.0)  # let the queue broadcasts of the last tickets drain
    with Phase(server, groups, "calls", args.profile) as phase:
        sent, statuses = await make_calls(base, counters, tokens, args.calls, args.call_rate, args.settle)
    out["rss_end_mib"] = server.rss_mib()
    receipts, out["disconnects"] = await groups.finish()
    out["calls"] = {**call_figures(sent, receipts), "rate": args.call_rate, "statuses": statuses,
                    "phase": phase.result}
    out["rss_peak_mib"] = max(out[k] for k in ("rss_idle_mib", "rss_connected_mib", "rss_after_issue_mib",
                                               "rss_end_mib"))
    return out


def report(args: argparse.Namespace, r: dict[str, Any]) -> None:
    """Print the figures as a person reads them, with the targets beside."""
    c, iss, calls = r["connect"], r["issue"], r["calls"]
    o, k = iss["open"], iss["closed"]
    print(f"\nAntrean MPP server benchmark: {args.displays} displays + {args.counters} counter consoles in "
          f"{args.client_procs} client processes, {r['cpus']} CPUs, load average before: {r['load_average_before']}")
    print(f"\nConnect: {c['clients']}/{c['wanted']} clients in {c['total_s']:.2f} s "
          f"(server CPU {c['server_cpu_pct']:.0f}%), errors: {c['errors'] or 'none'}")
    print(latency_row("connect + state, per client", c["per_client"]))
    print(f"\nTicket issue, open loop at {o['target_rate']:.0f}/s: {o['ok']}/{o['sent']} issued in "
          f"{o['elapsed_s']:.1f} s = {o['achieved_rate']:.1f}/s, statuses {o['statuses']}")
    print(latency_row("POST /tickets (send -> response)", o["latency"]))
    print(latency_row("POST /tickets (schedule -> response)", o["latency_from_schedule"]))
    print(f"Ticket issue, closed loop with {k['workers']} clients: {k['ok']} in {k['elapsed_s']:.1f} s = "
          f"{k['throughput']:.1f}/s, statuses {k['statuses']}")
    print(latency_row("POST /tickets (closed loop)", k["latency"]))
    print(f"  CPU over both, % of one core: server {iss['phase']['server_cpu_pct']:.0f}%, "
          f"Socket.IO clients {iss['phase']['client_cpu_pct']:.0f}% (the load generator not counted)")
    print(f"\nCalls: {calls['calls']} call-next at {calls['rate']:.1f}/s across counters, "
          f"statuses {calls['statuses']}")
    print(f"  CPU, % of one core: server {calls['phase']['server_cpu_pct']:.0f}%, "
          f"clients {calls['phase']['client_cpu_pct']:.0f}%")
    print(latency_row("POST call-next (send -> response)", calls["call_next_http"]))
    print(latency_row("call-next -> `call` at each display", calls["to_display"]))
    print(latency_row("call-next -> `call` at agency consoles", calls["to_console"]))
    print(latency_row("first -> last display, per call", calls["first_to_last_display"]))
    print(f"  missed deliveries: displays {calls['missed_display_deliveries']}, "
          f"consoles {calls['missed_console_deliveries']}; clients dropped during the run: "
          f"{sum(r['disconnects'].values())} {r['disconnects'] or ''}")
    print(f"\nServer RSS (gunicorn tree): idle {r['rss_idle_mib']:.0f} MiB, connected {r['rss_connected_mib']:.0f} "
          f"MiB, after issue {r['rss_after_issue_mib']:.0f} MiB, end {r['rss_end_mib']:.0f} MiB; "
          f"threads with clients connected: {r['server_threads_connected']}")
    checks = [("issue p99 < 50 ms at target rate", o["latency_from_schedule"]["p99"] < 50),
              ("call -> display p99 < 100 ms", calls["to_display"]["p99"] < 100),
              ("RSS < 250 MiB", r["rss_peak_mib"] < 250),
              ("no errors, timeouts, drops or missed deliveries",
               not c["errors"] and not r["disconnects"] and c["clients"] == c["wanted"]
               and calls["missed_display_deliveries"] == 0 and calls["missed_console_deliveries"] == 0
               and set(o["statuses"]) == {"201"} and set(k["statuses"]) == {"201"}
               and all(s.endswith(("200", "204")) for s in calls["statuses"]))]
    print("\nTargets:")
    for name, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {name}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options; defaults are the issue's: 200 displays and 40 counter consoles."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--displays", type=int, default=200, help="clients on /display (screens and phones)")
    p.add_argument("--counters", type=int, default=40, help="counter consoles on /counter")
    p.add_argument("--rate", type=float, default=100.0, help="open-loop ticket issue rate per second")
    p.add_argument("--seconds", type=float, default=15.0, help="open-loop duration")
    p.add_argument("--closed-workers", type=int, default=8, help="closed-loop clients issuing back to back")
    p.add_argument("--closed-seconds", type=float, default=5.0, help="closed-loop duration")
    p.add_argument("--calls", type=int, default=100, help="call-next requests, round robin over counters")
    p.add_argument("--call-rate", type=float, default=2.0,
                   help="call-next requests per second (a busy hall: 26 counters, one call each 2-5 min, ~0.2/s)")
    p.add_argument("--settle", type=float, default=3.0, help="seconds to wait for late deliveries")
    p.add_argument("--connect-parallel", type=int, default=50, help="connections opened at once, per process")
    p.add_argument("--client-procs", type=int, default=2, help="processes the Socket.IO clients are spread over")
    p.add_argument("--profile", type=Path, help="sample the server with py-spy per phase into this folder")
    p.add_argument("--json", type=Path, help="also write every figure to this file")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (database, server log)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Set up, run, report, and always stop the server and clean up."""
    args = parse_args(argv)
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="antrean-bench-"))
    server = Server.in_folder(workdir)
    try:
        server.load_demo()
        server.start()
        results = asyncio.run(bench(args, server))
    finally:
        server.stop()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    results["args"] = {k: str(v) for k, v in vars(args).items()}
    report(args, results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
