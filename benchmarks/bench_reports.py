"""Time every report on a year of a busy hall: 1,000,000 tickets with their events, on SQLite.

Why a script: the figures depend on the machine; they are written down in docs/PERFORMANCE.md
(target: every report under 2 s). It migrates a temporary SQLite file, loads config.toml's hall,
writes the history with benchmarks/history.py (plain executemany) plus SKM answers for a tenth
of the finished tickets, then runs each report (a year, and a month) through ReportService, as the
/reports pages do, --repeat times, and prints the best and the worst.

Run: .venv/bin/python benchmarks/bench_reports.py [--tickets 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.history import write_history  # noqa: E402
from queue_server.adapters.db import make_engine  # noqa: E402
from queue_server.adapters.migrate import upgrade  # noqa: E402
from queue_server.adapters.repository import Repository  # noqa: E402
from queue_server.config import DEFAULT_CONFIG, hall_from_config  # noqa: E402
from queue_server.domain.access import Actor, Role  # noqa: E402
from queue_server.service_layer.queue import QueueService  # noqa: E402
from queue_server.service_layer.reports import Period, ReportService  # noqa: E402

DAYS = 365
FIRST = date(2025, 11, 23)
ADMIN = Actor("admin", Role.ADMIN)
CLOCK = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # the day after the year: every day of it is closed


def add_answers(path: str, share: float = 0.1, seed: int = 9) -> int:
    """SKM answers for a share of the finished tickets (scores 2–4), written like the survey does."""
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT t.id, s.agency_code, t.service_code, t.counter_code, t.day, t.finished_at"
                        " FROM ticket t JOIN service s ON s.code = t.service_code WHERE t.status = 'done'").fetchall()
    picked = [r for r in rows if rng.random() < share]
    conn.executemany("INSERT INTO survey_response (ticket_id, agency_code, service_code, counter_code, day, at,"
                     " channel, u1, u2, u3, u4, u5, u6, u7, u8, u9, comment) VALUES (?,?,?,?,?,?,'counter',"
                     "?,?,?,?,?,?,?,?,?,'')", [(*r, *(rng.choice((2, 3, 3, 4, 4)) for _ in range(9))) for r in picked])
    conn.commit()
    conn.close()
    return len(picked)


def timed(label: str, repeat: int, run: Callable[..., object], *args: object) -> float:
    """Run `run(*args)` `repeat` times; print the best and worst wall time and the CPU time of the
    best run (on a machine shared with other work the wall time overstates it); return the worst."""
    times, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        run(*args)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    print(f"{label:<40} best {min(times):6.2f} s   worst {max(times):6.2f} s   cpu {min(cpu):6.2f} s", flush=True)
    return max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", help="folder to keep the database in (default: a temporary one, removed)")
    args = parser.parse_args()
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-reports-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return run(folder / "reports.db", args.tickets, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(path: Path, tickets: int, repeat: int) -> int:
    """Generate the year into `path` unless it is there already, then time every report."""
    engine = make_engine(f"sqlite:///{path}")
    fresh = not path.exists()
    upgrade(engine)
    if fresh:
        catalog, settings_json = hall_from_config(tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8")))
        with engine.begin() as conn:
            Repository(conn).store_hall(catalog, settings_json)
        start = time.perf_counter()
        write_history(str(path), catalog, FIRST, DAYS, -(-tickets // DAYS))
        answers = add_answers(str(path))
        print(f"generated {tickets:,} tickets and {answers:,} SKM answers in {time.perf_counter() - start:.0f} s",
              flush=True)
    reports = ReportService(QueueService(engine, clock=lambda: CLOCK))
    year, month = Period(FIRST, FIRST + timedelta(days=DAYS - 1)), Period(date(2026, 10, 1), date(2026, 10, 31))
    timed("first report: rolls up the closed days", 1, reports.ticket_report, ADMIN, year, "hall")
    worst = 0.0
    for name, period in (("year", year), ("month", month)):
        for dimension in ("hall", "agency", "service", "counter", "officer"):
            worst = max(worst, timed(f"tickets by {dimension}, {name}", repeat,
                                     reports.ticket_report, ADMIN, period, dimension))
        worst = max(worst, timed(f"tickets by service, {name}, one agency", repeat,
                                 reports.ticket_report, ADMIN, period, "service", "DUKCAPIL"))
        for dimension in ("agency", "service"):
            worst = max(worst, timed(f"SKM by {dimension}, {name}", repeat, reports.skm_report, ADMIN, period,
                                     dimension))
    print(f"worst {worst:.2f} s: {'met' if worst < 2 else 'NOT met'} (target < 2 s)")
    return 0 if worst < 2 else 1

if __name__ == "__main__":
    sys.exit(main())
