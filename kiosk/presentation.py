"""What the kiosk page is given at load: the hall, agency tiles with readable colours, settings.

Agency colours come from configuration; the text on a tile is whichever of black or white
contrasts more with it, and the tile falls back to a dark grey when neither reaches WCAG AA
(4.5:1), so no configured colour can make a name unreadable.
"""

from __future__ import annotations

from typing import Any

from queue_server.domain.hall import Catalog

FALLBACK_TILE = "#37474f"
AA_NORMAL_TEXT = 4.5


def _channel(c: float) -> float:
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of #rrggbb."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def tile_colours(configured: str) -> tuple[str, str]:
    """(background, text) for an agency tile, at least AA contrast."""
    background = configured if len(configured) == 7 and configured.startswith("#") else FALLBACK_TILE
    text = max(("#000000", "#ffffff"), key=lambda t: contrast(background, t))
    if contrast(background, text) < AA_NORMAL_TEXT:
        return FALLBACK_TILE, "#ffffff"
    return background, text


def kiosk_page_data(catalog: Catalog, settings_json: dict[str, Any], version: int = 0) -> dict[str, Any]:
    """The kiosk's page data: tiles, counters per service, priority categories, idle times; the
    hall version tells the page whether an admin edit made its copy stale."""
    kiosk = settings_json.get("kiosk", {})
    priority = catalog.settings.priority
    agencies = []
    for a in catalog.agencies.values():
        background, text = tile_colours(a.color)
        agencies.append({"code": a.code, "name": a.name, "short_name": a.spoken_name, "color": background,
                         "text_color": text, "floor": a.floor, "zone": a.zone})
    return {
        "version": version,
        "hall": catalog.settings.name,
        "timezone": catalog.settings.timezone,
        "agencies": agencies,
        "counters": {code: [c.name for c in catalog.counters_serving(code)] for code in catalog.services},
        "priority": [{"code": c.code, "name": c.name, "name_en": c.name_en or c.name}
                     for c in priority.categories] if priority.at_kiosk else [],
        "result_idle_s": int(kiosk.get("result_idle_s", 15)),
        "idle_s": int(kiosk.get("idle_s", 60)),
        "print_wait_s": int(settings_json.get("printers", {}).get("deadline_s", 20)),
    }
