"""The compliance report as one self-contained HTML page a compliance officer can file.

No scripts, no external styles or fonts: the page prints and archives as it is. Every
text taken from plans or rule files is escaped.
"""

from __future__ import annotations

from html import escape

from engine.compliance.citation import Citation
from engine.compliance.results import CheckResult, ComplianceReport, Outcome, PlanReport

__all__ = ["render_html"]

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2em; color: #111; }
h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; margin: 0.8em 0; }
th, td { border: 1px solid #bbb; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; } table.facts { width: auto; } table.facts th { width: 11em; }
.pass { color: #145a14; font-weight: 600; } .fail { color: #a00000; font-weight: 700; }
.advisory { color: #7a5200; font-weight: 600; }
.small { font-size: 12px; color: #444; } code { font-size: 12px; }
@media print { body { margin: 0.5cm; } h2 { page-break-before: always; } }
"""

_LABELS = {
    Outcome.PASS: ("pass", "PASS"),
    Outcome.FAIL: ("fail", "FAIL"),
    Outcome.ADVISORY_PASS: ("advisory", "pass (advisory)"),
    Outcome.ADVISORY_FAIL: ("advisory", "not met (advisory)"),
}


def _citation(citation: Citation | None, rule: str | None) -> str:
    if citation is None:
        return f"<code>{escape(rule)}</code>" if rule else "rxadj"
    status = citation.status.value
    if citation.applicability_status is not None:
        status += f"; dates/scope {citation.applicability_status.value}"
    sources = "".join(
        f'<li><a href="{escape(source.url)}">{escape(source.title)}</a></li>'
        if source.url
        else f"<li>{escape(source.title)}</li>"
        for source in citation.sources
    )
    note = f'<div class="small">{escape(citation.note)}</div>' if citation.note else ""
    return (
        f"{escape(citation.law)}<br><strong>{escape(status)}</strong> "
        f'<span class="small">(reference {escape(citation.reference)}; rule '
        f"<code>{escape(rule or '')}</code>)</span>"
        f'<ul class="small">{sources}</ul>{note}'
    )


def _row(check: CheckResult) -> str:
    css, label = _LABELS[check.outcome]
    detail = f'<div class="small">{escape(check.detail)}</div>' if check.detail else ""
    return (
        "<tr>"
        f'<td>{escape(check.title)}{detail}<div class="small"><code>{escape(check.id)}</code>'
        "</div></td>"
        f'<td class="{css}">{label}</td>'
        f"<td>{escape(check.value)}</td><td>{escape(check.limit)}</td>"
        f"<td>{_citation(check.citation, check.rule)}</td>"
        "</tr>"
    )


def _plan(plan: PlanReport) -> str:
    result = (
        '<span class="pass">PASS</span>'
        if plan.passed
        else f'<span class="fail">FAIL ({len(plan.failures)} failing checks)</span>'
    )
    facts = [
        ("Plan", plan.plan),
        ("Version", plan.version),
        ("Name", plan.name),
        ("Plan year", f"starting {plan.plan_year.isoformat()}"),
        ("Type / market", f"{plan.type} / {plan.market}"),
        ("Funding / situs", f"{plan.funding} / {plan.situs_state}"),
        ("Rule versions", ", ".join(plan.rule_sets) or "none"),
    ]
    rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    notes = "".join(f"<li>{escape(note)}</li>" for note in plan.notes)
    checks = "".join(_row(check) for check in plan.checks)
    return (
        f"<h2>{escape(plan.id)}: {escape(plan.name)}</h2>"
        f'<table class="facts">{rows}<tr><th>Result</th><td>{result}</td></tr></table>'
        "<table><thead><tr><th>Check</th><th>Result</th><th>Plan value</th><th>Limit</th>"
        f"<th>Source</th></tr></thead><tbody>{checks}</tbody></table>"
        + (f'<ul class="small">{notes}</ul>' if notes else "")
    )


def render_html(report: ComplianceReport) -> str:
    """The whole report as one HTML document."""
    failing = [plan.id for plan in report.plans if not plan.passed]
    summary = (
        f'<span class="pass">All {len(report.plans)} plan versions pass.</span>'
        if not failing
        else f'<span class="fail">{len(failing)} of {len(report.plans)} plan versions fail: '
        f"{escape(', '.join(failing))}.</span>"
    )
    rule_sets = "".join(f"<li><code>{escape(name)}</code></li>" for name in report.rule_sets)
    generated = report.generated.isoformat()
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>rxadj compliance report {generated}</title><style>{_STYLE}</style></head><body>"
        "<h1>Plan compliance report: federal and state out-of-pocket mandates</h1>"
        f"<p>Generated {generated} by rxadj. {summary}</p>"
        '<p class="small">PASS / FAIL: the rule\'s figures and dates are VERIFIED (primary or '
        "secondary) in the project's reference; any FAIL refuses publishing. Advisory: the "
        "source or the reading is weaker than VERIFIED; shown for review, never a pass/fail "
        "limit and never enforced on claims.</p>"
        f"<h3>Rule versions loaded</h3><ul>{rule_sets}</ul>"
        + "".join(_plan(plan) for plan in report.plans)
        + "</body></html>\n"
    )
