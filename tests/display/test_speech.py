"""Real speech: espeak-ng through pyttsx3 into WAV files, cached by text; our generated chime."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from display.announcement import AnnouncementSettings
from display.speech import SpeechCache, SpeechFailed, Voice
from display.wav import chime_wav, join_wavs, wav_stats

from ..support import ROOT

SENTENCE = AnnouncementSettings(pronunciations={"belas": "blas", "loket": "lo-ket"}).phrase(
    "A-011", "Loket 3", "Dukcapil").spoken
RMS_FLOOR = 0.02  # espeak speech sits near 0.08; silence or a click is far below


def test_a_call_renders_to_a_real_wav_once_and_the_cache_returns_the_same_file(tmp_path: Path,
                                                                              artifacts: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    path = cache.render_now(SENTENCE, Voice())
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE"
    stats = wav_stats(data)
    assert 2.0 <= stats.duration_s <= 12.0, stats
    assert stats.rms > RMS_FLOOR, stats
    assert (stats.rate, stats.channels) == (22050, 1)
    inode = path.stat().st_ino
    again = cache.render_now(SENTENCE, Voice())
    assert again == path and again.stat().st_ino == inode and again.read_bytes() == data
    assert (cache.renders, cache.hits, cache.failures) == (1, 1, 0)
    assert sorted(p.name for p in (tmp_path / "speech").iterdir()) == [path.name]  # no temporary left behind
    other = cache.render_now(SENTENCE.replace("sebelas", "dua blas"), Voice())
    assert other != path and cache.renders == 2
    (artifacts / "announcement-A-011.wav").write_bytes(join_wavs(chime_wav(), data))


def test_the_chime_is_our_own_short_tone_in_the_speech_format() -> None:
    stats = wav_stats(chime_wav())
    assert 0.5 <= stats.duration_s <= 1.5 and stats.rms > RMS_FLOOR
    assert (stats.rate, stats.channels) == (22050, 1)


def test_a_missing_voice_fails_loudly_instead_of_speaking_english(tmp_path: Path) -> None:
    cache = SpeechCache(tmp_path / "speech")
    with pytest.raises(SpeechFailed, match="no voice 'xx'"):
        cache.render_now("Nomor antrean a satu", Voice("xx"))
    status = cache.status()
    assert status["ok"] is False and status["failures"] == 1 and "xx" in status["last_error"]
    assert list((tmp_path / "speech").iterdir()) == []
    cache.render_now("Nomor antrean a satu", Voice())  # the worker survives and recovers
    assert cache.status()["ok"] is True


def test_antrean_say_writes_chime_and_sentence_to_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "a011.wav"
    result = subprocess.run([sys.executable, "-m", "queue_server.entrypoints.cli", "say", "A-011", "--counter",
                             "Loket 3", "--out", str(out)], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "ANTREAN_CONFIG": str(ROOT / "config.toml")})
    assert result.returncode == 0, result.stderr
    assert "Nomor antrean A-011, silakan menuju Loket 3, Dukcapil." in result.stdout
    assert "a sebelas" in result.stdout and "lo-ket tiga" in result.stdout
    stats = wav_stats(out.read_bytes())
    assert 3.0 <= stats.duration_s <= 14.0 and stats.rms > RMS_FLOOR
