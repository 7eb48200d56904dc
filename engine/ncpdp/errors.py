"""The codec's exceptions, under one root.

Bad claim bytes never raise: ``decode`` reports them as ``CodecIssue`` items. The
exceptions here are for the other direction, where a wrong value is a programming
error of the caller, and for a batch file whose wrapper refuses it as a whole::

    NcpdpError
    ├── NcpdpBuildError  (also a ValueError) a model that cannot be written as D.0 bytes
    ├── NcpdpJsonError   (also a ValueError) JSON that is not a transmission, with its path
    └── NcpdpBatchError  (also a ValueError) a batch file whose wrapper does not hold
"""

from __future__ import annotations

__all__ = ["NcpdpBatchError", "NcpdpBuildError", "NcpdpError", "NcpdpJsonError"]


class NcpdpError(Exception):
    """Root of the codec's exceptions."""


class NcpdpBuildError(NcpdpError, ValueError):
    """A transmission model that cannot be encoded: a value too long, of the wrong type, etc."""


class NcpdpJsonError(NcpdpError, ValueError):
    """A JSON document that does not describe a transmission; the message names the path."""


class NcpdpBatchError(NcpdpError, ValueError):
    """A batch file refused whole: no header or trailer, or a trailer that disagrees.

    Unlike bad claim bytes this is not answered per transaction: when the wrapper
    does not add up, nobody can tell which records are missing, so none is used.
    """
