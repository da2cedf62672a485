"""Staff accounts (scrypt-hashed passwords, signed bearer tokens) and device tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Engine, insert, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from ..adapters import db
from ..adapters.repository import to_db_time
from ..domain.access import Actor, DeviceKind, Role
from ..domain.errors import DomainError, InvalidConfig

DEVICE_PREFIX = "dev_"
# Checked against when the username is unknown, so both paths cost one scrypt.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


class Unauthorized(DomainError):
    """No valid credentials."""

    code = "unauthorized"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Accounts:
    """Who may sign in, and what each token stands for."""

    def __init__(self, engine: Engine, secret_key: str, token_hours: float = 16.0) -> None:
        self.engine = engine
        self.token_seconds = int(token_hours * 3600)
        self._signer = URLSafeTimedSerializer(secret_key, salt="antrean-staff-token")

    def add_user(self, username: str, password: str, role: Role, agency_code: str | None = None) -> None:
        """Create a staff account, or reset the password and role of an existing one."""
        if len(password) < 8:
            raise InvalidConfig("Kata sandi minimal 8 karakter", "Password must be at least 8 characters")
        if role is Role.OFFICER and not agency_code:
            raise InvalidConfig("Petugas harus terikat pada satu agensi (--agency)", "An officer needs --agency")
        if role is Role.ADMIN:
            agency_code = None
        values = {"password_hash": generate_password_hash(password, method="scrypt"), "role": role.value,
                  "agency_code": agency_code, "active": True}
        with self.engine.begin() as conn:
            if agency_code and conn.execute(select(db.agency.c.code).where(
                    db.agency.c.code == agency_code, ~db.agency.c.retired)).first() is None:
                raise InvalidConfig(f"Agensi tidak dikenal: {agency_code}", f"Unknown agency: {agency_code}")
            row = conn.execute(select(db.user.c.id, db.user.c.token_version)
                               .where(db.user.c.username == username)).first()
            if row:
                conn.execute(update(db.user).where(db.user.c.id == row.id)
                             .values(**values, token_version=row.token_version + 1))
            else:
                conn.execute(insert(db.user).values(username=username, created_at=to_db_time(datetime.now(UTC)),
                                                    token_version=1, **values))

    def user_exists(self, username: str) -> bool:
        """Whether an account with this name exists."""
        with self.engine.connect() as conn:
            return conn.execute(select(db.user.c.id).where(db.user.c.username == username)).first() is not None

    def sign_in(self, username: str, password: str) -> tuple[str, Actor]:
        """A bearer token for a correct username and password."""
        with self.engine.connect() as conn:
            row = conn.execute(select(db.user).where(db.user.c.username == username, db.user.c.active)).first()
        if not check_password_hash(row.password_hash if row else _DUMMY_HASH, password) or row is None:
            raise Unauthorized("Nama pengguna atau kata sandi salah", "Wrong username or password")
        token = self._signer.dumps({"u": row.id, "v": row.token_version})
        return token, Actor(row.username, Role(row.role), row.agency_code)

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

    def actor(self, token: str) -> Actor:
        """The person or device a bearer token stands for, or Unauthorized."""
        with self.engine.connect() as conn:
            if token.startswith(DEVICE_PREFIX):
                row = conn.execute(select(db.device).where(db.device.c.token_hash == _digest(token),
                                                           db.device.c.active)).first()
                if row is None:
                    raise Unauthorized("Token perangkat tidak dikenal", "Unknown device token")
                return Actor(row.name, device_kind=DeviceKind(row.kind), agencies=tuple(row.agencies))
            try:
                data = self._signer.loads(token, max_age=self.token_seconds)
            except SignatureExpired:
                raise Unauthorized("Sesi sudah berakhir; silakan masuk lagi", "Session expired; sign in again") from None
            except BadSignature:
                raise Unauthorized("Token tidak sah", "Invalid token") from None
            row = conn.execute(select(db.user).where(db.user.c.id == data.get("u"), db.user.c.active)).first()
        if row is None or row.token_version != data.get("v"):
            raise Unauthorized("Token tidak berlaku lagi", "Token no longer valid")
        return Actor(row.username, Role(row.role), row.agency_code)
