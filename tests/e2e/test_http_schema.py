"""schemathesis against the served OpenAPI schema: no 5xx, no response off the schema.

Every operation of the schema is exercised with generated requests (an admin key,
so the guards let them through to the handlers) and every response is checked by
schemathesis's checks: no server error, status codes, content types and bodies as
the schema documents them.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.http.keys import Role

# schemathesis drives the app through its own ASGI test transport, which leaves an anyio
# stream for the garbage collector; the warning is about that transport, not rxadj.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def test_every_endpoint_answers_within_its_schema(service):
    schema = schemathesis.openapi.from_asgi("/schema/openapi.json", service.client.app)
    headers = service.headers(Role.ADMIN)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def exercise(case: schemathesis.Case) -> None:
            # a well-formed candidate file can still be refused (422: it does not load, or
            # fails compliance), which is the point of those endpoints, not a defect
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        exercise()
