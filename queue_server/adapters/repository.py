"""Reads and writes of the hall, its tickets and counters, on one open transaction."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Row, String, bindparam, case, delete, func, insert, literal, select, union_all, update
from sqlalchemy.dialects import postgresql, sqlite

from ..domain.audit import AuditEntry, Source
from ..domain.estimate import RECENT_SAMPLES
from ..domain.hall import (
    Agency,
    Catalog,
    Counter,
    HallSettings,
    NextTicketRule,
    PriorityCategory,
    PriorityPolicy,
    Service,
)
from ..domain.hours import WeeklyHours
from ..domain.selection import CounterMode, CounterState, Lane
from ..domain.tickets import Status, Ticket, Transition
from . import db


def to_db_time(at: datetime) -> datetime:
    """Aware datetime to the naive UTC the tables hold."""
    return at.astimezone(UTC).replace(tzinfo=None)


def from_db_time(at: datetime | None) -> datetime | None:
    """Naive UTC from the tables back to an aware datetime."""
    return None if at is None else at.replace(tzinfo=UTC)


def settings_from_json(data: dict[str, Any]) -> HallSettings:
    """HallSettings from the JSON kept in the hall row (the [hall] and [priority] of config)."""
    prio = data.get("priority", {})
    return HallSettings(
        name=data.get("name", "Mal Pelayanan Publik"),
        timezone=data.get("timezone", "Asia/Jakarta"),
        next_ticket_rule=NextTicketRule(data.get("next_ticket_rule", "oldest_first")),
        priority=PriorityPolicy(
            categories=tuple(PriorityCategory(c["code"], c["name"], c.get("name_en", ""))
                             for c in prio.get("categories", [])),
            ratio=int(prio.get("ratio", 2)),
            at_kiosk=bool(prio.get("at_kiosk", True)),
        ),
        public_display=bool(data.get("public_display", True)),
    )


def ticket_from_row(row: Row[Any]) -> Ticket:
    """A domain Ticket from a row of the ticket table."""
    m = row._mapping
    return Ticket(
        id=m["id"], number=m["number"], service_code=m["service_code"],
        origin_service_code=m["origin_service_code"], day=m["day"], serial=m["serial"],
        arrival_at=from_db_time(m["arrival_at"]),  # type: ignore[arg-type]
        status=Status(m["status"]), priority=m["priority"], counter_code=m["counter_code"],
        recalls=m["recalls"], called_at=from_db_time(m["called_at"]),
        started_at=from_db_time(m["started_at"]), finished_at=from_db_time(m["finished_at"]),
    )


def _ticket_values(t: Ticket) -> dict[str, Any]:
    return {
        "id": t.id, "number": t.number, "service_code": t.service_code,
        "origin_service_code": t.origin_service_code, "day": t.day, "serial": t.serial,
        "priority": t.priority, "status": t.status.value, "arrival_at": to_db_time(t.arrival_at),
        "counter_code": t.counter_code, "recalls": t.recalls,
        "called_at": t.called_at and to_db_time(t.called_at),
        "started_at": t.started_at and to_db_time(t.started_at),
        "finished_at": t.finished_at and to_db_time(t.finished_at),
    }


class Repository:
    """All SQL of the queue, on a connection whose transaction the caller owns."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert

    # -- the hall -------------------------------------------------------------------------

    def hall_version(self) -> int:
        """Bumped by every configuration change; 0 before the hall is loaded."""
        return self.conn.execute(select(db.hall.c.version).where(db.hall.c.id == 1)).scalar() or 0

    def load_catalog(self) -> Catalog:
        """The whole configured hall, active items only, in configured order."""
        settings_json = self.conn.execute(select(db.hall.c.settings).where(db.hall.c.id == 1)).scalar() or {}
        agencies = {
            r.code: Agency(r.code, r.name, r.floor, r.zone, r.color, r.short_name)
            for r in self.conn.execute(select(db.agency).where(~db.agency.c.retired)
                                       .order_by(db.agency.c.position, db.agency.c.code))
        }
        services = {
            r.code: Service(
                code=r.code, name=r.name, agency_code=r.agency_code, prefix=r.prefix,
                hours=WeeklyHours.from_mapping(r.hours, tuple(date.fromisoformat(d) for d in r.closed_dates)),
                daily_quota=r.daily_quota, requirements=r.requirements, completion_time=r.completion_time,
                target_service_s=r.target_service_s, active=r.active, synonyms=tuple(r.synonyms),
            )
            for r in self.conn.execute(select(db.service).where(~db.service.c.retired, db.service.c.agency_code.in_(agencies))
                                       .order_by(db.service.c.position, db.service.c.code))
        }
        links: dict[str, list[str]] = defaultdict(list)
        for r in self.conn.execute(select(db.counter_service).order_by(db.counter_service.c.position)):
            if r.service_code in services:
                links[r.counter_code].append(r.service_code)
        counters = {
            r.code: Counter(r.code, r.name, r.agency_code, tuple(links[r.code]))
            for r in self.conn.execute(select(db.counter).where(~db.counter.c.retired)
                                       .order_by(db.counter.c.position, db.counter.c.code))
            if links[r.code] and r.agency_code in agencies
        }
        return Catalog(settings_from_json(settings_json), agencies, services, counters)

    def hall_settings_json(self) -> dict[str, Any]:
        """The stored hall settings with the sections other parts read (announcement, kiosk...)."""
        return self.conn.execute(select(db.hall.c.settings).where(db.hall.c.id == 1)).scalar() or {}

    def store_hall(self, catalog: Catalog, settings_json: dict[str, Any]) -> bool:
        """Make the stored hall equal `catalog`; False (and nothing written) when it already is.

        Items missing from the catalog are deactivated, never deleted: tickets refer to them.
        Counter states and tickets are not touched.
        """
        if self.hall_version() and self.load_catalog() == catalog and self.hall_settings_json() == settings_json:
            return False
        version = self.hall_version()
        if version:
            self.conn.execute(update(db.hall).where(db.hall.c.id == 1).values(version=version + 1,
                                                                              settings=settings_json))
        else:
            self.conn.execute(insert(db.hall).values(id=1, version=1, settings=settings_json))
        for table in (db.agency, db.service, db.counter):
            self.conn.execute(update(table).values(retired=True))
        self.conn.execute(delete(db.counter_service))
        for pos, a in enumerate(catalog.agencies.values()):
            self._upsert(db.agency, {"code": a.code, "name": a.name, "short_name": a.short_name, "floor": a.floor,
                                     "zone": a.zone, "color": a.color, "position": pos, "retired": False})
        for pos, s in enumerate(catalog.services.values()):
            self._upsert(db.service, {
                "code": s.code, "agency_code": s.agency_code, "name": s.name, "prefix": s.prefix,
                "daily_quota": s.daily_quota, "hours": s.hours.to_mapping(),
                "closed_dates": sorted(d.isoformat() for d in s.hours.closed_dates),
                "requirements": s.requirements, "completion_time": s.completion_time,
                "target_service_s": s.target_service_s, "synonyms": list(s.synonyms), "active": s.active,
                "position": pos, "retired": False})
        for pos, c in enumerate(catalog.counters.values()):
            self._upsert(db.counter, {"code": c.code, "agency_code": c.agency_code, "name": c.name,
                                      "position": pos, "retired": False})
            for i, code in enumerate(c.service_codes):
                self.conn.execute(insert(db.counter_service).values(counter_code=c.code, service_code=code, position=i))
        return True

    def _upsert(self, table: Any, values: dict[str, Any]) -> None:
        key = table.primary_key.columns.keys()
        stmt = self._insert(table).values(**values)
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=key, set_={k: v for k, v in values.items() if k not in key}))

    def prefixes_used(self, day: date) -> dict[str, frozenset[str]]:
        """Prefix -> services whose tickets carried it on `day` (numbers are PREFIX-NNN)."""
        t = db.ticket.c
        used: dict[str, set[str]] = defaultdict(set)
        for r in self.conn.execute(select(t.origin_service_code, t.number).where(t.day == day).distinct()):
            used[r.number.rsplit("-", 1)[0]].add(r.origin_service_code)
        return {prefix: frozenset(codes) for prefix, codes in used.items()}

    def record_hall_change(self, at: datetime, username: str, kind: str, code: str, agency_code: str | None,
                           before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Append one admin edit to its audit trail, stamped with the hall version it produced."""
        self.conn.execute(insert(db.hall_change).values(
            at=to_db_time(at), username=username, kind=kind, code=code, agency_code=agency_code,
            before=before, after=after, hall_version=self.hall_version()))

    def hall_changes(self, agency_code: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        """The latest admin edits, newest first; of one agency when given."""
        h = db.hall_change.c
        stmt = select(db.hall_change).order_by(h.id.desc()).limit(limit)
        if agency_code is not None:
            stmt = stmt.where(h.agency_code == agency_code)
        return [{**r._mapping, "at": from_db_time(r.at)} for r in self.conn.execute(stmt)]

    # -- numbering ------------------------------------------------------------------------

    def next_serial(self, service_code: str, day: date) -> int:
        """Take the next daily serial of a service, in this transaction (gap-free on rollback)."""
        stmt = self._insert(db.daily_serial).values(service_code=service_code, day=day, last=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=[db.daily_serial.c.service_code, db.daily_serial.c.day],
            set_={"last": db.daily_serial.c.last + 1},
        ).returning(db.daily_serial.c.last)
        return int(self.conn.execute(stmt).scalar_one())

    def issued_counts(self, day: date) -> dict[str, int]:
        """Tickets issued today per service (the daily serial reached)."""
        rows = self.conn.execute(select(db.daily_serial.c.service_code, db.daily_serial.c.last)
                                 .where(db.daily_serial.c.day == day))
        return {r.service_code: r.last for r in rows}

    # -- tickets --------------------------------------------------------------------------

    def add_ticket(self, t: Ticket, issued_by: str, request_key: str | None = None) -> None:
        """Insert a newly issued ticket (with the issuer's request key, if it sent one)."""
        self.conn.execute(insert(db.ticket).values(**_ticket_values(t), issued_by=issued_by, request_key=request_key))

    def ticket_for_request(self, issued_by: str, request_key: str) -> Ticket | None:
        """The ticket an issuer's earlier request with this key got, or None."""
        row = self.conn.execute(select(db.ticket).where(db.ticket.c.issued_by == issued_by,
                                                        db.ticket.c.request_key == request_key)).first()
        return ticket_from_row(row) if row else None

    def get_ticket(self, ticket_id: str) -> Ticket | None:
        """The ticket with this id, or None."""
        row = self.conn.execute(select(db.ticket).where(db.ticket.c.id == ticket_id)).first()
        return ticket_from_row(row) if row else None

    def find_ticket(self, ref: str, day: date) -> Ticket | None:
        """A ticket by id, or by today's printed number (what an officer types)."""
        row = self.conn.execute(select(db.ticket).where(db.ticket.c.id == ref)).first()
        if row is None:
            row = self.conn.execute(select(db.ticket).where(db.ticket.c.number == ref.upper(),
                                                            db.ticket.c.day == day)
                                    .order_by(db.ticket.c.arrival_at.desc()).limit(1)).first()
        return ticket_from_row(row) if row else None

    def replace_ticket(self, old: Ticket, new: Ticket) -> bool:
        """Write `new` only if the stored ticket still has `old`'s status and recalls."""
        values = _ticket_values(new)
        del values["id"]
        result = self.conn.execute(update(db.ticket).where(
            db.ticket.c.id == old.id, db.ticket.c.status == old.status.value,
            db.ticket.c.recalls == old.recalls).values(**values))
        return result.rowcount == 1

    def claim_next(self, service_codes: tuple[str, ...], lane: Lane, rule: NextTicketRule, day: date,
                   counter_code: str, at: datetime) -> Ticket | None:
        """Atomically mark the next waiting ticket called by this counter, or None.

        One UPDATE ... WHERE id = (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED) AND status='waiting'
        RETURNING: PostgreSQL skips rows another counter is claiming and re-checks the status after
        a lock wait; SQLite's BEGIN IMMEDIATE already runs one writer at a time. The ORDER BY is
        domain.selection.order_key.
        """
        t = db.ticket.c
        regular_first = lane is Lane.REGULAR
        lane_rank = case((t.priority.is_(None), 0 if regular_first else 1), else_=1 if regular_first else 0)
        service_rank = (case({code: i for i, code in enumerate(service_codes)}, value=t.service_code)
                        if rule is NextTicketRule.SERVICE_ORDER else literal(0))
        candidate = (select(t.id)
                     .where(t.status == Status.WAITING.value, t.day == day, t.service_code.in_(service_codes))
                     .order_by(lane_rank, service_rank, t.arrival_at, t.id)
                     .limit(1)
                     .with_for_update(skip_locked=True)
                     .scalar_subquery())
        row = self.conn.execute(
            update(db.ticket)
            .where(t.id == candidate, t.status == Status.WAITING.value)
            .values(status=Status.CALLED.value, counter_code=counter_code, called_at=to_db_time(at))
            .returning(*db.ticket.c)
        ).first()
        return ticket_from_row(row) if row else None

    def record(self, tr: Transition) -> None:
        """Append one step of a ticket's life to the event log."""
        self.conn.execute(insert(db.ticket_event).values(
            ticket_id=tr.ticket_id, action=str(tr.action), at=to_db_time(tr.at),
            from_status=tr.from_status and tr.from_status.value, to_status=tr.to_status.value,
            service_code=tr.service_code, counter_code=tr.counter_code, actor=tr.user, detail=tr.detail))

    def waiting_counts(self, day: date) -> dict[str, int]:
        """Waiting tickets per service today."""
        t = db.ticket.c
        rows = self.conn.execute(select(t.service_code, func.count()).where(
            t.status == Status.WAITING.value, t.day == day).group_by(t.service_code))
        return {code: n for code, n in rows}

    def waiting_tickets(self, service_codes: tuple[str, ...], day: date, limit: int = 500) -> list[Ticket]:
        """Today's waiting tickets of these services, oldest first."""
        return self.tickets_of_day(service_codes, day, (Status.WAITING,), limit)

    def tickets_of_day(self, service_codes: tuple[str, ...], day: date, statuses: tuple[Status, ...],
                       limit: int = 500) -> list[Ticket]:
        """A day's tickets of these services in these states, oldest arrival first."""
        t = db.ticket.c
        rows = self.conn.execute(select(db.ticket).where(
            t.status.in_([s.value for s in statuses]), t.day == day, t.service_code.in_(service_codes))
            .order_by(t.arrival_at, t.id).limit(limit))
        return [ticket_from_row(r) for r in rows]

    def people_ahead(self, ticket: Ticket) -> int:
        """Waiting tickets of the same service that arrived before this one."""
        t = db.ticket.c
        return int(self.conn.execute(select(func.count()).where(
            t.status == Status.WAITING.value, t.day == ticket.day, t.service_code == ticket.service_code,
            (t.arrival_at < to_db_time(ticket.arrival_at))
            | ((t.arrival_at == to_db_time(ticket.arrival_at)) & (t.id < ticket.id)))).scalar_one())

    def recent_service_times(self, service_codes: list[str]) -> dict[str, list[float]]:
        """Seconds from call to finish of each service's most recent finished tickets, newest first.

        One LIMIT query per service, read from ix_ticket_queue newest day first, so the cost stays
        that of the last day or two however old the database is. (One window over every finished
        ticket made each issue ~150 ms after 100 days of a busy hall, under the write lock.)
        """
        t = db.ticket.c
        stmt = (select(t.called_at, t.finished_at)
                .where(t.status == Status.DONE.value, t.service_code == bindparam("code"), t.called_at.is_not(None))
                .order_by(t.day.desc(), t.arrival_at.desc()).limit(RECENT_SAMPLES))
        out: dict[str, list[float]] = {}
        for code in service_codes:
            rows = sorted(self.conn.execute(stmt, {"code": code}), key=lambda r: r.finished_at, reverse=True)
            if rows:
                out[code] = [(r.finished_at - r.called_at).total_seconds() for r in rows]
        return out

    def tickets_at_counters(self) -> list[Ticket]:
        """Tickets now called or being served at some counter."""
        rows = self.conn.execute(select(db.ticket).join(
            db.counter_state, db.counter_state.c.current_ticket_id == db.ticket.c.id))
        return [ticket_from_row(r) for r in rows]

    def recent_calls(self, since: datetime, limit: int, service_codes: list[str]) -> list[tuple[Transition, Ticket]]:
        """The latest call and recall events of some services since a moment, newest first."""
        e = db.ticket_event.c
        rows = self.conn.execute(
            select(db.ticket_event, db.ticket)
            .join(db.ticket, db.ticket.c.id == e.ticket_id)
            .where(e.action.in_(("call", "recall")), e.at >= to_db_time(since), e.service_code.in_(service_codes))
            .order_by(e.at.desc(), e.id.desc()).limit(limit))
        out = []
        for r in rows:
            m = r._mapping
            tr = Transition(ticket_id=m["ticket_id"], action=m["action"], at=from_db_time(m["at"]),  # type: ignore[arg-type]
                            from_status=Status(m["from_status"]) if m["from_status"] else None,
                            to_status=Status(m["to_status"]), service_code=m[db.ticket_event.c.service_code],
                            counter_code=m[db.ticket_event.c.counter_code], user=m["actor"])
            out.append((tr, ticket_from_row(r)))
        return out

    # -- counters -------------------------------------------------------------------------

    def counter_state(self, code: str, lock: bool = False) -> CounterState:
        """A counter's state (a fresh one if it never worked); `lock` holds it for this transaction."""
        stmt = select(db.counter_state).where(db.counter_state.c.counter_code == code)
        if lock:
            stmt = stmt.with_for_update()
        row = self.conn.execute(stmt).first()
        if row is None:
            return CounterState(code)
        return CounterState(code, CounterMode(row.mode), row.pause_reason, row.current_ticket_id, row.priority_streak)

    def counter_states(self) -> dict[str, CounterState]:
        """Every counter that has a stored state."""
        return {r.counter_code: CounterState(r.counter_code, CounterMode(r.mode), r.pause_reason,
                                             r.current_ticket_id, r.priority_streak)
                for r in self.conn.execute(select(db.counter_state))}

    def save_counter_state(self, state: CounterState, at: datetime) -> None:
        """Insert or update a counter's state."""
        values = {"mode": state.mode.value, "pause_reason": state.pause_reason,
                  "current_ticket_id": state.current_ticket_id, "priority_streak": state.priority_streak,
                  "updated_at": to_db_time(at)}
        stmt = self._insert(db.counter_state).values(counter_code=state.code, **values)
        self.conn.execute(stmt.on_conflict_do_update(index_elements=[db.counter_state.c.counter_code], set_=values))

    def record_counter_event(self, counter_code: str, action: str, at: datetime, user: str | None,
                             detail: str = "") -> None:
        """Append a counter-level event (pause, resume) for reports and the audit trail."""
        self.conn.execute(insert(db.counter_event).values(
            counter_code=counter_code, action=action, at=to_db_time(at), actor=user, detail=detail))

    # -- the audit trail ------------------------------------------------------------------

    def audit_entries(self, since: datetime, until: datetime, agency_code: str | None = None,
                      counter_code: str | None = None, user: str | None = None,
                      actions: tuple[str, ...] = (), limit: int = 200) -> list[AuditEntry]:
        """Ticket, counter and staff events in [since, until), newest first; issuing is left out.

        `agency_code` keeps what touched that agency: its services' tickets, its counters, and
        whatever its staff did (so a transfer out of the agency stays in its trail).
        """
        e, c, s, t = db.ticket_event.c, db.counter_event.c, db.staff_event.c, db.ticket.c
        text = literal(None, String)
        agency_counters = select(db.counter.c.code).where(db.counter.c.agency_code == agency_code)
        agency_services = select(db.service.c.code).where(db.service.c.agency_code == agency_code)
        agency_staff = select(db.user.c.username).where(db.user.c.agency_code == agency_code)
        parts = [  # (the select, its table's columns, who acted, what belongs to the agency)
            (select(literal(Source.TICKET.value).label("source"), e.id, e.at, e.action, e.actor.label("actor"),
                    e.counter_code, e.detail, literal("").label("address"), e.ticket_id, t.number,
                    t.status, e.service_code).join(db.ticket, t.id == e.ticket_id).where(e.action != "issue"),
             e, e.actor, e.service_code.in_(agency_services) | e.counter_code.in_(agency_counters)
             | e.actor.in_(agency_staff)),
            (select(literal(Source.COUNTER.value), c.id, c.at, c.action, c.actor, c.counter_code, c.detail,
                    literal(""), text, text, text, text),
             c, c.actor, c.counter_code.in_(agency_counters) | c.actor.in_(agency_staff)),
            (select(literal(Source.STAFF.value), s.id, s.at, s.action, s.username, s.counter_code, s.detail,
                    s.address, text, text, text, text),
             s, s.username, (s.agency_code == agency_code) | s.counter_code.in_(agency_counters)),
        ]
        selects = []
        for stmt, cols, actor, of_agency in parts:
            stmt = stmt.where(cols.at >= to_db_time(since), cols.at < to_db_time(until))
            if agency_code is not None:
                stmt = stmt.where(of_agency)
            if counter_code is not None:
                stmt = stmt.where(cols.counter_code == counter_code)
            if user is not None:
                stmt = stmt.where(actor == user)
            if actions:
                stmt = stmt.where(cols.action.in_(actions))
            selects.append(stmt)
        sub = union_all(*selects).subquery()
        rows = self.conn.execute(select(sub).order_by(sub.c.at.desc(), sub.c.id.desc()).limit(limit))
        return [AuditEntry(at=from_db_time(r.at), source=Source(r.source), action=r.action,  # type: ignore[arg-type]
                           actor=r.actor, counter_code=r.counter_code, detail=r.detail or "",
                           address=r.address or "", ticket_id=r.ticket_id, ticket_number=r.number,
                           ticket_status=Status(r.status) if r.status else None, service_code=r.service_code)
                for r in rows]
