"""Typed SQLAlchemy 2 models, one module per area."""

from portal.models.approval_step import ApprovalStep
from portal.models.audit import AuditEvent, OutboxMessage, SupplierChangeReview
from portal.models.audit_head import AuditChainHead
from portal.models.award_criteria import AwardCriterion, AwardCriterionGroup
from portal.models.bid import Bid, BidAnswer, BidAttachment, BidPrice, BidSubmission, PriceExplanation, StoredFile
from portal.models.catalogue_version import CatalogueVersion
from portal.models.competition import (
    Clarification,
    Competition,
    CompetitionCriterion,
    CompetitionRequiredCapability,
    DeadlineExtension,
    Invitation,
    PriceScheduleLine,
    ScoreDescriptor,
)
from portal.models.contract import CallOffContract
from portal.models.data_protection import DataProtectionSchedule
from portal.models.direct_award import (
    DirectAward,
    DirectAwardAccreditation,
    DirectAwardCapability,
    DirectAwardQuantity,
    Shortlist,
)
from portal.models.document import CallOffKpi, ContractSignature, Document, DocumentJob
from portal.models.evaluation import (
    CompetitionEvaluator,
    ConflictDeclaration,
    EvaluatorAssignment,
    ModeratedScore,
    Score,
)
from portal.models.framework import Capability, ExtensionOption, Framework, FrameworkBuyerType, Lot, PriceItem
from portal.models.notice import TransparencyNotice
from portal.models.notification import Notification, NotificationOptOut, SentReminder
from portal.models.organisation import BuyerOrganisation
from portal.models.seal_key import CompetitionDataKey
from portal.models.search import SupplierSearchDocument
from portal.models.supplier import (
    Accreditation,
    CapabilityClaim,
    Exclusion,
    LotMembership,
    Supplier,
    SupplierPrice,
)
from portal.models.tender_document import TenderDocument, TenderDocumentVersion
from portal.models.user import LoginAttempt, User
from portal.models.user_session import KeptAnswer, RecoveryCode, UserSession

__all__ = [
    "Accreditation",
    "ApprovalStep",
    "AuditChainHead",
    "AuditEvent",
    "AwardCriterion",
    "AwardCriterionGroup",
    "Bid",
    "BidAnswer",
    "BidAttachment",
    "BidPrice",
    "BidSubmission",
    "BuyerOrganisation",
    "CallOffContract",
    "CallOffKpi",
    "Capability",
    "CapabilityClaim",
    "CatalogueVersion",
    "Clarification",
    "Competition",
    "CompetitionCriterion",
    "CompetitionDataKey",
    "CompetitionEvaluator",
    "CompetitionRequiredCapability",
    "ConflictDeclaration",
    "ContractSignature",
    "DataProtectionSchedule",
    "DeadlineExtension",
    "DirectAward",
    "DirectAwardAccreditation",
    "DirectAwardCapability",
    "DirectAwardQuantity",
    "Document",
    "DocumentJob",
    "EvaluatorAssignment",
    "Exclusion",
    "ExtensionOption",
    "Framework",
    "FrameworkBuyerType",
    "Invitation",
    "KeptAnswer",
    "LoginAttempt",
    "Lot",
    "LotMembership",
    "ModeratedScore",
    "Notification",
    "NotificationOptOut",
    "OutboxMessage",
    "PriceExplanation",
    "PriceItem",
    "PriceScheduleLine",
    "RecoveryCode",
    "Score",
    "ScoreDescriptor",
    "SentReminder",
    "Shortlist",
    "StoredFile",
    "Supplier",
    "SupplierChangeReview",
    "SupplierPrice",
    "SupplierSearchDocument",
    "TenderDocument",
    "TenderDocumentVersion",
    "TransparencyNotice",
    "User",
    "UserSession",
]
