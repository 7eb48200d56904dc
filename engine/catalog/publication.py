"""Published versions: plan and rule files added (or replaced) after deployment.

The shipped directories hold what was deployed; analysts publish new versions at
run time. Each publication is kept, in order, in a directory with a manifest; the
catalog is the shipped files overlaid with the publications in force — a published
file replaces a shipped (or earlier published) file of the same kind, id and
version, so an analyst can shorten the effective range of a version while adding
its successor. Rolling back retires a plan's latest publication and brings back
whatever it had replaced. Every change bumps a generation number that the service's
workers watch to reload.

The manifest is written atomically (a new file renamed over the old); a directory
on one host serves the workers of that host.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from engine.catalog.loader import ID_KEYS, yaml_files

__all__ = ["FileIdentity", "Publication", "PublicationError", "PublicationStore", "identify"]


class PublicationError(ValueError):
    """A publication or rollback that cannot be done (nothing to roll back, say)."""


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """What a YAML file is: its kind, id and version."""

    kind: str
    id: str
    version: str


def identify(text: str) -> FileIdentity | None:
    """The identity a YAML text declares, or None if it does not say."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return None
    if not isinstance(data, dict):
        return None
    kind = data.get("kind")
    id_key = ID_KEYS.get(kind) if isinstance(kind, str) else None
    if id_key is None or not isinstance(data.get(id_key), str):
        return None
    return FileIdentity(kind, data[id_key], str(data.get("version", "")))


@dataclass(frozen=True, slots=True)
class Publication:
    """One published file, who published it and why; ``retired`` once rolled back."""

    number: int
    file: str
    kind: str
    id: str
    version: str
    at: str
    actor: str
    reason: str | None
    retired: str | None = None
    companion_of: int | None = None
    """The publication this one came with (a plan version's test file), if any."""


class PublicationStore:
    """The publications of one deployment, kept in ``directory``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._manifest = directory / "manifest.json"

    def publications(self) -> list[Publication]:
        """Every publication, oldest first."""
        if not self._manifest.exists():
            return []
        data = json.loads(self._manifest.read_text(encoding="utf-8"))
        return [Publication(**entry) for entry in data["publications"]]

    def generation(self) -> int:
        """A number that changes whenever the publications in force change."""
        if not self._manifest.exists():
            return 0
        return int(json.loads(self._manifest.read_text(encoding="utf-8"))["generation"])

    def in_force(self, excluding: Collection[int] = ()) -> list[Publication]:
        """The latest unretired publication of each kind, id and version.

        ``excluding`` leaves publications out, to see what a rollback would leave.
        """
        latest: dict[tuple[str, str, str], Publication] = {}
        for publication in self.publications():
            if publication.retired is None and publication.number not in excluding:
                latest[(publication.kind, publication.id, publication.version)] = publication
        return sorted(latest.values(), key=lambda p: p.number)

    def catalog_files(self, base: Sequence[Path], excluding: Collection[int] = ()) -> list[Path]:
        """The shipped files under ``base`` overlaid with the publications in force."""
        published = {
            (p.kind, p.id, p.version): self.directory / p.file for p in self.in_force(excluding)
        }
        if not published:
            return yaml_files(base)
        files = []
        for path in yaml_files(base):
            identity = identify(path.read_text(encoding="utf-8"))
            if identity is not None and (identity.kind, identity.id, identity.version) in published:
                continue
            files.append(path)
        return [*files, *published.values()]

    def publish(
        self, text: str, actor: str, reason: str | None, companion_of: int | None = None
    ) -> Publication:
        """Keep ``text`` as the newest publication (validated by the caller beforehand)."""
        identity = identify(text)
        if identity is None:
            raise PublicationError("the file does not say its kind, id and version")
        publications = self.publications()
        number = (publications[-1].number + 1) if publications else 1
        name = f"{number:05d}-{identity.kind}-{identity.id}-{identity.version}.yaml"
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(self.directory / name, text)
        publication = Publication(
            number=number,
            file=name,
            kind=identity.kind,
            id=identity.id,
            version=identity.version,
            at=_now(),
            actor=actor,
            reason=reason,
            companion_of=companion_of,
        )
        self._save([*publications, publication])
        return publication

    def latest(self, kind: str, file_id: str) -> Publication | None:
        """The newest publication in force for a kind and id (what a rollback retires)."""
        candidates = [p for p in self.in_force() if p.kind == kind and p.id == file_id]
        return candidates[-1] if candidates else None

    def companions(self, publication: Publication) -> list[Publication]:
        """The publications in force that came with ``publication``."""
        return [p for p in self.in_force() if p.companion_of == publication.number]

    def retire(self, publications: Collection[Publication]) -> list[Publication]:
        """Retire publications at once; whatever they had replaced is in force again."""
        when = _now()
        numbers = {p.number for p in publications}
        updated = [
            Publication(**{**asdict(p), "retired": when}) if p.number in numbers else p
            for p in self.publications()
        ]
        self._save(updated)
        return [p for p in updated if p.number in numbers]

    def _save(self, publications: list[Publication]) -> None:
        data: dict[str, Any] = {
            "generation": self.generation() + 1,
            "publications": [asdict(p) for p in publications],
        }
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(self._manifest, json.dumps(data, indent=2))


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _write_atomically(path: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)
