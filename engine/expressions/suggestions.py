"""Did-you-mean hints for misspelt names, drawn only from names valid at that place.

Suggesting from the names at the failing level (the attributes of ``claim`` for
``claim.day_supply``, the roots for ``clam.days_supply``) keeps hints relevant and
cheap; ``difflib``'s ratio is good enough for the short names analysts type.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = ["did_you_mean", "suggest"]

_CUTOFF = 0.6


def suggest(word: str, options: Iterable[str]) -> str | None:
    """Return the option closest to ``word``, or ``None`` when nothing is close enough."""
    matches = difflib.get_close_matches(word, sorted(options), n=1, cutoff=_CUTOFF)
    return matches[0] if matches else None


def did_you_mean(suggestion: str | None) -> str:
    """Return the message tail for a suggestion, empty when there is none."""
    return f" (did you mean '{suggestion}'?)" if suggestion else ""
