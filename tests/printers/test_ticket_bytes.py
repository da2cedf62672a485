"""Ticket bytes from the layout (python-escpos Dummy), read back by our decoder, at 58 and 80 mm."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from printers.decoder import MARGIN, Command, decode, labelled_text, render_png, save_ticket
from printers.layout import COLUMNS, DOTS, Layout, Paper, compose, wait_words
from printers.render import escpos_bytes
from queue_server.domain.errors import InvalidConfig

from .helpers import document

URL = "http://127.0.0.1:8000/t/Zx9-abcDEF12"


def texts(commands: list[Command]) -> list[str]:
    return [c.args["text"] for c in commands if c.name == "TEXT"]


@pytest.mark.parametrize("mm", [58, 80])
def test_ticket_bytes_hold_init_big_number_native_qr_and_cut(mm: int, artifacts: Path) -> None:
    data = escpos_bytes(compose(Layout.load(), document(), Paper(mm)))
    assert data.startswith(b"\x1b@")  # ESC @ initialise
    commands = decode(data)
    assert not [c for c in commands if c.name in ("UNKNOWN", "TRUNCATED")], labelled_text(commands)

    # The number: magnified at least double in both directions, bold, centred, and the largest size on this roll.
    i = next(k for k, c in enumerate(commands) if c.name == "TEXT" and c.args["text"] == "A-007")
    size = next(c for c in reversed(commands[:i]) if c.name == "SIZE")
    assert size.args["width"] >= 2 and size.args["height"] >= 2
    assert size.args["width"] == min(6, COLUMNS[mm] // len("A-007"))
    assert next(c for c in reversed(commands[:i]) if c.name == "ALIGN").args["align"] == "center"
    assert next(c for c in reversed(commands[:i]) if c.name == "BOLD").args["on"] is True

    # The printer draws the QR itself (GS ( k), holding the tracking URL.
    names = [c.name for c in commands]
    assert names.count("QR_STORE") == 1 and names.index("QR_STORE") < names.index("QR_PRINT")
    assert next(c for c in commands if c.name == "QR_STORE").args["data"] == URL
    assert not [c for c in commands if c.name in ("RASTER", "BIT_IMAGE", "GRAPHICS")]  # not an image

    # Ends with a feed and a full cut.
    assert commands[-1].name == "CUT" and commands[-1].args["mode"] == "full"
    assert commands[-2].name == "FEED_LINES"

    # Everything fits the roll: no line wider than the paper at its magnification.
    width = 1
    for c in commands:
        if c.name == "SIZE":
            width = c.args["width"]
        elif c.name == "TEXT":
            assert len(c.args["text"]) * width <= COLUMNS[mm], c.args["text"]
    lines = texts(commands)
    assert "Senin, 23 November 2026" in lines and "Pukul 09.05 WIB" in lines
    printed = " ".join(lines)  # a 58 mm roll wraps the longer lines
    assert "Di depan Anda: 6 orang" in printed and "Perkiraan tunggu: sekitar 28 menit" in printed
    assert "Syarat: Kartu Keluarga asli; sudah berusia 17 tahun" in printed

    png = artifacts / f"ticket-{mm}mm.png"
    save_ticket(data, png, DOTS[mm])
    with Image.open(png) as img:
        assert img.width == DOTS[mm] + 2 * MARGIN and img.height > 600
        dark = sum(img.convert("L").histogram()[:128])
        assert dark > 5000  # text, the number and the QR were drawn
    assert 'QR_STORE data="' not in png.with_suffix(".txt").read_text() and URL in png.with_suffix(".txt").read_text()


def test_layout_is_configuration_not_code(tmp_path: Path) -> None:
    own = tmp_path / "layout.toml"
    own.write_text('max_magnification = 3\n'
                   '[[block]]\nkind = "text"\ntext = "LOKET {counters}"\nalign = "right"\n'
                   '[[block]]\nkind = "number"\n'
                   '[[block]]\nkind = "text"\ntext = "Syarat: {requirements}"\nwhen = "requirements"\n'
                   '[[block]]\nkind = "cut"\n')
    commands = decode(escpos_bytes(compose(Layout.load(own), document(requirements=""), Paper(80))))
    assert texts(commands) == ["LOKET Loket 1, Loket 2", "A-007"]
    assert next(c for c in commands if c.name == "SIZE" and c.args["width"] > 1).args["width"] == 3
    assert not [c for c in commands if c.name.startswith("QR")]
    with pytest.raises(InvalidConfig):
        Layout.from_mapping({"block": [{"kind": "text", "text": "no number"}]})
    with pytest.raises(InvalidConfig):
        Layout.from_mapping({"block": [{"kind": "number"}, {"kind": "sparkles"}]})


def test_reprint_marked_priority_shown_and_text_kept_to_ascii() -> None:
    doc = document(priority="Lanjut usia (60 tahun ke atas)", agency="Dinas Kependudukan — Catatan Sipil",
                   reprinted_at=datetime(2026, 11, 23, 10, 30, tzinfo=ZoneInfo("Asia/Jakarta")))
    data = escpos_bytes(compose(Layout.load(), doc, Paper(80)))
    assert all(b < 0x80 for b in data.split(b"\x1d(k")[0])  # text before the QR is plain ASCII
    lines = texts(decode(data))
    assert "Prioritas: Lanjut usia (60 tahun ke atas)" in lines
    assert "CETAK ULANG Senin, 23 November 2026 10.30 WIB" in lines
    assert "Dinas Kependudukan - Catatan Sipil" in lines


def test_wait_and_dates_in_indonesian() -> None:
    assert [wait_words(s) for s in (0, 29, 60, 1500, 3600, 4500)] == [
        "segera", "segera", "sekitar 1 menit", "sekitar 25 menit", "sekitar 1 jam", "sekitar 1 jam 15 menit"]
    doc = document(issued_at=datetime(2027, 8, 17, 23, 59, tzinfo=ZoneInfo("Asia/Makassar")), timezone="Asia/Makassar")
    assert doc.fields()["date"] == "Selasa, 17 Agustus 2027" and doc.fields()["time"] == "23.59 WITA"


def test_decoder_labels_what_it_does_not_know_and_truncation() -> None:
    commands = decode(b"\x1b@Halo\n\x1b\x7f\x01\x1d(k\x10\x00\x31")
    assert [c.name for c in commands] == ["INIT", "TEXT", "LF", "UNKNOWN", "UNKNOWN", "TRUNCATED"]
    assert labelled_text(commands).splitlines()[1] == 'TEXT "Halo"'
    raster = b"\x1dv0\x00\x01\x00\x02\x00\xff\x81"  # 8 x 2 dots
    cmd = decode(raster)[0]
    assert cmd.name == "RASTER" and (cmd.args["width"], cmd.args["height"]) == (8, 2)
    img = render_png([cmd], 64)
    assert img.getpixel((MARGIN, MARGIN)) == 0 and img.getpixel((MARGIN + 1, MARGIN + 1)) == 255


def test_optional_logo_is_printed_as_a_raster_image_scaled_to_the_roll(tmp_path: Path, artifacts: Path) -> None:
    logo = tmp_path / "logo.png"
    img = Image.new("L", (800, 120), 255)
    img.paste(0, (0, 0, 800, 40))
    img.save(logo)
    data = escpos_bytes(compose(Layout.load(), document(), Paper(58), logo=str(logo)))
    commands = decode(data)
    raster = next(c for c in commands if c.name == "RASTER")
    assert raster.args["width"] <= DOTS[58] and raster.args["height"] == round(120 * DOTS[58] / 800)
    assert [c.name for c in commands].index("RASTER") < [c.name for c in commands].index("QR_STORE")
    assert not decode(escpos_bytes(compose(Layout.load(), document(), Paper(58))))[1].name == "RASTER"
    render_png(commands, DOTS[58]).save(artifacts / "ticket-58mm-logo.png")
