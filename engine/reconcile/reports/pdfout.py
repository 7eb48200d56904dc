"""Reports as PDF (reportlab): landscape pages, headings repeated, totals in bold.

Nothing in a report identifies a patient (the tables hold no patient data), so a
PDF can go to anyone allowed to see accounts receivable.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from engine.reconcile.reports.model import Kind, Report, lines

__all__ = ["report_pdf"]

_RIGHT = (Kind.MONEY, Kind.COUNT, Kind.PERCENT, Kind.NUMBER)


def _table(report: Report) -> Table:
    header = [g.replace("_", " ").title() for g in report.groups]
    header += [c.title for c in report.columns]
    data: list[list[Any]] = [header]
    bold: list[int] = []
    for line in lines(report):
        if line.kind == "detail":
            keys = [str(line.values.get(g) or "") for g in report.groups]
        else:
            keys = [""] * len(report.groups)
            label = line.label if line.level else "Grand total"
            if keys:
                keys[0] = label
            bold.append(len(data))
        data.append(keys + [c.show(line.values.get(c.key)) for c in report.columns])
    table = Table(data, repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 7),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 7),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    offset = len(report.groups)
    for index, column in enumerate(report.columns):
        if column.kind in _RIGHT:
            style.append(("ALIGN", (offset + index, 0), (offset + index, -1), "RIGHT"))
    for row in bold:
        style.append(("FONT", (0, row), (-1, row), "Helvetica-Bold", 7))
        style.append(("LINEABOVE", (0, row), (-1, row), 0.25, colors.grey))
    table.setStyle(TableStyle(style))
    return table


def report_pdf(report: Report, *, generated: dt.datetime | None = None) -> bytes:
    """The report as PDF bytes."""
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(letter),
        leftMargin=0.4 * inch,
        rightMargin=0.4 * inch,
        topMargin=0.4 * inch,
        bottomMargin=0.4 * inch,
        title=report.title,
        author="rxadj",
        invariant=1,
    )
    styles = getSampleStyleSheet()
    story: list[Any] = [Paragraph(report.title, styles["Heading2"])]
    if generated is not None:
        story.append(Paragraph(f"generated {generated:%Y-%m-%d %H:%M} UTC", styles["Normal"]))
    story.extend(Paragraph(note, styles["Normal"]) for note in report.notes)
    story.append(Spacer(1, 6))
    story.append(_table(report))
    document.build(story)
    return buffer.getvalue()
