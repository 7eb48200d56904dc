"""YAML loading that remembers where every entry came from.

PyYAML's constructors throw away positions, and its ``SafeLoader`` silently keeps
the last of two equal keys, so an analyst who pastes a tier twice loses the first
without a word. This loader composes the node graph first (nodes keep their marks),
rejects duplicate keys, lets the standard safe constructor build plain Python data,
and then walks the same nodes to map every path tuple to its position.

The libyaml-backed ``CSafeLoader`` is used when PyYAML was built with it: its nodes
carry the same line and column marks, only faster. Its syntax error texts are
libyaml's own and can differ in wording from the pure-Python parser's.

Scalars follow YAML 1.1 as PyYAML's ``SafeLoader`` does, on purpose and with known
traps: ``yes``/``no``/``on``/``off`` become booleans, ``2026-01-01`` becomes a
``date`` (while ``01-01`` stays a string), ``010`` is octal 8 and ``1:30`` is the
sexagesimal integer 90. Models that need text must quote such values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped]
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode  # type: ignore[import-untyped]

from engine.sourcefile.issues import DocPath, SourceFileError, SourceIssue, SourceRef

__all__ = ["YamlDocument", "load_yaml"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MERGE_TAG = "tag:yaml.org,2002:merge"


@dataclass(frozen=True, slots=True)
class YamlDocument:
    """Plain data from one YAML file plus the position of every entry in it.

    ``ref`` answers "where does this entry start" (the key of a mapping entry, the
    item of a sequence), which is where an analyst looks for a wrong or unknown
    field; ``value_ref`` answers "where does its value start", which is where an
    embedded expression's text begins.
    """

    name: str
    data: Any
    entries: Mapping[DocPath, SourceRef]
    values: Mapping[DocPath, SourceRef]

    def ref(self, path: DocPath) -> SourceRef:
        """Where the entry at ``path`` starts, or its nearest known ancestor's."""
        return self._nearest(self.entries, path)

    def value_ref(self, path: DocPath) -> SourceRef:
        """Where the value at ``path`` starts, or its nearest known ancestor's."""
        return self._nearest(self.values, path)

    def known_prefix(self, path: DocPath) -> DocPath:
        """Return the longest prefix of ``path`` that names an entry in this document."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.entries:
                return path[:end]
        return ()

    def _nearest(self, table: Mapping[DocPath, SourceRef], path: DocPath) -> SourceRef:
        for end in range(len(path), -1, -1):
            found = table.get(path[:end])
            if found is not None:
                return found
        return SourceRef(self.name, 1, 1)


def load_yaml(source: str | os.PathLike[str], *, name: str | None = None) -> YamlDocument:
    """Load one YAML document; a path-like is read as a file, a ``str`` is YAML text.

    Raises :class:`SourceFileError` for unreadable files, syntax errors and
    duplicate keys, so a caller can keep its previous good version.
    """
    if isinstance(source, str):
        doc_name = name or "<string>"
        text = source
    else:
        doc_name = name or os.fspath(source)
        text = _read(Path(source), doc_name)
    loader = _Loader(text)
    try:
        return _load(loader, doc_name)
    except yaml.MarkedYAMLError as exc:
        raise SourceFileError([_syntax_issue(exc, doc_name)]) from exc
    except yaml.reader.ReaderError as exc:
        raise SourceFileError([_reader_issue(exc, text, doc_name)]) from exc
    finally:
        loader.dispose()


def _load(loader: Any, name: str) -> YamlDocument:
    node = loader.get_single_node()
    if node is None:
        start = SourceRef(name, 1, 1)
        return YamlDocument(name, None, {(): start}, {(): start})
    walker = _Walker(loader, name)
    issues = walker.duplicate_keys(node)
    if issues:
        raise SourceFileError(issues)
    data = loader.construct_document(node)
    walker.map_positions(node, ())
    walker.entries[()] = walker.values[()]
    return YamlDocument(name, data, walker.entries, walker.values)


def _read(path: Path, name: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        issue = SourceIssue(SourceRef(name, 1, 1), f"cannot read: {exc.strerror}")
        raise SourceFileError([issue]) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode("utf-8", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        issue = SourceIssue(SourceRef(name, line, column), "not valid UTF-8 text")
        raise SourceFileError([issue]) from exc


def _reader_issue(exc: yaml.reader.ReaderError, text: str, name: str) -> SourceIssue:
    """Locate a character YAML refuses (a control character pasted from a spreadsheet)."""
    line = text.count("\n", 0, exc.position) + 1
    column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(exc.character)
    return SourceIssue(SourceRef(name, line, column), f"character #x{code:04x}: {exc.reason}")


def _syntax_issue(exc: yaml.MarkedYAMLError, name: str) -> SourceIssue:
    mark = exc.problem_mark or exc.context_mark
    ref = SourceRef(name, mark.line + 1, mark.column + 1) if mark else SourceRef(name, 1, 1)
    message = exc.problem or "invalid YAML"
    if exc.context and exc.context_mark is not None and exc.context_mark is not mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    elif exc.context:
        message += f" ({exc.context})"
    return SourceIssue(ref, message)


def _key_value(loader: Any, key: Node) -> Any:
    return loader.construct_object(key, deep=True) if isinstance(key, ScalarNode) else None


class _Walker:
    """Walks composed nodes; ``active`` stops at recursive aliases (``&a [*a]``)."""

    def __init__(self, loader: Any, name: str) -> None:
        self.loader = loader
        self.name = name
        self.active: set[int] = set()
        self.entries: dict[DocPath, SourceRef] = {}
        self.values: dict[DocPath, SourceRef] = {}

    def ref(self, node: Node) -> SourceRef:
        return SourceRef(self.name, node.start_mark.line + 1, node.start_mark.column + 1)

    def duplicate_keys(self, node: Node) -> list[SourceIssue]:
        if id(node) in self.active:
            return []
        self.active.add(id(node))
        issues: list[SourceIssue] = []
        if isinstance(node, MappingNode):
            first_seen: dict[Any, Node] = {}
            for key, value in node.value:
                if isinstance(key, ScalarNode) and key.tag != _MERGE_TAG:
                    constructed = _key_value(self.loader, key)
                    earlier = first_seen.setdefault(constructed, key)
                    if earlier is not key:
                        message = (
                            f"duplicate key {constructed!r} "
                            f"(first defined at line {earlier.start_mark.line + 1})"
                        )
                        issues.append(SourceIssue(self.ref(key), message))
                issues.extend(self.duplicate_keys(value))
        elif isinstance(node, SequenceNode):
            for item in node.value:
                issues.extend(self.duplicate_keys(item))
        self.active.discard(id(node))
        return issues

    def map_positions(self, node: Node, path: DocPath) -> None:
        self.values[path] = self.ref(node)
        if id(node) in self.active:
            return
        self.active.add(id(node))
        if isinstance(node, MappingNode):
            for key, value in node.value:
                constructed = _key_value(self.loader, key)
                if isinstance(constructed, str | int) and key.tag != _MERGE_TAG:
                    child = (*path, constructed)
                    self.entries[child] = self.ref(key)
                    self.map_positions(value, child)
        elif isinstance(node, SequenceNode):
            for index, item in enumerate(node.value):
                child = (*path, index)
                self.entries[child] = self.ref(item)
                self.map_positions(item, child)
        self.active.discard(id(node))
