"""Reports as JSON: the ticket figures, the arrivals heat map and the SKM index (docs/REPORTS.md).

Read through the same ReportService as the /reports pages and their CSV/XLSX, so the API cannot
disagree with them; only the bearer token is accepted (never the console's cookie). Durations are
exact seconds, where the pages print minutes with one decimal.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from ...domain import skm
from ...domain.access import Actor
from ...domain.hall import Catalog
from ...domain.stats import Durations
from ...service_layer.reports import ReportQuery, ReportRow, ReportService, SkmRow
from ..request import actor, queue

bp = Blueprint("api_reports", __name__)
WEEKDAYS = (("Senin", "Monday"), ("Selasa", "Tuesday"), ("Rabu", "Wednesday"), ("Kamis", "Thursday"),
            ("Jumat", "Friday"), ("Sabtu", "Saturday"), ("Minggu", "Sunday"))


def _read(kind: str, fixed: dict[str, str] | None = None) -> tuple[ReportService, Actor, ReportQuery]:
    """The reader (401 without a token, 403 for officers and devices) and their checked query (422)."""
    svc = ReportService(queue())
    who = actor()
    return svc, who, svc.query(who, kind, {**request.args.to_dict(), **(fixed or {})})


def _head(query: ReportQuery, scope: str | None, catalog: Catalog) -> dict[str, Any]:
    """What every report answer starts with: the period, the grouping and the agency it covers."""
    agency = catalog.agencies.get(scope) if scope else None
    return {"from": query.period.first.isoformat(), "to": query.period.last.isoformat(), "by": query.dimension,
            "agency": {"code": agency.code, "name": agency.name} if agency else None}


def _durations(d: Durations) -> dict[str, Any]:
    return {"count": d.count, "mean": d.mean, "median": d.median, "p90": d.p90}


def _ticket_row(row: ReportRow) -> dict[str, Any]:
    return {"key": row.key, "label": row.label, "issued": row.issued, "served": row.served, "no_show": row.no_show,
            "cancelled": row.cancelled, "transferred": row.transferred, "within_target": row.within_target,
            "share_within_target": row.share_within_target, "wait_s": _durations(row.wait),
            "service_s": _durations(row.service), "pause_s": row.pause_s, "idle_s": row.idle_s}


def _skm_row(row: SkmRow) -> dict[str, Any]:
    r = row.result
    return {"key": row.key, "label": row.label, "respondents": r.respondents, "totals": list(r.totals),
            "nrr": [float(n) for n in r.nrr] or None, "ikm": float(r.ikm) if r.ikm is not None else None,
            "category": dict(zip(("letter", "name", "name_en"), r.category, strict=True)) if r.category else None}


@bp.get("/reports/tickets")
def tickets() -> Response:
    """The ticket report's rows and total (the /reports page's table)."""
    svc, who, query = _read("tickets")
    report = svc.ticket_report(who, query.period, query.dimension, query.agency)
    return jsonify({**_head(query, report.agency, svc.queue.catalog()),
                    "rows": [_ticket_row(r) for r in report.rows], "total": _ticket_row(report.total)})


@bp.get("/reports/heatmap")
def heatmap() -> Response:
    """Arrivals per local weekday (Monday first) × hour (the /reports page's heat map); `by` is always the hall."""
    svc, who, query = _read("tickets", {"by": "hall"})
    report = svc.ticket_report(who, query.period, query.dimension, query.agency)
    return jsonify({**_head(query, report.agency, svc.queue.catalog()),
                    "timezone": svc.queue.catalog().settings.timezone,
                    "weekdays": [{"name": name, "name_en": name_en} for name, name_en in WEEKDAYS],
                    "arrivals": report.heat})


@bp.get("/reports/skm")
def skm_index() -> Response:
    """Respondents, NRR per element, IKM and category per agency, service or counter (the /reports/skm table)."""
    svc, who, query = _read("skm")
    report = svc.skm_report(who, query.period, query.dimension, query.agency)
    return jsonify({**_head(query, report.agency, svc.queue.catalog()),
                    "elements": [{"number": i, "name": name, "name_en": name_en, "question": question}
                                 for i, (name, name_en, question) in enumerate(skm.ELEMENTS, 1)],
                    "rows": [_skm_row(r) for r in report.rows], "total": _skm_row(report.total),
                    "quick": [{"score": score, "label": label, "label_en": label_en, "count": report.quick[score]}
                              for score, (label, label_en) in skm.QUICK_SCALE.items()]})
