"""Claim endpoints: raw NCPDP D.0 for switches, JSON for everyone else, and lookups.

``POST /v1/ncpdp`` always answers with a D.0 response, never an HTTP error: bad
bytes get a reject built by the codec, and a failure behind the engine (a store that
cannot be reached) gets a header-level reject 99 the switch can act on.

The switch endpoint adjudicates on the event loop itself, with the requests that
arrived in the same turn of the loop as one batch (``api.http.batcher``): the
engine is pure CPU, the batch's reads and applies are one round trip per store,
and the batch's ledger records are committed in one transaction
(``engine.store.sql.writer.writing_here``). Handing every request to a thread pool
instead cost more than the work (the hand-offs and the fight for the GIL between
the pool's threads and the loop). The response is sent only once the claim's
ledger record is committed, as before. The JSON endpoint keeps ``sync_to_thread``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import NotFoundException
from litestar.params import Body, FromPath, JSONBody, RawBody
from litestar.status_codes import HTTP_200_OK

from api.claims_json import JsonClaim
from api.http.batcher import ClaimBatcher
from api.http.errors import GUARDED, WITH_LOOKUP
from api.http.keys import Role
from api.http.security import SECURITY, allow
from api.runtime import Runtime
from engine.adjudication.request import transmission_from_claims
from engine.adjudication.serialize import decision_to_dict
from engine.adjudication.transmission import adjudicate_transmission, refusal
from engine.ncpdp import CodecIssue, Decoded, RejectCode, encode

__all__ = ["ClaimController", "received_today"]

log = logging.getLogger("rxadj.http")
_OCTETS = "application/octet-stream"


def received_today() -> dt.date:
    """The processing date: a claim is post-dated only once its date has begun nowhere.

    Pharmacies sit in every US time zone (and Guam is UTC+10), so the date used is
    the one in the earliest-starting zone, UTC+14, rather than the server's.
    """
    return (dt.datetime.now(dt.UTC) + dt.timedelta(hours=14)).date()


def _system_error(data: bytes, received: dt.date) -> bytes:
    issue = CodecIssue(RejectCode.HOST_PROCESSING_ERROR, "the processor could not complete")
    return encode(refusal(data, Decoded(None, (issue,)), [issue], received))


class ClaimController(Controller):
    """Claims in, decisions out."""

    path = "/v1"
    security = SECURITY
    tags = ("claims",)

    @post(
        "/ncpdp",
        guards=[allow(Role.SWITCH)],
        raises=GUARDED,
        media_type=_OCTETS,
        status_code=HTTP_200_OK,
        summary="Adjudicate a raw NCPDP D.0 transmission",
        description="Request body: D.0 request bytes. Response: D.0 response bytes, "
        "always (a reject where the input is bad).",
    )
    async def ncpdp(
        self,
        request: Request[Any, Any, Any],
        body: Annotated[RawBody, Body(media_type=_OCTETS)],
    ) -> Response[bytes]:
        """Bytes in, bytes out (the module docstring says why on the event loop)."""
        batcher: ClaimBatcher = request.app.state.batcher
        started = time.perf_counter()
        received = received_today()
        try:
            result = await batcher.adjudicate(body, received)
            response, decisions = result.response, result.decisions
        except Exception:  # the switch must get a D.0 answer whatever failed behind us
            log.exception("claim processing failed; answered with reject 99")
            response, decisions = _system_error(body, received), ()
        metrics = request.app.state.metrics
        metrics.count(decisions)
        metrics.latency.labels("ncpdp").observe(time.perf_counter() - started)
        return Response(response, media_type=_OCTETS)

    @post(
        "/claims",
        guards=[allow(Role.SWITCH)],
        raises=GUARDED,
        status_code=HTTP_200_OK,
        sync_to_thread=True,
        summary="Adjudicate a JSON claim",
        description="The same engine as the NCPDP endpoint; the answer is the decision "
        "with its explanation trace.",
    )
    def json_claim(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[JsonClaim],
    ) -> dict[str, Any]:
        """A JSON claim, answered with the JSON decision."""
        runtime: Runtime = request.app.state.runtime
        started = time.perf_counter()
        raw = encode(transmission_from_claims([data.to_claim()]))
        result = adjudicate_transmission(raw, runtime.processor, received_today())
        metrics = request.app.state.metrics
        metrics.count(result.decisions)
        metrics.latency.labels("claims").observe(time.perf_counter() - started)
        return decision_to_dict(result.decisions[0])

    @get(
        "/claims/{claim_key:str}",
        guards=[allow(Role.SWITCH, Role.FINANCE, Role.MEMBER_SERVICES)],
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="The current state of a claim by its key",
        description="The key is BIN|PCN|service provider|Rx number|fill|date of service, "
        "URL-encoded.",
    )
    def claim(self, request: Request[Any, Any, Any], claim_key: FromPath[str]) -> dict[str, Any]:
        """The latest paid record of a claim key and whether it was reversed."""
        runtime: Runtime = request.app.state.runtime
        record = runtime.ledger.current(claim_key)
        if record is None:
            raise NotFoundException("no paid claim with this key")
        return {
            "claim_key": record.claim_key,
            "sequence": record.sequence,
            "reversed": record.reversed,
            "decision": decision_to_dict(record.decision),
        }
