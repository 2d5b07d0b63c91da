"""People who sign in, and the record of sign-in attempts used for throttling."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import BigInteger, Boolean, CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.domain.roles import BUYER_SIDE, PROCUREMENT_OFFICERS, Role
from portal.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from portal.models.organisation import BuyerOrganisation
    from portal.models.supplier import Supplier


class User(UserMixin, Model):
    __tablename__ = "user_account"
    __table_args__ = (
        # Every route's access rule names these roles; any other role would reach nothing.
        CheckConstraint("role IN ('staff', 'buyer', 'approver', 'evaluator', 'supplier')", name="known_role"),
        # Buyer-side users belong to exactly one buyer organisation, supplier users to exactly one
        # supplier and framework staff to neither: every visibility rule depends on this.
        CheckConstraint(
            "(role = 'staff' AND buyer_organisation_id IS NULL AND supplier_id IS NULL)"
            " OR (role IN ('buyer', 'approver', 'evaluator') AND buyer_organisation_id IS NOT NULL"
            " AND supplier_id IS NULL)"
            " OR (role = 'supplier' AND supplier_id IS NOT NULL AND buyer_organisation_id IS NULL)",
            name="belongs_to_one_party",
        ),
        # Sign-in looks addresses up lower-cased, so a stored capital would lock its owner out.
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        # Counts failed sign-ins towards the lock-out: up by one per failure, back to 0 on success or lock.
        CheckConstraint("failed_login_count >= 0", name="failures_not_negative"),
        # Two-factor sign-in is on exactly when an authenticator's secret is held: one without the other would either
        # ask for codes nobody can produce or hold a secret that protects nothing.
        CheckConstraint("(mfa_enabled_at IS NULL) = (mfa_secret IS NULL)", name="mfa_on_with_secret"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The address is the sign-in name and where reset links go, so it identifies one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # As letters sign off ("Head of Procurement"); empty for those who sign nothing.
    job_title: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    buyer_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("buyer_organisation.id"), index=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Bumped on password change, deactivation or a change of role so that emailed links stop working.
    session_version: Mapped[int] = mapped_column(default=1)
    # Two-factor sign-in (RFC 6238): the authenticator's secret, encrypted (portal/services/people/secret_box.py);
    # one being set up, until its first code is confirmed; when it was turned on; the last time step accepted, so a
    # code is used once.
    mfa_secret: Mapped[str | None] = mapped_column(String(255))
    mfa_pending_secret: Mapped[str | None] = mapped_column(String(255))
    mfa_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    mfa_last_step: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    buyer_organisation: Mapped[BuyerOrganisation | None] = relationship()
    supplier: Mapped[Supplier | None] = relationship()

    if TYPE_CHECKING:
        # The server-side session this request is signed in under (portal/services/people/sessions.py), set on the
        # instance by that module; not a column, so declared for the type checker only.
        signed_in_session_id: str | None

    def get_id(self) -> str:
        """What Flask-Login keeps in the cookie: the session's random id, never the user's."""
        session_id = getattr(self, "signed_in_session_id", None)
        if not session_id:
            raise RuntimeError("sign a user in through portal.services.people.sessions, which starts their session")
        return str(session_id)

    # Flask-Login's mixin compares users by get_id(), which is now a session's id: compare the accounts instead.
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, User):
            return NotImplemented
        return self is other or (self.id is not None and self.id == other.id)

    __hash__ = object.__hash__

    @property
    def mfa_enabled(self) -> bool:
        return self.mfa_enabled_at is not None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_staff(self) -> bool:
        return self.role == Role.STAFF

    @property
    def is_buyer_side(self) -> bool:
        return self.role in BUYER_SIDE

    @property
    def is_procurement_officer(self) -> bool:
        return self.role in PROCUREMENT_OFFICERS

    @property
    def is_supplier(self) -> bool:
        return self.role == Role.SUPPLIER

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    @property
    def party_name(self) -> str:
        if self.buyer_organisation is not None:
            return self.buyer_organisation.name
        if self.supplier is not None:
            return self.supplier.short_name
        return "Framework staff"


class LoginAttempt(Model):
    """Every sign-in attempt (a password or a security code) and every forgot-password request, for throttling."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_address_at", "address", "attempted_at"),
        Index("ix_login_attempt_email_at", "email", "attempted_at"),
        # Throttles count attempts of one kind: a password, a two-factor code, or a forgot-password request.
        CheckConstraint("kind IN ('password', 'code', 'reset')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10), default="password")
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
