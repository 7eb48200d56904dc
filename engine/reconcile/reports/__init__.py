"""Reconciliation reports: built from SQL, laid out with control totals, as CSV or PDF."""

from engine.reconcile.reports.catalog import REPORTS, UnknownReport, build_report
from engine.reconcile.reports.csvout import report_csv
from engine.reconcile.reports.model import Kind, Line, Report, ReportColumn, lines, share
from engine.reconcile.reports.params import ReportParams
from engine.reconcile.reports.pdfout import report_pdf

__all__ = [
    "REPORTS",
    "Kind",
    "Line",
    "Report",
    "ReportColumn",
    "ReportParams",
    "UnknownReport",
    "build_report",
    "lines",
    "report_csv",
    "report_pdf",
    "share",
]
