"""`antrean say` and `antrean display-agent`: the voice from the command line."""

from __future__ import annotations

import time
from pathlib import Path

import click

from queue_server.config import hall_from_config, load_settings
from queue_server.domain.errors import DomainError
from queue_server.domain.hall import Catalog, Service

from .agent import DisplayAgent
from .announcement import ticket_prefix
from .profile import DisplayConfig
from .service import speech_cache
from .speech import SpeechFailed, Voice
from .wav import chime_wav, join_wavs, wav_stats


def _service(catalog: Catalog, number: str) -> Service:
    prefix = ticket_prefix(number)
    found = next((s for s in catalog.services.values() if s.prefix == prefix), None)
    if found is None:
        raise click.ClickException(f"Tidak ada layanan berawalan {prefix!r} untuk nomor {number}")
    return found


@click.command("say")
@click.argument("number")
@click.option("--counter", default=None, help='counter name or code, e.g. "Loket 3" or L03 '
                                              "(default: the first counter serving the number's service)")
@click.option("--recall", is_flag=True, help="use the recall wording")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="WAV to write (default: pengumuman-NUMBER.wav)")
def say(number: str, counter: str | None, recall: bool, out: Path | None) -> None:
    """Render the announcement of NUMBER (chime, then the sentence) to a WAV, to check it by ear."""
    try:
        settings = load_settings()
        catalog, settings_json = hall_from_config(settings.raw)
        announcement = DisplayConfig.from_json(settings_json).announcement
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    number = number.strip().upper()
    service = _service(catalog, number)
    if counter is None:
        desk = next(iter(catalog.counters_serving(service.code)), None)
        if desk is None:
            raise click.ClickException(f"Layanan {service.code} tidak dilayani loket mana pun; pakai --counter")
        counter_name = desk.name
    else:
        counter_name = catalog.counters[counter].name if counter in catalog.counters else counter
    phrase = announcement.phrase(number, counter_name, catalog.agencies[service.agency_code].spoken_name,
                                 service.name, recall)
    cache = speech_cache(settings)
    started = time.perf_counter()
    try:
        path = cache.render_now(phrase.spoken, Voice(announcement.voice, announcement.rate))
    except SpeechFailed as exc:
        raise click.ClickException(f"Suara gagal dibuat / speech failed: {exc}") from None
    elapsed_ms = 1000 * (time.perf_counter() - started)
    data = join_wavs(chime_wav(), path.read_bytes())
    out = out or Path(f"pengumuman-{number}.wav")
    out.write_bytes(data)
    stats = wav_stats(data)
    click.echo(f"teks / text:    {phrase.text}")
    click.echo(f"ucapan / spoken: {phrase.spoken}")
    click.echo(f"{'cache' if cache.hits else 'rendered'} in {elapsed_ms:.0f} ms: {path}")
    click.echo(f"{out} ({stats.duration_s:.1f} s, chime + sentence)")


@click.command("display-agent")
@click.option("--server", default="http://127.0.0.1:8000", show_default=True, help="the queue server")
@click.option("--token", envvar="ANTREAN_DISPLAY_TOKEN", default=None,
              help="display device token (env ANTREAN_DISPLAY_TOKEN); none = the public hall view")
@click.option("--device", default=None, help="ALSA device for aplay (e.g. hw:0,0); default: the system's")
def display_agent(server: str, token: str | None, device: str | None) -> None:
    """Speak the hall's calls through this PC's sound device (aplay), in order, never overlapping."""
    agent = DisplayAgent(server, token, ["aplay", "-q", *(["-D", device] if device else [])],
                         echo=click.echo)
    try:
        agent.run()
    except KeyboardInterrupt:
        agent.client.disconnect()
