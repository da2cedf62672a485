"""Many kiosks and counters at once, on a real SQLite file and a real PostgreSQL 15."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select

from queue_server.adapters import db
from queue_server.domain.tickets import Action
from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, demo_raw, officer, prepare_database


def test_50_threads_x_20_tickets_give_1000_distinct_gap_free_numbers(database_url: str) -> None:
    queue = QueueService(prepare_database(database_url))
    with ThreadPoolExecutor(50) as pool:
        batches = list(pool.map(lambda _: [queue.issue("AKTA", KIOSK).ticket for _ in range(20)], range(50)))
    serials = sorted(t.serial for batch in batches for t in batch)
    assert serials == list(range(1, 1001))
    assert len({t.number for batch in batches for t in batch}) == 1000
    with queue.engine.connect() as conn:
        stored = sorted(conn.execute(select(db.ticket.c.serial).where(db.ticket.c.service_code == "AKTA")).scalars())
    assert stored == serials


def test_a_key_retried_from_8_threads_at_once_issues_one_ticket(database_url: str) -> None:
    queue = QueueService(prepare_database(database_url))
    queue.issue("AKTA", KIOSK)
    for round_ in range(5):
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(lambda _: queue.issue("AKTA", KIOSK, request_key=f"tap-{round_:04d}"), range(8)))
        assert len({a.ticket.id for a in answers}) == 1
        assert sum(not a.replayed for a in answers) == 1
    after = queue.issue("AKTA", KIOSK).ticket
    assert after.serial == 7  # 1 + one per round + this one: no serial burnt by the retries
    with queue.engine.connect() as conn:
        assert conn.execute(select(db.ticket.c.serial).where(db.ticket.c.service_code == "AKTA")
                            .order_by(db.ticket.c.serial)).scalars().all() == list(range(1, 8))


def test_20_counters_calling_at_once_call_each_of_500_tickets_exactly_once(database_url: str) -> None:
    raw = demo_raw()
    raw["counters"] = [{"code": f"C{i:02d}", "agency": "DUKCAPIL", "name": f"Loket {i}", "services": ["KTP"]}
                       for i in range(1, 21)]
    raw["services"][0].pop("quota")  # KTP: no daily quota for this test
    queue = QueueService(prepare_database(database_url, raw))
    for _ in range(500):
        queue.issue("KTP", KIOSK)
    duk = officer("DUKCAPIL")

    def work(counter: str) -> list[str]:
        got = []
        while (t := queue.call_next(counter, duk)) is not None:
            got.append(t.id)
            queue.act(counter, Action.FINISH, duk)
        return got

    with ThreadPoolExecutor(20) as pool:
        per_counter = list(pool.map(work, [f"C{i:02d}" for i in range(1, 21)]))
    called = [tid for ids in per_counter for tid in ids]
    assert len(called) == 500 and len(set(called)) == 500
    assert sum(1 for ids in per_counter if ids) >= 3  # the counters really did race each other
    with queue.engine.connect() as conn:
        calls = conn.execute(select(db.ticket_event.c.ticket_id).where(db.ticket_event.c.action == "call")).scalars()
        assert sorted(calls) == sorted(called)
