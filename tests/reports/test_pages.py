"""The report pages and their exports through the app (real SQLite, the console's sign-in form)."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Engine

from queue_server.domain.access import Role
from queue_server.service_layer.accounts import Accounts

from ..support import PASSWORD, SECRET
from .conftest import History

RANGE = "from=2026-11-02&to=2026-11-15"


def signed_in(client: FlaskClient, username: str) -> FlaskClient:
    """The client after the sign-in form (CSRF token read from the page, as a browser does)."""
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert csrf
    r = client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf.group(1)})
    assert r.status_code == 302
    return client


@pytest.fixture
def supervisor(engine: Engine, tokens: dict[str, str]) -> str:
    Accounts(engine, SECRET).add_user("spv.dukcapil", PASSWORD, Role.SUPERVISOR, "DUKCAPIL")
    return "spv.dukcapil"


def page_total(html: str) -> list[str]:
    """The cells of the page's total row, as printed."""
    row = re.search(r'<tr id="report-total">(.*?)</tr>', html, re.S)
    assert row
    return [re.sub(r"<.*?>", "", c).strip() for c in re.findall(r"<th[^>]*>(.*?)</th>", row.group(1), re.S)]


def number(cell: object) -> object:
    """A cell as a value: page text ("1.234,5", "–") or an XLSX/CSV cell, so both compare as numbers."""
    if cell in (None, "", "–"):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = str(cell)
    if re.fullmatch(r"-?[\d.]+(,\d+)?", text):
        return float(text.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)
    return text


@pytest.mark.parametrize("by", ["service", "officer"])
def test_xlsx_and_csv_totals_equal_the_page(client: FlaskClient, history: History, by: str) -> None:
    signed_in(client, "admin")
    html = client.get(f"/reports?{RANGE}&by={by}").get_data(as_text=True)
    shown = page_total(html)
    assert shown[0] == "Jumlah / Total" and shown[1] == "3.500"
    r = client.get(f"/reports/tickets.xlsx?{RANGE}&by={by}")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(r.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [number(v) for v in rows[-1]] == [number(v) for v in shown]
    assert sum(row[1] for row in rows[2:-1]) == rows[-1][1] == 3500  # rows add up to the total
    lines = list(csv.reader(io.StringIO(client.get(f"/reports/tickets.csv?{RANGE}&by={by}").get_data(as_text=True))))
    assert [float(v) if re.fullmatch(r"-?\d+(\.\d+)?", v) else (v or None) for v in lines[-1]] == [number(v) for v in shown]
    assert 'id="heat"' in html and "chart.umd.min.js" in html


def test_supervisor_sees_own_agency_only_officer_refused(client: FlaskClient, history: History, supervisor: str,
                                                        app) -> None:  # type: ignore[no-untyped-def]
    signed_in(client, supervisor)
    html = client.get(f"/reports?{RANGE}&by=agency").get_data(as_text=True)
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)  # type: ignore[union-attr]
    assert "Dinas Kependudukan" in body and "Imigrasi" not in body
    assert client.get(f"/reports?{RANGE}&agency=IMIGRASI").status_code == 403
    other = app.test_client()
    signed_in(other, "petugas.dukcapil")
    assert other.get(f"/reports?{RANGE}").status_code == 403
    assert other.get(f"/reports/skm?{RANGE}").status_code == 403
    assert other.get(f"/reports/tickets.xlsx?{RANGE}").status_code == 403


def test_not_signed_in_goes_to_login(client: FlaskClient) -> None:
    r = client.get("/reports/skm")
    assert r.status_code == 302 and "/login?next=/reports/skm" in r.headers["Location"]
