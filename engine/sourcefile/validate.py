"""Pydantic validation whose every error points at a line of the YAML file.

Pydantic reports where a problem is as a ``loc`` tuple through the input data; the
document's line map turns that tuple into ``path:line:column``. Messages are
rewritten for analysts: an unknown key gets a "did you mean" from the model's own
field names at that level, a missing field points at the mapping that lacks it, and
a :class:`LocatedError` raised by a domain check names its own entry.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from engine.sourcefile.issues import DocPath, LocatedError, SourceFileError, SourceIssue
from engine.sourcefile.loader import YamlDocument

__all__ = ["validate"]

ModelT = TypeVar("ModelT", bound=BaseModel)

_SCALARS = (str, int, float, bool, type(None))
_MAX_SHOWN = 40


def validate(model_cls: type[ModelT], document: YamlDocument, *, context: Any = None) -> ModelT:
    """Validate ``document.data`` as ``model_cls``; raise every problem with its line.

    ``context`` is handed to pydantic's validators, so a validator can, say, compile
    an embedded expression against a schema it is given.
    """
    try:
        return model_cls.model_validate(document.data, context=context)
    except ValidationError as exc:
        issues = [_issue(model_cls, document, error) for error in exc.errors()]
        raise SourceFileError(issues) from exc


def _issue(model_cls: type[BaseModel], document: YamlDocument, error: ErrorDetails) -> SourceIssue:
    loc: DocPath = tuple(error["loc"])
    kind = error["type"]
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, LocatedError):
        path = (*loc, *cause.path)
        return SourceIssue(document.ref(path), _labelled(path, cause.message))
    if kind == "missing":
        message = f"missing required field '{_label(loc)}'"
        return SourceIssue(document.ref(loc[:-1]), message)
    if kind == "extra_forbidden":
        message = f"unknown field '{_label(loc)}'" + _did_you_mean(model_cls, document, loc)
        return SourceIssue(document.ref(loc), message)
    known = document.known_prefix(loc)
    if isinstance(cause, Exception):
        text = str(cause)
    else:
        text = error["msg"][:1].lower() + error["msg"][1:]
        shown = error.get("input")
        if isinstance(shown, _SCALARS):
            text += f" (got {_short(shown)})"
    return SourceIssue(document.value_ref(known), _labelled(known, text))


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def _label(path: DocPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def _labelled(path: DocPath, message: str) -> str:
    return f"{_label(path)}: {message}" if path else message


def _did_you_mean(model_cls: type[BaseModel], document: YamlDocument, loc: DocPath) -> str:
    key = loc[-1]
    if not isinstance(key, str):
        return ""
    present = _data_at(document.data, loc[:-1])
    taken = set(present) if isinstance(present, Mapping) else set()
    candidates = sorted(_field_names(model_cls, loc[:-1]) - taken)
    matches = difflib.get_close_matches(key, candidates, n=1)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def _data_at(data: Any, path: DocPath) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _field_names(model_cls: type[BaseModel], path: DocPath) -> set[str]:
    """Input keys the model accepts at ``path``, following field annotations down."""
    current: list[Any] = [model_cls]
    for part in path:
        current = [child for annotation in current for child in _step(annotation, part)]
    return {
        field.alias or name
        for model in current
        for candidate in _members(model)
        if isinstance(candidate, type) and issubclass(candidate, BaseModel)
        for name, field in candidate.model_fields.items()
    }


def _members(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [member for arg in typing.get_args(annotation) for member in _members(arg)]
    return [annotation]


def _step(annotation: Any, part: Any) -> list[Any]:
    found: list[Any] = []
    for member in _members(annotation):
        if isinstance(member, type) and issubclass(member, BaseModel):
            for name, field in member.model_fields.items():
                if part in (name, field.alias):
                    found.append(field.annotation)
            continue
        origin = typing.get_origin(member)
        args = typing.get_args(member)
        if isinstance(origin, type) and issubclass(origin, Mapping) and len(args) == 2:
            found.append(args[1])
        elif isinstance(origin, type) and issubclass(origin, Sequence | set | frozenset) and args:
            found.append(args[0])
    return found
