"""Database schema (SQLAlchemy Core) and engines: SQLite with WAL + BEGIN IMMEDIATE, or PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

# Agencies, services and counters removed from the configuration are marked retired, never
# deleted: tickets and reports still refer to them.

hall = Table(
    "hall", metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False, default=1),
    Column("settings", JSON, nullable=False),
)

agency = Table(
    "agency", metadata,
    Column("code", String(40), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("short_name", String(60), nullable=False, default=""),
    Column("floor", String(40), nullable=False, default=""),
    Column("zone", String(40), nullable=False, default=""),
    Column("color", String(20), nullable=False, default=""),
    Column("position", Integer, nullable=False, default=0),
    Column("retired", Boolean, nullable=False, default=False),
)

service = Table(
    "service", metadata,
    Column("code", String(40), primary_key=True),
    Column("agency_code", String(40), ForeignKey("agency.code"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("prefix", String(3), nullable=False),
    Column("daily_quota", Integer, nullable=True),
    Column("hours", JSON, nullable=False),
    Column("closed_dates", JSON, nullable=False),
    Column("requirements", Text, nullable=False, default=""),
    Column("completion_time", String(200), nullable=False, default=""),
    Column("target_service_s", Integer, nullable=False, default=600),
    Column("synonyms", JSON, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("position", Integer, nullable=False, default=0),
    Column("retired", Boolean, nullable=False, default=False),
)

counter = Table(
    "counter", metadata,
    Column("code", String(40), primary_key=True),
    Column("agency_code", String(40), ForeignKey("agency.code"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("position", Integer, nullable=False, default=0),
    Column("retired", Boolean, nullable=False, default=False),
)

counter_service = Table(
    "counter_service", metadata,
    Column("counter_code", String(40), ForeignKey("counter.code"), primary_key=True),
    Column("service_code", String(40), ForeignKey("service.code"), primary_key=True),
    Column("position", Integer, nullable=False),
)

# What a counter is doing; separate from `counter` so reloading the configuration never touches it.
counter_state = Table(
    "counter_state", metadata,
    Column("counter_code", String(40), ForeignKey("counter.code"), primary_key=True),
    Column("mode", String(10), nullable=False, default="open"),
    Column("pause_reason", String(200), nullable=False, default=""),
    Column("current_ticket_id", String(24), nullable=True),
    Column("priority_streak", Integer, nullable=False, default=0),
    Column("updated_at", DateTime, nullable=False),
)

daily_serial = Table(
    "daily_serial", metadata,
    Column("service_code", String(40), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("last", Integer, nullable=False),
)

# Times are stored as naive UTC on both engines; the domain works in aware datetimes.
ticket = Table(
    "ticket", metadata,
    Column("id", String(24), primary_key=True),
    Column("number", String(12), nullable=False),
    Column("service_code", String(40), ForeignKey("service.code"), nullable=False),
    Column("origin_service_code", String(40), ForeignKey("service.code"), nullable=False),
    Column("day", Date, nullable=False),
    Column("serial", Integer, nullable=False),
    Column("priority", String(40), nullable=True),
    Column("status", String(12), nullable=False),
    Column("arrival_at", DateTime, nullable=False),
    Column("counter_code", String(40), nullable=True),
    Column("recalls", Integer, nullable=False, default=0),
    Column("called_at", DateTime, nullable=True),
    Column("started_at", DateTime, nullable=True),
    Column("finished_at", DateTime, nullable=True),
    Column("issued_by", String(100), nullable=False, default=""),
    UniqueConstraint("origin_service_code", "day", "serial", name="uq_ticket_serial"),
    Index("ix_ticket_queue", "status", "day", "service_code", "arrival_at"),
    Index("ix_ticket_day", "day"),
)

ticket_event = Table(
    "ticket_event", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", String(24), ForeignKey("ticket.id"), nullable=False),
    Column("action", String(12), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("from_status", String(12), nullable=True),
    Column("to_status", String(12), nullable=False),
    Column("service_code", String(40), nullable=False),
    Column("counter_code", String(40), nullable=True),
    Column("actor", String(100), nullable=True),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_ticket_event_ticket", "ticket_id"),
    Index("ix_ticket_event_at", "at"),
)

counter_event = Table(
    "counter_event", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("counter_code", String(40), ForeignKey("counter.code"), nullable=False),
    Column("action", String(12), nullable=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(100), nullable=True),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_counter_event_at", "at"),
)

user = Table(
    "user_account", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(12), nullable=False),
    Column("agency_code", String(40), ForeignKey("agency.code"), nullable=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("token_version", Integer, nullable=False, default=1),
    Column("created_at", DateTime, nullable=False),
)

device = Table(
    "device", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("kind", String(10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("agencies", JSON, nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime, nullable=False),
)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL, a busy timeout and BEGIN IMMEDIATE writes.

    Reads may pass execution_options(readonly=True) to take a deferred BEGIN, so they never wait
    for a writer (WAL lets them read the last committed state).
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False},
                           pool_size=20, max_overflow=20)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a committed ticket survives power loss too
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

    return engine
