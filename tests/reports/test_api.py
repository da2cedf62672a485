"""The reports' JSON API (/api/v1/reports/...): the page's and XLSX's figures, SKM per counter, errors, access.

The API's figures are compared cell by cell with the XLSX (and the page's total row and heat map)
on the generated history, and recomputed here from the generator's records; the SKM per counter
is worked by hand and recomputed with fractions in the test.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import openpyxl
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine

from queue_server.domain.access import Role
from queue_server.service_layer.accounts import Accounts
from queue_server.service_layer.queue import QueueService
from tests.support import PASSWORD, SECRET

from .conftest import History
from .test_figures import WIB, key_of, median, p90
from .test_pages import number, page_total, signed_in
from .test_survey import answer, served_at

RANGE = "from=2026-11-02&to=2026-11-15"
DAY = "from=2026-11-23&to=2026-11-23"  # the fake clock's day


def bearer(client: FlaskClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.get_data(as_text=True)
    return {"Authorization": f"Bearer {r.json['token']}"}


@pytest.fixture
def staff(engine: Engine, tokens: dict[str, str]) -> None:
    """Two agencies' supervisors beside the admin and officers of tests.support."""
    accounts = Accounts(engine, SECRET)
    accounts.add_user("spv.dukcapil", PASSWORD, Role.SUPERVISOR, "DUKCAPIL")
    accounts.add_user("spv.imigrasi", PASSWORD, Role.SUPERVISOR, "IMIGRASI")


def minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def as_cells(row: dict[str, Any], timed: bool) -> list[Any]:
    """An API row as the XLSX prints it: minutes and percent with one decimal."""
    share = row["share_within_target"]
    cells = [row["issued"], row["served"], row["no_show"], row["cancelled"], row["transferred"],
             *(minutes(row[d][k]) for d in ("wait_s", "service_s") for k in ("mean", "median", "p90")),
             None if share is None else round(share * 100, 1)]
    return cells + ([minutes(row["pause_s"]), minutes(row["idle_s"])] if timed else [])


@pytest.mark.parametrize("by", ["hall", "agency", "service", "counter", "officer"])
def test_ticket_figures_equal_the_xlsx_and_the_page(client: FlaskClient, history: History, by: str) -> None:
    got = client.get(f"/api/v1/reports/tickets?{RANGE}&by={by}", headers=bearer(client, "admin"))
    assert got.status_code == 200, got.get_data(as_text=True)
    api = got.json
    assert (api["from"], api["to"], api["by"], api["agency"]) == ("2026-11-02", "2026-11-15", by, None)
    signed_in(client, "admin")
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/tickets.xlsx?{RANGE}&by={by}").data)).active
    xlsx = list(sheet.iter_rows(values_only=True))[2:]
    timed = by in ("counter", "officer")
    assert [[r["label"], *as_cells(r, timed)] for r in api["rows"]] == [list(r) for r in xlsx[:-1]]
    assert ["Jumlah / Total", *as_cells(api["total"], timed)] == list(xlsx[-1])
    shown = page_total(client.get(f"/reports?{RANGE}&by={by}").get_data(as_text=True))
    assert [number(c) for c in shown[1:]] == [number(c) for c in as_cells(api["total"], timed)]
    assert api["total"]["issued"] == sum(r["issued"] for r in api["rows"]) == 3500


def test_ticket_figures_recomputed_from_the_records(client: FlaskClient, history: History,
                                                    queue: QueueService) -> None:
    api = client.get(f"/api/v1/reports/tickets?{RANGE}&by=service", headers=bearer(client, "admin")).json
    groups = defaultdict(list)
    for m in history.tickets:
        groups[key_of("service", queue)(m)].append(m)
    assert {r["key"] for r in api["rows"]} == set(groups)
    targets = {code: s.target_service_s for code, s in queue.catalog().services.items()}
    for row in [*api["rows"], {**api["total"], "key": None}]:
        made = groups[row["key"]] if row["key"] else history.tickets
        done = [m for m in made if m.status == "done"]
        waits = [(m.called - m.arrival).total_seconds() for m in made if m.called]
        serves = [(m.finished - (m.started or m.called)).total_seconds() for m in done]
        assert (row["issued"], row["served"], row["no_show"], row["cancelled"], row["transferred"]) == (
            len(made), len(done), sum(m.status == "no_show" for m in made),
            sum(m.status == "cancelled" for m in made), sum(m.origin != m.service for m in made))
        within = sum(s <= targets[m.service] for m, s in zip(done, serves, strict=True))
        assert row["within_target"] == within
        assert row["share_within_target"] == pytest.approx(within / len(done))
        for got, values in ((row["wait_s"], waits), (row["service_s"], serves)):
            assert got["count"] == len(values)
            assert got["mean"] == pytest.approx(sum(values) / len(values), abs=1e-3)
            assert got["median"] == pytest.approx(median(values), abs=1e-3)
            assert got["p90"] == pytest.approx(p90(values), abs=1e-3)
        assert row["pause_s"] is None and row["idle_s"] is None  # only by counter or officer


