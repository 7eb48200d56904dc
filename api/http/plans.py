"""Plan and rule versions: list, validate, dry run, publish, roll back; compliance.

Candidates travel as the YAML text an analyst wrote. Validation and dry runs change
nothing; publishing and rolling back are written to the audit log with who did it,
the version before and after, and why, and take effect in every worker without a
restart (claims in flight finish on the catalog they started with).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, ServiceUnavailableException
from litestar.params import Body, JSONBody, QueryParameter, RawBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from pydantic import BaseModel, ConfigDict, Field

from api.http.errors import WITH_LOOKUP, WITH_REFUSAL, RefusedError
from api.http.keys import Role
from api.http.security import SECURITY, allow, caller
from api.publishing import PublishingService, ValidationResult, replay_since
from api.runtime import Runtime
from engine.catalog.publication import PublicationError
from engine.compliance.checker import UnknownPlanError, compliance_report
from engine.compliance.gate import Override, OverrideError
from engine.plantests.gate import PlanTestOverride, PlanTestOverrideError

__all__ = ["PlanController"]

_YAML = "application/yaml"


class OverrideIn(BaseModel):
    """A compliance officer's override of failing checks."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    checks: list[str] = Field(min_length=1)


class PlanTestOverrideIn(BaseModel):
    """An approver's acceptance of failing (or missing) plan tests."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    scenarios: list[str] = Field(
        default_factory=list, description="Each failing scenario, as PLAN@VERSION/scenario"
    )
    untested: bool = Field(default=False, description="Accept a plan version without tests")


class PublishIn(BaseModel):
    """A version to publish: its YAML text, its test file, and overrides if needed."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(min_length=1)
    tests: str | None = Field(
        default=None, min_length=1, description="The plan version's test file (YAML text)"
    )
    override: OverrideIn | None = None
    tests_override: PlanTestOverrideIn | None = None


