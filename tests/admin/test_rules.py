"""Edit rules of /admin that depend on today's tickets, and who may edit what (pure domain)."""

from __future__ import annotations

import pytest

from queue_server.config import hall_from_config
from queue_server.domain.access import Actor, Forbidden, Role
from queue_server.domain.admin import EditRefused, Kind, TodayFigures, apply_edit, check_edit, ensure_may_edit
from queue_server.domain.errors import InvalidConfig

from ..support import ADMIN, demo_raw, officer

SPV = Actor("spv", Role.SUPERVISOR, "DUKCAPIL")


def edited(kind: Kind, code: str, **fields: object):  # type: ignore[no-untyped-def]
    """The demo hall before and after one edit, as Catalogs."""
    raw = demo_raw()
    new, _, _ = apply_edit(raw, kind, code, fields)
    return hall_from_config(raw)[0], hall_from_config(new)[0]


def test_quota_down_to_todays_issued_count_is_allowed_below_it_refused() -> None:
    today = TodayFigures(issued={"KTP": 12})
    check_edit(*edited(Kind.SERVICE, "KTP", quota=12), today)
    with pytest.raises(EditRefused, match="di bawah nomor yang sudah diambil hari ini \\(12\\)"):
        check_edit(*edited(Kind.SERVICE, "KTP", quota=11), today)
    check_edit(*edited(Kind.SERVICE, "KTP", name="KTP-el"), TodayFigures(issued={"KTP": 200}))  # quota untouched


def test_a_prefix_another_service_used_today_is_refused() -> None:
    raw = demo_raw()
    without_kk, _, _ = apply_edit(raw, Kind.SERVICE, "KK", {"prefix": "BX"})  # B is free in the file now...
    before = hall_from_config(without_kk)[0]
    after = hall_from_config(apply_edit(without_kk, Kind.SERVICE, "AKTA", {"prefix": "B"})[0])[0]
    with pytest.raises(EditRefused, match="Awalan B sudah dipakai hari ini oleh layanan KK"):
        check_edit(before, after, TodayFigures(prefixes_used={"B": frozenset({"KK"})}))  # ...but KK printed B-001
    check_edit(before, after, TodayFigures())  # another day: fine


def test_a_counter_left_without_an_active_service_is_refused() -> None:
    raw = apply_edit(demo_raw(), Kind.SERVICE, "JHT", {"active": False})[0]
    before, after = hall_from_config(demo_raw())[0], hall_from_config(raw)[0]
    with pytest.raises(EditRefused, match="Loket L09 tidak melayani layanan aktif"):
        check_edit(before, after, TodayFigures())
    with pytest.raises(InvalidConfig, match="tidak melayani layanan apa pun"):  # the file's own rule
        edited(Kind.COUNTER, "L09", services=[])


def test_apply_edit_merges_fields_none_removes_and_new_items_are_appended() -> None:
    raw = demo_raw()
    new, before, after = apply_edit(raw, Kind.SERVICE, "KTP", {"quota": None, "name": "KTP"})
    assert before is not None and before["quota"] == 150 and "quota" not in after and after["prefix"] == "A"
    assert raw["services"][0]["quota"] == 150  # the input is not changed
    new, before, after = apply_edit(raw, Kind.COUNTER, "L99", {"name": "Loket 99", "agency": "KPP", "services": ["NPWP"]})
    assert before is None and new["counters"][-1] == {"code": "L99", "name": "Loket 99", "agency": "KPP", "services": ["NPWP"]}


def test_who_may_edit_what() -> None:
    ensure_may_edit(ADMIN, Kind.SETTINGS, {None})
    ensure_may_edit(SPV, Kind.SERVICE, {"DUKCAPIL"})
    ensure_may_edit(SPV, Kind.COUNTER, {None, "DUKCAPIL"})  # a new counter of its own agency
    for kind, agencies in ((Kind.SERVICE, {"IMIGRASI"}), (Kind.SERVICE, {"DUKCAPIL", "IMIGRASI"}),
                           (Kind.AGENCY, {"DUKCAPIL"}), (Kind.SETTINGS, {None})):
        with pytest.raises(Forbidden):
            ensure_may_edit(SPV, kind, agencies)
    with pytest.raises(Forbidden):
        ensure_may_edit(officer("DUKCAPIL"), Kind.SERVICE, {"DUKCAPIL"})
