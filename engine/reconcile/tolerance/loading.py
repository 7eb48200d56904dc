"""Loading tolerance files with the plan files' machinery: every error has file:line.

Files of other kinds are skipped, so the whole rules directory (and the versions
published at run time) can be passed in. Conditions compile here, once; a file
with any problem raises ``SourceFileError`` and never replaces a good book.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from engine.expressions import STR, ExpressionError, ObjectType, Schema, compile_expression
from engine.reconcile.tolerance.book import (
    Condition,
    ToleranceBook,
    ToleranceVersion,
    sorted_versions,
)
from engine.reconcile.tolerance.model import ToleranceFile
from engine.sourcefile import SourceFileError, SourceIssue, YamlDocument, load_yaml, validate

__all__ = ["CONDITION_SCHEMA", "load_tolerances", "tolerance_files"]

CONDITION_SCHEMA = Schema(
    {"remit": ObjectType({"payer": STR, "store": STR, "billing_method": STR}, name="remit")}
)
"""What a ``when`` condition may name."""


def tolerance_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files under ``paths`` that declare ``kind: tolerances``."""
    found: list[Path] = []
    for path in paths:
        candidates = (
            sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
            if path.is_dir()
            else [path]
        )
        for candidate in candidates:
            try:
                text = candidate.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if any(line.strip() == "kind: tolerances" for line in text.splitlines()):
                found.append(candidate)
    return found


def _compile(model: ToleranceFile, document: YamlDocument) -> tuple[list[Condition | None], list]:
    conditions: list[Condition | None] = []
    issues: list[SourceIssue] = []
    for index, entry in enumerate(model.payers):
        if entry.when is None:
            conditions.append(None)
            continue
        where = document.value_ref(("payers", index, "when"))
        try:
            conditions.append(compile_expression(entry.when, CONDITION_SCHEMA, source=where).fn)
        except ExpressionError as exc:
            issues.append(SourceIssue(where, f"payers[{index}].when: {exc.message}"))
            conditions.append(None)
    return conditions, issues


def load_tolerances(paths: Iterable[Path]) -> ToleranceBook:
    """Load every tolerance file under ``paths``; raise SourceFileError with all problems."""
    issues: list[SourceIssue] = []
    versions: list[tuple[ToleranceVersion, YamlDocument]] = []
    for path in tolerance_files(paths):
        try:
            document = load_yaml(path)
            model = validate(ToleranceFile, document)
        except SourceFileError as exc:
            issues.extend(exc.issues)
            continue
        conditions, problems = _compile(model, document)
        issues.extend(problems)
        versions.append((ToleranceVersion(model, str(path), tuple(conditions)), document))
    for i, (a, doc_a) in enumerate(versions):
        for b, _ in versions[i + 1 :]:
            if a.file.effective.overlaps(b.file.effective):
                issues.append(
                    SourceIssue(
                        doc_a.ref(("effective",)),
                        f"tolerance versions {a.label} and {b.label} overlap in time",
                    )
                )
    if issues:
        raise SourceFileError(issues)
    return ToleranceBook(sorted_versions([v for v, _ in versions]))
