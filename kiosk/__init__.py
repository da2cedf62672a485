"""The kiosk page, the phone tracking page and printing, mounted on the queue server's app."""

from __future__ import annotations

from flask import Flask

from printers.service import PrintService

from .sockets import PrintNamespace, TicketTracker, TrackNamespace, publish_also
from .views import api, pages


def init_app(app: Flask) -> None:
    """Add /kiosk, /t/<id>, the print API, the /print and /track namespaces and the print service."""
    settings = app.extensions["antrean.settings"]
    queue = app.extensions["antrean.queue"]
    socketio = app.extensions["antrean.socketio"]
    prints = PrintService(queue.engine, queue, settings.config_path.parent, clock=queue.clock)
    print_ns = PrintNamespace("/print", prints, queue)
    prints.notify, prints.agents = print_ns.notify, print_ns
    tracker = TicketTracker(socketio, queue)
    queue.publish = publish_also(queue.publish, tracker)
    socketio.on_namespace(print_ns)
    socketio.on_namespace(TrackNamespace("/track", tracker))
    app.extensions["antrean.prints"] = prints
    app.register_blueprint(pages)
    app.register_blueprint(api, url_prefix="/api/v1")
