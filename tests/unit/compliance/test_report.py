"""The HTML report: self-contained, escaped, with every figure's source."""

import datetime as dt
from dataclasses import replace

from engine.compliance.checker import compliance_report
from engine.compliance.html import render_html

from .support import mandate_catalog


def _report(*names):
    return compliance_report(mandate_catalog(), list(names), dt.date(2026, 7, 1))


def test_report_has_plan_checks_citations_date_and_rule_versions():
    page = render_html(_report("EPO-INTEGRATED", "MAND-LA"))
    assert page.startswith("<!DOCTYPE html>")
    assert "Generated 2026-07-01" in page
    assert "1 of 2 plan versions fail: MAND-LA@test.1." in page
    for text in (
        "EPO-INTEGRATED@2026.1",
        "starting 2026-01-01",
        "aca-cost-sharing@2026.1",
        "state-insulin-caps@2026.1#wa-insulin-2023",
        "$10,600.00",
        "VERIFIED-SECONDARY",
        'href="https://www.wtwco.com/en-us/insights/2025/07/cms-releases-revised-2026',
        "PHS Act §2707(b); ACA §1302(c); 45 CFR 156.130",
        '<td class="fail">FAIL</td>',
    ):
        assert text in page, text
    assert "<script" not in page
    assert "<link" not in page


def test_report_escapes_text_from_files():
    report = _report("EPO-INTEGRATED")
    plan = replace(report.plans[0], name="<b>Evil & Co</b>")
    page = render_html(replace(report, plans=(plan,)))
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in page
    assert "<b>Evil" not in page


def test_advisory_results_are_marked_as_such():
    page = render_html(_report("HDHP-HSA@2025.1"))
    assert "pass (advisory)" in page
    assert "that mapping is not verified (advisory)" in page
