"""Reports as tables: the page, the CSV and the XLSX all print these cells, so their numbers agree.

Durations are minutes with one decimal, shares percent with one decimal, the SKM figures two
decimals (as the regulation prints them); the page only changes the decimal point to a comma.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from openpyxl import Workbook
from openpyxl.styles import Font

from ...domain import skm
from ...domain.stats import Durations
from ...service_layer.reports import ReportRow, SkmReport, TicketReport

Cell = str | int | float | None
DIMENSION_LABELS = {"hall": ("Aula", "Hall"), "agency": ("Agensi", "Agency"), "service": ("Layanan", "Service"),
                    "counter": ("Loket", "Counter"), "officer": ("Petugas", "Officer")}
TOTAL = "Jumlah / Total"


@dataclass(frozen=True)
class Table:
    """Headers (Indonesian / English), body rows and the total row."""

    title: str
    headers: list[str]
    rows: list[list[Cell]]
    total: list[Cell]


def minutes(seconds: float | None) -> float | None:
    """Seconds as minutes, one decimal."""
    return None if seconds is None else round(seconds / 60, 1)


def percent(share: float | None) -> float | None:
    """A fraction as percent, one decimal."""
    return None if share is None else round(share * 100, 1)


def _durations(d: Durations) -> list[Cell]:
    return [minutes(d.mean), minutes(d.median), minutes(d.p90)]


def _ticket_cells(row: ReportRow, with_time: bool) -> list[Cell]:
    cells: list[Cell] = [row.issued, row.served, row.no_show, row.cancelled, row.transferred,
                         *_durations(row.wait), *_durations(row.service), percent(row.share_within_target)]
    return cells + ([minutes(row.pause_s), minutes(row.idle_s)] if with_time else [])


def ticket_table(report: TicketReport) -> Table:
    """The ticket report: one row per key, then the scope's total."""
    with_time = report.dimension in ("counter", "officer")
    name_id, name_en = DIMENSION_LABELS[report.dimension]
    headers = [f"{name_id} / {name_en}", "Diterbitkan / Issued", "Dilayani / Served", "Tidak hadir / No-show",
               "Dibatalkan / Cancelled", "Dialihkan / Transferred",
               "Tunggu rata-rata (menit) / Mean wait (min)", "Tunggu median (menit) / Median wait (min)",
               "Tunggu p90 (menit) / p90 wait (min)", "Layanan rata-rata (menit) / Mean service (min)",
               "Layanan median (menit) / Median service (min)", "Layanan p90 (menit) / p90 service (min)",
               "Sesuai target (%) / Within target (%)"]
    if with_time:
        headers += ["Jeda (menit) / Paused (min)", "Menganggur (menit) / Idle (min)"]
    return Table(f"Laporan antrean {report.period.first:%d-%m-%Y} s.d. {report.period.last:%d-%m-%Y}", headers,
                 [[r.label, *_ticket_cells(r, with_time)] for r in report.rows],
                 [TOTAL, *_ticket_cells(report.total, with_time)])


def _number(value: Fraction | Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


def _skm_cells(result: skm.SkmResult) -> list[Cell]:
    nrr = [_number(n) for n in result.nrr] or [None] * len(skm.ELEMENTS)
    category = f"{result.category[0]} ({result.category[1]})" if result.category else None
    return [result.respondents, *nrr, _number(result.ikm), category]


def skm_table(report: SkmReport) -> Table:
    """NRR per element, IKM and category per agency, service or counter, then the scope's total."""
    name_id, name_en = DIMENSION_LABELS[report.dimension]
    headers = [f"{name_id} / {name_en}", "Responden / Respondents",
               *(f"U{i} {name}" for i, (name, _, _) in enumerate(skm.ELEMENTS, 1)), "IKM", "Mutu / Category"]
    return Table(f"Indeks Kepuasan Masyarakat {report.period.first:%d-%m-%Y} s.d. {report.period.last:%d-%m-%Y}",
                 headers, [[r.label, *_skm_cells(r.result)] for r in report.rows],
                 [TOTAL, *_skm_cells(report.total.result)])


def to_csv(table: Table) -> str:
    """CSV (comma separated, decimal point), headers first and the total last."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    writer.writerow(table.total)
    return out.getvalue()


def to_xlsx(table: Table) -> bytes:
    """An XLSX workbook: title, headers, rows, the total in bold; numbers stay numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Laporan"
    sheet.append([table.title])
    sheet.append(table.headers)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
    sheet.append(table.total)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
