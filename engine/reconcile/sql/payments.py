"""Storing a checked payment file: every payment, claim payment and adjustment, or none.

The file was already checked whole (``engine.reconcile.remit.files``); here it
is written in one transaction, so a load either takes the whole file or nothing.
The same file (by SHA-256) is refused the second time: loading it again would
post its money twice. Claim payments wait with no outcome until a
reconciliation run decides them; rows that could not be read are stored as
``rejected`` with the reason, so the file's money still adds up in reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select

from engine.reconcile.codes import CAS_GROUPS, Outcome
from engine.reconcile.errors import AlreadyLoaded
from engine.reconcile.remit.files import PaymentFile
from engine.reconcile.remit.records import ClaimPayment, Remittance
from engine.reconcile.sql.tables import ADJUSTMENTS, BATCHES, PAYMENTS, audit, chunks, insert_many
from engine.reconcile.tolerance.book import ToleranceBook
from engine.store.sql.models import utcnow

__all__ = ["PaymentLoad", "store_payments"]


@dataclass(slots=True)
class PaymentLoad:
    """What a payment load stored: a batch per payment, claim rows, skipped rows."""

    batches: list[int] = field(default_factory=list)
    claims: int = 0
    rejected: int = 0
    paid: int = 0
    provider: int = 0
    skipped: list[tuple[int, str]] = field(default_factory=list)


def _payment_row(batch_id: int, remit: Remittance, claim: ClaimPayment) -> dict[str, object]:
    return {
        "batch_id": batch_id,
        "line": claim.line,
        "segment": claim.segment,
        "store": claim.store,
        "rx_number": claim.rx_number,
        "fill_number": claim.fill_number,
        "date_of_service": claim.date_of_service,
        "payer": claim.payer,
        "ndc": claim.ndc,
        "status_code": claim.status_code[:2],
        "charge": claim.charge,
        "paid": claim.paid,
        "patient_resp": claim.patient_resp,
        "reason_code": claim.reason_code,
        "payer_control": claim.payer_control,
        "original_ref": claim.original_ref,
        "payment_date": remit.payment_date,
        "check_number": remit.check_number,
        "outcome": Outcome.REJECTED.value if claim.problem else None,
        "note": claim.problem[:200] if claim.problem else None,
    }


def _store_claims(conn: Connection, batch_id: int, remit: Remittance) -> None:
    insert_ids = insert(PAYMENTS).returning(PAYMENTS.c.id, sort_by_parameter_order=True)
    for part in chunks((claim for claim in remit.claims), 10_000):
        rows = [_payment_row(batch_id, remit, claim) for claim in part]
        ids = conn.execute(insert_ids, rows).scalars().all()
        insert_many(
            conn,
            ADJUSTMENTS,
            (
                {
                    "batch_id": batch_id,
                    "payment_id": payment_id,
                    "level": adjustment.level,
                    "group_code": adjustment.group,
                    "reason": adjustment.reason,
                    "amount": adjustment.amount,
                    "category": CAS_GROUPS.get(adjustment.group, "other"),
                    "payer": remit.payer,
                    "line": claim.line,
                }
                for payment_id, claim in zip(ids, part, strict=True)
                for adjustment in claim.adjustments
            ),
        )


def _store_provider(
    conn: Connection, batch_id: int, remit: Remittance, book: ToleranceBook
) -> None:
    version = book.in_force(remit.payment_date)
    label = version.label if version else "built-in provider adjustment classes"
    insert_many(
        conn,
        ADJUSTMENTS,
        (
            {
                "batch_id": batch_id,
                "payment_id": None,
                "level": "provider",
                "group_code": None,
                "reason": plb.code,
                "amount": plb.amount,
                "category": book.provider_class(remit.payment_date, plb.code, plb.reference).value,
                "payer": remit.payer,
                "provider_id": plb.provider_id,
                "reference": plb.reference[:50] if plb.reference else None,
                "fiscal_date": plb.fiscal_date,
                "line": plb.line,
                "rule_version": label,
            }
            for plb in remit.provider
        ),
    )


def store_payments(
    conn: Connection, file: PaymentFile, book: ToleranceBook, *, actor: str
) -> PaymentLoad:
    """Write a checked payment file in the caller's transaction; audited."""
    earlier = conn.execute(
        select(BATCHES.c.id).where(BATCHES.c.kind == "payments", BATCHES.c.digest == file.digest)
    ).first()
    if earlier is not None:
        raise AlreadyLoaded(f"{file.source} was loaded before (batch {earlier.id})")
    result = PaymentLoad(skipped=list(file.skipped))
    for remit in file.remittances:
        rejected = sum(1 for claim in remit.claims if claim.problem)
        batch_id = conn.execute(
            insert(BATCHES).returning(BATCHES.c.id),
            {
                "kind": "payments",
                "source": file.source[:300],
                "digest": file.digest,
                "payer": remit.payer,
                "check_number": remit.check_number,
                "payment_date": remit.payment_date,
                "payment_method": remit.method[:3],
                "control_total": remit.total,
                "detail_total": remit.detail_total,
                "provider_total": remit.provider_total,
                "rows": len(remit.claims),
                "accepted": len(remit.claims) - rejected,
                "rejected": rejected,
                "actor": actor,
                "at": utcnow(),
                "summary": {"format": file.format, "payer_name": remit.payer_name},
            },
        ).scalar_one()
        _store_claims(conn, batch_id, remit)
        _store_provider(conn, batch_id, remit, book)
        result.batches.append(batch_id)
        result.claims += len(remit.claims)
        result.rejected += rejected
        result.paid += remit.total
        result.provider += remit.provider_total
    audit(
        conn,
        actor,
        "recon.load-payments",
        file.source,
        {
            "digest": file.digest,
            "batches": result.batches,
            "claims": result.claims,
            "rejected": result.rejected,
            "skipped": len(result.skipped),
            "paid_cents": result.paid,
        },
    )
    return result
