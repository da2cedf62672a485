"""Finding services by the words visitors use; synonyms come from configuration."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.presentation import AA_NORMAL_TEXT, contrast, kiosk_page_data, tile_colours
from kiosk.search import normalise, search
from queue_server.config import hall_from_config
from queue_server.domain.hall import Catalog

from ..support import demo_raw


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return hall_from_config(demo_raw())[0]


def find(catalog: Catalog, query: str) -> list[str]:
    return search(query, catalog.services.values(), catalog.agencies)


@pytest.mark.parametrize("query,first", [
    ("KTP", "KTP"), ("ktp", "KTP"), ("e-KTP", "KTP"), ("KK", "KK"), ("akta", "AKTA"), ("akte", "AKTA"),
    ("paspor", "PASPOR"), ("NPWP", "NPWP"), ("SIM", "SIM"), ("BPJS", "JKN_DAFTAR"),
    ("sertifikat tanah", "SERTIFIKAT"), ("nikah", "NIKAH"), ("pajak motor", "PKB"), ("pasp", "PASPOR"),
    ("kartu keluarga", "KK"), ("  Sertifikat   TANAH ", "SERTIFIKAT"),
])
def test_everyday_words_find_the_service_first(catalog: Catalog, query: str, first: str) -> None:
    assert find(catalog, query)[0] == first


def test_broad_words_list_every_match_and_nonsense_none(catalog: Catalog) -> None:
    bpjs = find(catalog, "bpjs")
    assert set(bpjs) >= {"JKN_DAFTAR", "JKN_UBAH", "JKN_TUNGGAK", "JHT", "BPJSTK_DAFTAR"}
    assert bpjs.index("JKN_UBAH") < bpjs.index("JHT")  # exact synonym before a longer one
    assert "PASPOR_GANTI" in find(catalog, "paspor")
    assert find(catalog, "xyzzy") == [] and find(catalog, "  -- ") == []
    assert normalise("Akta-Kelahiran, Baru!") == "akta kelahiran baru"


def test_synonyms_are_configuration(catalog: Catalog) -> None:
    assert "KIA" not in find(catalog, "kartu pelajar")
    services = dict(catalog.services)
    services["KIA"] = replace(services["KIA"], synonyms=("kartu pelajar",))
    custom = Catalog(catalog.settings, catalog.agencies, services, catalog.counters)
    assert search("kartu pelajar", custom.services.values(), custom.agencies)[0] == "KIA"
    services["KIA"] = replace(services["KIA"], active=False)
    inactive = Catalog(catalog.settings, catalog.agencies, services, catalog.counters)
    assert "KIA" not in search("kartu pelajar", inactive.services.values(), inactive.agencies)


def test_every_agency_tile_is_readable(catalog: Catalog) -> None:
    data = kiosk_page_data(catalog, demo_raw())
    assert len(data["agencies"]) == len(catalog.agencies)
    for tile in data["agencies"]:
        assert contrast(tile["color"], tile["text_color"]) >= AA_NORMAL_TEXT, tile
    assert tile_colours("#f9a825") == ("#f9a825", "#000000")  # yellow gets black text
    assert tile_colours("#808080")[1] in ("#000000", "#ffffff")
    assert tile_colours("not-a-colour") == ("#37474f", "#ffffff")
    assert data["result_idle_s"] == 15 and data["idle_s"] == 60
    assert [p["code"] for p in data["priority"]] == ["lansia", "disabilitas", "ibu_hamil", "ibu_balita"]
    assert data["counters"]["KTP"] == ["Loket 1", "Loket 2"]
