"""The spoken sentence, built in plain Python: numbers by value, letters the Indonesian way."""

from __future__ import annotations

import pytest

from display.announcement import (
    AnnouncementSettings,
    check_template,
    letter_names,
    number_words,
    speakable,
    spoken_number,
)
from queue_server.config import hall_from_config
from queue_server.domain.errors import InvalidConfig

from ..support import demo_raw

NUMBERS = {
    0: "nol", 1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam", 7: "tujuh", 8: "delapan",
    9: "sembilan", 10: "sepuluh", 11: "sebelas", 12: "dua belas", 13: "tiga belas", 14: "empat belas",
    15: "lima belas", 16: "enam belas", 17: "tujuh belas", 18: "delapan belas", 19: "sembilan belas",
    20: "dua puluh", 21: "dua puluh satu", 99: "sembilan puluh sembilan", 100: "seratus", 101: "seratus satu",
    110: "seratus sepuluh", 111: "seratus sebelas", 199: "seratus sembilan puluh sembilan", 200: "dua ratus",
    999: "sembilan ratus sembilan puluh sembilan", 1000: "seribu", 1001: "seribu satu",
    1999: "seribu sembilan ratus sembilan puluh sembilan", 2000: "dua ribu", 11000: "sebelas ribu",
    100000: "seratus ribu", 1_000_000: "satu juta", 2_500_000: "dua juta lima ratus ribu",
}


@pytest.mark.parametrize(("n", "words"), NUMBERS.items())
def test_numbers_are_read_by_value(n: int, words: str) -> None:
    assert number_words(n) == words


def test_numbers_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError):
        number_words(-1)


def test_every_letter_has_its_indonesian_name() -> None:
    assert letter_names("ABCDEFGHIJKLMNOPQRSTUVWXYZ").split() == [
        "a", "be", "ce", "de", "e", "ef", "ge", "ha", "i", "je", "ka", "el", "em", "en", "o", "pe", "ki", "er",
        "es", "te", "u", "fe", "we", "eks", "ye", "zet"]


@pytest.mark.parametrize(("number", "spoken"), [
    ("A-001", "a satu"), ("A-011", "a sebelas"), ("B-100", "be seratus"),
    ("C-999", "ce sembilan ratus sembilan puluh sembilan"),
    ("AB-005", "a be lima"), ("AF-112", "a ef seratus dua belas"), ("XYZ-1000", "eks ye zet seribu"),
    ("Z-021", "zet dua puluh satu"),
])
def test_ticket_numbers_drop_leading_zeros_and_spell_their_letters(number: str, spoken: str) -> None:
    assert spoken_number(number) == spoken


def test_names_get_numbers_as_words_acronyms_spelled_and_overrides_first() -> None:
    overrides = {"belas": "blas", "loket": "lo-ket", "PDAM": "pe dam"}
    assert speakable("Loket 12", overrides) == "lo-ket dua blas"
    assert speakable("Polres (SKCK).", {}) == "Polres, es ka ce ka."
    assert speakable("Perumda Air Minum (PDAM)", overrides) == "Perumda Air Minum, pe dam"  # override beats spelling
    assert speakable("Loketku", overrides) == "Loketku"  # whole words only


def test_the_configured_sentence_is_shown_and_spoken() -> None:
    _, settings_json = hall_from_config(demo_raw())
    settings = AnnouncementSettings.from_json(settings_json["announcement"])
    phrase = settings.phrase("A-011", "Loket 3", "Dukcapil")
    assert phrase.text == "Nomor antrean A-011, silakan menuju Loket 3, Dukcapil."
    assert phrase.spoken == "Nomor antrean a sebelas, silakan menuju lo-ket tiga, Dukcapil."
    assert settings.phrase("J-012", "Loket 8", "BPJS Kesehatan").spoken == (
        "Nomor antrean je dua blas, silakan menuju lo-ket delapan, be pe je es Kesehatan.")
    recall = settings.phrase("A-011", "Loket 3", "Dukcapil", recall=True)
    assert recall.text.startswith("Panggilan ulang. Nomor antrean A-011")


def test_a_template_with_an_unknown_placeholder_is_refused() -> None:
    assert check_template("{number} ke {counter} ({service})") == "{number} ke {counter} ({service})"
    with pytest.raises(InvalidConfig):
        check_template("Nomor {nomor}")
    with pytest.raises(InvalidConfig):
        AnnouncementSettings.from_json({"repeat": 0})
