"""Creating, inviting, deactivating and reactivating user accounts."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.domain.roles import BUYER_SIDE, Role
from portal.extensions import db
from portal.models import BuyerOrganisation, Supplier, User
from portal.services import accounts, audit
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError

USER_AUDIT_FIELDS = ("email", "name", "role", "buyer_organisation_id", "supplier_id", "active")


def _check_inviter(actor: User, role: Role, organisation_id: int | None, supplier_id: int | None) -> None:
    """Staff may invite anyone; a supplier user may invite colleagues to its own supplier only."""
    if actor.is_staff:
        return
    if actor.is_supplier and role is Role.SUPPLIER and supplier_id == actor.supplier_id:
        return
    raise PermissionDeniedError("You cannot invite this user.")


def invite_user(
    actor: User,
    *,
    email: str,
    name: str,
    role: Role | str,
    organisation_id: int | None = None,
    supplier_id: int | None = None,
) -> User:
    role = Role(role)
    email = email.strip().lower()
    _check_inviter(actor, role, organisation_id, supplier_id)
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise ConflictError("A user with this email address already exists", field="email")
    if role in BUYER_SIDE:
        if organisation_id is None or db.session.get(BuyerOrganisation, organisation_id) is None:
            raise ValidationError("Select the user's buyer organisation", field="organisation_id")
        supplier_id = None
    elif role is Role.SUPPLIER:
        if supplier_id is None or db.session.get(Supplier, supplier_id) is None:
            raise ValidationError("Select the user's supplier", field="supplier_id")
        organisation_id = None
    else:
        organisation_id = supplier_id = None
    user = User(
        email=email,
        name=name.strip(),
        role=role.value,
        buyer_organisation_id=organisation_id,
        supplier_id=supplier_id,
        password_hash=None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record(
        actor,
        "user.invited",
        "user",
        user.id,
        summary=f"{email} invited as {role.label.lower()}",
        after=audit.snapshot(user, USER_AUDIT_FIELDS),
    )
    accounts.send_invitation(user, actor)
    db.session.commit()
    return user


def resend_invitation(actor: User, user: User) -> None:
    if not actor.is_staff and not (actor.is_supplier and user.supplier_id == actor.supplier_id):
        raise PermissionDeniedError("You cannot manage this user.")
    if user.has_password:
        raise ConflictError("This user has already set a password; send a password reset link instead.")
    accounts.send_invitation(user, actor)
    audit.record(actor, "user.invitation_resent", "user", user.id, summary=f"Invitation resent to {user.email}")
    db.session.commit()


def set_active(actor: User, user: User, active: bool) -> None:
    if not actor.is_staff:
        raise PermissionDeniedError("Only framework staff can deactivate or reactivate users.")
    if user.id == actor.id and not active:
        raise ConflictError("You cannot deactivate your own account.")
    if user.active == active:
        return
    before = audit.snapshot(user, ("active",))
    user.active = active
    # Ends every session the user has open.
    user.session_version += 1
    audit.record(
        actor,
        "user.reactivated" if active else "user.deactivated",
        "user",
        user.id,
        summary=f"{user.email} {'reactivated' if active else 'deactivated'}",
        before=before,
        after=audit.snapshot(user, ("active",)),
    )
    db.session.commit()
