"""Reports as CSV: the detail and total lines in order, amounts in dollars."""

from __future__ import annotations

import csv
import io

from engine.reconcile.reports.model import Report, lines

__all__ = ["report_csv"]


def report_csv(report: Report) -> str:
    """A CSV with a ``line`` column (detail, or the total's label) and the control keys.

    The notes (which tolerance rules a run used) are in the PDF heading; in CSV the
    rule of each decision is a column of its own, so the file stays plain CSV.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["line", *report.groups, *(c.key for c in report.columns)])
    for line in lines(report):
        label = "detail" if line.kind == "detail" else f"total {line.level or 'grand'}"
        keys = [line.values.get(g, "") if line.kind == "detail" else "" for g in report.groups]
        if line.kind == "total" and line.level is not None:
            depth = report.groups.index(line.level)
            keys = [""] * len(report.groups)
            keys[depth] = line.key
        values = [c.show(line.values.get(c.key)) for c in report.columns]
        writer.writerow([label, *keys, *values])
    return out.getvalue()
