"""The `antrean` command: database, hall configuration, demo, accounts, devices, server."""

from __future__ import annotations

import os
import sys
import tomllib

import click
import tomli_w

from display.cli import display_agent, say
from printers.cli import kiosk_agent

from ..adapters.db import make_engine
from ..adapters.migrate import upgrade
from ..adapters.repository import Repository
from ..config import ServerSettings, hall_from_config, load_settings
from ..domain.access import DeviceKind, Role
from ..domain.errors import DomainError
from ..service_layer.accounts import Accounts
from ..service_layer.admin import export_hall

DEMO_PASSWORD = "demo-antrean"
DEMO_DEVICES = (("Kiosk Lobi", DeviceKind.KIOSK, (), "dev_demo-kiosk"),
                ("Layar Aula", DeviceKind.DISPLAY, (), "dev_demo-display"),
                ("Layar Dukcapil", DeviceKind.DISPLAY, ("DUKCAPIL",), "dev_demo-display-dukcapil"),
                ("Layar Lantai 2", DeviceKind.DISPLAY, (), "dev_demo-display-lantai2"))  # floor 2 by config.toml


PAGES = (("kiosk", "/kiosk?token=<kiosk device token>"), ("counter", "/counter"), ("supervisor", "/supervisor"),
         ("display", "/display?token=<display device token>"), ("admin", "/admin"), ("reports", "/reports"),
         ("phone tracking", "/t/<ticket id>"), ("API", "/api/v1  (OpenAPI: /api/v1/openapi.json)"))


def _settings() -> ServerSettings:
    try:
        return load_settings()
    except DomainError as exc:
        raise click.ClickException(exc.message) from None


def _accounts(settings: ServerSettings) -> Accounts:
    return Accounts(make_engine(settings.database_url), settings.secret_key, settings.token_hours)


@click.group()
def main() -> None:
    """Antrean MPP: the queue server of a Mal Pelayanan Publik."""


@main.group("db")
def db_group() -> None:
    """Database schema."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by config.toml / ANTREAN_DATABASE_URL."""
    settings = _settings()
    upgrade(make_engine(settings.database_url))
    click.echo(f"database ready: {make_engine(settings.database_url).url.render_as_string()}")


def load_hall(settings: ServerSettings, always_open: bool = False) -> bool:
    """Store the hall of config.toml in the database; False when nothing changed."""
    try:
        catalog, settings_json = hall_from_config(settings.raw, always_open=always_open)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        return Repository(conn).store_hall(catalog, settings_json)


@main.group("config")
def config_group() -> None:
    """The hall's configuration."""


@config_group.command("load")
def config_load() -> None:
    """Load config.toml's hall into the database (idempotent; tickets are never touched)."""
    changed = load_hall(_settings())
    click.echo("hall updated" if changed else "hall unchanged")


@config_group.command("export")
@click.option("--output", "-o", type=click.Path(dir_okay=False), help="write here instead of standard output")
def config_export(output: str | None) -> None:
    """Write the hall as stored in the database (after admin edits) as TOML; loading it changes nothing."""
    settings = _settings()
    text = tomli_w.dumps(export_hall(make_engine(settings.database_url)))
    if output:
        with open(output, "w", encoding="utf-8") as out:
            out.write(text)
    else:
        click.echo(text, nl=False)


@main.command()
@click.option("--base-url", default="http://127.0.0.1:8000", show_default=True,
              help="where `antrean serve` will answer, for the printed links")
def demo(base_url: str) -> None:
    """Load the demo hall (config.toml's, open round the clock) with demo accounts and devices."""
    settings = _settings()
    upgrade(make_engine(settings.database_url))
    load_hall(settings, always_open=True)
    accounts = _accounts(settings)
    users = [("admin", Role.ADMIN, None), ("supervisor", Role.SUPERVISOR, None)]
    users += [(f"petugas.{a['code'].lower()}", Role.OFFICER, a["code"]) for a in settings.raw.get("agencies", [])]
    for username, role, agency in users:
        if not accounts.user_exists(username):
            accounts.add_user(username, DEMO_PASSWORD, role, agency)
    for name, kind, agencies, token in DEMO_DEVICES:
        accounts.add_device(name, kind, agencies, token=token)
    click.echo(f"demo hall loaded: {len(settings.raw.get('agencies', []))} agencies, "
               f"{len(settings.raw.get('services', []))} services, {len(settings.raw.get('counters', []))} counters")
    click.echo(f"demo accounts (password '{DEMO_PASSWORD}'): admin, supervisor, "
               + ", ".join(u for u, r, _ in users if r is Role.OFFICER))
    for name, kind, _, token in DEMO_DEVICES:
        click.echo(f"demo {kind.value} '{name}': {base_url}/{kind.value}?token={token}")
    click.echo("tickets print to var/tickets/, announcements render to var/speech/")


@main.group("user")
def user_group() -> None:
    """Staff accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--agency", default=None, help="agency code (officers; supervisors of one agency)")
def user_add(username: str, role: str, agency: str | None) -> None:
    """Create a staff account (or reset its password); the password is read from stdin."""
    password = sys.stdin.readline().rstrip("\n")
    try:
        _accounts(_settings()).add_user(username, password, Role(role), agency)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"user {username} ({role}{' ' + agency if agency else ''}) saved")


@main.group("device")
def device_group() -> None:
    """Kiosks and displays."""


@device_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in DeviceKind]), required=True)
@click.option("--agency", "agencies", multiple=True, help="limit a display to these agencies")
def device_add(name: str, kind: str, agencies: tuple[str, ...]) -> None:
    """Register a device; its token is printed alone on the last line."""
    token = _accounts(_settings()).add_device(name, DeviceKind(kind), agencies)
    click.echo(f"device {name} ({kind}) saved; token:")
    click.echo(token)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--dev", is_flag=True, help="Werkzeug development server instead of gunicorn")
def serve(host: str, port: int, dev: bool) -> None:
    """Serve the hall: gunicorn, one worker, gthread threads (threading mode Socket.IO)."""
    settings = _settings()
    base = f"http://{host}:{port}"
    click.echo(f"Antrean MPP on {base}")
    for page, path in PAGES:
        click.echo(f"  {page:<15}{base}{path}")
    if dev:
        from .app import create_app

        app = create_app(settings)
        app.extensions["antrean.socketio"].run(app, host=host, port=port, allow_unsafe_werkzeug=True)
        return
    os.execvp(sys.executable, [
        sys.executable, "-m", "gunicorn", "--workers", "1", "--worker-class", "gthread",
        "--threads", str(settings.threads), "--bind", f"{host}:{port}", "--graceful-timeout", "5",
        "queue_server.entrypoints.wsgi:app"])


main.add_command(say)
main.add_command(display_agent)
main.add_command(kiosk_agent)


if __name__ == "__main__":
    main()
