"""The satisfaction index (SKM, PermenPAN-RB 14/2017): nine elements, 1–4 scale, NRR, IKM, category.

Kept exact: sums are integers and the index a Fraction until it is rounded to two decimals, the
way it is printed, and the category is read from that printed figure (so 88,305 prints 88,31 and
is an A, as a reader of the report would expect).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from .errors import DomainError

# (name as in the regulation, English, the questionnaire's question)
ELEMENTS: tuple[tuple[str, str, str], ...] = (
    ("Persyaratan", "Requirements",
     "Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?"),
    ("Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures",
     "Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?"),
    ("Waktu Penyelesaian", "Completion time",
     "Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?"),
    ("Biaya/Tarif", "Cost/fee",
     "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?"),
    ("Produk Spesifikasi Jenis Pelayanan", "Service product specification",
     "Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar "
     "pelayanan dengan hasil yang diberikan?"),
    ("Kompetensi Pelaksana", "Staff competence",
     "Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?"),
    ("Perilaku Pelaksana", "Staff behaviour",
     "Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?"),
    ("Penanganan Pengaduan, Saran dan Masukan", "Handling of complaints, suggestions and feedback",
     "Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?"),
    ("Sarana dan Prasarana", "Facilities and infrastructure",
     "Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?"),
)
SCALE: dict[int, tuple[str, str]] = {1: ("Tidak baik", "Not good"), 2: ("Kurang baik", "Fair"),
                                     3: ("Baik", "Good"), 4: ("Sangat baik", "Very good")}
# (lowest printed IKM, letter, Indonesian, English), best first
CATEGORIES: tuple[tuple[Decimal, str, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik", "Very good"),
    (Decimal("76.61"), "B", "Baik", "Good"),
    (Decimal("65.00"), "C", "Kurang Baik", "Poor"),
    (Decimal("25.00"), "D", "Tidak Baik", "Not good"),
)
WEIGHT = Fraction(1, len(ELEMENTS))  # exactly 1/9: the printed 0,11 would cap the index at 99
QUICK_SCALE: dict[int, tuple[str, str]] = {1: ("Kecewa", "Unhappy"), 2: ("Biasa", "Okay"), 3: ("Puas", "Happy")}


class InvalidScores(DomainError):
    """A survey answer that is not nine scores of 1 to 4 (HTTP 400)."""

    code = "invalid_input"


def check_scores(scores: Sequence[int]) -> tuple[int, ...]:
    """The nine scores, or InvalidScores: every element must be answered on the 1–4 scale."""
    if len(scores) != len(ELEMENTS) or any(s not in SCALE for s in scores):
        raise InvalidScores("Isilah kesembilan unsur dengan nilai 1 sampai 4",
                            "Answer all nine elements with a score from 1 to 4")
    return tuple(scores)


@dataclass(frozen=True)
class SkmResult:
    """The index of a set of responses, as the report prints it."""

    respondents: int
    totals: tuple[int, ...]      # sum of scores per element
    nrr: tuple[Fraction, ...]    # average per element
    ikm: Decimal | None          # rounded to two decimals; None without respondents
    category: tuple[str, str, str] | None  # letter, Indonesian, English


def category_of(ikm: Decimal) -> tuple[str, str, str]:
    """The official category of a printed (two-decimal) IKM."""
    for lowest, letter, name_id, name_en in CATEGORIES:
        if ikm >= lowest:
            return letter, name_id, name_en
    raise ValueError(f"IKM below 25: {ikm}")


def ikm_exact(nrr: Sequence[Fraction]) -> Fraction:
    """IKM = Σ (NRR × 1/9) × 25."""
    return sum((n * WEIGHT for n in nrr), Fraction(0)) * 25


def compute(respondents: int, totals: Sequence[int]) -> SkmResult:
    """NRR per element, IKM and category from the number of respondents and the sums per element."""
    if respondents == 0:
        return SkmResult(0, tuple(totals), (), None, None)
    nrr = tuple(Fraction(t, respondents) for t in totals)
    exact = ikm_exact(nrr)
    ikm = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return SkmResult(respondents, tuple(totals), nrr, ikm, category_of(ikm))


def compute_responses(responses: Sequence[Sequence[int]]) -> SkmResult:
    """The index of individual responses (each nine scores)."""
    totals = [sum(r[i] for r in responses) for i in range(len(ELEMENTS))]
    return compute(len(responses), totals)


def decimal_id(value: Decimal | Fraction | float, places: int = 2) -> str:
    """A number the Indonesian way: decimal comma (88,31)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return f"{Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)}".replace(".", ",")
