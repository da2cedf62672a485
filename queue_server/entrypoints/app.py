"""The Flask app factory: one engine, one queue service, Socket.IO, the blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, jsonify
from flask_socketio import SocketIO

from ..adapters.db import make_engine
from ..config import ServerSettings, load_settings
from ..service_layer.accounts import Accounts
from ..service_layer.queue import Clock, QueueService, utc_now
from . import api
from .errors import register_error_handlers
from .sockets import SocketPublisher, register_namespaces

MAX_BODY = 64 * 1024
STATIC = Path(__file__).resolve().parent.parent / "static"  # shared assets: vendor/socket.io.min.js


def create_app(settings: ServerSettings | None = None, clock: Clock = utc_now) -> Flask:
    """Build the server for `settings` (config.toml and the environment when None)."""
    settings = settings or load_settings()
    app = Flask(__name__, static_folder=str(STATIC), static_url_path="/static")
    app.config.update(SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=MAX_BODY)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    engine = make_engine(settings.database_url)
    socketio = SocketIO(app, async_mode="threading")
    app.extensions.update({
        "antrean.settings": settings,
        "antrean.engine": engine,
        "antrean.socketio": socketio,
        "antrean.queue": QueueService(engine, publish=SocketPublisher(socketio), clock=clock),
        "antrean.accounts": Accounts(engine, settings.secret_key, settings.token_hours),
    })
    register_error_handlers(app)
    api.register(app)
    register_namespaces(socketio)

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        """For load balancers and the hall's watchdog: the database answers."""
        app.extensions["antrean.queue"].catalog()
        return jsonify({"ok": True})

    return app
