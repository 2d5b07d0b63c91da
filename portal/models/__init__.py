"""Typed SQLAlchemy 2 models, one module per area."""

from portal.models.audit import AuditEvent, OutboxMessage, SupplierChangeReview
from portal.models.audit_head import AuditChainHead
from portal.models.framework import Capability, ExtensionOption, Framework, FrameworkBuyerType, Lot, PriceItem
from portal.models.organisation import BuyerOrganisation
from portal.models.search import SupplierSearchDocument
from portal.models.supplier import (
    Accreditation,
    CapabilityClaim,
    Exclusion,
    LotMembership,
    Supplier,
    SupplierPrice,
)
from portal.models.user import LoginAttempt, User

__all__ = [
    "Accreditation",
    "AuditChainHead",
    "AuditEvent",
    "BuyerOrganisation",
    "Capability",
    "CapabilityClaim",
    "Exclusion",
    "ExtensionOption",
    "Framework",
    "FrameworkBuyerType",
    "LoginAttempt",
    "Lot",
    "LotMembership",
    "OutboxMessage",
    "PriceItem",
    "Supplier",
    "SupplierChangeReview",
    "SupplierPrice",
    "SupplierSearchDocument",
    "User",
]
