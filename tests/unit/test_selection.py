"""The next-ticket rule: oldest first, service order, priority interleaved without starvation."""

from datetime import UTC, date, datetime, timedelta

from queue_server.domain.hall import NextTicketRule, PriorityPolicy
from queue_server.domain.selection import Lane, next_streak, pick_next, preferred_lane
from queue_server.domain.tickets import Action, Ticket

T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def tickets(spec: str, service: str = "KTP") -> list[Ticket]:
    """'RRPR': R regular, P priority, arriving a minute apart."""
    return [Ticket(id=f"{service}{i:03d}", number=f"A-{i + 1:03d}", service_code=service,
                   origin_service_code=service, day=date(2026, 11, 23), serial=i + 1,
                   arrival_at=T0 + timedelta(minutes=i), priority="lansia" if c == "P" else None)
            for i, c in enumerate(spec)]


def drain(waiting: list[Ticket], policy: PriorityPolicy, services: tuple[str, ...] = ("KTP",),
          rule: NextTicketRule = NextTicketRule.OLDEST_FIRST) -> str:
    """Call everything one by one; the order as a string of R/P."""
    waiting, streak, out = list(waiting), 0, ""
    while (t := pick_next(waiting, preferred_lane(streak, policy), services, rule)) is not None:
        waiting.remove(t)
        streak = next_streak(streak, t.apply(Action.CALL, T0, counter_code="L01"))
        out += "P" if t.is_priority else "R"
    return out


def test_oldest_first_without_priority() -> None:
    ts = tickets("RRRR")
    assert pick_next(list(reversed(ts)), Lane.REGULAR, ("KTP",), NextTicketRule.OLDEST_FIRST) is ts[0]


def test_priority_interleaves_two_to_one_and_neither_side_starves() -> None:
    assert drain(tickets("RRRRRRPPPPPP"), PriorityPolicy(ratio=2)) == "PPRPPRPPRRRR"
    assert drain(tickets("PPPPPPRRR"), PriorityPolicy(ratio=1)) == "PRPRPRPPP"


def test_ratio_zero_serves_priority_only_when_no_regular_waits() -> None:
    assert drain(tickets("PRRP"), PriorityPolicy(ratio=0)) == "RRPP"


def test_priority_lane_is_oldest_first_within_itself() -> None:
    ts = tickets("RPRP")
    chosen = pick_next(ts, Lane.PRIORITY, ("KTP",), NextTicketRule.OLDEST_FIRST)
    assert chosen is ts[1]


def test_service_order_rule_prefers_the_counters_first_service() -> None:
    ktp = tickets("RR", "KTP")
    kk = [t for t in tickets("R", "KK")]
    kk = [Ticket(**{**kk[0].__dict__, "arrival_at": T0 - timedelta(hours=1)})]  # KK arrived earlier
    both = ktp + kk
    assert pick_next(both, Lane.REGULAR, ("KTP", "KK"), NextTicketRule.SERVICE_ORDER) is ktp[0]
    assert pick_next(both, Lane.REGULAR, ("KTP", "KK"), NextTicketRule.OLDEST_FIRST) is kk[0]


def test_counter_only_sees_its_own_services() -> None:
    assert pick_next(tickets("RR", "NPWP"), Lane.REGULAR, ("KTP",), NextTicketRule.OLDEST_FIRST) is None
