"""Generate a catalogue at G-Cloud scale for benchmarks: one framework, its lots and thousands of suppliers.

Defaults: 5,000 suppliers and 40,000 capability claims whose evidence reads like real bids for
social media management, policing and digital engagement, so full-text queries have realistic
selectivity (common words hit thousands of documents, rare ones a handful). It also writes lot
memberships (some suspended or removed), accreditations (some expired), exclusions, price cards and
one search document per supplier, built with `portal.services.search_index.document_body` so the
database's own full-text index fills exactly as it does in the application.

Rows go in with SQLAlchemy Core executemany inserts in batches; building 100,000-odd rows through
the ORM would take minutes. Use it from bench/catalogue_search.py, or directly:

    from bench.generate_catalogue import generate
    with app.app_context():
        summary = generate(db.engine, suppliers=5000, claims=40000)
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, insert, select, text

from bench.catalogue_vocabulary import (
    CHANNELS,
    DESCRIPTION_TEMPLATES,
    EVIDENCE_TEMPLATES,
    FEATURES,
    LOTS,
    NAME_FIRST,
    NAME_SECOND,
    NAME_SUFFIX,
    OUTCOMES,
    PEOPLE,
    POLICING,
    PRICE_ITEMS,
    RARE,
)
from portal.domain.suppliers import ACCREDITATION_SCHEMES
from portal.models import (
    Accreditation,
    Capability,
    CapabilityClaim,
    Exclusion,
    Framework,
    FrameworkBuyerType,
    Lot,
    LotMembership,
    PriceItem,
    Supplier,
    SupplierPrice,
    SupplierSearchDocument,
)
from portal.services.catalogue.search_index import document_body

BATCH = 2000

STATUS_REASONS = {"suspended": "Insurance certificate lapsed", "removed": "Withdrew from the lot"}


@dataclass
class GeneratedCatalogue:
    framework_id: int
    lot_ids: list[int]
    capability_ids_by_lot: dict[int, list[int]]
    schemes: list[str]
    suppliers: int
    claims: int


def _fill(template: str, rng: random.Random, **extra) -> str:
    people = rng.choice(PEOPLE)
    values = {
        "channel": rng.choice(CHANNELS),
        "channel2": rng.choice(CHANNELS),
        "policing": rng.choice(POLICING),
        "feature": rng.choice(FEATURES),
        "feature2": rng.choice(FEATURES),
        "people": people,
        "people_cap": people[0].upper() + people[1:],
        "outcome": rng.choice(OUTCOMES),
        "rare": rng.choice(RARE),
        **extra,
    }
    return template.format(**values)


def _evidence(rng: random.Random) -> str:
    return " ".join(_fill(rng.choice(EVIDENCE_TEMPLATES), rng) for _ in range(rng.randint(1, 3)))


def _next_id(conn, model) -> int:
    return (conn.scalar(select(func.max(model.id))) or 0) + 1


def _insert(conn, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        conn.execute(insert(model), rows[start : start + BATCH])


def generate(engine: Engine, suppliers: int = 5000, claims: int = 40000, seed: int = 20210601) -> GeneratedCatalogue:
    """Insert a framework with 8 lots and `suppliers` suppliers making `claims` claims; commit; summarise."""
    rng = random.Random(seed)
    today = date.today()
    now = datetime.now(UTC)
    with engine.begin() as conn:
        fw_id = _next_id(conn, Framework)
        _insert(
            conn,
            Framework,
            [
                {
                    "id": fw_id,
                    "reference": f"BENCH-{fw_id:04d}",
                    "name": "Digital Engagement and Social Media (benchmark)",
                    "description": "Generated for benchmarks.",
                    "regime": "pa2023",
                    "start_on": today - timedelta(days=365),
                    "initial_end_on": today + timedelta(days=730),
                    "max_call_off_months": 36,
                    "min_bid_period_days": 10,
                    "bank_holiday_region": "england-and-wales",
                    "created_at": now,
                }
            ],
        )
        _insert(conn, FrameworkBuyerType, [{"framework_id": fw_id, "organisation_type": t} for t in ("police", "fire")])
        lot_id, cap_id, item_id = _next_id(conn, Lot), _next_id(conn, Capability), _next_id(conn, PriceItem)
        lots, caps, items, caps_by_lot, items_by_lot = [], [], [], {}, {}
        for number, (title, cap_names) in enumerate(LOTS.items(), start=1):
            lots.append({"id": lot_id, "framework_id": fw_id, "number": number, "title": title, "description": ""})
            caps_by_lot[lot_id] = list(range(cap_id, cap_id + len(cap_names)))
            caps += [
                {"id": cap_id + i, "lot_id": lot_id, "name": n, "description": "", "position": i}
                for i, n in enumerate(cap_names)
            ]
            items_by_lot[lot_id] = list(range(item_id, item_id + len(PRICE_ITEMS)))
            items += [
                {"id": item_id + i, "lot_id": lot_id, "name": n, "unit": u, "basis": b, "position": i}
                for i, (n, u, b) in enumerate(PRICE_ITEMS)
            ]
            lot_id, cap_id, item_id = lot_id + 1, cap_id + len(cap_names), item_id + len(PRICE_ITEMS)
        _insert(conn, Lot, lots)
        _insert(conn, Capability, caps)
        _insert(conn, PriceItem, items)
        supplier_rows = _suppliers(conn, rng, suppliers, now)
        _insert(conn, Supplier, supplier_rows)
        memberships = _memberships(rng, supplier_rows, list(caps_by_lot), today)
        _insert(conn, LotMembership, memberships)
        claim_rows = _claims(conn, rng, memberships, caps_by_lot, claims, now)
        _insert(conn, CapabilityClaim, claim_rows)
        _insert(conn, Accreditation, _accreditations(rng, supplier_rows, today))
        _insert(conn, Exclusion, _exclusions(rng, supplier_rows, today, now))
        _insert(conn, SupplierPrice, _prices(rng, memberships, items_by_lot, today, now))
        _insert(conn, SupplierSearchDocument, _documents(supplier_rows, claim_rows))
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)
    return GeneratedCatalogue(
        fw_id, list(caps_by_lot), caps_by_lot, list(ACCREDITATION_SCHEMES), len(supplier_rows), len(claim_rows)
    )


def _suppliers(conn, rng: random.Random, count: int, now: datetime) -> list[dict]:
    combos = [(a, b, c) for a in NAME_FIRST for b in NAME_SECOND for c in NAME_SUFFIX]
    rng.shuffle(combos)
    first_id = _next_id(conn, Supplier)
    rows = []
    for n in range(count):
        a, b, suffix = combos[n % len(combos)]
        repeat = n // len(combos)
        trading = f"{a} {b}" + (f" {repeat + 1}" if repeat else "")
        description = " ".join(
            _fill(rng.choice(DESCRIPTION_TEMPLATES), rng, name=trading) for _ in range(rng.randint(1, 2))
        )
        rows.append(
            {
                "id": first_id + n,
                "legal_name": f"{trading} {suffix}",
                "trading_name": trading,
                "companies_house_number": f"{(first_id + n) % 100_000_000:08d}",
                "registered_address": "1 High Street\nLondon",
                "sme": rng.random() < 0.7,
                "contact_email": f"bids{first_id + n}@supplier.example",
                "website": f"https://supplier{first_id + n}.example",
                "description": description,
                "created_at": now,
                "updated_at": now,
            }
        )
    return rows


def _memberships(rng: random.Random, suppliers: list[dict], lot_ids: list[int], today: date) -> list[dict]:
    rows = []
    for s in suppliers:
        for lot in rng.sample(lot_ids, rng.choices([1, 2, 3], weights=[3, 5, 2])[0]):
            status = rng.choices(["active", "suspended", "removed"], weights=[94, 4, 2])[0]
            rows.append(
                {
                    "supplier_id": s["id"],
                    "lot_id": lot,
                    "joined_on": today - timedelta(days=300),
                    "left_on": today - timedelta(days=10) if status == "removed" else None,
                    "status": status,
                    "status_reason": STATUS_REASONS.get(status, ""),
                    "status_changed_at": None,
                }
            )
    return rows


def _claims(conn, rng, memberships, caps_by_lot, count: int, now: datetime) -> list[dict]:
    pairs = [(m["supplier_id"], c) for m in memberships for c in caps_by_lot[m["lot_id"]]]
    rng.shuffle(pairs)
    first_id = _next_id(conn, CapabilityClaim)
    chosen = sorted(pairs[:count])
    return [
        {"id": first_id + i, "supplier_id": s, "capability_id": c, "evidence": _evidence(rng), "updated_at": now}
        for i, (s, c) in enumerate(chosen)
    ]


def _accreditations(rng: random.Random, suppliers: list[dict], today: date) -> list[dict]:
    rows = []
    for s in suppliers:
        for scheme in rng.sample(ACCREDITATION_SCHEMES, rng.randint(0, 4)):
            expired = rng.random() < 0.2
            expires = today + timedelta(days=-rng.randint(1, 400) if expired else rng.randint(1, 900))
            rows.append(
                {
                    "supplier_id": s["id"],
                    "scheme": scheme,
                    "certificate_reference": f"C-{s['id']}",
                    "awarded_on": expires - timedelta(days=1095),
                    "expires_on": expires,
                }
            )
    return rows


def _exclusions(rng: random.Random, suppliers: list[dict], today: date, now: datetime) -> list[dict]:
    return [
        {
            "supplier_id": s["id"],
            "ground": "Professional misconduct",
            "kind": "discretionary",
            "starts_on": today - timedelta(days=30),
            "ends_on": today + timedelta(days=700),
            "recorded_at": now,
            "recorded_by_id": None,
        }
        for s in suppliers
        if rng.random() < 0.01
    ]


def _prices(rng, memberships, items_by_lot, today: date, now: datetime) -> list[dict]:
    rows = []
    for m in memberships:
        for item in items_by_lot[m["lot_id"]]:
            pence = rng.randint(500, 150_000)
            rows.append(
                {
                    "supplier_id": m["supplier_id"],
                    "price_item_id": item,
                    "unit_price_pence": pence,
                    "effective_from": today - timedelta(days=300),
                    "created_at": now,
                    "created_by_id": None,
                }
            )
            if rng.random() < 0.3:  # a later price rise: "today's price" must pick the newer version
                rows.append(
                    {
                        "supplier_id": m["supplier_id"],
                        "price_item_id": item,
                        "unit_price_pence": pence * 105 // 100,
                        "effective_from": today - timedelta(days=30),
                        "created_at": now,
                        "created_by_id": None,
                    }
                )
    return rows


def _documents(suppliers: list[dict], claims: list[dict]) -> list[dict]:
    evidence: dict[int, list[str]] = {}
    for c in claims:  # already in claim id order, as reindex_supplier reads them
        evidence.setdefault(c["supplier_id"], []).append(c["evidence"])
    rows = []
    for s in suppliers:
        shape = Supplier(legal_name=s["legal_name"], trading_name=s["trading_name"], description=s["description"])
        rows.append({"supplier_id": s["id"], "body": document_body(shape, evidence.get(s["id"], []))})
    return rows


def _reset_sequences(conn) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them on so later inserts do not collide."""
    for table in ("framework", "lot", "capability", "price_item", "supplier", "capability_claim"):
        sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
        conn.execute(text(sql))  # table names are the fixed ones above
