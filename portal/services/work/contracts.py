"""Contract work for the queues: contracts waiting for a party's signature, and contract details notices due.

- To sign: the latest version of a call-off contract, not the signed version, that the party has not signed
  (portal/services/contracts/signing.py signs only the latest unsigned version). The buyer signs through an
  approver; the supplier through any of its users. The signing page says why it cannot be signed yet, if so.
- UK7 due (PA 2023 s.53): a signed call-off contract under the Act whose contract details notice has not been
  published, due 30 days after signing (portal/services/notices/lifecycle.py `uk7_due`, here for all at once).
Two queries each, whatever the number of contracts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql import ColumnElement

from portal.domain import notices as notice_rules
from portal.domain.framework_term import Regime
from portal.domain.timefmt import format_date
from portal.extensions import db
from portal.models import (
    Competition,
    ContractSignature,
    DirectAward,
    Document,
    Framework,
    Lot,
    TransparencyNotice,
)
from portal.services.contracts.call_offs import COMPETITION, DIRECT_AWARD
from portal.services.notices.lifecycle import UK7_DUE_DAYS
from portal.services.work.items import WorkItem, item

KIND = "call_off_contract"


def _latest(owner: ColumnElement[bool]):
    latest = (
        select(Document.series_key, func.max(Document.version).label("version"))
        .where(Document.kind == KIND, owner)
        .group_by(Document.series_key)
        .subquery()
    )
    return select(Document).join(
        latest, and_(Document.series_key == latest.c.series_key, Document.version == latest.c.version)
    )


def to_sign(party: str, owner: ColumnElement[bool], now: datetime) -> list[WorkItem]:
    """The contracts `party` ("buyer" or "supplier") has to sign among the documents `owner` selects."""
    signed = select(ContractSignature.id).where(
        ContractSignature.document_id == Document.id, ContractSignature.party == party
    )
    documents = db.session.scalars(_latest(owner).where(Document.signed_at.is_(None), ~signed.exists())).all()
    return [
        item(
            "Sign the call-off contract",
            f"{d.reference}: {d.title}",
            "contracts.sign",
            now,
            values={"document_id": d.id},
            detail=f"Version {d.version}, issued {format_date(d.generated_at)}",
            label="To sign",
        )
        for d in documents
    ]


def uk7_due(organisation_id: int, now: datetime) -> list[WorkItem]:
    """Contract details notices (UK7) the buying organisation has still to publish for its signed contracts."""
    competition = and_(Document.subject_type == COMPETITION, Competition.id == Document.subject_id)
    award = and_(Document.subject_type == DIRECT_AWARD, DirectAward.id == Document.subject_id)
    published = select(TransparencyNotice.id).where(
        TransparencyNotice.notice_type == notice_rules.UK7,
        TransparencyNotice.status == "published",
        or_(
            and_(Document.subject_type == COMPETITION, TransparencyNotice.competition_id == Document.subject_id),
            and_(Document.subject_type == DIRECT_AWARD, TransparencyNotice.direct_award_id == Document.subject_id),
        ),
    )
    rows = db.session.execute(
        _latest(Document.buyer_organisation_id == organisation_id)
        .add_columns(Framework.regime)
        .outerjoin(Competition, competition)
        .outerjoin(DirectAward, award)
        .join(Lot, Lot.id == func.coalesce(Competition.lot_id, DirectAward.lot_id))
        .join(Framework, Framework.id == Lot.framework_id)
        .where(Document.signed_at.is_not(None), Framework.regime == Regime.PA_2023.value, ~published.exists())
    ).all()
    items = []
    for document, _regime in rows:
        assert document.signed_at is not None  # the query selects signed versions only
        key = "competition_id" if document.subject_type == COMPETITION else "direct_award_id"
        items.append(
            item(
                "Publish the contract details notice (UK7)",
                f"{document.reference}: {document.title}",
                "notices.index",
                now,
                values={key: document.subject_id},
                due_at=document.signed_at.date() + timedelta(days=UK7_DUE_DAYS),
                detail=f"Contract signed on {format_date(document.signed_at)}",
            )
        )
    return items
