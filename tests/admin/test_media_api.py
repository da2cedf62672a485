"""/api/v1/admin/media (the displays' images and videos) and the announcement preview, on real files."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image

from .test_admin_api import token


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 18), "navy").save(out, "PNG")
    return out.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64


@pytest.fixture
def admin(client: FlaskClient, tmp_path: Path) -> dict[str, str]:
    """An admin's header, with the hall's media folder set to a fresh temporary one."""
    headers = token(client, "admin")
    r = client.put("/api/v1/admin/settings/display", headers=headers,
                   json={"media_dir": str(tmp_path / "media"), "running_text": "Halo", "media_max_mb": 1})
    assert r.status_code == 200, r.text
    return headers


def upload(client: FlaskClient, headers: dict[str, str], name: str, content: bytes) -> Any:
    return client.post("/api/v1/admin/media", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(content), name)})


def test_upload_lists_serves_and_tells_the_displays(app: Flask, client: FlaskClient, admin: dict[str, str],
                                                    tmp_path: Path) -> None:
    socketio = app.extensions["antrean.socketio"]
    display = socketio.test_client(app, namespace="/display", auth={"token": "dev_test-display"},
                                   flask_test_client=client)
    assert display.get_received("/display")[0]["args"][0]["display"]["media"] == []
    r = upload(client, admin, "Aula Lantai 1.png", png())
    assert r.status_code == 201, r.text
    assert r.get_json() == {"name": "Aula_Lantai_1.png", "size": len(png()), "kind": "image"}
    assert upload(client, admin, "promo.mp4", MP4).status_code == 201
    assert [f["name"] for f in client.get("/api/v1/admin/media", headers=admin).get_json()] == [
        "Aula_Lantai_1.png", "promo.mp4"]
    served = client.get("/display/media/Aula_Lantai_1.png")
    assert served.status_code == 200 and served.data == png()
    deadline, names = time.monotonic() + 3, set()
    while "hall" not in names and time.monotonic() < deadline:
        names |= {e["name"] for e in display.get_received("/display")}
        time.sleep(0.05)
    assert "hall" in names  # the display reconnects on `hall` and its fresh `state` lists the new files
    display.disconnect("/display")
    display.connect("/display", auth={"token": "dev_test-display"})
    state = next(e for e in display.get_received("/display") if e["name"] == "state")["args"][0]
    assert state["display"]["media"] == ["/display/media/Aula_Lantai_1.png?device=display",
                                         "/display/media/promo.mp4?device=display"]

    r = upload(client, admin, "Aula Lantai 1.png", png())  # a taken name is refused, never replaced
    assert r.status_code == 409 and "sudah ada" in r.get_json()["error"]["message"]

    r = client.delete("/api/v1/admin/media/promo.mp4", headers=admin)
    assert r.status_code == 200 and [f["name"] for f in r.get_json()] == ["Aula_Lantai_1.png"]
    assert not (tmp_path / "media" / "promo.mp4").exists()
    assert client.get("/display/media/promo.mp4").status_code == 404
    assert client.delete("/api/v1/admin/media/promo.mp4", headers=admin).status_code == 404
    for outside in ("..%2F..%2Fantrean.db", "../antrean.db", "..%5Cantrean.db"):
        assert client.delete(f"/api/v1/admin/media/{outside}", headers=admin).status_code == 404, outside
    assert (tmp_path / "antrean.db").exists()
    changes = client.get("/api/v1/admin/changes", headers=admin).get_json()
    assert [(c["kind"], c["code"], c["before"] and c["before"]["name"], c["after"] and c["after"]["name"])
            for c in changes[:3]] == [("media", "promo.mp4", "promo.mp4", None),
                                      ("media", "promo.mp4", None, "promo.mp4"),
                                      ("media", "Aula_Lantai_1.png", None, "Aula_Lantai_1.png")]


def test_bad_uploads_are_refused_and_write_nothing(client: FlaskClient, admin: dict[str, str],
                                                   tmp_path: Path, supervisors: dict[str, str]) -> None:
    cases = [  # (name, content, status, words in the message)
        ("catatan.txt", b"hello", 422, "Jenis berkas tidak diizinkan"),
        ("gambar.svg", b"<svg/>", 422, "Jenis berkas tidak diizinkan"),
        ("palsu.png", b"MZ\x90\x00 this is an exe", 422, "tidak cocok dengan jenisnya"),
        ("video.mp4", png(), 422, "tidak cocok dengan jenisnya"),
        ("../../luar.png", png(), 422, "Nama berkas tidak sah"),
        ("..\\luar.png", png(), 422, "Nama berkas tidak sah"),
        (".htaccess.png", png(), 422, "Nama berkas tidak sah"),
        ("besar.png", png() + b"\x00" * (1024 * 1024), 413, "Berkas terlalu besar (maksimal 1 MB)"),
        ("besar2.png", png() + b"\x00" * (2 * 1024 * 1024), 413, "Berkas terlalu besar (maksimal 1 MB)"),
    ]
    for name, content, status, words in cases:
        r = upload(client, admin, name, content)
        assert r.status_code == status, (name, r.text)
        error = r.get_json()["error"]
        assert words in error["message"] and error["message_en"], (name, error)
    r = client.post("/api/v1/admin/media", headers=admin, json={"file": "x"})
    assert r.status_code == 422 and "'file'" in r.get_json()["error"]["message"]
    spv = token(client, supervisors["hall"])
    assert upload(client, spv, "ok.png", png()).status_code == 403
    assert client.get("/api/v1/admin/media", headers=spv).status_code == 403
    assert client.delete("/api/v1/admin/media/x.png", headers=spv).status_code == 403
    folder = tmp_path / "media"
    assert not folder.exists() or list(folder.iterdir()) == []
    assert not (tmp_path / "luar.png").exists() and not (tmp_path.parent / "luar.png").exists()
    assert client.get("/api/v1/admin/changes", headers=admin).get_json()[0]["kind"] == "settings"


def test_no_media_folder_is_refused_with_the_reason(client: FlaskClient) -> None:
    admin = token(client, "admin")
    assert client.put("/api/v1/admin/settings/display", json={"running_text": "Halo"}, headers=admin).status_code == 200
    assert client.get("/api/v1/admin/media", headers=admin).get_json() == []
    r = upload(client, admin, "a.png", png())
    assert r.status_code == 409 and "media_dir" in r.get_json()["error"]["message"]


def test_announcement_preview_speaks_the_draft_through_the_display_voice(client: FlaskClient) -> None:
    admin = token(client, "admin")
    hall = client.get("/api/v1/admin/hall", headers=admin).get_json()["hall"]
    draft = {**hall["announcement"], "template": "Nomor {number} ke {counter}.",
             "pronunciations": {**hall["announcement"]["pronunciations"], "nomor": "no-mor"}}
    r = client.post("/api/v1/admin/announcement/preview", json=draft, headers=admin)
    assert r.status_code == 200, r.text
    sample = r.get_json()
    assert sample["text"] == "Nomor A-011 ke Loket 1." and sample["spoken"] == "no-mor a sebelas ke lo-ket satu."
    wav = client.get(sample["speech_url"])
    assert wav.status_code == 200 and wav.data[:4] == b"RIFF"
    r = client.post("/api/v1/admin/announcement/preview", json={"template": "Nomor {nomor}"}, headers=admin)
    assert r.status_code == 422 and "nomor" in r.get_json()["error"]["message"]
    assert client.get("/api/v1/admin/hall", headers=admin).get_json()["hall"]["announcement"] == hall["announcement"]
    officer = token(client, "petugas.kpp")
    assert client.post("/api/v1/admin/announcement/preview", json=draft, headers=officer).status_code == 403
