"""The report pages (/reports, /reports/skm) and their CSV and XLSX, on the console's sign-in.

They join the console blueprint, so the staff session, the CSRF check and the error page are the
console's own. Supervisors see their agency, admins and hall supervisors the whole hall (or one
agency they choose); officers are refused.
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template, request
from werkzeug.wrappers import Response as BaseResponse

from ...domain import skm
from ...domain.access import Actor
from ...service_layer.queue import InvalidInput
from ...service_layer.reports import REPORTS, ReportQuery, ReportService
from ..request import queue
from . import signed_in, to_login, bp
from .tables import DIMENSION_LABELS, Table, minutes, skm_table, ticket_table, to_csv, to_xlsx

EXPORTS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _form(who: Actor, kind: str, query: ReportQuery) -> dict[str, Any]:
    """What the filter form shows: the agencies this reader may pick and the choices made."""
    catalog = queue().catalog()
    agencies = [a for a in catalog.agencies.values() if who.may_act_for(a.code)]
    return {"period": query.period, "dimension": query.dimension, "agency": query.agency,
            "agencies": agencies if len(agencies) > 1 else [],
            "agency_names": {a.code: a.name for a in catalog.agencies.values()},
            "dimensions": [(d, DIMENSION_LABELS[d]) for d in REPORTS[kind][0]]}


def _export(table: Table, fmt: str, name: str) -> Response:
    """The table as a download."""
    if fmt not in EXPORTS:
        raise InvalidInput("Format ekspor: csv atau xlsx", "Export format: csv or xlsx")
    body: str | bytes = to_csv(table) if fmt == "csv" else to_xlsx(table)
    return Response(body, mimetype=EXPORTS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


def _ticket_table(who: Actor) -> tuple[ReportQuery, Any, Table]:
    svc = ReportService(queue())
    query = svc.query(who, "tickets", request.args)
    report = svc.ticket_report(who, query.period, query.dimension, query.agency)
    return query, report, ticket_table(report)


def _skm_table(who: Actor) -> tuple[ReportQuery, Any, Table]:
    svc = ReportService(queue())
    query = svc.query(who, "skm", request.args)
    report = svc.skm_report(who, query.period, query.dimension, query.agency)
    return query, report, skm_table(report)


TABLES = {"tickets": _ticket_table, "skm": _skm_table}


@bp.get("/reports")
def reports_page() -> str | BaseResponse:
    """Ticket figures for a period with a chart and the arrivals heat map."""
    who = signed_in()
    if who is None:
        return to_login()
    query, report, table = _ticket_table(who)
    chart = {"labels": [r.label for r in report.rows], "served": [r.served for r in report.rows],
             "no_show": [r.no_show for r in report.rows],
             "wait_p90": [minutes(r.wait.p90) for r in report.rows],
             "service_p90": [minutes(r.service.p90) for r in report.rows]}
    return render_template("console/reports.html", who=who, table=table, report=report, chart=chart,
                           heat_max=max(max(r) for r in report.heat) or 1, **_form(who, "tickets", query))


@bp.get("/reports/skm")
def skm_page() -> str | BaseResponse:
    """The satisfaction index per agency, service or counter: a printable page."""
    who = signed_in()
    if who is None:
        return to_login()
    query, report, table = _skm_table(who)
    return render_template("console/skm.html", who=who, table=table, report=report, elements=skm.ELEMENTS,
                           categories=skm.CATEGORIES, quick_scale=skm.QUICK_SCALE, **_form(who, "skm", query))


@bp.get("/reports/<kind>.<fmt>")
def reports_export(kind: str, fmt: str) -> Response | BaseResponse:
    """A report (`tickets` or `skm`) as CSV or XLSX: the same cells as its page."""
    who = signed_in()
    if who is None:
        return to_login()
    if kind not in TABLES:
        raise InvalidInput("Laporan tidak dikenal: tickets atau skm", "Unknown report: tickets or skm")
    query, _, table = TABLES[kind](who)
    return _export(table, fmt, f"{kind}-{query.dimension}-{query.period.first}-{query.period.last}")


@bp.app_template_filter("id_number")
def id_number(value: Any, places: int = 1) -> str:
    """A cell the Indonesian way: thousands with a dot, decimal comma, a dash for nothing."""
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    text = f"{value:,.{places}f}" if isinstance(value, float) else f"{value:,}"
    return text.translate(str.maketrans(",.", ".,"))
