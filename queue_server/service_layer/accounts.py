"""Staff accounts (scrypt-hashed passwords, signed bearer tokens) and device tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Column, Connection, Engine, exists, func, insert, literal, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..adapters import db
from ..adapters.db import read_connection
from ..adapters.repository import from_db_time, to_db_time
from ..domain.access import Actor, DeviceKind, Role
from ..domain.errors import DomainError, InvalidConfig, NotFound
from ..domain.hall import Counter
from ..domain.signin import LoginPolicy, StaffAction, check_login

DEVICE_PREFIX = "dev_"
INACTIVE = ("Akun ini dinonaktifkan; hubungi admin aula", "This account is deactivated; ask the hall's admin")
# Checked against when the username is unknown, so both paths cost one scrypt.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


class Unauthorized(DomainError):
    """No valid credentials."""

    code = "unauthorized"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Who may sign in, and what each token stands for."""

    def __init__(self, engine: Engine, secret_key: str, token_hours: float = 16.0,
                 policy: LoginPolicy | None = None) -> None:
        self.engine = engine
        self.token_seconds = int(token_hours * 3600)
        self.policy = policy or LoginPolicy()
        self._signer = URLSafeTimedSerializer(secret_key, salt="antrean-staff-token")

    def add_user(self, username: str, password: str | None, role: Role, agency_code: str | None = None,
                 active: bool = True) -> None:
        """Create a staff account, or change an existing one's role, agency, active flag and (unless
        `password` is None) password. A new password or a deactivation ends the account's sessions."""
        if password is not None and len(password) < 8:
            raise InvalidConfig("Kata sandi minimal 8 karakter", "Password must be at least 8 characters")
        if role is Role.OFFICER and not agency_code:
            raise InvalidConfig("Petugas harus terikat pada satu agensi (--agency)", "An officer needs --agency")
        if role is Role.ADMIN:
            agency_code = None
        values: dict[str, Any] = {"role": role.value, "agency_code": agency_code, "active": active}
        if password is not None:
            values["password_hash"] = generate_password_hash(password, method="scrypt")
        with self.engine.begin() as conn:
            if agency_code and conn.execute(select(db.agency.c.code).where(
                    db.agency.c.code == agency_code, ~db.agency.c.retired)).first() is None:
                raise InvalidConfig(f"Agensi tidak dikenal: {agency_code}", f"Unknown agency: {agency_code}")
            row = conn.execute(select(db.user.c.id, db.user.c.token_version, db.user.c.active)
                               .where(db.user.c.username == username)).first()
            if row:
                ends_sessions = password is not None or (row.active and not active)
                conn.execute(update(db.user).where(db.user.c.id == row.id)
                             .values(**values, token_version=row.token_version + int(ends_sessions)))
            elif password is None:
                raise InvalidConfig("Akun baru perlu kata sandi", "A new account needs a password")
            else:
                conn.execute(insert(db.user).values(username=username, created_at=to_db_time(datetime.now(UTC)),
                                                    token_version=1, **values))

    def staff(self) -> list[dict[str, Any]]:
        """Every staff account by username: role, agency, active (never the password hash)."""
        u = db.user.c
        with read_connection(self.engine) as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(u.username, u.role, u.agency_code, u.active).order_by(u.username))]

    def devices(self) -> list[dict[str, Any]]:
        """Every kiosk and display by name: kind, agencies, active (never the token hash)."""
        d = db.device.c
        with read_connection(self.engine) as conn:
            return [dict(r._mapping) for r in conn.execute(select(d.name, d.kind, d.agencies, d.active).order_by(d.name))]

    def user_exists(self, username: str) -> bool:
        """Whether an account with this name exists."""
        with read_connection(self.engine) as conn:
            return conn.execute(select(db.user.c.id).where(db.user.c.username == username)).first() is not None

    def sign_in(self, username: str, password: str, address: str = "") -> tuple[str, Actor]:
        """A bearer token for a correct username and password, unless the throttle refuses first.

        The attempt is written as failed in the transaction that counts the failures, before the
        slow password check, so parallel guesses count each other; a success rewrites it as a
        sign-in carrying the new session's id (sign_out revokes by that id).
        """
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            row = conn.execute(select(db.user).where(db.user.c.username == username).with_for_update()).first()
            e = db.staff_event.c
            check_login(self._failures(conn, e.username, username, now, cleared_by_success=True),
                        self._failures(conn, e.address, address, now, cleared_by_success=False), now, self.policy)
            attempt = self._record(conn, StaffAction.LOGIN_FAILED, username, row.agency_code if row else None,
                                   address, now)
        if not check_password_hash(row.password_hash if row else _DUMMY_HASH, password) or row is None:
            raise Unauthorized("Nama pengguna atau kata sandi salah", "Wrong username or password")
        if not row.active:  # said only to whoever knows the password
            raise Unauthorized(INACTIVE[0], INACTIVE[1])
        session = secrets.token_hex(8)
        with self.engine.begin() as conn:
            conn.execute(update(db.staff_event).where(db.staff_event.c.id == attempt)
                         .values(action=StaffAction.LOGIN.value, session=session))
        token = self._signer.dumps({"u": row.id, "v": row.token_version, "s": session})
        return token, Actor(row.username, Role(row.role), row.agency_code)

    def _failures(self, conn: Connection, column: Column[Any], value: str, now: datetime,
                  cleared_by_success: bool) -> list[datetime]:
        """Failed sign-ins by one username or address within the window (since its last success)."""
        e = db.staff_event.c
        since = now - timedelta(seconds=self.policy.window_s)
        if cleared_by_success:
            last = conn.execute(select(func.max(e.at)).where(column == value,
                                                             e.action == StaffAction.LOGIN.value)).scalar()
            since = max(since, from_db_time(last) or since)
        rows = conn.execute(select(e.at).where(column == value, e.action == StaffAction.LOGIN_FAILED.value,
                                               e.at > to_db_time(since)))
        return [from_db_time(at) for (at,) in rows]  # type: ignore[misc]

    @staticmethod
    def _record(conn: Connection, action: StaffAction, username: str, agency_code: str | None, address: str,
                at: datetime, counter_code: str | None = None, session: str | None = None) -> int:
        """Append a staff event; its id."""
        result = conn.execute(insert(db.staff_event).values(
            at=to_db_time(at), action=action.value, username=username, agency_code=agency_code,
            counter_code=counter_code, address=address[:64], session=session, detail=""))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def sign_out(self, token: str, address: str = "", counter_code: str | None = None) -> None:
        """End one signed-in session: its token stops working at once; the person's others stay."""
        who = self.actor(token)
        who.ensure_staff()
        with self.engine.begin() as conn:
            self._record(conn, StaffAction.LOGOUT, who.name, who.agency_code, address, datetime.now(UTC),
                         counter_code, self._claims(token).get("s"))

    def open_counter(self, token: str, counter: Counter, address: str = "") -> Actor:
        """Record that this session's person works at `counter` now (Forbidden for another agency's)."""
        who = self.actor(token)
        who.ensure_may_act_for(counter.agency_code)
        with self.engine.begin() as conn:
            self._record(conn, StaffAction.OPEN_COUNTER, who.name, who.agency_code, address, datetime.now(UTC),
                         counter.code, self._claims(token).get("s"))
        return who

    def add_device(self, name: str, kind: DeviceKind, agencies: tuple[str, ...] = (), token: str | None = None) -> str:
        """Register a kiosk or display and return its token (kept only as a hash)."""
        token = token or DEVICE_PREFIX + secrets.token_urlsafe(24)
        values = {"kind": kind.value, "token_hash": _digest(token), "agencies": list(agencies), "active": True}
        with self.engine.begin() as conn:
            if conn.execute(select(db.device.c.id).where(db.device.c.name == name)).first():
                conn.execute(update(db.device).where(db.device.c.name == name).values(**values))
            else:
                conn.execute(insert(db.device).values(name=name, created_at=to_db_time(datetime.now(UTC)), **values))
        return token

    def set_device_active(self, name: str, active: bool) -> None:
        """Switch a kiosk or display off (its token stops working at once, kept for switching it
        back on) or on again; NotFound for an unknown name."""
        with self.engine.begin() as conn:
            if not conn.execute(update(db.device).where(db.device.c.name == name).values(active=active)).rowcount:
                raise NotFound(f"Perangkat tidak dikenal: {name}", f"Unknown device: {name}")

    def actor(self, token: str) -> Actor:
        """The person or device a bearer token stands for, or Unauthorized."""
        with read_connection(self.engine) as conn:
            if token.startswith(DEVICE_PREFIX):
                row = conn.execute(select(db.device).where(db.device.c.token_hash == _digest(token),
                                                           db.device.c.active)).first()
                if row is None:
                    raise Unauthorized("Token perangkat tidak dikenal", "Unknown device token")
                return Actor(row.name, device_kind=DeviceKind(row.kind), agencies=tuple(row.agencies))
            data = self._claims(token)
            e = db.staff_event.c
            revoked = (exists().where(e.session == data["s"], e.action == StaffAction.LOGOUT.value)
                       if data.get("s") else literal(False))
            row = conn.execute(select(db.user, revoked.label("revoked"))
                               .where(db.user.c.id == data.get("u"))).first()
        if row is not None and not row.active:
            raise Unauthorized(INACTIVE[0], INACTIVE[1])
        if row is None or row.token_version != data.get("v") or row.revoked:
            raise Unauthorized("Token tidak berlaku lagi", "Token no longer valid")
        return Actor(row.username, Role(row.role), row.agency_code)

    def _claims(self, token: str) -> dict[str, Any]:
        """The signed content of a staff token (user, version, session), or Unauthorized."""
        try:
            return self._signer.loads(token, max_age=self.token_seconds)
        except SignatureExpired:
            raise Unauthorized("Sesi sudah berakhir; silakan masuk lagi", "Session expired; sign in again") from None
        except BadSignature:
            raise Unauthorized("Token tidak sah", "Invalid token") from None
