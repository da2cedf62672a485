"""SKM arithmetic on hand-worked examples (PermenPAN-RB 14/2017), including the category boundaries."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from queue_server.domain import skm


def respondents(base: list[int], upgraded: int, others: int, element: int) -> list[list[int]]:
    """`upgraded` respondents answering `base` with one more point on `element`, `others` answering `base`."""
    better = [s + 1 if i == element else s for i, s in enumerate(base)]
    return [better] * upgraded + [base] * others


# Worked by hand. 88,31: 24 respondents; elements 1–4 all 4, elements 6–9 all 3, element 5 is 4 for
# 19 and 3 for 5, so NRR5 = 91/24. Σ NRR = 16 + 91/24 + 12 = 763/24; IKM = 763/24 × 25/9 = 88,3102 → A.
# 88,30: 19 respondents, element 5 is 4 for 15 and 3 for 4: Σ NRR = 604/19, IKM = 15100/171 = 88,3041 → B.
# 76,61: 19 respondents, all 3 except element 1 = 4 for 11: Σ NRR = 524/19, IKM = 13100/171 = 76,6082 → B.
# 76,60: 26 respondents, all 3 except element 1 = 4 for 15: Σ NRR = 717/26, IKM = 17925/234 = 76,6026 → C.
HIGH = [4, 4, 4, 4, 3, 3, 3, 3, 3]
EXAMPLES = [
    (respondents(HIGH, 19, 5, 4), Fraction(91, 24), 4, "88.31", "A", "Sangat Baik"),
    (respondents(HIGH, 15, 4, 4), Fraction(72, 19), 4, "88.30", "B", "Baik"),
    (respondents([3] * 9, 11, 8, 0), Fraction(68, 19), 0, "76.61", "B", "Baik"),
    (respondents([3] * 9, 15, 11, 0), Fraction(93, 26), 0, "76.60", "C", "Kurang Baik"),
]


@pytest.mark.parametrize(("answers", "nrr", "element", "ikm", "letter", "name"), EXAMPLES)
def test_boundaries_worked_by_hand(answers: list[list[int]], nrr: Fraction, element: int, ikm: str,
                                   letter: str, name: str) -> None:
    result = skm.compute_responses(answers)
    assert result.respondents == len(answers)
    assert result.nrr[element] == nrr
    assert result.ikm == Decimal(ikm)
    assert result.category is not None and result.category[:2] == (letter, name)


def test_small_example_every_figure() -> None:
    """Three respondents: NRR per element and the index, each written out."""
    answers = [[4, 3, 3, 4, 3, 4, 4, 2, 3], [3, 3, 2, 4, 3, 4, 4, 3, 3], [4, 2, 3, 4, 3, 3, 4, 3, 2]]
    result = skm.compute_responses(answers)
    assert result.totals == (11, 8, 8, 12, 9, 11, 12, 8, 8)
    assert result.nrr[0] == Fraction(11, 3) and result.nrr[3] == 4
    # Σ NRR = 87/3 = 29; IKM = 29 × 25 / 9 = 80,5555… → 80,56, category B
    assert skm.ikm_exact(result.nrr) == Fraction(725, 9)
    assert result.ikm == Decimal("80.56") and result.category[0] == "B"  # type: ignore[index]
    assert skm.decimal_id(result.ikm) == "80,56"


def test_weight_is_exactly_one_ninth_so_all_fours_give_100() -> None:
    assert skm.compute_responses([[4] * 9]).ikm == Decimal("100.00")
    assert skm.compute_responses([[1] * 9]).ikm == Decimal("25.00")
    assert skm.compute_responses([[1] * 9]).category[0] == "D"  # type: ignore[index]


@pytest.mark.parametrize(("printed", "letter"), [("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"),
                                                 ("76.60", "C"), ("65.00", "C"), ("64.99", "D"), ("25.00", "D")])
def test_category_ranges(printed: str, letter: str) -> None:
    assert skm.category_of(Decimal(printed))[0] == letter


def test_no_respondents_no_index() -> None:
    result = skm.compute(0, [0] * 9)
    assert result.ikm is None and result.category is None


@pytest.mark.parametrize("scores", [[4] * 8, [4] * 10, [0] + [4] * 8, [5] + [4] * 8])
def test_scores_checked(scores: list[int]) -> None:
    with pytest.raises(skm.InvalidScores):
        skm.check_scores(scores)


def test_nine_elements_in_the_regulations_order() -> None:
    assert [e[0] for e in skm.ELEMENTS] == [
        "Persyaratan", "Sistem, Mekanisme, dan Prosedur", "Waktu Penyelesaian", "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan", "Kompetensi Pelaksana", "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan", "Sarana dan Prasarana"]
