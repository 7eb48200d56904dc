"""Hot reload across workers: each worker watches the publication generation.

A publish or rollback in one worker swaps its catalog at once and bumps the
generation in the publication store; every other worker notices within a second
(one ``stat`` of the manifest per second, at the start of a request) and reloads in
a background thread, swapping the catalog when the load succeeds. Claims in flight
finish on the catalog they started with; a load that fails keeps the old catalog.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from litestar import Request

from api.publishing import PublishingService

__all__ = ["CatalogWatcher"]

log = logging.getLogger("rxadj.reload")


class CatalogWatcher:
    """Reloads this worker's catalog when another worker published."""

    def __init__(self, service: PublishingService, interval: float = 1.0) -> None:
        self.service = service
        self.interval = interval
        self._seen = self._stamp()
        self._checked = time.monotonic()
        self._lock = threading.Lock()

    def _stamp(self) -> int:
        manifest = self.service.store.directory / "manifest.json"
        try:
            return manifest.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    async def before_request(self, _: Request[Any, Any, Any]) -> None:
        """Start a reload when the generation changed since this worker last looked."""
        now = time.monotonic()
        if now - self._checked < self.interval:
            return
        self._checked = now
        stamp = self._stamp()
        if stamp != self._seen and self._lock.acquire(blocking=False):
            self._seen = stamp
            threading.Thread(target=self._reload, name="rxadj-reload", daemon=True).start()

    def _reload(self) -> None:
        try:
            self.service.reload()
            log.info("catalog reloaded after a publication")
        except Exception:  # keep serving on the old catalog; the next change retries
            log.exception("catalog reload failed; the previous catalog stays in force")
        finally:
            self._lock.release()
