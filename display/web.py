"""The /display blueprint: the hall screen's page, its audio and media, and the voice's status."""

from __future__ import annotations

import re

from flask import Blueprint, Response, current_app, jsonify, render_template, request, send_file, send_from_directory

from queue_server.entrypoints.errors import error_response
from queue_server.entrypoints.request import actor

from .service import PREFIX, DisplayService, asset_version
from .wav import chime_wav

bp = Blueprint("display", __name__, url_prefix=PREFIX, static_folder="static", template_folder="templates")
SPEECH_WAIT_S = 4.0  # how long a display's request may wait for a sentence still being rendered
_KEY = re.compile(r"[0-9a-f]{32}")
DAY = 24 * 3600


def displays() -> DisplayService:
    """This app's display service."""
    return current_app.extensions["antrean.displays"]


@bp.get("")
def page() -> str:
    """The hall screen; pair it once with `/display?token=<display token>` (kept by the browser)."""
    return render_template("display.html", version=asset_version())


@bp.get("/audio/chime.wav")
def chime() -> Response:
    """Our generated chime, played before every call."""
    return Response(chime_wav(), mimetype="audio/wav", headers={"Cache-Control": f"public, max-age={DAY}"})


@bp.get("/audio/<key>.wav")
def speech(key: str) -> Response | tuple[Response, int]:
    """A rendered sentence; waits briefly for one still in the speech worker, else 503 (the page
    then keeps to chime and text)."""
    path = displays().speech.wait(key, SPEECH_WAIT_S) if _KEY.fullmatch(key) else None
    if path is None:
        return error_response(503, "speech_unavailable", "Suara pengumuman belum tersedia",
                              "The spoken announcement is not available")
    return send_file(path, mimetype="audio/wav", max_age=DAY)


@bp.get("/media/<path:name>")
def media(name: str) -> Response | tuple[Response, int]:
    """A file of a display's local media folder (images and videos between calls)."""
    service = displays()
    profile = service.config().profile(request.args.get("device", ""), (), service.queue.catalog())
    folder = service.media_folder(profile)
    if folder is None or name not in service.media(profile):
        return error_response(404, "not_found", "Berkas media tidak ditemukan", "Media file not found")
    return send_from_directory(folder, name, max_age=3600)


@bp.get("/status")
def status() -> Response:
    """For admins and supervisors: whether the voice works, its last failure, the cache's figures."""
    actor().ensure_supervisor()
    return jsonify(displays().status())
