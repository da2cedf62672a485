"""The queue's use cases: issue, call, recall, start, finish, no-show, transfer, pause...

Each write runs in one database transaction; the events it produced are published only after
the commit, so a screen never shows what the database does not hold.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from ..adapters.db import read_connection
from ..adapters.repository import Repository
from ..domain.access import Actor
from ..domain.audit import COUNTER_DAY_ACTIONS, AuditEntry
from ..domain.desk import ticket_at_desk
from ..domain.errors import DomainError, InvalidTransition, NotFound
from ..domain.estimate import WaitEstimate, estimate_wait
from ..domain.events import CounterChanged, Event, HallChanged, QueuesChanged, ServiceQueue, TicketChanged
from ..domain.hall import Catalog, Counter
from ..domain.selection import CounterMode, CounterState, next_streak, preferred_lane
from ..domain.tickets import (
    ACTIVE_AT_COUNTER,
    Action,
    Status,
    Ticket,
    Transition,
    day_span,
    format_number,
    local_day,
)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class Publisher(Protocol):
    """Where committed events go (Socket.IO in the server, a list in tests)."""

    def __call__(self, events: list[Event], catalog: Catalog) -> None: ...


class InvalidInput(DomainError):
    """A request whose content is wrong (unknown priority category, empty reason...)."""

    code = "invalid_input"


@dataclass(frozen=True)
class IssuedTicket:
    """A new ticket with its place in the queue, as the kiosk shows and prints it; `replayed` when
    a retried request got the ticket its first try issued (no place once it left the queue)."""

    ticket: Ticket
    estimate: WaitEstimate | None
    replayed: bool = False


class _AlreadyIssued(Exception):
    """Rolls a retried issue back (its serial too); carries the ticket the first try got."""

    def __init__(self, ticket_id: str) -> None:
        super().__init__(ticket_id)
        self.ticket_id = ticket_id


@dataclass(frozen=True)
class TicketStatusView:
    """A ticket as its holder follows it: position while waiting, counter when called."""

    ticket: Ticket
    estimate: WaitEstimate | None


@dataclass(frozen=True)
class CounterView:
    """A counter with its state and the ticket at its desk."""

    counter: Counter
    state: CounterState
    ticket: Ticket | None


@dataclass(frozen=True)
class HallState:
    """What a screen needs on (re)connect: who is at which counter, the latest calls, the queues."""

    at_counters: list[CounterView]
    recent_calls: list[tuple[Transition, Ticket]]
    queues: list[ServiceQueue]


@dataclass
class _Tx:
    repo: Repository
    catalog: Catalog
    now: datetime
    events: list[Event] = field(default_factory=list)

    @property
    def day(self) -> date:
        return local_day(self.now, self.catalog.settings.timezone)

    @property
    def now_local(self) -> datetime:
        return self.now.astimezone(ZoneInfo(self.catalog.settings.timezone))


class QueueService:
    """The hall's queues on one database; thread-safe (one transaction per call)."""

    def __init__(self, engine: Engine, publish: Publisher | None = None, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.publish = publish
        self.clock = clock
        self._catalog: tuple[int, Catalog] | None = None
        self._catalog_lock = threading.Lock()

    # -- transactions ---------------------------------------------------------------------

    def _catalog_for(self, repo: Repository) -> Catalog:
        """The hall, reloaded only when its version changed (config load or admin edit)."""
        version = repo.hall_version()
        cached = self._catalog
        if cached is None or cached[0] != version:
            with self._catalog_lock:
                catalog = repo.load_catalog()
                self._catalog = (version, catalog)
                return catalog
        return cached[1]

    @contextmanager
    def _write(self) -> Iterator[_Tx]:
        with self.engine.begin() as conn:
            repo = Repository(conn)
            tx = _Tx(repo, self._catalog_for(repo), self.clock())
            yield tx
        if self.publish and tx.events:
            self.publish(tx.events, tx.catalog)

    @contextmanager
    def _read(self) -> Iterator[_Tx]:
        with read_connection(self.engine) as conn:
            with conn.begin():
                repo = Repository(conn)
                yield _Tx(repo, self._catalog_for(repo), self.clock())

    def catalog(self) -> Catalog:
        """The configured hall as it stands now."""
        with self._read() as tx:
            return tx.catalog

    # -- queues ---------------------------------------------------------------------------

    def _queues(self, tx: _Tx, codes: list[str] | None = None) -> list[ServiceQueue]:
        """Queue figures of some services (all when None), from a handful of aggregate queries."""
        cat = tx.catalog
        codes = list(cat.services) if codes is None else [c for c in codes if c in cat.services]  # not retired
        waiting = tx.repo.waiting_counts(tx.day)
        issued = tx.repo.issued_counts(tx.day)
        recent = tx.repo.recent_service_times(codes)
        states = tx.repo.counter_states()
        out = []
        for code in codes:
            svc = cat.services[code]
            open_counters = sum(1 for c in cat.counters_serving(code)
                                if states.get(c.code, CounterState(c.code)).mode is CounterMode.OPEN)
            n = waiting.get(code, 0)
            out.append(ServiceQueue(
                service_code=code, waiting=n, issued_today=issued.get(code, 0),
                quota_left=svc.quota_left(issued.get(code, 0)), availability=svc.issuable(tx.now_local, issued.get(code, 0)),
                estimate=estimate_wait(n, recent.get(code, []), svc.target_service_s, open_counters)))
        return out

    def announce_hall_change(self, service_codes: list[str]) -> None:
        """After an admin edit commits: every screen refetches, and the changed services' queue
        figures (open, quota left) go out at once."""
        with self._read() as tx:
            events: list[Event] = [HallChanged(tx.repo.hall_version()),
                                   QueuesChanged(tuple(self._queues(tx, service_codes)))]
        if self.publish:
            self.publish(events, tx.catalog)

    def service_queues(self) -> list[ServiceQueue]:
        """Every active service's queue now (the kiosk's list)."""
        with self._read() as tx:
            return self._queues(tx)

    # -- issuing --------------------------------------------------------------------------

    def issue(self, service_code: str, actor: Actor, priority: str | None = None,
              request_key: str | None = None) -> IssuedTicket:
        """Issue the next number of a service, or refuse with the reason a kiosk shows.

        A kiosk that lost the answer retries with the same `request_key`: it gets the ticket the
        first try issued, not a second number nobody will answer to."""
        actor.ensure_may_issue()
        try:
            return self._issue(service_code, actor, priority, request_key)
        except _AlreadyIssued as earlier:
            view = self.ticket_status(earlier.ticket_id)
            return IssuedTicket(view.ticket, view.estimate, replayed=True)

    def _issue(self, service_code: str, actor: Actor, priority: str | None, request_key: str | None) -> IssuedTicket:
        with self._write() as tx:
            svc = tx.catalog.service(service_code)
            if priority is not None:
                try:
                    tx.catalog.settings.priority.category(priority)
                except NotFound as exc:
                    raise InvalidInput(exc.message, exc.message_en) from None
            serial = tx.repo.next_serial(svc.code, tx.day)
            # Looked up under the serial's row lock, so a concurrent retry of the same service waits
            # for the first try to commit and then finds its ticket.
            earlier = tx.repo.ticket_for_request(actor.name, request_key) if request_key else None
            if earlier:
                raise _AlreadyIssued(earlier.id)  # rolls the serial back
            svc.check_issuable(tx.now_local, serial - 1)  # raising rolls the serial back
            # Arrival is read while the serial's row lock is held, so arrival order = serial order.
            ticket = Ticket(id=secrets.token_urlsafe(9), number=format_number(svc.prefix, serial),
                            service_code=svc.code, origin_service_code=svc.code, day=tx.day, serial=serial,
                            arrival_at=max(tx.now, self.clock()), priority=priority)
            tx.repo.add_ticket(ticket, issued_by=actor.name, request_key=request_key)
            tx.repo.record(Transition(ticket.id, "issue", tx.now, None, Status.WAITING, svc.code, user=actor.name))
            queue = self._queues(tx, [svc.code])[0]
            estimate = queue.estimate.with_people_ahead(tx.repo.people_ahead(ticket))
            tx.events += [TicketChanged(ticket, "issue", tx.now), QueuesChanged((queue,))]
        return IssuedTicket(ticket, estimate)

    # -- counters -------------------------------------------------------------------------

    @contextmanager
    def _at_counter(self, counter_code: str, actor: Actor) -> Iterator[tuple[_Tx, Counter, CounterState]]:
        with self._write() as tx:
            counter = tx.catalog.counter(counter_code)
            actor.ensure_may_act_for(counter.agency_code)
            yield tx, counter, tx.repo.counter_state(counter.code, lock=True)

    def _move(self, tx: _Tx, ticket: Ticket, action: Action, actor: Actor, counter_code: str | None,
              service_code: str | None = None, detail: str = "") -> Ticket:
        """Apply one transition, write it if nobody changed the ticket meanwhile, log and announce it."""
        new = ticket.apply(action, tx.now, counter_code=counter_code, service_code=service_code)
        if not tx.repo.replace_ticket(ticket, new):
            raise InvalidTransition(f"Nomor {ticket.number} baru saja diubah di tempat lain; coba lagi",
                                    f"Ticket {ticket.number} was just changed elsewhere; try again")
        tx.repo.record(Transition(ticket.id, action, tx.now, ticket.status, new.status, new.service_code,
                                  counter_code, actor.name, detail))
        tx.events.append(TicketChanged(new, action.value, tx.now,
                                       ticket.service_code if new.service_code != ticket.service_code else None))
        return new

    def _set_state(self, tx: _Tx, state: CounterState, ticket: Ticket | None = None) -> None:
        tx.repo.save_counter_state(state, tx.now)
        if ticket is None and state.current_ticket_id:
            ticket = tx.repo.get_ticket(state.current_ticket_id)
        tx.events.append(CounterChanged(state, ticket))

    def _announce_queues(self, tx: _Tx, *codes: str) -> None:
        tx.events.append(QueuesChanged(tuple(self._queues(tx, list(dict.fromkeys(codes))))))

    def call_next(self, counter_code: str, actor: Actor) -> Ticket | None:
        """Call the next ticket by the hall's rule and the priority ratio; None when nobody waits."""
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            return self._claim_next(tx, counter, state, actor)

    def _claim_next(self, tx: _Tx, counter: Counter, state: CounterState, actor: Actor) -> Ticket | None:
        """call_next inside an open transaction; the counter's state is saved only when a ticket came."""
        state.ensure_can_call()
        lane = preferred_lane(state.priority_streak, tx.catalog.settings.priority)
        ticket = tx.repo.claim_next(counter.service_codes, lane, tx.catalog.settings.next_ticket_rule,
                                    tx.day, counter.code, tx.now)
        if ticket is None:
            return None
        tx.repo.record(Transition(ticket.id, Action.CALL, tx.now, Status.WAITING, Status.CALLED,
                                  ticket.service_code, counter.code, actor.name))
        tx.events.append(TicketChanged(ticket, Action.CALL.value, tx.now))
        self._set_state(tx, replace(state, current_ticket_id=ticket.id,
                                    priority_streak=next_streak(state.priority_streak, ticket)), ticket)
        self._announce_queues(tx, ticket.service_code)
        return ticket

    def finish_and_call_next(self, counter_code: str, actor: Actor) -> tuple[Ticket, Ticket | None]:
        """Auto-call: finish the ticket at the desk and call the next one in the same transaction.

        One request and one commit, so no other counter sees the desk free in between; a paused
        counter only finishes. The second item is None when nobody waits (or paused).
        """
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            done = self._move(tx, self._current(tx, state), Action.FINISH, actor, counter.code)
            free = replace(state, current_ticket_id=None)
            following = None if free.mode is CounterMode.PAUSED else self._claim_next(tx, counter, free, actor)
            if following is None:
                self._set_state(tx, free)
            return done, following

    def call(self, counter_code: str, ref: str, actor: Actor) -> Ticket:
        """Call a chosen waiting ticket (by id or today's number) of a service this counter serves."""
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            state.ensure_can_call()
            ticket = tx.repo.find_ticket(ref, tx.day)
            if ticket is None:
                raise NotFound(f"Nomor antrean tidak ditemukan: {ref}", f"Ticket not found: {ref}")
            if ticket.service_code not in counter.service_codes:
                raise InvalidTransition(f"Nomor {ticket.number} bukan antrean layanan loket ini",
                                        f"Ticket {ticket.number} is not queued for this counter's services")
            ticket = self._move(tx, ticket, Action.CALL, actor, counter.code)
            self._set_state(tx, replace(state, current_ticket_id=ticket.id, priority_streak=0), ticket)
            self._announce_queues(tx, ticket.service_code)
            return ticket

    def _current(self, tx: _Tx, state: CounterState) -> Ticket:
        return ticket_at_desk(tx.repo.get_ticket(state.current_ticket_id) if state.current_ticket_id else None)

    @staticmethod
    def _check_transfer_target(tx: _Tx, service_code: str | None) -> None:
        if not tx.catalog.service(service_code or "").active:
            raise InvalidTransition("Layanan tujuan sedang tidak tersedia", "Target service is not available")

    def act(self, counter_code: str, action: Action, actor: Actor, service_code: str | None = None,
            note: str = "") -> Ticket:
        """Recall, start, finish, mark no-show or transfer the ticket at the counter's desk."""
        if action in (Action.CALL, Action.CANCEL, Action.REOPEN):
            raise ValueError(f"{action} is not a desk action")
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            ticket = self._current(tx, state)
            if action is Action.TRANSFER:
                self._check_transfer_target(tx, service_code)
            new = self._move(tx, ticket, action, actor, counter.code, service_code, note)
            if new.status not in ACTIVE_AT_COUNTER:
                self._set_state(tx, replace(state, current_ticket_id=None))
            else:  # recall or start: the counter's view (its ticket, what it may do next) changed too
                tx.events.append(CounterChanged(state, new))
            if action is Action.TRANSFER:
                self._announce_queues(tx, ticket.service_code, new.service_code)
            return new

    def pause(self, counter_code: str, reason: str, actor: Actor) -> CounterState:
        """Pause a counter with a reason; the ticket at its desk (if any) stays."""
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            new = state.pause(reason)
            tx.repo.record_counter_event(counter.code, "pause", tx.now, actor.name, new.pause_reason)
            self._set_state(tx, new)
            return new

    def resume(self, counter_code: str, actor: Actor) -> CounterState:
        """Resume a paused counter."""
        with self._at_counter(counter_code, actor) as (tx, counter, state):
            new = state.resume()
            tx.repo.record_counter_event(counter.code, "resume", tx.now, actor.name)
            self._set_state(tx, new)
            return new

    # -- tickets by id (supervisors) ------------------------------------------------------

    def change_ticket(self, ticket_id: str, action: Action, actor: Actor, note: str = "",
                      service_code: str | None = None) -> Ticket:
        """Cancel, re-open or transfer (to `service_code`) a ticket by id; frees the counter that held it."""
        if action not in (Action.CANCEL, Action.REOPEN, Action.TRANSFER):
            raise ValueError(f"{action} is not a ticket-level action")
        with self._write() as tx:
            ticket = tx.repo.get_ticket(ticket_id)
            if ticket is None:
                raise NotFound("Nomor antrean tidak ditemukan", "Ticket not found")
            actor.ensure_may_act_for(tx.catalog.service(ticket.service_code).agency_code)
            if action is Action.TRANSFER:
                self._check_transfer_target(tx, service_code)
            holder = ticket.counter_code if ticket.status in ACTIVE_AT_COUNTER else None
            new = self._move(tx, ticket, action, actor, holder, service_code, detail=note)
            if holder:
                self._set_state(tx, replace(tx.repo.counter_state(holder, lock=True), current_ticket_id=None))
            self._announce_queues(tx, ticket.service_code, new.service_code)
            return new

    def audit(self, actor: Actor, day: date | None = None, counter_code: str | None = None, user: str | None = None,
              before: datetime | None = None, limit: int = 200) -> list[AuditEntry]:
        """The audit trail of a day (today by default), newest first: supervisors and admins only.

        A supervisor of one agency reads that agency's part; a hall supervisor or admin all of it.
        """
        actor.ensure_supervisor()
        with self._read() as tx:
            since, until = day_span(day or tx.day, tx.catalog.settings.timezone)
            return tx.repo.audit_entries(since, min(until, before) if before else until, actor.agency_code,
                                         counter_code, user, limit=limit)

    def counter_day(self, counter_code: str, actor: Actor) -> list[AuditEntry]:
        """The tickets a counter let go of today (finished, no-show, transferred), newest first."""
        with self._read() as tx:
            counter = tx.catalog.counter(counter_code)
            actor.ensure_may_act_for(counter.agency_code)
            since, until = day_span(tx.day, tx.catalog.settings.timezone)
            return tx.repo.audit_entries(since, until, counter_code=counter.code, actions=COUNTER_DAY_ACTIONS,
                                         limit=1000)

    def tickets_today(self, actor: Actor, statuses: tuple[Status, ...], limit: int = 1000) -> list[Ticket]:
        """Today's tickets in these states of every service this person may act for (a supervisor's list)."""
        actor.ensure_staff()
        with self._read() as tx:
            codes = tuple(s.code for s in tx.catalog.services.values() if actor.may_act_for(s.agency_code))
            return tx.repo.tickets_of_day(codes, tx.day, statuses, limit)

    # -- reads ----------------------------------------------------------------------------

    def ticket_status(self, ticket_id: str) -> TicketStatusView:
        """A ticket by its unguessable id with its position and wait while it waits."""
        with self._read() as tx:
            ticket = tx.repo.get_ticket(ticket_id)
            if ticket is None:
                raise NotFound("Nomor antrean tidak ditemukan", "Ticket not found")
            queues = self._queues(tx, [ticket.service_code])
            if ticket.status is not Status.WAITING or ticket.day != tx.day or not queues:
                return TicketStatusView(ticket, None)
            return TicketStatusView(ticket, queues[0].estimate.with_people_ahead(tx.repo.people_ahead(ticket)))

    def counters(self, actor: Actor) -> list[CounterView]:
        """Counters this person may see (own agency, or all) with state and current ticket."""
        actor.ensure_staff()
        with self._read() as tx:
            states = tx.repo.counter_states()
            at_desk = {t.id: t for t in tx.repo.tickets_at_counters()}
            out = []
            for c in tx.catalog.counters.values():
                if actor.may_act_for(c.agency_code):
                    state = states.get(c.code, CounterState(c.code))
                    out.append(CounterView(c, state, at_desk.get(state.current_ticket_id or "")))
            return out

    def waiting(self, service_codes: tuple[str, ...]) -> list[Ticket]:
        """Today's waiting tickets of some services, oldest first (a console's list)."""
        with self._read() as tx:
            return tx.repo.waiting_tickets(service_codes, tx.day)

    def hall_state(self, agencies: tuple[str, ...] = (), recent: int = 8) -> HallState:
        """Current and recent calls and the queues, limited to some agencies when given."""
        with self._read() as tx:
            cat = tx.catalog

            def shown(service_code: str) -> bool:
                svc = cat.services.get(service_code)
                return svc is not None and (not agencies or svc.agency_code in agencies)

            states = tx.repo.counter_states()
            at_counters = [CounterView(cat.counters[t.counter_code], states[t.counter_code], t)
                           for t in tx.repo.tickets_at_counters()
                           if t.counter_code in cat.counters and shown(t.service_code)]
            midnight = tx.now_local.replace(hour=0, minute=0, second=0, microsecond=0)
            codes = [code for code in cat.services if shown(code)]
            calls = tx.repo.recent_calls(midnight, recent, codes)
            queues = [q for q in self._queues(tx) if shown(q.service_code)]
            return HallState(at_counters, calls, queues)
