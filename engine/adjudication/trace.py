"""The explanation trace: how each figure of a decision was reached, rendered on demand.

Every decision explains itself (which rules fired, which limits applied, how each
amount was computed), but the pharmacy's response needs none of that text. Lines
are therefore kept as a template and its arguments and only formatted when read —
for the JSON decision, the ledger or an analyst — which keeps the explanation off
the per-claim latency budget. Amounts are ``Cents`` and print as dollars.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.money import format_cents

__all__ = ["Cents", "Trace"]


class Cents(int):
    """An amount in a trace line; rendered as ``$1,234.50``."""

    __slots__ = ()


class Trace:
    """An append-only list of explanation lines, formatted lazily."""

    __slots__ = ("_lines",)

    def __init__(self, lines: tuple[str, ...] = ()) -> None:
        self._lines: list[tuple[str, tuple[object, ...]]] = [(line, ()) for line in lines]

    def add(self, template: str, *args: object) -> None:
        """Record a line; ``template`` uses ``{}`` fields (with format specs if needed)."""
        self._lines.append((template, args))

    def extend(self, other: Trace) -> None:
        """Append another trace's lines."""
        self._lines.extend(other._lines)

    def __iter__(self) -> Iterator[str]:
        for template, args in self._lines:
            if not args:
                yield template
                continue
            yield template.format(*(format_cents(a) if type(a) is Cents else a for a in args))

    def __len__(self) -> int:
        return len(self._lines)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Trace):
            return list(self) == list(other)
        if isinstance(other, tuple | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Trace({tuple(self)!r})"
