"""Print steps to ESC/POS bytes with python-escpos: rendered once, then sent as-is by any transport."""

from __future__ import annotations

from escpos.printer import Dummy
from PIL import Image

from .layout import Cut, Feed, Line, Logo, Qr, Step, Style

DEFAULT_PROFILE = "TM-T20II"  # an 80/58 mm Epson-compatible head with cutter and native QR


def escpos_bytes(steps: list[Step], profile: str = DEFAULT_PROFILE) -> bytes:
    """The exact bytes a printer receives for `steps`, starting with ESC @ (initialise)."""
    p = Dummy(profile=profile)
    p.hw("INIT")
    for step in steps:
        if isinstance(step, Style):
            p.set(align=step.align, bold=step.bold, custom_size=True, width=step.width, height=step.height)
        elif isinstance(step, Line):
            p.textln(step.text)
        elif isinstance(step, Qr):
            p.qr(step.data, native=True, size=step.module, ec=1)  # ec=1: level M survives a crumpled ticket
        elif isinstance(step, Feed):
            p.ln(step.lines)
        elif isinstance(step, Logo):
            with Image.open(step.path) as img:
                img = img.convert("L")
                if img.width > step.max_width:
                    img = img.resize((step.max_width, round(img.height * step.max_width / img.width)))
                p.image(img, impl="bitImageRaster", center=False)
        elif isinstance(step, Cut):
            p.cut()
    return p.output
