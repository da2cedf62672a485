"""`antrean kiosk-agent`: print a kiosk's tickets on the printers attached to its PC."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from .agent import KioskAgent


@click.command("kiosk-agent")
@click.option("--server", required=True, help="the queue server, e.g. http://192.168.1.10:8000")
@click.option("--token", envvar="ANTREAN_KIOSK_TOKEN", required=True,
              help="this kiosk's device token (or ANTREAN_KIOSK_TOKEN)")
@click.option("--status-every", default=30.0, show_default=True, help="seconds between printer status checks")
def kiosk_agent(server: str, token: str, status_every: float) -> None:
    """Print this kiosk's tickets (printers with driven_by = "agent" in config.toml); runs until stopped."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    click.echo(f"kiosk agent: {server}")
    KioskAgent(server, token, Path.cwd(), status_every).run_forever()
