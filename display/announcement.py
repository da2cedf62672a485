"""What the hall hears: Indonesian number words, letter names and the call sentence (pure).

espeak-ng left to itself reads "A-011" as "a nol sebelas" and guesses at acronyms, so the
sentence is built here word by word: serials by value, prefixes and acronyms letter by letter
the Indonesian way, and per-word respellings from configuration for what espeak says badly.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from queue_server.domain.errors import InvalidConfig

_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ((10**9, "miliar"), (10**6, "juta"), (1000, "ribu"), (100, "ratus"), (10, "puluh"))
_SE_SCALES = {1000, 100, 10}  # seribu, seratus, sepuluh; but satu juta, satu miliar
LETTER_NAMES = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha", "I": "i",
    "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe", "Q": "ki", "R": "er",
    "S": "es", "T": "te", "U": "u", "V": "fe", "W": "we", "X": "eks", "Y": "ye", "Z": "zet",
}
_TICKET = re.compile(r"^([A-Za-z]{1,3})-?(\d+)$")
_TOKEN = re.compile(r"\d+|\b[A-Z]{2,}\b|[()]")
PLACEHOLDERS = frozenset({"number", "counter", "agency", "service"})
DEFAULT_TEMPLATE = "Nomor antrean {number}, silakan menuju {counter}, {agency}."
DEFAULT_RECALL_TEMPLATE = "Panggilan ulang. Nomor antrean {number}, silakan menuju {counter}, {agency}."


def number_words(n: int) -> str:
    """An integer read by value in Bahasa Indonesia: 11 sebelas, 111 seratus sebelas, 1000 seribu."""
    if not 0 <= n < 10**12:
        raise ValueError(f"cannot read {n} aloud")
    return " ".join(_words(n))


def _words(n: int) -> list[str]:
    if n < 10:
        return [_UNITS[n]]
    if n < 20:
        return ["sepuluh"] if n == 10 else ["sebelas"] if n == 11 else [_UNITS[n - 10], "belas"]
    for size, name in _SCALES:
        if n >= size:
            head, rest = divmod(n, size)
            words = ["se" + name] if head == 1 and size in _SE_SCALES else [*_words(head), name]
            return words + (_words(rest) if rest else [])
    raise AssertionError("unreachable")  # n >= 20 always meets the tens scale


def letter_names(letters: str) -> str:
    """Letters spelled the Indonesian way: "AB" -> "a be"."""
    return " ".join(LETTER_NAMES.get(ch, ch) for ch in letters.upper())


def ticket_prefix(number: str) -> str:
    """The service letters of a ticket number ("AB-005" -> "AB"); "" when it is not one."""
    m = _TICKET.match(number.strip())
    return m.group(1).upper() if m else ""


def spoken_number(number: str) -> str:
    """A ticket number as said aloud: "A-011" -> "a sebelas", "AB-005" -> "a be lima"."""
    m = _TICKET.match(number.strip())
    if not m:
        return number
    return f"{letter_names(m.group(1))} {number_words(int(m.group(2)))}"


def _override_pattern(pronunciations: Mapping[str, str]) -> re.Pattern[str] | None:
    if not pronunciations:
        return None
    keys = sorted(pronunciations, key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(k) for k in keys) + r")(?!\w)", re.IGNORECASE)


def speakable(text: str, pronunciations: Mapping[str, str]) -> str:
    """Text as espeak should get it: configured respellings first (whole words, any case), then
    digits as number words and acronyms spelled out, whose words are respelled too."""
    lower = {k.lower(): v for k, v in pronunciations.items()}
    pattern = _override_pattern(pronunciations)

    def expand(part: str) -> str:
        def token(m: re.Match[str]) -> str:
            tok = m.group()
            if tok in "()":
                return ","
            words = number_words(int(tok)) if tok.isdigit() else letter_names(tok)
            return " ".join(lower.get(w, w) for w in words.split())
        return _TOKEN.sub(token, part)

    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text) if pattern else ():
        out += [expand(text[pos:m.start()]), lower[m.group().lower()]]
        pos = m.end()
    out.append(expand(text[pos:]))
    joined = re.sub(r"\s*,[\s,]*", ", ", re.sub(r"\s+", " ", "".join(out)))
    return re.sub(r",\s*([.!?])", r"\1", joined).strip(" ,")


def check_template(template: str) -> str:
    """The template itself, or InvalidConfig naming the placeholder that is not known."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise InvalidConfig(f"Templat pengumuman rusak: {exc}", f"Malformed announcement template: {exc}") from None
    unknown = names - PLACEHOLDERS
    if unknown:
        raise InvalidConfig(f"Templat pengumuman memakai isian tak dikenal: {', '.join(sorted(unknown))}",
                            f"Unknown placeholders in the announcement template: {', '.join(sorted(unknown))}")
    return template


@dataclass(frozen=True)
class Phrase:
    """One announcement: `text` for the screen, `spoken` for the speech engine."""

    text: str
    spoken: str


@dataclass(frozen=True)
class AnnouncementSettings:
    """The [announcement] section: wording, repeats, respellings and the voice."""

    template: str = DEFAULT_TEMPLATE
    recall_template: str = DEFAULT_RECALL_TEMPLATE
    repeat: int = 2
    pronunciations: Mapping[str, str] = field(default_factory=dict)
    voice: str = "id"
    rate: int = 150

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AnnouncementSettings:
        """From the stored hall settings; InvalidConfig for a template or number out of bounds."""
        repeat, rate = int(data.get("repeat", 2)), int(data.get("rate", 150))
        if not 1 <= repeat <= 5 or not 80 <= rate <= 400:
            raise InvalidConfig("Pengumuman: repeat harus 1-5 dan rate 80-400",
                                "Announcement: repeat must be 1-5 and rate 80-400")
        pronunciations = data.get("pronunciations", {})
        if not isinstance(pronunciations, Mapping) or not all(
                isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip()
                for k, v in pronunciations.items()):
            raise InvalidConfig("Pengumuman: setiap lafal perlu kata dan cara bacanya (teks, tidak kosong)",
                                "Announcement: every pronunciation needs a word and its spelling (non-empty text)")
        return cls(template=check_template(str(data.get("template", DEFAULT_TEMPLATE))),
                   recall_template=check_template(str(data.get("recall_template", DEFAULT_RECALL_TEMPLATE))),
                   repeat=repeat, pronunciations=dict(pronunciations),
                   voice=str(data.get("voice", "id")), rate=rate)

    def phrase(self, number: str, counter: str, agency: str, service: str = "", recall: bool = False) -> Phrase:
        """The sentence for a call at a counter, shown and spoken."""
        template = self.recall_template if recall else self.template
        text = template.format(number=number, counter=counter, agency=agency, service=service)
        raw = template.format(number=spoken_number(number), counter=counter, agency=agency, service=service)
        return Phrase(text, speakable(raw, self.pronunciations))
