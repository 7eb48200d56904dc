"""``POST /v1/recon/claims/ncpdp-batch`` through the real app, as a multipart form.

The files are the hand-built exchange of ``integration.batch_support``: 4 valid
claims worth 42.50 + 25.00 + 15.00 + 30.00 = $112.50 and the rest classified.
"""

import pytest
from integration.batch_support import exchange, recount
from sqlalchemy import text

from api.http.keys import Role

URL = "/v1/recon/claims/ncpdp-batch"


def _post(service, responses, requests, headers, query="?as_of=2026-03-31"):
    return service.client.post(
        URL + query,
        files={
            "responses": ("resp.bat", responses, "application/octet-stream"),
            "requests": ("req.bat", requests, "application/octet-stream"),
        },
        headers=headers,
    )


def _stored(service):
    with service.runtime.sql.engine.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            for table in ("recon_batches", "recon_items", "recon_claim_exceptions")
        )


def test_finance_loads_a_batch_and_sees_every_category(service):
    loaded = _post(service, *exchange(), service.headers(Role.FINANCE))
    assert loaded.status_code == 200, loaded.text
    body = loaded.json()
    assert body["counts"] == {
        "valid": 4,
        "duplicate": 1,
        "zero_balance": 1,
        "unauthorized": 3,
        "resubmitted": 1,
        "invalid": 4,
    }
    assert body["amount_due"] == "112.50"
    assert (body["requests"], body["unanswered"]) == (12, 2)
    assert [p["record"] for p in body["problems"]] == [6, 10, 11, 14]
    assert body["problems"][-1] == {"record": 14, "reason": "not a detail record (G1)"}
    with service.runtime.sql.engine.connect() as conn:
        batch = conn.execute(
            text("SELECT source, actor, accepted FROM recon_batches WHERE id = :id"),
            {"id": body["batch"]},
        ).one()
        aging = conn.execute(text("SELECT DISTINCT aging_date FROM recon_items")).scalars().all()
    assert batch.source == "ncpdp-batch resp.bat (requests req.bat)"
    assert batch.actor.startswith("test finance (")
    assert batch.accepted == 4
    assert [str(day) for day in aging] == ["2026-03-31"]
    listed = service.client.get(
        "/v1/recon/items?rx=5008", headers=service.headers(Role.FINANCE)
    ).json()["items"]
    assert [(i["store"], i["fill_number"], i["amount_due"]) for i in listed] == [
        ("STORE9", 0, 3_000)
    ]


def test_only_finance_may_load_a_batch(service):
    responses, requests = exchange()
    assert _post(service, responses, requests, {}).status_code == 401
    for role in (Role.SWITCH, Role.ANALYST, Role.MEMBER_SERVICES):
        assert _post(service, responses, requests, service.headers(role)).status_code == 403
    assert _stored(service) == (0, 0, 0)


def test_a_broken_wrapper_answers_422_and_loads_nothing(service):
    responses, requests = exchange()
    refused = _post(service, recount(responses, 15, 14), requests, service.headers(Role.FINANCE))
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "resp.bat: record 15: the trailer counts 14 records but the file has 15 (header and"
        " trailer included): records are missing or extra; nothing was loaded"
    )
    assert _stored(service) == (0, 0, 0)


def test_files_given_the_wrong_way_round_answer_422(service):
    responses, requests = exchange()
    swapped = _post(service, requests, responses, service.headers(Role.FINANCE))
    assert swapped.status_code == 422
    assert swapped.json()["detail"] == (
        "req.bat: holds D.0 responses, not requests; nothing was loaded"
    )
    assert _stored(service) == (0, 0, 0)


@pytest.mark.parametrize("missing", ["responses", "requests"])
def test_both_files_are_required(service, missing):
    responses, requests = exchange()
    files = {
        "responses": ("resp.bat", responses, "application/octet-stream"),
        "requests": ("req.bat", requests, "application/octet-stream"),
    }
    del files[missing]
    refused = service.client.post(URL, files=files, headers=service.headers(Role.FINANCE))
    assert refused.status_code == 400
    assert _stored(service) == (0, 0, 0)
