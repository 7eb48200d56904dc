"""Who may call what: API keys in the ``X-API-Key`` header, checked against roles.

Every route names the roles it admits through ``allow(...)``; admin is admitted
everywhere. No key (or an unknown one) is 401, a genuine key of the wrong role 403.
The key that passed is kept on the request scope so handlers and the audit log can
say who acted — by key id and name, never by the secret.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme

from api.http.keys import ApiKey, KeyStore, Role

__all__ = ["API_KEY_HEADER", "SECURITY", "allow", "caller", "security_components"]

API_KEY_HEADER = "X-API-Key"
_SCHEME = "apiKey"
SECURITY: list[SecurityRequirement] = [{_SCHEME: []}]
"""The OpenAPI security requirement every protected route declares."""


def security_components() -> Components:
    """The OpenAPI security scheme: an API key in a header."""
    return Components(
        security_schemes={
            _SCHEME: SecurityScheme(type="apiKey", name=API_KEY_HEADER, security_scheme_in="header")
        }
    )


def allow(*roles: Role) -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:
    """A guard admitting the given roles (and admin)."""
    admitted = frozenset((*roles, Role.ADMIN))

    async def guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        keys: KeyStore = connection.app.state.api_keys
        key = keys.authenticate(connection.headers.get(API_KEY_HEADER))
        if key is None:
            raise NotAuthorizedException(f"a valid {API_KEY_HEADER} header is required")
        if key.role not in admitted:
            raise PermissionDeniedException(
                f"role {key.role.value} may not call this; needs "
                + " or ".join(sorted(r.value for r in admitted))
            )
        connection.scope["state"]["api_key"] = key

    return guard


def caller(connection: ASGIConnection) -> ApiKey:
    """The key that passed the route's guard."""
    key: ApiKey = connection.scope["state"]["api_key"]
    return key
