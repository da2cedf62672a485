"""ESC/POS bytes back into labelled commands and a PNG, so tests and people can look at a ticket.

No maintained ESC/POS renderer exists on PyPI, so this is our own: it knows the commands
python-escpos emits (and the status queries we send), draws text at the printer's character
cell (font A 12 x 24 dots, magnified by GS !), native QR codes (redrawn with `qrcode` from the
stored data), GS v 0 raster images and the cut. Anything it does not know it labels UNKNOWN
rather than guessing, so a wrong byte shows up in the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import qrcode
from PIL import Image, ImageDraw, ImageFont

CELL = {0: (12, 24), 1: (9, 17)}  # font A, font B: dots per character
LINE_GAP = 6  # dots between lines at the default line spacing
MARGIN = 16
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
              "/usr/share/fonts/truetype/liberation/LiberationMono-Regular.ttf")
ALIGN_NAMES = {0: "left", 1: "center", 2: "right"}
QR_ECC = {48: "L", 49: "M", 50: "Q", 51: "H"}
QR_ECC_LIB = {"L": qrcode.constants.ERROR_CORRECT_L, "M": qrcode.constants.ERROR_CORRECT_M,
              "Q": qrcode.constants.ERROR_CORRECT_Q, "H": qrcode.constants.ERROR_CORRECT_H}


@dataclass(frozen=True)
class Command:
    """One decoded command: a name, its arguments, and the raw bytes it came from."""

    name: str
    args: dict[str, Any] = field(default_factory=dict)
    raw: bytes = b""

    def label(self) -> str:
        """One line of the labelled text."""
        if self.name == "TEXT":
            return f'TEXT "{self.args["text"]}"'
        return " ".join([self.name, *(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}"
                                      for k, v in self.args.items() if k != "bitmap")])


def _arg(data: bytes, i: int) -> int:
    if i >= len(data):
        raise _Truncated
    return data[i]


class _Truncated(Exception):
    pass


def _n01(n: int) -> int:
    """ESC/POS accepts both 0/1 and the characters '0'/'1' for switches and alignment."""
    return n - 48 if 48 <= n <= 50 else n


def _esc(data: bytes, i: int) -> tuple[Command, int]:
    """ESC x ... starting at data[i] == 0x1B; returns the command and the next index."""
    op = _arg(data, i + 1)
    one = {ord("a"): "ALIGN", ord("E"): "BOLD", ord("G"): "DOUBLE_STRIKE", ord("-"): "UNDERLINE",
           ord("!"): "PRINT_MODE", ord("M"): "FONT", ord("t"): "CODE_PAGE", ord("d"): "FEED_LINES",
           ord("J"): "FEED_DOTS", ord("3"): "LINE_SPACING", ord("{"): "UPSIDE_DOWN", ord("V"): "ROTATE",
           ord("R"): "CHARSET", ord("="): "SELECT_PERIPHERAL", ord("c"): "PANEL"}
    if op == ord("@"):
        return Command("INIT", raw=data[i:i + 2]), i + 2
    if op == ord("2"):
        return Command("LINE_SPACING", {"dots": None}, data[i:i + 2]), i + 2
    if op == ord("c"):  # ESC c 5 n: panel buttons
        n = _arg(data, i + 3)
        return Command("PANEL_BUTTONS", {"disabled": n & 1}, data[i:i + 4]), i + 4
    if op in one:
        n = _arg(data, i + 2)
        name = one[op]
        args: dict[str, Any] = {"n": n}
        if name == "ALIGN":
            args = {"align": ALIGN_NAMES.get(_n01(n), str(n))}
        elif name in ("BOLD", "DOUBLE_STRIKE", "UPSIDE_DOWN"):
            args = {"on": bool(_n01(n) & 1)}
        elif name == "UNDERLINE":
            args = {"dots": _n01(n)}
        elif name == "PRINT_MODE":
            args = {"font_b": bool(n & 1), "bold": bool(n & 8), "double_height": bool(n & 16),
                    "double_width": bool(n & 32), "underline": bool(n & 128)}
        elif name == "FONT":
            args = {"font": _n01(n)}
        elif name == "FEED_LINES":
            args = {"lines": n}
        elif name in ("FEED_DOTS", "LINE_SPACING"):
            args = {"dots": n}
        return Command(name, args, data[i:i + 3]), i + 3
    if op == ord("p"):
        return Command("CASH_DRAWER", {"pin": _arg(data, i + 2)}, data[i:i + 5]), i + 5
    if op == ord("B"):
        return Command("BUZZER", {"times": _arg(data, i + 2), "duration": _arg(data, i + 3)}, data[i:i + 4]), i + 4
    if op == ord("*"):
        m, nl, nh = _arg(data, i + 2), _arg(data, i + 3), _arg(data, i + 4)
        size = (nl + nh * 256) * (3 if m >= 32 else 1)
        return Command("BIT_IMAGE", {"mode": m, "columns": nl + nh * 256}, data[i:i + 5 + size]), i + 5 + size
    return Command("UNKNOWN", {"bytes": data[i:i + 2].hex(" ")}, data[i:i + 2]), i + 2


def _gs_paren(data: bytes, i: int) -> tuple[Command, int]:
    """GS ( k (2D codes) and GS ( L (graphics): length-prefixed functions."""
    kind = _arg(data, i + 2)
    length = _arg(data, i + 3) + _arg(data, i + 4) * 256
    body = data[i + 5:i + 5 + length]
    if len(body) < length:
        raise _Truncated
    end = i + 5 + length
    if kind == ord("k") and length >= 2 and body[0] == 49:  # cn = '1': QR code
        fn = body[1]
        if fn == 65:
            return Command("QR_MODEL", {"model": body[2] - 48}, data[i:end]), end
        if fn == 67:
            return Command("QR_SIZE", {"module": body[2]}, data[i:end]), end
        if fn == 69:
            return Command("QR_ECC", {"level": QR_ECC.get(body[2], str(body[2]))}, data[i:end]), end
        if fn == 80:
            return Command("QR_STORE", {"data": body[3:].decode("utf-8", "replace")}, data[i:end]), end
        if fn == 81:
            return Command("QR_PRINT", {}, data[i:end]), end
    name = "2D_CODE" if kind == ord("k") else "GRAPHICS" if kind == ord("L") else f"GS ( {chr(kind)}"
    return Command(name, {"bytes": length}, data[i:end]), end


def _gs(data: bytes, i: int) -> tuple[Command, int]:
    """GS x ... starting at data[i] == 0x1D."""
    op = _arg(data, i + 1)
    if op == ord("!"):
        n = _arg(data, i + 2)
        return Command("SIZE", {"width": (n >> 4) + 1, "height": (n & 15) + 1}, data[i:i + 3]), i + 3
    if op == ord("V"):
        m = _arg(data, i + 2)
        if m in (65, 66):
            return Command("CUT", {"mode": "full" if m == 65 else "partial", "feed": _arg(data, i + 3)},
                           data[i:i + 4]), i + 4
        return Command("CUT", {"mode": "partial" if _n01(m) == 1 else "full"}, data[i:i + 3]), i + 3
    if op == ord("("):
        return _gs_paren(data, i)
    if op == ord("v") and _arg(data, i + 2) == ord("0"):
        m = _arg(data, i + 3)
        width_bytes = _arg(data, i + 4) + _arg(data, i + 5) * 256
        rows = _arg(data, i + 6) + _arg(data, i + 7) * 256
        end = i + 8 + width_bytes * rows
        if end > len(data):
            raise _Truncated
        return Command("RASTER", {"width": width_bytes * 8, "height": rows, "mode": m,
                                  "bitmap": data[i + 8:end]}, data[i:end]), end
    one = {ord("B"): "INVERT", ord("b"): "SMOOTH", ord("r"): "STATUS_REQUEST", ord("H"): "BARCODE_TEXT",
           ord("f"): "BARCODE_FONT", ord("h"): "BARCODE_HEIGHT", ord("w"): "BARCODE_WIDTH", ord("a"): "AUTO_STATUS"}
    if op in one:
        n = _arg(data, i + 2)
        return Command(one[op], {"n": n}, data[i:i + 3]), i + 3
    if op in (ord("L"), ord("W")):
        n = _arg(data, i + 2) + _arg(data, i + 3) * 256
        return Command("LEFT_MARGIN" if op == ord("L") else "PRINT_WIDTH", {"dots": n}, data[i:i + 4]), i + 4
    if op == ord("k"):
        m = _arg(data, i + 2)
        if m <= 6:
            end = data.index(b"\x00", i + 3) + 1
            payload = data[i + 3:end - 1]
        else:
            n = _arg(data, i + 3)
            end = i + 4 + n
            payload = data[i + 4:end]
        return Command("BARCODE", {"system": m, "data": payload.decode("latin-1")}, data[i:end]), end
    return Command("UNKNOWN", {"bytes": data[i:i + 2].hex(" ")}, data[i:i + 2]), i + 2


def decode(data: bytes) -> list[Command]:
    """Every command and text run in `data`, in order."""
    out: list[Command] = []
    text = bytearray()
    i = 0

    def flush_text() -> None:
        if text:
            out.append(Command("TEXT", {"text": text.decode("cp437")}, bytes(text)))
            text.clear()

    controls = {0x0A: "LF", 0x0D: "CR", 0x09: "TAB", 0x0C: "FORM_FEED"}
    while i < len(data):
        b = data[i]
        if b >= 0x20 and b != 0x7F:
            text.append(b)
            i += 1
            continue
        flush_text()
        try:
            if b == 0x1B:
                cmd, i = _esc(data, i)
            elif b == 0x1D:
                cmd, i = _gs(data, i)
            elif b == 0x10 and i + 2 < len(data) and data[i + 1] == 0x04:
                cmd, i = Command("REALTIME_STATUS", {"n": data[i + 2]}, data[i:i + 3]), i + 3
            elif b in controls:
                cmd, i = Command(controls[b], raw=data[i:i + 1]), i + 1
            else:
                cmd, i = Command("UNKNOWN", {"bytes": f"{b:02x}"}, data[i:i + 1]), i + 1
        except (_Truncated, ValueError):
            cmd, i = Command("TRUNCATED", {"bytes": data[i:].hex(" ")}, data[i:]), len(data)
        out.append(cmd)
    flush_text()
    return out


def labelled_text(commands: list[Command]) -> str:
    """The commands one per line, as a person reads them."""
    return "\n".join(c.label() for c in commands) + "\n"


# -- drawing -----------------------------------------------------------------------------------

def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_FILES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


@dataclass
class _Pen:
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1
    font: int = 0
    invert: bool = False

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]


class _Paper:
    """A growing strip of paper that the decoded commands print on."""

    def __init__(self, dots: int) -> None:
        self.dots = dots
        self.strips: list[Image.Image] = []
        self.line: list[tuple[str, _Pen]] = []
        self.fonts = {0: _font(20), 1: _font(15)}

    def _place(self, img: Image.Image, align: str) -> None:
        strip = Image.new("L", (self.dots, img.height), 255)
        x = {"left": 0, "center": (self.dots - img.width) // 2, "right": self.dots - img.width}[align]
        strip.paste(img, (max(0, x), 0))
        self.strips.append(strip)

    def _segment(self, text: str, pen: _Pen) -> Image.Image:
        cw, ch = CELL[pen.font]
        img = Image.new("L", (cw * len(text), ch), 0 if pen.invert else 255)
        draw = ImageDraw.Draw(img)
        ink = 255 if pen.invert else 0
        for k, char in enumerate(text):
            draw.text((k * cw, 1), char, font=self.fonts[pen.font], fill=ink)
            if pen.bold:
                draw.text((k * cw + 1, 1), char, font=self.fonts[pen.font], fill=ink)
        return img.resize((img.width * pen.width, img.height * pen.height), Image.Resampling.NEAREST)

    def newline(self, align: str) -> None:
        """Print the buffered line (an empty one feeds a blank line)."""
        parts = [self._segment(t, p) for t, p in self.line if t]
        height = max([p.height for p in parts] or [CELL[0][1]])
        img = Image.new("L", (min(self.dots, sum(p.width for p in parts)) or 1, height + LINE_GAP), 255)
        x = 0
        for part in parts:
            img.paste(part, (x, height - part.height))
            x += part.width
        self._place(img, align)
        self.line = []

    def flush(self, align: str) -> None:
        """Print any pending text before a graphic, a feed or a cut."""
        if self.line:
            self.newline(align)

    def blank(self, dots: int) -> None:
        self.strips.append(Image.new("L", (self.dots, max(1, dots)), 255))

    def picture(self, img: Image.Image, align: str) -> None:
        self.flush(align)
        self._place(img.crop((0, 0, min(img.width, self.dots), img.height)), align)

    def cut(self) -> None:
        img = Image.new("L", (self.dots, 28), 255)
        draw = ImageDraw.Draw(img)
        for x in range(0, self.dots, 16):
            draw.line((x, 14, x + 8, 14), fill=0, width=2)
        draw.rectangle((self.dots // 2 - 40, 0, self.dots // 2 + 40, 27), fill=255)
        draw.text((self.dots // 2 - 27, 5), "potong", font=self.fonts[1], fill=0)
        self.strips.append(img)

    def image(self) -> Image.Image:
        height = sum(s.height for s in self.strips) + 2 * MARGIN
        out = Image.new("L", (self.dots + 2 * MARGIN, height), 255)
        y = MARGIN
        for s in self.strips:
            out.paste(s, (MARGIN, y))
            y += s.height
        ImageDraw.Draw(out).rectangle((0, 0, out.width - 1, out.height - 1), outline=190)
        return out


def _raster(cmd: Command) -> Image.Image:
    w, h = cmd.args["width"], cmd.args["height"]
    return Image.frombytes("1", (w, h), cmd.args["bitmap"]).convert("L").point(lambda v: 255 - v)


def render_png(commands: list[Command], paper_dots: int = 576) -> Image.Image:
    """Draw the ticket the way a thermal head of `paper_dots` would print it."""
    paper, pen = _Paper(paper_dots), _Pen()
    qr: dict[str, Any] = {"module": 3, "level": "L", "data": ""}
    for cmd in commands:
        name, args = cmd.name, cmd.args
        if name == "TEXT":
            paper.line.append((args["text"], _Pen(**vars(pen))))
        elif name == "LF":
            paper.newline(pen.align)
        elif name == "INIT":
            pen.reset()
        elif name == "ALIGN":
            pen.align = args["align"] if args["align"] in ("left", "center", "right") else "left"
        elif name == "BOLD":
            pen.bold = args["on"]
        elif name == "SIZE":
            pen.width, pen.height = args["width"], args["height"]
        elif name == "PRINT_MODE":
            pen.width, pen.height = 2 if args["double_width"] else 1, 2 if args["double_height"] else 1
            pen.bold, pen.font = args["bold"], int(args["font_b"])
        elif name == "FONT":
            pen.font = 1 if args["font"] == 1 else 0
        elif name == "INVERT":
            pen.invert = bool(args["n"] & 1)
        elif name == "FEED_LINES":
            paper.flush(pen.align)
            paper.blank(args["lines"] * (CELL[0][1] + LINE_GAP))
        elif name == "FEED_DOTS":
            paper.flush(pen.align)
            paper.blank(args["dots"])
        elif name in ("QR_SIZE", "QR_ECC", "QR_STORE"):
            qr.update({k: v for k, v in args.items() if k in ("module", "level", "data")})
        elif name == "QR_PRINT" and qr["data"]:
            code = qrcode.QRCode(box_size=qr["module"], border=1, error_correction=QR_ECC_LIB[qr["level"]])
            code.add_data(qr["data"])
            code.make(fit=True)
            paper.picture(code.make_image().get_image().convert("L"), pen.align)
        elif name == "RASTER":
            paper.picture(_raster(cmd), pen.align)
        elif name == "CUT":
            paper.flush(pen.align)
            paper.cut()
    paper.flush(pen.align)
    return paper.image()


def save_ticket(data: bytes, png: Path, paper_dots: int = 576) -> list[Command]:
    """Decode `data`, write its PNG and labelled text (same name, .txt) next to it."""
    commands = decode(data)
    render_png(commands, paper_dots).save(png)
    png.with_suffix(".txt").write_text(labelled_text(commands), encoding="utf-8")
    return commands
