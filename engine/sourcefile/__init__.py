"""YAML plan and rule files whose every error names file, line and column."""

from engine.sourcefile.issues import (
    DocPath,
    LocatedError,
    PathPart,
    SourceFileError,
    SourceIssue,
    SourceRef,
)
from engine.sourcefile.loader import YamlDocument, load_yaml
from engine.sourcefile.validate import validate

__all__ = [
    "DocPath",
    "LocatedError",
    "PathPart",
    "SourceFileError",
    "SourceIssue",
    "SourceRef",
    "YamlDocument",
    "load_yaml",
    "validate",
]
