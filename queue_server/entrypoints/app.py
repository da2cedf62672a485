"""The Flask app factory: one engine, one queue service, Socket.IO, the blueprints."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, jsonify
from flask_socketio import SocketIO

from display.service import display_service
from display.web import bp as display_pages
from kiosk import init_app as init_kiosk

from ..adapters.db import make_engine
from ..config import ServerSettings, load_settings
from ..service_layer.accounts import Accounts
from ..service_layer.admin import HallAdmin
from ..service_layer.queue import Clock, QueueService, utc_now
from . import api
from .console import bp as console_pages
from .errors import register_error_handlers
from .sockets import SocketPublisher, register_namespaces
from .survey import init_app as init_survey

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
    displays = display_service(settings, engine, clock)
    app.extensions.update({
        "antrean.settings": settings,
        "antrean.engine": engine,
        "antrean.socketio": socketio,
        "antrean.queue": QueueService(engine, publish=SocketPublisher(socketio, displays.announce), clock=clock),
        "antrean.displays": displays,
        "antrean.accounts": Accounts(engine, settings.secret_key, settings.token_hours),
    })
    app.extensions["antrean.admin"] = HallAdmin(app.extensions["antrean.queue"], app.extensions["antrean.accounts"],
                                                displays)
    register_error_handlers(app)
    api.register(app)
    app.register_blueprint(console_pages)
    app.register_blueprint(display_pages)
    init_kiosk(app)
    init_survey(app)
    register_namespaces(socketio)

    @app.get("/healthz")
    def healthz():  # type: ignore[no-untyped-def]
        """For load balancers and the hall's watchdog: the database answers."""
        app.extensions["antrean.queue"].catalog()
        return jsonify({"ok": True})

    return app
