"""The JSON API under /api/v1: one blueprint per area."""

from __future__ import annotations

from flask import Flask

from . import admin, audit, auth, counters, openapi, printers, reports, services, tickets

PREFIX = "/api/v1"


def register(app: Flask) -> None:
    """Mount every API blueprint under /api/v1."""
    for module in (auth, services, tickets, counters, audit, admin, printers, reports, openapi):
        app.register_blueprint(module.bp, url_prefix=PREFIX)
