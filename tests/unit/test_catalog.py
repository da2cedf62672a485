"""The hall description is checked before it is used."""

import pytest

from queue_server.config import hall_from_config
from queue_server.domain.errors import InvalidConfig

from ..support import demo_raw


def test_demo_hall_is_a_real_mpp() -> None:
    catalog, _ = hall_from_config(demo_raw())
    assert len(catalog.agencies) >= 10 and len(catalog.services) >= 30 and len(catalog.counters) >= 25
    for name in ("DUKCAPIL", "IMIGRASI", "BPJSKES", "BPJSTK", "SAMSAT", "KPP", "BPN", "KEMENAG", "PDAM", "BANK"):
        assert name in catalog.agencies
    friday = catalog.services["KTP"].hours.days[4]
    assert [(s.start, s.end) for s in friday] == [(480, 660), (780, 900)]


@pytest.mark.parametrize(("mutate", "fragment"), [
    (lambda raw: raw["services"][1].update(prefix="A"), "Awalan A dipakai dua layanan"),
    (lambda raw: raw["services"][0].update(agency="NOPE"), "agensi NOPE tidak ada"),
    (lambda raw: raw["counters"][0].update(services=[]), "tidak melayani layanan apa pun"),
    (lambda raw: raw["counters"][0].update(services=["NOPE"]), "layanan NOPE tidak ada"),
    (lambda raw: raw["services"][0].update(prefix="a1"), "awalan nomor harus 1-3 huruf besar"),
    (lambda raw: raw["hall"].update(timezone="Mars/Olympus"), "Zona waktu tidak dikenal"),
    (lambda raw: raw["services"][0].update(hours={"mon": "8 sampai 3"}), "Format jam buka"),
    (lambda raw: raw["services"][0].pop("prefix"), "kurang isian"),
])
def test_inconsistent_halls_are_refused_with_a_reason(mutate, fragment: str) -> None:  # type: ignore[no-untyped-def]
    raw = demo_raw()
    mutate(raw)
    with pytest.raises(InvalidConfig) as err:
        hall_from_config(raw)
    assert fragment in err.value.message