class RollbackIn(BaseModel):
    """Which publication to roll back, and why."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(default="plan")
    id: str = Field(min_length=1)
    reason: str = Field(min_length=1)


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RefusedError(f"the file is not UTF-8 text (byte {exc.start})") from exc


def _service(request: Request[Any, Any, Any]) -> PublishingService:
    service: PublishingService = request.app.state.publishing
    return service


def _refused(result: ValidationResult) -> RefusedError:
    return RefusedError("the version was not published", extra=result.to_dict())


class PlanController(Controller):
    """Plan and rule versions for analysts; compliance for analysts and finance."""

    path = "/v1"
    security = SECURITY
    tags = ("plans and rules",)

    @get(
        "/plans",
        guards=[allow(Role.ANALYST, Role.FINANCE)],
        raises=WITH_LOOKUP,
        sync_to_thread=False,
        summary="Every plan version loaded, and the publications since deployment",
    )
    def versions(self, request: Request[Any, Any, Any]) -> dict[str, Any]:
        """Plan versions in the catalog in force, and the publication history."""
        runtime: Runtime = request.app.state.runtime
        catalog = runtime.processor.catalog
        return {
            "plans": [
                {
                    "plan": r.plan.plan,
                    "version": r.plan.version,
                    "name": r.plan.name,
                    "effective_from": r.plan.effective.from_.isoformat(),
                    "effective_to": r.plan.effective.to.isoformat()
                    if r.plan.effective.to
                    else None,
                    "edits": r.edits.id,
                }
                for versions in catalog.plans.values()
                for r in versions
            ],
            "publications": [vars_of(p) for p in _service(request).store.publications()],
        }

    @post(
        "/plans/validate",
        guards=[allow(Role.ANALYST)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Validate a candidate version; change nothing",
    )
    def validate(
        self, request: Request[Any, Any, Any], body: Annotated[RawBody, Body(media_type=_YAML)]
    ) -> dict[str, Any]:
        """Load the candidate with everything in force; problems with file:line."""
        return _service(request).validate(_text(body)).to_dict()

    @post(
        "/plans/dry-run",
        guards=[allow(Role.ANALYST)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Replay stored claims under a candidate version and list every difference",
    )
    def dry_run(
        self,
        request: Request[Any, Any, Any],
        body: Annotated[RawBody, Body(media_type=_YAML)],
        start: Annotated[dt.date, QueryParameter(name="from")],
        end: Annotated[dt.date, QueryParameter(name="to")],
    ) -> dict[str, Any]:
        """Differences in status, patient pay and plan pay; accumulators untouched."""
        if end < start:
            raise RefusedError("'to' is before 'from'")
        runtime: Runtime = request.app.state.runtime
        if runtime.sql is None:
            raise ServiceUnavailableException("dry runs replay the ledger; none is configured")
        since = replay_since(start)
        events = runtime.sql.replay_events(since)
        result = _service(request).dry_run(_text(body), (start, end), events)
        if isinstance(result, ValidationResult):
            raise RefusedError("the candidate does not load", extra=result.to_dict())
        return {
            "replayed": result.replayed,
            "differences": [
                {**vars_of(d), "date_of_service": d.date_of_service.isoformat()}
                for d in result.differences
            ],
        }

    @post(
        "/plans/publish",
        guards=[allow(Role.ANALYST)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_201_CREATED,
        summary="Publish a version (validated, compliant and passing its plan tests)",
    )
    def publish(self, request: Request[Any, Any, Any], data: JSONBody[PublishIn]) -> dict[str, Any]:
        """Publish, or 422 with the problems, failing compliance checks or plan tests."""
        key = caller(request)
        override = None
        if data.override is not None:
            override = Override(
                data.override.reason, data.override.approved_by, frozenset(data.override.checks)
            )
        tests_override = None
        if data.tests_override is not None:
            tests_override = PlanTestOverride(
                data.tests_override.reason,
                data.tests_override.approved_by,
                frozenset(data.tests_override.scenarios),
                data.tests_override.untested,
            )
        try:
            publication, result = _service(request).publish(
                data.file,
                f"{key.name} ({key.id})",
                override,
                tests=data.tests,
                tests_override=tests_override,
            )
        except (OverrideError, PlanTestOverrideError, PublicationError) as exc:
            raise RefusedError(str(exc)) from exc
        if publication is None:
            raise _refused(result)
        return {"publication": vars_of(publication), "validation": result.to_dict()}

    @post(
        "/plans/rollback",
        guards=[allow(Role.ANALYST)],
        raises=WITH_REFUSAL,
        sync_to_thread=True,
        status_code=HTTP_200_OK,
        summary="Retire a version's latest publication",
    )
    def rollback(
        self, request: Request[Any, Any, Any], data: JSONBody[RollbackIn]
    ) -> dict[str, Any]:
        """What it replaced is in force again."""
        key = caller(request)
        try:
            retired = _service(request).rollback(
                data.kind, data.id, f"{key.name} ({key.id})", data.reason
            )
        except PublicationError as exc:
            raise RefusedError(str(exc)) from exc
        return {"retired": vars_of(retired)}

    @get(
        "/compliance",
        guards=[allow(Role.ANALYST, Role.FINANCE)],
        raises=WITH_LOOKUP,
        sync_to_thread=True,
        summary="Check plan versions against the federal and state mandates",
    )
    def compliance(
        self,
        request: Request[Any, Any, Any],
        plan: Annotated[
            list[str] | None, QueryParameter(description="PLAN or PLAN@VERSION")
        ] = None,
    ) -> dict[str, Any]:
        """Pass/fail per check with the plan's value, the limit and the citation."""
        runtime: Runtime = request.app.state.runtime
        try:
            report = compliance_report(runtime.processor.catalog, plan or [], dt.date.today())
        except UnknownPlanError as exc:
            raise NotFoundException(str(exc)) from exc
        return report.to_dict()


def vars_of(value: Any) -> dict[str, Any]:
    """A slotted dataclass's fields as a dictionary."""
    return {name: getattr(value, name) for name in value.__dataclass_fields__}
