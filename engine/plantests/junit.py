"""JUnit XML of plan test results, for the CI systems benefit teams already run.

One ``testsuite`` per plan version, one ``testcase`` per scenario; a failing scenario
carries a ``failure`` naming each claim, field, expected and actual value.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree import ElementTree

from engine.plantests.runner import ScenarioResult

__all__ = ["failure_lines", "junit_xml"]


def failure_lines(result: ScenarioResult) -> list[str]:
    """What went wrong in a scenario, one line per problem or mismatched field."""
    lines = list(result.problems)
    for claim in result.claims:
        for mismatch in claim.mismatches:
            lines.append(
                f"claim {claim.index}: {mismatch.field} expected {mismatch.expected}, "
                f"got {mismatch.actual}"
            )
    return lines


def junit_xml(results: Iterable[ScenarioResult]) -> str:
    """The results as a JUnit XML document."""
    root = ElementTree.Element("testsuites", name="rxadj plan tests")
    suites: dict[tuple[str, str], ElementTree.Element] = {}
    for result in results:
        key = (result.plan, result.version)
        suite = suites.get(key)
        if suite is None:
            suite = ElementTree.SubElement(root, "testsuite", name=f"{key[0]}@{key[1]}")
            suites[key] = suite
        case = ElementTree.SubElement(
            suite,
            "testcase",
            name=result.name,
            classname=f"{key[0]}@{key[1]}",
            file=result.source,
        )
        if not result.passed:
            lines = failure_lines(result)
            failure = ElementTree.SubElement(case, "failure", message=lines[0])
            failure.text = "\n".join(lines)
    for suite in suites.values():
        cases = suite.findall("testcase")
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True)
