"""Finding a service from the words visitors use ("KTP", "akta", "sertifikat tanah").

Ranking, best first: a configured synonym or the name equal to the query; a synonym that starts
with it; every query word starting a word of the name, synonyms or agency; the query inside the
name. Ties keep the hall's own order, so an agency's main service comes before its side lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from queue_server.domain.hall import Agency, Service

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> str:
    """Lower case, accents and punctuation gone: "e-KTP" and "ektp " compare as "e ktp" / "ektp"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _NOT_WORD.sub(" ", plain).strip()


def score(query: str, service: Service, agency: Agency) -> int:
    """How well `service` answers a normalised, non-empty query; 0 for not at all."""
    name = normalise(service.name)
    synonyms = [normalise(s) for s in service.synonyms]
    if query in synonyms or query == name:
        return 100
    if any(s.startswith(query) for s in synonyms):
        return 80
    words = set(" ".join([name, *synonyms, normalise(agency.name), normalise(agency.short_name)]).split())
    if all(any(w.startswith(q) for w in words) for q in query.split()):
        return 60
    if query in name or query.replace(" ", "") in name.replace(" ", ""):
        return 40
    return 0


def search(query: str, services: Iterable[Service], agencies: dict[str, Agency], limit: int = 12) -> list[str]:
    """Codes of the services matching `query`, best first."""
    q = normalise(query)
    if not q:
        return []
    ranked = [(s, i, svc.code) for i, svc in enumerate(services)
              if svc.active and (s := score(q, svc, agencies[svc.agency_code]))]
    ranked.sort(key=lambda r: (-r[0], r[1]))
    return [code for _, _, code in ranked[:limit]]
