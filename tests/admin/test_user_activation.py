"""Deactivating and reactivating accounts from /api/v1/admin/users, on a real SQLite database."""

from __future__ import annotations

from flask.testing import FlaskClient

from ..console.conftest import bearer
from ..support import PASSWORD
from .test_admin_api import token

OFFICER = {"role": "officer", "agency": "DUKCAPIL"}


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> tuple[int, dict]:
    r = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    return r.status_code, r.get_json()


def test_deactivation_ends_live_tokens_and_sign_in_keeps_the_password(client: FlaskClient) -> None:
    admin, session = token(client, "admin"), token(client, "petugas.dukcapil")
    assert client.get("/api/v1/counters", headers=session).status_code == 200
    r = client.put("/api/v1/admin/users/petugas.dukcapil", json={**OFFICER, "active": False}, headers=admin)
    assert r.status_code == 200, r.text
    assert next(u for u in r.get_json() if u["username"] == "petugas.dukcapil")["active"] is False
    r = client.get("/api/v1/counters", headers=session)
    assert r.status_code == 401 and "dinonaktifkan" in r.get_json()["error"]["message"]
    status, body = sign_in(client, "petugas.dukcapil")
    assert status == 401 and body["error"]["message"] == "Akun ini dinonaktifkan; hubungi admin aula"
    assert body["error"]["message_en"]
    status, body = sign_in(client, "petugas.dukcapil", "salah-sandi")  # a wrong password reveals nothing
    assert status == 401 and body["error"]["message"] == "Nama pengguna atau kata sandi salah"

    r = client.put("/api/v1/admin/users/petugas.dukcapil", json={**OFFICER, "active": True, "password": ""},
                   headers=admin)
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/counters", headers=session).status_code == 401  # the old session stays dead
    assert sign_in(client, "petugas.dukcapil")[0] == 200  # the old password still works

    changes = client.get("/api/v1/admin/changes", headers=admin).get_json()
    assert [(c["before"]["active"], c["after"]["active"]) for c in changes[:2]] == [(False, True), (True, False)]
    assert "password_reset" not in changes[0]["after"]


def test_password_omitted_keeps_it_and_sessions_survive_a_role_edit(client: FlaskClient) -> None:
    admin, session = token(client, "admin"), token(client, "petugas.kpp")
    r = client.put("/api/v1/admin/users/petugas.kpp", json={"role": "officer", "agency": "KPP"}, headers=admin)
    assert r.status_code == 200, r.text
    assert client.get("/api/v1/counters", headers=session).status_code == 200
    assert sign_in(client, "petugas.kpp")[0] == 200
    r = client.put("/api/v1/admin/users/petugas.kpp", json={"role": "officer", "agency": "KPP",
                                                            "password": "sandi-baru-123"}, headers=admin)
    assert r.status_code == 200
    assert client.get("/api/v1/counters", headers=session).status_code == 401  # a reset ends sessions
    assert sign_in(client, "petugas.kpp")[0] == 401 and sign_in(client, "petugas.kpp", "sandi-baru-123")[0] == 200
    [change] = client.get("/api/v1/admin/changes", headers=admin).get_json()[:1]
    assert change["after"]["password_reset"] is True and "sandi-baru" not in str(change)


def test_refusals_change_nothing(client: FlaskClient, supervisors: dict[str, str]) -> None:
    admin = token(client, "admin")
    cases = [  # (who, username, body, status, words in the message)
        (admin, "admin", {"role": "admin", "active": False}, 409, "akun Anda sendiri"),
        (admin, "baru", {**OFFICER}, 422, "Akun baru perlu kata sandi"),
        (admin, "petugas.kpp", {"role": "officer", "agency": "KPP", "active": "no"}, 422, "'active'"),
        (token(client, supervisors["agency"]), "petugas.imigrasi",
         {"role": "officer", "agency": "IMIGRASI", "active": False}, 403, "petugas agensinya sendiri"),
        (token(client, supervisors["hall"]), "admin", {"role": "admin", "active": False}, 403, "Supervisor"),
    ]
    for headers, username, body, status, words in cases:
        r = client.put(f"/api/v1/admin/users/{username}", json=body, headers=headers)
        assert r.status_code == status, (username, r.text)
        error = r.get_json()["error"]
        assert words in error["message"] and error["message_en"], error
    users = {u["username"]: u for u in client.get("/api/v1/admin/users", headers=admin).get_json()}
    assert "baru" not in users and all(u["active"] for u in users.values())
    assert client.get("/api/v1/admin/changes", headers=admin).get_json() == []
    assert client.get("/api/v1/counters", headers=admin).status_code == 200


def test_an_agency_supervisor_deactivates_its_own_officer(client: FlaskClient, supervisors: dict[str, str]) -> None:
    spv = token(client, supervisors["agency"])
    r = client.put("/api/v1/admin/users/petugas2.dukcapil", json={**OFFICER, "active": False}, headers=spv)
    assert r.status_code == 200, r.text
    assert sign_in(client, "petugas2.dukcapil")[0] == 401
    assert client.get("/api/v1/admin/users", headers=bearer("dev_test-kiosk")).status_code == 403