def test_heat_map_equals_the_page_and_the_records(client: FlaskClient, history: History) -> None:
    api = client.get(f"/api/v1/reports/heatmap?{RANGE}", headers=bearer(client, "admin")).json
    expected = [[0] * 24 for _ in range(7)]
    for m in history.tickets:
        local = m.arrival.astimezone(WIB)
        expected[local.weekday()][local.hour] += 1
    assert api["arrivals"] == expected and api["timezone"] == "Asia/Jakarta" and api["by"] == "hall"
    assert [d["name"] for d in api["weekdays"]][:2] == ["Senin", "Selasa"]
    signed_in(client, "admin")
    html = client.get(f"/reports?{RANGE}").get_data(as_text=True)
    heat = re.search(r'<table class="heat" id="heat">.*?<tbody>(.*?)</tbody>', html, re.S)
    assert heat
    page = [[int(n) for n in re.findall(r'title="(\d+)"', row)]
            for row in re.findall(r"<tr>(.*?)</tr>", heat.group(1), re.S)]
    assert page == api["arrivals"]


# -- SKM per counter, worked by hand --------------------------------------------------------------------

# Loket 1: totals per element 11,10,11,10,11,10,11,10,11 → Σ NRR = 95/3 → IKM 2375/27 = 87,96 (B)
L01 = [[4] * 9, [3] * 9, [4, 3, 4, 3, 4, 3, 4, 3, 4]]
# Loket 2: totals 5,4,4,4,4,4,4,4,3 → Σ NRR = 18 → IKM 50,00 (D)
L02 = [[2] * 9, [3, 2, 2, 2, 2, 2, 2, 2, 1]]
# Both (Dukcapil): totals 16,14,15,14,15,14,15,14,14 over 5 → Σ NRR = 131/5 → IKM 72,78 (C)
HAND = {"L01": ("87.96", "B"), "L02": ("50.00", "D"), None: ("72.78", "C")}


