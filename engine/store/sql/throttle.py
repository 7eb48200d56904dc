"""At most one refresh per interval, by one thread, and never at the claims' expense.

The member cache and the prior-authorization mirror follow the ledger by polling
from the claims' own path: once the interval has passed, one thread refreshes while
the others carry on with what they hold, and a database error is logged and retried
at the next interval, since data a second old serves claims better than an outage.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from engine.store.base import StoreError

__all__ = ["Throttle"]

_log = logging.getLogger("rxadj.store")


class Throttle:
    """Runs ``refresh`` from :meth:`poll` when ``interval`` seconds have passed."""

    def __init__(self, interval: float, refresh: Callable[[], object], what: str) -> None:
        self.interval = interval
        self._refresh = refresh
        self._what = what
        self._last = float("-inf")
        self._busy = threading.Lock()

    def poll(self, now: float) -> None:
        """Refresh if due and no other thread is refreshing; ``now`` is monotonic."""
        if now - self._last < self.interval or not self._busy.acquire(blocking=False):
            return
        try:
            self._refresh()
        except StoreError as exc:
            _log.warning("%s failed: %s", self._what, exc)
        finally:
            self._last = now
            self._busy.release()
