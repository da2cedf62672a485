"""A display's announcement queue and what each screen shows (pure rules)."""

from __future__ import annotations

from display.playlist import AnnouncementQueue, QueuedCall
from display.profile import DisplayConfig
from queue_server.config import hall_from_config

from ..support import demo_raw


def _call(number: str, counter: str = "Loket 1", recall: bool = False) -> QueuedCall:
    return QueuedCall(number, counter, f"{number} {counter}", "/chime.wav", f"/{number}.wav", repeat=2, recall=recall)


def test_calls_are_kept_in_order_and_repeats_give_way_to_waiting_calls() -> None:
    q = AnnouncementQueue()
    for number in ("A-001", "A-002", "A-003"):
        assert q.push(_call(number))
    first = q.pop()
    assert first is not None and first.number == "A-001"
    assert not q.say_again(first, 1)  # two others wait: said once only
    second = q.pop()
    assert second is not None and second.number == "A-002" and not q.say_again(second, 1)
    last = q.pop()
    assert last is not None and last.number == "A-003"
    assert q.say_again(last, 1) and not q.say_again(last, 2)  # nobody waits: the full repeat
    assert q.pop() is None


def test_a_recall_is_queued_again_but_an_identical_waiting_call_is_not_doubled() -> None:
    q = AnnouncementQueue()
    assert q.push(_call("A-001"))
    assert not q.push(_call("A-001"))
    assert q.push(_call("A-001", recall=True))
    assert q.push(_call("A-001", counter="Loket 2"))
    assert len(q) == 3


def test_a_display_is_limited_by_its_device_agencies_and_by_floor_or_zone_in_config() -> None:
    raw = demo_raw()
    raw["displays"] = [{"device": "Layar Lantai 2", "floors": ["2"], "recent": 5},
                       {"device": "Layar Zona C", "zones": ["C"], "agencies": ["SAMSAT"]},
                       {"device": "Layar Lantai 9", "floors": ["9"]}]
    catalog, settings_json = hall_from_config(raw)
    config = DisplayConfig.from_json(settings_json)
    floor2 = config.profile("Layar Lantai 2", (), catalog)
    assert floor2.agencies == ("KPP", "BPN", "KEMENAG", "PDAM", "DPMPTSP", "POLRES") and floor2.recent == 5
    zone_c = config.profile("Layar Zona C", ("DUKCAPIL",), catalog)
    assert zone_c.agencies == ("DUKCAPIL", "BPJSKES", "BPJSTK", "SAMSAT")
    assert config.profile("Layar Lantai 9", (), catalog).agencies == ("",)  # limited to nothing: shows nothing
    hall = config.profile("", (), catalog)
    assert hall.agencies == () and hall.recent == 8 and hall.running_text.startswith("Selamat datang")
