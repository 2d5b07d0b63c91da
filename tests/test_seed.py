"""The demo data (`flask seed-demo`): what it creates, that it is idempotent and audited, and
that every demo account can sign in."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from portal.domain import framework_term as term
from portal.domain import parties
from portal.domain.cpv import cpv_problem
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    Accreditation,
    AuditEvent,
    BuyerOrganisation,
    Capability,
    CapabilityClaim,
    Exclusion,
    ExtensionOption,
    Framework,
    Lot,
    LotMembership,
    PriceItem,
    Supplier,
    SupplierPrice,
    SupplierSearchDocument,
    User,
)
from portal.seed import demo
from portal.seed.accounts import DEMO_ACCOUNTS
from portal.seed.organisations import POLICE_FORCES_ENGLAND_AND_WALES
from portal.seed.supplier_data import FICTIONAL_SUPPLIERS
from portal.services import audit

DEMO_TODAY = date(2026, 11, 22)
SEEDED_MODELS = (
    BuyerOrganisation,
    Framework,
    ExtensionOption,
    Lot,
    Capability,
    PriceItem,
    Supplier,
    Accreditation,
    Exclusion,
    LotMembership,
    CapabilityClaim,
    SupplierPrice,
    SupplierSearchDocument,
    User,
    AuditEvent,
)


@pytest.fixture
def seeded():
    report = demo.seed()
    db.session.expire_all()
    return report


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _framework(reference: str) -> Framework:
    return db.session.scalar(select(Framework).where(Framework.reference == reference))


def _supplier(legal_name: str) -> Supplier:
    return db.session.scalar(select(Supplier).where(Supplier.legal_name == legal_name))


def test_every_organisation_and_supplier_is_named_by_its_legal_body_with_a_demo_ppon_and_region(seeded):
    organisations = db.session.scalars(select(BuyerOrganisation)).all()
    by_name = {o.name: o for o in organisations}
    assert by_name["Surrey Police"].legal_name == "Police and Crime Commissioner for Surrey"
    assert by_name["Metropolitan Police Service"].legal_name == "Mayor's Office for Policing and Crime"
    assert by_name["Greater Manchester Police"].legal_name == "Mayor of Greater Manchester"
    assert by_name["Surrey Fire and Rescue Service"].legal_name == "Surrey County Council"
    assert by_name["Surrey Police"].itl_region == "TLJ"
    for party in [*organisations, *db.session.scalars(select(Supplier))]:
        assert party.itl_region in parties.ITL1_NAMES, party
        assert party.ppon.startswith("PDMO-"), party
        assert parties.identifier_problem(parties.Scheme.GB_PPON, party.ppon) is None
    ppons = [o.ppon for o in organisations] + list(db.session.scalars(select(Supplier.ppon)))
    assert len(set(ppons)) == len(ppons)
    softcat = db.session.scalar(select(Supplier).where(Supplier.legal_name == "Softcat plc"))
    assert [i.scheme.value for i in softcat.identifiers] == ["GB-PPON", "GB-COH"]
    assert softcat.companies_house_number == "02174990"


def test_every_police_force_and_other_buyers_are_created(seeded):
    police = db.session.scalars(select(BuyerOrganisation).where(BuyerOrganisation.organisation_type == "police")).all()
    names = {o.name for o in police}
    assert len(police) == 46
    assert {name for name, _ in POLICE_FORCES_ENGLAND_AND_WALES} <= names
    assert len(POLICE_FORCES_ENGLAND_AND_WALES) == 43
    assert {"Police Scotland", "Police Service of Northern Ireland", "British Transport Police"} <= names
    assert all(o.region for o in police)
    by_type = {
        kind: n
        for kind, n in db.session.execute(
            select(BuyerOrganisation.organisation_type, func.count()).group_by(BuyerOrganisation.organisation_type)
        )
    }
    assert by_type["fire"] >= 3 and by_type["ambulance"] >= 3 and by_type["local_authority"] >= 3
    secamb = "South East Coast Ambulance Service NHS Foundation Trust"
    assert db.session.scalar(select(BuyerOrganisation).where(BuyerOrganisation.name == secamb)).type_label


def test_frameworks_cover_both_regimes_with_derived_statuses(seeded):
    original, live, newer = _framework("PDS-SMME-2021"), _framework("PDS-SMME-2024"), _framework("PDS-DPCE-2025")
    assert (original.regime, live.regime, newer.regime) == ("pcr2015", "pcr2015", "pa2023")
    assert original.status_on(DEMO_TODAY) == term.FrameworkStatus.EXPIRED
    assert live.status_on(DEMO_TODAY) == term.FrameworkStatus.LIVE
    assert newer.status_on(DEMO_TODAY) == term.FrameworkStatus.LIVE
    # PCR 2015 applies to frameworks let before the Procurement Act 2023 commenced.
    assert live.start_on < date(2025, 2, 24) <= newer.start_on
    assert original.start_on.year == 2021 and original.current_end_on == date(2025, 11, 30)
    assert live.term_description == "2 years + 1 + 1"
    for fw in (original, live, newer):
        # Each runs exactly 2 years, then two 12-month options.
        assert term.add_months(fw.start_on, 24) - timedelta(days=1) == fw.initial_end_on
        assert [o.months for o in fw.extension_options] == [12, 12]


def test_live_framework_has_its_first_extension_exercised_by_staff(seeded):
    live = _framework("PDS-SMME-2024")
    first, second = live.extension_options
    assert first.exercised_at is not None and first.exercised_at.date() < DEMO_TODAY
    assert first.exercised_by.email == "staff@pds.example"
    assert second.exercised_at is None and second.exercised_by_id is None
    assert live.current_end_on == date(2027, 12, 1)
    assert all(o.exercised_at is not None for o in _framework("PDS-SMME-2021").extension_options)
    assert not any(o.exercised_at for o in _framework("PDS-DPCE-2025").extension_options)


def test_live_framework_is_live_on_the_machines_today_in_the_demo_period():
    with time_machine.travel(date(2026, 11, 22), tick=False):
        demo.seed()
        assert _framework("PDS-SMME-2024").status_on(today_london()) == term.FrameworkStatus.LIVE
        assert _framework("PDS-SMME-2021").status_on(today_london()) == term.FrameworkStatus.EXPIRED


def test_frameworks_have_both_lots_with_capabilities_and_price_items(seeded):
    for reference in ("PDS-SMME-2021", "PDS-SMME-2024"):
        fw = _framework(reference)
        assert [lot.title for lot in fw.lots] == [
            "Social media management platform",
            "24/7 digital contact and engagement service",
        ]
        lot1, lot2 = fw.lots
        names1, names2 = {c.name for c in lot1.capabilities}, {c.name for c in lot2.capabilities}
        assert "All corporate channels managed in one place" in names1
        assert "24/7 digital contact channel" in names2
        assert names1 & names2, "some capabilities belong to both lots"
        assert {i.name for i in lot1.price_items} >= {"User licence", "Onboarding and configuration"}
        assert {i.basis for i in lot2.price_items} == {"per_month", "one_off"}
    assert len(_framework("PDS-DPCE-2025").lots) == 2
    # Every demo lot carries the CPV code its call-offs' transparency notices are classified by.
    lots = [
        lot for reference in ("PDS-SMME-2021", "PDS-SMME-2024", "PDS-DPCE-2025") for lot in _framework(reference).lots
    ]
    assert all(cpv_problem(lot.cpv_code or "x") is None for lot in lots), [lot.cpv_code for lot in lots]


def test_orlo_softcat_and_fictional_suppliers_are_on_the_lots(seeded):
    orlo, softcat = _supplier("Orlo Limited"), _supplier("Softcat plc")
    assert (orlo.trading_name, orlo.sme) == ("Orlo", True)
    assert (softcat.trading_name, softcat.sme) == ("Softcat (in partnership with Salesforce)", False)
    original = _framework("PDS-SMME-2021")
    for supplier in (orlo, softcat):
        assert {m.lot.number for m in supplier.memberships if m.lot.framework_id == original.id} == {1, 2}
    fictional = [_supplier(s.legal_name) for s in FICTIONAL_SUPPLIERS]
    assert len(fictional) >= 4 and all(fictional)
    assert {s.sme for s in fictional} == {True, False}
    for supplier in db.session.scalars(select(Supplier)):
        assert len(supplier.companies_house_number) == 8
        assert supplier.contact_email.startswith("bids@") and supplier.contact_email.endswith(".example")
        assert supplier.website.startswith("https://") and supplier.memberships and supplier.claims
    pa2023 = _framework("PDS-DPCE-2025")
    assert {m.supplier.legal_name for lot in pa2023.lots for m in lot.memberships} & {"Orlo Limited", "Softcat plc"}


def test_one_suspension_with_reason_one_current_exclusion_and_an_expired_accreditation(seeded):
    suspended = db.session.scalars(select(LotMembership).where(LotMembership.status == "suspended")).all()
    assert len(suspended) == 1 and suspended[0].status_reason and suspended[0].status_changed_at
    current = [e for e in db.session.scalars(select(Exclusion)) if e.active_on(DEMO_TODAY)]
    assert len(current) == 1 and current[0].kind == "discretionary"
    assert current[0].supplier.legal_name not in ("Orlo Limited", "Softcat plc")
    assert current[0].supplier.excluded_on(DEMO_TODAY)
    expired = [a for a in db.session.scalars(select(Accreditation)) if not a.valid_on(DEMO_TODAY)]
    assert expired and {"ISO 27001", "Cyber Essentials Plus"} >= {a.scheme for a in expired}


def test_every_member_has_a_full_price_card_and_some_prices_changed(seeded):
    for membership in db.session.scalars(select(LotMembership)):
        start = membership.lot.framework.start_on
        priced = set(
            db.session.scalars(
                select(SupplierPrice.price_item_id).where(
                    SupplierPrice.supplier_id == membership.supplier_id, SupplierPrice.effective_from == start
                )
            )
        )
        assert {i.id for i in membership.lot.price_items} <= priced
    versions = db.session.execute(
        select(SupplierPrice.supplier_id, SupplierPrice.price_item_id, func.count())
        .group_by(SupplierPrice.supplier_id, SupplierPrice.price_item_id)
        .having(func.count() > 1)
    ).all()
    assert len(versions) >= 2, "price history shows what applied on a past date"


def test_claims_carry_evidence_only_for_the_supplier_lots(seeded):
    claims = db.session.scalars(select(CapabilityClaim)).all()
    assert len(claims) > 50
    for claim in claims:
        assert 2 <= claim.evidence.count(". ") + 1 <= 4, "two to four sentences of evidence"
        lots = {m.lot_id for m in claim.supplier.memberships}
        assert claim.capability.lot_id in lots


def test_every_demo_account_can_sign_in(seeded, auth):
    # One seed for all accounts keeps this quick; each sign-in goes through the real route.
    for account in DEMO_ACCOUNTS:
        response = auth.login(account.email, demo.DEMO_PASSWORD)
        assert response.status_code == 302, account.email
        assert response.headers["Location"].endswith("/dashboard")
        user = db.session.scalar(select(User).where(User.email == account.email))
        assert (user.role, user.name) == (account.role, account.name)
        auth.logout()


def test_all_demo_accounts_share_one_password_hash(seeded):
    hashes = set(db.session.scalars(select(User.password_hash)))
    assert len(hashes) == 1


def test_demo_account_lines_list_accounts_in_order_with_role_and_party(seeded):
    lines = demo.demo_account_lines()
    assert [line.split()[0] for line in lines] == [a.email for a in DEMO_ACCOUNTS]
    assert lines[0].endswith("Framework staff, PDS framework team")
    assert lines[1].endswith("Buyer, Surrey Police")
    assert "Approver, Surrey Police" in lines[2]
    assert lines[6].endswith("Buyer, Northumbria Police")
    assert lines[7].endswith("Supplier user, Orlo")


def test_seeding_twice_creates_nothing_new(seeded):
    before = {model.__name__: _count(model) for model in SEEDED_MODELS}
    report = demo.seed()
    after = {model.__name__: _count(model) for model in SEEDED_MODELS}
    assert after == before
    assert report == "Demo data already loaded: nothing new created."
    assert seeded.startswith("Demo data loaded: 67 buyer organisations, 3 frameworks")


def test_seeding_fills_in_what_is_missing(seeded):
    # Harbourline (excluded) takes part in no demo competition, so its account is referenced by no
    # audit event and can be deleted; the others' accounts are actors in the call-off history.
    harbourline_user = db.session.scalar(select(User).where(User.email == "bids@harbourline.example"))
    db.session.delete(harbourline_user)
    db.session.commit()
    report = demo.seed()
    assert report == "Demo data loaded: 1 demo account."
    assert db.session.scalar(select(User).where(User.email == "bids@harbourline.example")).supplier.legal_name == (
        "Harbourline Communications Ltd"
    )


def test_audit_chain_verifies_and_records_every_kind_and_account(seeded):
    assert audit.verify().intact
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "demo.seeded")).all()
    summaries = {(e.object_type, e.object_id) for e in events}
    for kind in ("buyer_organisation", "framework", "lot", "capability", "supplier", "supplier_price", "user"):
        assert (kind, "demo") in summaries
    user_ids = {str(u.id) for u in db.session.scalars(select(User))}
    assert user_ids <= {e.object_id for e in events if e.object_type == "user"}
    assert all(e.actor_label == "system" for e in events)


def test_every_supplier_has_a_search_document_with_its_evidence(seeded):
    for supplier in db.session.scalars(select(Supplier)):
        doc = db.session.get(SupplierSearchDocument, supplier.id)
        assert doc is not None and supplier.legal_name in doc.body
        assert supplier.claims[0].evidence in doc.body


def test_seed_demo_command_and_if_empty(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "Demo data loaded" in first.output
    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert "demo data not loaded" in again.output
    listing = runner.invoke(args=["demo-accounts"])
    assert "password for all: demo-portal-password" in listing.output
    assert "bids@tidewater.example" in listing.output


def test_seed_demo_refuses_to_run_in_production(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "ENVIRONMENT", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 1 and "refuses to run when PORTAL_ENV=production" in result.output
    assert db.session.scalar(select(func.count(Framework.id))) == 0


def test_seed_demo_prints_one_line_about_its_emails_not_each_email(runner, caplog):
    import logging

    from portal.models import OutboxMessage
    from portal.services import mail

    with caplog.at_level(logging.INFO, logger="portal.services.mail"):
        result = runner.invoke(args=["seed-demo"])
    queued = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert result.exit_code == 0 and queued > 0  # the e-mails are all kept in the outbox
    assert f"Seeded demo data: {queued} e-mails queued in the outbox (read them at /admin/outbox)." in result.output
    assert not [r for r in caplog.records if r.name == "portal.services.mail"]
    # Outside the seed, an e-mail kept in the outbox is still logged for the developer.
    with caplog.at_level(logging.INFO, logger="portal.services.mail"):
        mail.send("someone@example.com", "Hello", "Body text")
    assert any("Body text" in r.getMessage() for r in caplog.records if r.name == "portal.services.mail")
