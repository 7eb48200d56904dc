"""Reconciliation over HTTP, for finance: inquiry and correction, loads, runs, reports.

Every change names the caller (API key name and id) in the audit log with the
before and after values. Payment files are posted as their raw text (an 835 or
a payment CSV); a file with structural problems answers 422 with each problem's
line and segment, and nothing of it is loaded. NCPDP batch claim files come as a
multipart form of two files, the responses and the requests they answer; a batch
whose header and trailer disagree answers 422, while bad records are listed with
their record numbers and the rest load.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.exceptions import NotFoundException, ServiceUnavailableException
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromPath, JSONBody, QueryParameter, RawBody
from litestar.status_codes import HTTP_200_OK
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from api.http.errors import GUARDED, WITH_LOOKUP, WITH_REFUSAL, RefusedError
from api.http.keys import Role
from api.http.security import SECURITY, allow, caller
from api.runtime import Runtime
from engine.catalog.publication import PublicationStore
from engine.money import MoneyError, cents_to_dollars, parse_dollars
from engine.reconcile.claims import ClaimProblem, read_batch_claims
from engine.reconcile.errors import (
    AlreadyLoaded,
    ClaimFileError,
    CorrectionRefused,
    ItemNotFound,
    RemittanceFileError,
)
from engine.reconcile.remit import parse_payment_file
from engine.reconcile.reports import REPORTS, Report, ReportParams, build_report
from engine.reconcile.reports import report_csv as render_csv
from engine.reconcile.reports import report_pdf as render_pdf
from engine.reconcile.sql import (
    correct_item,
    find_items,
    get_item,
    load_claims,
    reconcile,
    store_payments,
)
from engine.reconcile.tolerance import ToleranceBook, load_tolerances

__all__ = ["BatchUpload", "CorrectionIn", "ReconController"]

_TEXT = "text/plain"
_FINANCE = [allow(Role.FINANCE)]


class CorrectionIn(BaseModel):
    """Fields to change (amounts in dollars, dates YYYY-MM-DD) and why."""

    model_config = ConfigDict(extra="forbid")

    changes: dict[str, str | None] = Field(min_length=1)
    reason: str = Field(min_length=1, max_length=500)


@dataclass
class BatchUpload:
    """An NCPDP Batch 1.2 response file and the request file it answers.

    Both are needed: a D.0 response names no fill number (403-D3) and no BIN.
    """

    responses: UploadFile
    requests: UploadFile


def _engine(request: Request[Any, Any, Any]) -> Engine:
    runtime: Runtime = request.app.state.runtime
    if runtime.sql is None:
        raise ServiceUnavailableException("reconciliation needs the SQL ledger")
    return runtime.sql.engine


def _book(request: Request[Any, Any, Any]) -> ToleranceBook:
    settings = request.app.state.runtime.settings
    files = PublicationStore(settings.published_dir).catalog_files([settings.rules_dir])
    return load_tolerances(files)


def _who(request: Request[Any, Any, Any]) -> str:
    key = caller(request)
    return f"{key.name} ({key.id})"


class ReconController(Controller):
    """Receivables and remittances, for the finance role."""

    path = "/v1/recon"
    security = SECURITY
    tags = ("reconciliation",)

    @get(
        "/items",
        guards=_FINANCE,
        raises=GUARDED,
        sync_to_thread=True,
        summary="Find receivables by their keys",
    )
    def items(
        self,
        request: Request[Any, Any, Any],
        store: Annotated[str | None, QueryParameter(description="store (pharmacy) id")] = None,
        rx: Annotated[int | None, QueryParameter(description="prescription number")] = None,
        date: Annotated[dt.date | None, QueryParameter(description="date dispensed")] = None,
        payer: Annotated[str | None, QueryParameter(description="payer id")] = None,
        status: Annotated[str | None, QueryParameter(description="open, paid, denied")] = None,
        limit: Annotated[int, QueryParameter(ge=1, le=500)] = 100,
        offset: Annotated[int, QueryParameter(ge=0)] = 0,
    ) -> dict[str, Any]:
        """Receivables matching every key given, in store, Rx, fill and payer order."""
        with _engine(request).connect() as conn:
            rows = find_items(
                conn,
                store=store,
                rx_number=rx,
                date_of_service=date,
                payer=payer,
                status=status,
                limit=limit,
                offset=offset,
            )
        return {"items": rows, "limit": limit, "offset": offset}

    @get(
        "/items/{item_id:int}",
        guards=_FINANCE,
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="One receivable",
    )
    def item(self, request: Request[Any, Any, Any], item_id: FromPath[int]) -> dict[str, Any]:
        """A receivable with its payments."""
        with _engine(request).connect() as conn:
            try:
                return get_item(conn, item_id)
            except ItemNotFound as exc:
                raise NotFoundException(str(exc)) from None

    @patch(
        "/items/{item_id:int}",
        guards=_FINANCE,
        raises=[*WITH_LOOKUP, RefusedError],
        sync_to_thread=True,
        summary="Correct a receivable (audited: who, when, before, after)",
    )
    def correct(
        self, request: Request[Any, Any, Any], item_id: FromPath[int], data: JSONBody[CorrectionIn]
    ) -> dict[str, Any]:
        """Change fields of a receivable; the audit log keeps the before and after values."""
        with _engine(request).begin() as conn:
            try:
                before, after = correct_item(
                    conn, item_id, data.changes, actor=_who(request), reason=data.reason
                )
            except ItemNotFound as exc:
                raise NotFoundException(str(exc)) from None
            except CorrectionRefused as exc:
                raise RefusedError(str(exc)) from None
        return {"id": item_id, "before": before, "after": after}

    @post(
        "/payments",
        guards=_FINANCE,
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Load a payment file (X12 835 or payment CSV), whole or not at all",
    )
    def payments(
        self,
        request: Request[Any, Any, Any],
        body: Annotated[RawBody, Body(media_type=_TEXT)],
        name: Annotated[str, QueryParameter(description="the file's name")] = "upload",
        total: Annotated[str | None, QueryParameter(description="control total, dollars")] = None,
    ) -> dict[str, Any]:
        """Check the file, then store it; 422 lists every problem with its line and segment."""
        try:
            control = None if total is None else parse_dollars(total)
            parsed = parse_payment_file(body.decode("utf-8"), name, control)
        except (MoneyError, UnicodeDecodeError) as exc:
            raise RefusedError(str(exc)) from None
        except RemittanceFileError as exc:
            raise RefusedError(
                "the file was not loaded",
                extra={"problems": [str(issue) for issue in exc.issues]},
            ) from None
        with _engine(request).begin() as conn:
            try:
                result = store_payments(conn, parsed, _book(request), actor=_who(request))
            except AlreadyLoaded as exc:
                raise RefusedError(str(exc)) from None
        return {
            "batches": result.batches,
            "claims": result.claims,
            "rejected": result.rejected,
            "paid": str(cents_to_dollars(result.paid)),
            "skipped": [{"line": line, "reason": reason} for line, reason in result.skipped],
        }

    @post(
        "/claims/ncpdp-batch",
        guards=_FINANCE,
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Load claims from an NCPDP batch response file and its request file",
    )
    def ncpdp_batch(
        self,
        request: Request[Any, Any, Any],
        data: Annotated[BatchUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        as_of: Annotated[dt.date | None, QueryParameter(description="aging date")] = None,
    ) -> dict[str, Any]:
        """Classify the paired claims like a CSV load; 422 when a batch wrapper is broken."""
        try:
            claims = read_batch_claims(
                data.responses.file.read(),
                data.requests.file.read(),
                responses_name=data.responses.filename,
                requests_name=data.requests.filename,
            )
        except ClaimFileError as exc:
            raise RefusedError(str(exc)) from None
        with _engine(request).begin() as conn:
            result = load_claims(
                conn,
                claims.items,
                source=claims.source,
                actor=_who(request),
                aging_date=as_of or dt.date.today(),
            )
        return {
            "batch": result.batch_id,
            "counts": result.counts,
            "amount_due": str(cents_to_dollars(result.amount_due)),
            "problems": [
                {"record": item.row, "reason": item.reason}
                for item in claims.items
                if isinstance(item, ClaimProblem)
            ],
            "requests": claims.requests,
            "unanswered": claims.unanswered,
        }

    @post(
        "/runs",
        guards=_FINANCE,
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Reconcile every waiting payment",
    )
    def run(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """Decide every waiting payment; the counts by outcome and the rules used."""
        with _engine(request).begin() as conn:
            result = reconcile(conn, _book(request), actor=_who(request))
        return {
            "run": result.run_id,
            "counts": result.counts,
            "markdown_cents": result.markdown,
            "rules": result.rules,
        }

    @get("/reports", guards=_FINANCE, raises=GUARDED, summary="The reports by name")
    async def reports(self) -> dict[str, str]:
        """Report names and what each shows."""
        return {name: shows for name, (shows, _) in REPORTS.items()}

    @get(
        "/reports/{name:str}",
        guards=_FINANCE,
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="One report as CSV",
        responses={200: ResponseSpec(str, description="the report as CSV", media_type="text/csv")},
    )
    def report_csv(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        batch: Annotated[int | None, QueryParameter(description="load batch")] = None,
        run: Annotated[int | None, QueryParameter(description="reconciliation run")] = None,
        as_of: Annotated[dt.date | None, QueryParameter(description="aging date")] = None,
        before: Annotated[dt.date | None, QueryParameter(description="open before")] = None,
        on: Annotated[dt.date | None, QueryParameter(description="paid on")] = None,
        payer: Annotated[str | None, QueryParameter(description="payer id")] = None,
    ) -> Response[bytes]:
        """A report sorted by Rx within store within billing method, with control totals."""
        report = _report(
            request, name, ReportParams(as_of or dt.date.today(), batch, run, before, on, payer)
        )
        return Response(render_csv(report).encode("utf-8"), media_type="text/csv")

    @get(
        "/reports/{name:str}/pdf",
        guards=_FINANCE,
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="One report as PDF (no patient data)",
        responses={
            200: ResponseSpec(bytes, description="the report as PDF", media_type="application/pdf")
        },
    )
    def report_pdf(
        self,
        request: Request[Any, Any, Any],
        name: FromPath[str],
        batch: Annotated[int | None, QueryParameter(description="load batch")] = None,
        run: Annotated[int | None, QueryParameter(description="reconciliation run")] = None,
        as_of: Annotated[dt.date | None, QueryParameter(description="aging date")] = None,
        before: Annotated[dt.date | None, QueryParameter(description="open before")] = None,
        on: Annotated[dt.date | None, QueryParameter(description="paid on")] = None,
        payer: Annotated[str | None, QueryParameter(description="payer id")] = None,
    ) -> Response[bytes]:
        """The same report as a PDF, for printing or sending on."""
        report = _report(
            request, name, ReportParams(as_of or dt.date.today(), batch, run, before, on, payer)
        )
        pdf = render_pdf(report, generated=dt.datetime.now(dt.UTC))
        return Response(pdf, media_type="application/pdf")


def _report(request: Request[Any, Any, Any], name: str, params: ReportParams) -> Report:
    if name not in REPORTS:
        raise NotFoundException(f"no report {name!r}")
    with _engine(request).connect() as conn:
        return build_report(conn, name, params)
