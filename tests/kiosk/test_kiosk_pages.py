"""The kiosk and phone pages over HTTP, and who may print a ticket."""

from __future__ import annotations

import re
from pathlib import Path

from flask.testing import FlaskClient

from ..printers.helpers import KIOSK, hall_with_printer, issue, make_app, staff, wait_job
from ..support import FakeClock

REMOTE = re.compile(r"""(https?:)?//(?!www\.w3\.org/2000/svg)[a-z0-9.-]+\.[a-z]{2,}""", re.I)


def test_kiosk_page_serves_every_asset_locally(client: FlaskClient) -> None:
    page = client.get("/kiosk")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Mal Pelayanan Publik Kota Sukamaju" in html and 'lang="id"' in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 3
    for url in assets:
        assert url.startswith("/"), url
        body = client.get(url)
        assert body.status_code == 200, url
        assert not REMOTE.search(body.get_data(as_text=True)) or url.endswith("socket.io.min.js"), url
    assert not REMOTE.search(html)


def test_search_endpoint(client: FlaskClient) -> None:
    assert client.get("/kiosk/search?q=ktp").json == {"query": "ktp", "services": ["KTP"]}
    assert client.get("/kiosk/search?q=").json["services"] == []


def test_kiosk_without_printer_gets_no_job_and_prints_nothing(client: FlaskClient, tokens: dict) -> None:
    ticket = issue(client)
    r = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
    assert r.status_code == 200 and r.json == {"job": None}
    display = {"Authorization": f"Bearer {tokens['display']}"}
    assert client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=display).status_code == 403
    assert client.post("/api/v1/tickets/nope/print", headers=KIOSK).status_code == 404
    assert client.post(f"/api/v1/tickets/{ticket['id']}/print").status_code == 401


def test_print_once_by_the_kiosk_then_only_staff_of_the_agency_reprint(tmp_path: Path) -> None:
    folder = tmp_path / "tickets"
    client = make_app(tmp_path, hall_with_printer({"transport": "virtual", "folder": str(folder)})).test_client()
    ticket = issue(client)
    first = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
    assert first.status_code == 201 and first.json["job"]["kind"] == "ticket"
    assert wait_job(client, first.json["job"]["id"])["state"] == "printed"
    second = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=KIOSK)
    assert second.status_code == 403 and "petugas" in second.json["error"]["message"]
    other_agency = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=staff(client, "petugas.imigrasi"))
    assert other_agency.status_code == 403
    admin = staff(client, "admin")
    assert client.post(f"/api/v1/tickets/{ticket['id']}/print", json={"printer": "Tidak Ada"},
                       headers=admin).status_code == 404
    reprint = client.post(f"/api/v1/tickets/{ticket['id']}/print", headers=admin)
    assert reprint.status_code == 201 and reprint.json["job"]["kind"] == "reprint"
    assert wait_job(client, reprint.json["job"]["id"])["state"] == "printed"
    assert len(list(folder.glob(f"*/*{ticket['number']}.bin"))) == 2
    assert client.get("/api/v1/printers", headers=KIOSK).status_code == 403
    jobs = client.get("/api/v1/printers", headers=admin).json["jobs"]
    assert [j["kind"] for j in jobs] == ["reprint", "ticket"]


def test_phone_page_renders_without_script_and_stays_small(client: FlaskClient, clock: FakeClock) -> None:
    issue(client)
    clock.advance(seconds=30)
    ticket = issue(client)
    page = client.get(f"/t/{ticket['id']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and ticket["number"] in html and "menunggu" in html
    assert re.search(r'id="position">2<', html) and re.search(r'id="ahead">1<', html)
    script = client.get("/kiosk/static/track.js")
    assert len(script.data) < 4096 and len(page.data) < 6144  # no framework, no 48 KB client
    assert not REMOTE.search(html)
    qr = client.get(f"/t/{ticket['id']}/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<path" in qr.data
    assert not REMOTE.search(qr.get_data(as_text=True))
    missing = client.get("/t/tidak-ada")
    assert missing.status_code == 404 and "tidak ditemukan" in missing.get_data(as_text=True)
    assert client.get("/t/tidak-ada/qr.svg").status_code == 404
