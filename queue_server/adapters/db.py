"""Database schema (SQLAlchemy Core) and engines: SQLite with WAL + BEGIN IMMEDIATE, or PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import (
    Connection,
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
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
    # The issuer's key for one "take a number" (migration 0008): its retry gets the same ticket.
    Column("request_key", String(64), nullable=True),
    UniqueConstraint("origin_service_code", "day", "serial", name="uq_ticket_serial"),
    Index("ux_ticket_request", "issued_by", "request_key", unique=True),
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

# Every change made from /admin: who, when, what, before and after (config-shaped JSON).
hall_change = Table(
    "hall_change", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("username", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("code", String(40), nullable=False),
    Column("agency_code", String(40), nullable=True),
    Column("before", JSON, nullable=True),
    Column("after", JSON, nullable=True),
    Column("hall_version", Integer, nullable=False),
    Index("ix_hall_change_at", "at"),
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

# Sign-ins, failed sign-ins (the throttle counts them), sign-outs (revoke that session's token) and
# counters opened at a console: the people half of the audit trail (migration 0003).
staff_event = Table(
    "staff_event", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime, nullable=False),
    Column("action", String(20), nullable=False),
    Column("username", String(64), nullable=False),
    Column("agency_code", String(40), nullable=True),
    Column("counter_code", String(40), nullable=True),
    Column("address", String(64), nullable=False, default=""),
    Column("session", String(32), nullable=True),
    Column("detail", Text, nullable=False, default=""),
    Index("ix_staff_event_at", "at"),
    Index("ix_staff_event_username", "username", "at"),
    Index("ix_staff_event_address", "address", "at"),
    Index("ix_staff_event_session", "session"),
)


# Print jobs (migration 0002; admins' test pages, which have no ticket, since 0007): the exact
# ESC/POS bytes, so a reprint or an agent that reconnects sends what was rendered; the number is
# kept for staff lists without a join.
print_job = Table(
    "print_job", metadata,
    Column("id", String(24), primary_key=True),
    Column("ticket_id", String(24), ForeignKey("ticket.id"), nullable=True),
    Column("number", String(12), nullable=False),
    Column("printer", String(100), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("failure", String(16), nullable=True),
    Column("error", String(300), nullable=False, default=""),
    Column("data", LargeBinary, nullable=False),
    Column("requested_by", String(100), nullable=False, default=""),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("finished_at", DateTime, nullable=True),
    Index("ix_print_job_ticket", "ticket_id"),
    Index("ix_print_job_printer", "printer", "state"),
)

# The last known state of each printer (from a check or a job), for staff.
printer_status = Table(
    "printer_status", metadata,
    Column("printer", String(100), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("detail", String(300), nullable=False, default=""),
    Column("checked_at", DateTime, nullable=False),
)

# SKM survey (migration 0006): one response per finished ticket, the nine scores as columns so the
# report sums them in SQL; the quick one-tap rating lives apart and never enters the index.
SKM_COLUMNS = tuple(f"u{i}" for i in range(1, 10))
survey_response = Table(
    "survey_response", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", String(24), ForeignKey("ticket.id"), nullable=False, unique=True),
    Column("agency_code", String(40), nullable=False),
    Column("service_code", String(40), nullable=False),
    Column("counter_code", String(40), nullable=True),
    Column("day", Date, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("channel", String(10), nullable=False),
    *(Column(name, Integer, nullable=False) for name in SKM_COLUMNS),
    Column("comment", Text, nullable=False, default=""),
    Index("ix_survey_response_day", "day", "agency_code"),
)

quick_rating = Table(
    "quick_rating", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", String(24), ForeignKey("ticket.id"), nullable=False, unique=True),
    Column("agency_code", String(40), nullable=False),
    Column("service_code", String(40), nullable=False),
    Column("counter_code", String(40), nullable=True),
    Column("day", Date, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("score", Integer, nullable=False),
    Index("ix_quick_rating_day", "day", "agency_code"),
)

# Report rollups (migration 0006): the tickets of each closed day (before today: they no longer
# change) grouped by day, agency, service, counter, officer and arrival hour (local), with their
# counts, counter time and exact durations (comma-joined seconds), so a year's report reads about
# 150,000 small rows instead of parsing a million tickets' timestamps.
report_bucket = Table(
    "report_bucket", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("agency_code", String(40), nullable=False),
    Column("service_code", String(40), nullable=False),
    Column("counter_code", String(40), nullable=True),
    Column("officer", String(100), nullable=True),
    Column("hour", Integer, nullable=False),
    Column("issued", Integer, nullable=False),
    Column("served", Integer, nullable=False),
    Column("no_show", Integer, nullable=False),
    Column("cancelled", Integer, nullable=False),
    Column("transferred", Integer, nullable=False),
    Column("within_target", Integer, nullable=False),
    Column("first_call", Float, nullable=True),
    Column("last_close", Float, nullable=True),
    Column("busy_s", Float, nullable=True),
    Column("waits", Text, nullable=True),
    Column("serves", Text, nullable=True),
    Index("ix_report_bucket_day", "day"),
)

# The days already rolled up into report_bucket.
report_day = Table(
    "report_day", metadata,
    Column("day", Date, primary_key=True),
    Column("built_at", DateTime, nullable=False),
)


BUSY_TIMEOUT_S = 30


class _QueuedWriter(sqlite3.Connection):
    """A SQLite connection whose write transactions queue on one Python lock per engine.

    SQLite admits one writer at a time. A thread that BEGIN IMMEDIATE keeps out sleeps in SQLite's
    busy handler (1, 2, 5... up to 100 ms between retries) and can lose to newcomers again and
    again: at 100 tickets/s that made issue latency seconds long (docs/PERFORMANCE.md). Queued on
    a lock, the next writer wakes the moment the previous one commits. Other processes (the CLI)
    still meet SQLite's own lock and busy timeout.
    """

    write_lock: threading.Lock
    _writing = False

    def begin_immediate(self) -> None:
        """Take the engine's write lock, then SQLite's."""
        if not self.write_lock.acquire(timeout=BUSY_TIMEOUT_S):
            raise sqlite3.OperationalError("database is locked")
        self._writing = True
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        if self._writing:
            self._writing = False
            self.write_lock.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()


def read_connection(engine: Engine) -> Connection:
    """A connection for reads only: on SQLite a deferred BEGIN, so it never queues behind writers."""
    return engine.connect().execution_options(readonly=True)


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite files get WAL, a busy timeout and BEGIN IMMEDIATE writes.

    Reads may pass execution_options(readonly=True) to take a deferred BEGIN, so they never wait
    for a writer (WAL lets them read the last committed state).
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_size=20, max_overflow=20, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False,
                                              "factory": _QueuedWriter},
                           pool_size=20, max_overflow=20)
    write_lock = threading.Lock()

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        dbapi_conn.write_lock = write_lock
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")  # a committed ticket survives power loss too
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("readonly"):
            conn.exec_driver_sql("BEGIN")
        else:
            conn.connection.dbapi_connection.begin_immediate()

    return engine
