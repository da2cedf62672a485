"""Loading the hall is idempotent and never loses tickets; migrations match the tables."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from queue_server.adapters import db
from queue_server.adapters.db import make_engine
from queue_server.adapters.migrate import upgrade
from queue_server.adapters.repository import Repository
from queue_server.config import hall_from_config
from queue_server.domain.tickets import Action
from queue_server.service_layer.queue import QueueService

from ..support import KIOSK, demo_raw, officer, prepare_database


def _dump(engine) -> dict:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        return {t.name: sorted(map(tuple, conn.execute(select(t)).all()), key=repr) for t in db.metadata.sorted_tables}


def test_migrations_create_exactly_the_tables_the_code_uses(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)  # a second run is a no-op
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_loading_the_same_hall_twice_changes_nothing(database_url: str) -> None:
    engine = prepare_database(database_url)
    queue = QueueService(engine)
    queue.issue("KTP", KIOSK)
    queue.call_next("L01", officer("DUKCAPIL"))
    before = _dump(engine)
    catalog, settings_json = hall_from_config(demo_raw(), always_open=True)
    with engine.begin() as conn:
        assert Repository(conn).store_hall(catalog, settings_json) is False
    assert _dump(engine) == before


def test_reloading_a_changed_hall_keeps_todays_tickets_and_retires_removed_services(sqlite_url: str) -> None:
    engine = prepare_database(sqlite_url)
    queue = QueueService(engine)
    kept = [queue.issue("HALAL", KIOSK).ticket for _ in range(3)]
    queue.call_next("L19", officer("KEMENAG"))
    raw = demo_raw()
    raw["services"] = [s for s in raw["services"] if s["code"] != "HALAL"]
    for c in raw["counters"]:
        c["services"] = [s for s in c["services"] if s != "HALAL"]
    next(s for s in raw["services"] if s["code"] == "KTP")["name"] = "KTP Elektronik"
    catalog, settings_json = hall_from_config(raw, always_open=True)
    with engine.begin() as conn:
        assert Repository(conn).store_hall(catalog, settings_json) is True
    assert "HALAL" not in queue.catalog().services and queue.catalog().services["KTP"].name == "KTP Elektronik"
    for t in kept:
        assert queue.ticket_status(t.id).ticket.number == t.number
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(db.ticket)).scalar() == 3
        assert conn.execute(select(db.service.c.retired).where(db.service.c.code == "HALAL")).scalar() is True
    # the counter that had called HALAL's first ticket can still finish it
    assert queue.act("L19", Action.FINISH, officer("KEMENAG")).number == "X-001"
