"""The HTTP errors rxadj answers with, declared on each route so OpenAPI documents them.

Every protected route can answer 401 (no valid key), 403 (wrong role) and 400 (a
request that does not match the schema, with the field path); some add 404, 422
(understood but refused: a candidate that does not load, a failing compliance check)
or 503 (a store the operation needs is not configured).
"""

from __future__ import annotations

from litestar.exceptions import (
    ClientException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
    ServiceUnavailableException,
    ValidationException,
)
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

__all__ = ["GUARDED", "WITH_LOOKUP", "WITH_REFUSAL", "RefusedError"]


class RefusedError(ClientException):
    """The request was understood and refused (422), with the reasons in ``extra``."""

    status_code = HTTP_422_UNPROCESSABLE_ENTITY


GUARDED = [NotAuthorizedException, PermissionDeniedException, ValidationException]
"""What any protected route may answer besides its success."""

WITH_LOOKUP = [*GUARDED, NotFoundException]
WITH_REFUSAL = [*GUARDED, RefusedError, ServiceUnavailableException]
