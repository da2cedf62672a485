"""WAV bytes: our own chime, joining clips, and the checks that a clip is real sound (pure).

The chime is synthesized here (no downloaded asset to license or lose) in espeak-ng's format,
22,050 Hz mono 16-bit, so a chime and a spoken sentence join into one file without resampling.
"""

from __future__ import annotations

import io
import math
import wave
from array import array
from dataclasses import dataclass
from functools import cache

SAMPLE_RATE = 22050
# A two-tone "ting-tong" (E5 then C5) with soft overtones and a bell-like decay.
CHIME_NOTES = ((0.0, 659.25), (0.36, 523.25))
CHIME_SECONDS = 1.0


@dataclass(frozen=True)
class WavStats:
    """What a test or the speech worker checks: length, loudness (RMS of full scale), format."""

    duration_s: float
    rms: float
    rate: int
    channels: int


def _write(frames: bytes, rate: int, channels: int = 1, width: int = 2) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


def wav_bytes(samples: array, rate: int = SAMPLE_RATE) -> bytes:
    """16-bit mono samples as a WAV file."""
    return _write(samples.tobytes(), rate)


@cache
def chime_wav() -> bytes:
    """The hall's chime, generated once per process."""
    n = int(CHIME_SECONDS * SAMPLE_RATE)
    mix = [0.0] * n
    for start, freq in CHIME_NOTES:
        first = int(start * SAMPLE_RATE)
        for i in range(n - first):
            t = i / SAMPLE_RATE
            envelope = min(1.0, t / 0.008) * math.exp(-t / 0.32)
            tone = (math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(4 * math.pi * freq * t)
                    + 0.12 * math.sin(6 * math.pi * freq * t))
            mix[first + i] += envelope * tone
    peak = max(abs(x) for x in mix)
    return wav_bytes(array("h", (round(x / peak * 0.6 * 32767) for x in mix)))


def _read(data: bytes) -> tuple[wave._wave_params, bytes]:
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.getparams(), w.readframes(w.getnframes())


def wav_stats(data: bytes) -> WavStats:
    """Length and loudness of a 16-bit WAV; wave.Error for anything that is not one."""
    params, frames = _read(data)
    if params.sampwidth != 2:
        raise wave.Error(f"expected 16-bit samples, got {8 * params.sampwidth}-bit")
    samples = array("h", frames)
    rms = math.sqrt(sum(s * s for s in samples) / len(samples)) / 32768 if samples else 0.0
    return WavStats(params.nframes / params.framerate, rms, params.framerate, params.nchannels)


def join_wavs(*clips: bytes, gap_s: float = 0.3) -> bytes:
    """Clips of one format played one after another, with a short silence between them."""
    params = None
    out = bytearray()
    for clip in clips:
        p, frames = _read(clip)
        if params is None:
            params = p
        elif (p.nchannels, p.sampwidth, p.framerate) != (params.nchannels, params.sampwidth, params.framerate):
            raise wave.Error("clips differ in format")
        elif gap_s:
            out += bytes(int(gap_s * p.framerate) * p.sampwidth * p.nchannels)
        out += frames
    if params is None:
        raise ValueError("nothing to join")
    return _write(bytes(out), params.framerate, params.nchannels, params.sampwidth)