def by_hand(responses: list[list[int]]) -> tuple[list[Fraction], str]:
    """NRR per element and the printed IKM, recomputed: IKM = Σ (NRR × 1/9) × 25, half-up to 2 decimals."""
    nrr = [Fraction(sum(r[i] for r in responses), len(responses)) for i in range(9)]
    ikm = sum((n * Fraction(1, 9) for n in nrr), Fraction(0)) * 25
    return nrr, str((Decimal(ikm.numerator) / Decimal(ikm.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP))


@pytest.fixture
def surveyed(client: FlaskClient, queue: QueueService, staff: None) -> None:
    """Five Dukcapil answers at Loket 1 and 2 (above) and one Imigrasi answer at Loket 5."""
    for counter, service, responses in (("L01", "KTP", L01), ("L02", "KTP", L02), ("L05", "PASPOR", [[4] * 9])):
        for ticket_id, scores in zip(served_at(queue, counter, service, len(responses)), responses, strict=True):
            assert answer(client, ticket_id, scores) == 200


def test_skm_by_counter_worked_by_hand(client: FlaskClient, surveyed: None) -> None:
    api = client.get(f"/api/v1/reports/skm?{DAY}&by=counter&agency=DUKCAPIL", headers=bearer(client, "admin")).json
    assert api["by"] == "counter" and api["agency"]["code"] == "DUKCAPIL"
    assert [e["name"] for e in api["elements"]][:3] == ["Persyaratan", "Sistem, Mekanisme, dan Prosedur",
                                                       "Waktu Penyelesaian"]
    rows = {r["key"]: r for r in api["rows"]}
    assert set(rows) == {"L01", "L02"} and rows["L01"]["label"] == "Loket 1"
    for key, responses in (("L01", L01), ("L02", L02), (None, L01 + L02)):
        row = rows[key] if key else api["total"]
        nrr, ikm = by_hand(responses)
        assert (f"{row['ikm']:.2f}", row["category"]["letter"]) == (ikm, HAND[key][1]) == HAND[key]
        assert row["respondents"] == len(responses)
        assert row["nrr"] == [pytest.approx(float(n)) for n in nrr]
    assert api["total"]["category"] == {"letter": "C", "name": "Kurang Baik", "name_en": "Poor"}
    everyone = client.get(f"/api/v1/reports/skm?{DAY}&by=counter", headers=bearer(client, "admin")).json
    assert [r["key"] for r in everyone["rows"]] == ["L01", "L02", "L05"] and everyone["total"]["respondents"] == 6


def test_skm_by_counter_on_the_page_and_xlsx_equals_the_api(client: FlaskClient, surveyed: None) -> None:
    api = client.get(f"/api/v1/reports/skm?{DAY}&by=counter", headers=bearer(client, "spv.dukcapil")).json
    assert [r["key"] for r in api["rows"]] == ["L01", "L02"]  # a supervisor: their agency's counters only
    signed_in(client, "spv.dukcapil")
    html = client.get(f"/reports/skm?{DAY}&by=counter").get_data(as_text=True)
    assert '<option value="counter" selected>Loket / Counter</option>' in html
    assert re.search(r'id="skm-ikm">72,78<', html) and re.search(r'id="skm-category">C · Kurang Baik', html)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/reports/skm.xlsx?{DAY}&by=counter").data)).active
    xlsx = list(sheet.iter_rows(values_only=True))
    assert xlsx[1][0] == "Loket / Counter"
    for cells, row in zip(xlsx[2:], [*api["rows"], api["total"]], strict=True):
        assert cells[1] == row["respondents"]
        assert list(cells[2:11]) == [round(n, 2) for n in row["nrr"]]
        assert (cells[11], cells[12][0]) == (row["ikm"], row["category"]["letter"])
    assert [c[0] for c in xlsx[2:]] == ["Loket 1", "Loket 2", "Jumlah / Total"]


def test_skm_is_never_per_officer(client: FlaskClient, staff: None) -> None:
    r = client.get(f"/api/v1/reports/skm?{DAY}&by=officer", headers=bearer(client, "admin"))
    assert r.status_code == 422 and "officer" in r.json["error"]["message"]
    signed_in(client, "admin")
    assert client.get(f"/reports/skm?{DAY}&by=officer").status_code == 422


# -- validation and access -------------------------------------------------------------------------------

@pytest.mark.parametrize("path, query", [
    ("tickets", "from=2026-13-01&to=2026-11-15"),        # not a date
    ("tickets", "from=15-11-2026"),                      # not ISO
    ("tickets", "from=2026-11-15&to=2026-11-02"),        # from after to
    ("heatmap", "from=2025-01-01&to=2026-11-15"),        # over 400 days
    ("tickets", "from=2026-11-02&to=2026-11-15&by=week"),  # unknown grouping
    ("skm", "from=2026-11-02&to=2026-11-15&by=hari"),
])
def test_bad_queries_are_422_in_both_languages(client: FlaskClient, staff: None, path: str, query: str) -> None:
    r = client.get(f"/api/v1/reports/{path}?{query}", headers=bearer(client, "admin"))
    assert r.status_code == 422 and r.is_json
    error = r.json["error"]
    assert error["code"] == "invalid_input" and error["message"] and error["message_en"]
    assert error["message"] != error["message_en"]


@pytest.mark.parametrize("path", ["tickets", "heatmap", "skm"])
def test_access(app: Flask, client: FlaskClient, staff: None, tokens: dict[str, str], path: str) -> None:
    url = f"/api/v1/reports/{path}?{DAY}"
    assert client.get(url).status_code == 401
    assert client.get(url, headers={"Authorization": "Bearer nonsense"}).status_code == 401
    officer_ = client.get(url, headers=bearer(client, "petugas.dukcapil"))
    assert officer_.status_code == 403 and officer_.json["error"]["message_en"] == "Supervisors only"
    bad = f"/api/v1/reports/{path}?from=rubbish&by=week"
    assert client.get(bad, headers=bearer(client, "petugas.dukcapil")).status_code == 403  # reader before query
    assert client.get(url, headers={"Authorization": f"Bearer {tokens['kiosk']}"}).status_code == 403
    spv = bearer(client, "spv.imigrasi")
    other = client.get(f"{url}&agency=DUKCAPIL", headers=spv)
    assert other.status_code == 403 and other.json["error"]["message"]
    own = client.get(url, headers=spv)
    assert own.status_code == 200 and own.json["agency"]["code"] == "IMIGRASI"  # scoped without asking
    assert client.get(f"{url}&agency=NOPE", headers=bearer(client, "admin")).status_code == 404


def test_the_console_cookie_is_not_accepted(app: Flask, staff: None) -> None:
    browser = app.test_client()
    signed_in(browser, "admin")
    assert browser.get(f"/reports?{DAY}").status_code == 200  # the cookie works on the page...
    r = browser.get(f"/api/v1/reports/tickets?{DAY}")
    assert r.status_code == 401 and r.is_json  # ...not on the API
