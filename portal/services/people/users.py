"""Finding, inviting, deactivating and reactivating user accounts, and changing what a user is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from portal.domain.roles import BUYER_SIDE, Role
from portal.extensions import db
from portal.models import BuyerOrganisation, Supplier, User
from portal.services import audit
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.people import accounts, sessions
from portal.services.permissions import require_staff

USER_AUDIT_FIELDS = ("email", "name", "job_title", "role", "buyer_organisation_id", "supplier_id", "active")
JOB_TITLE_MAX = 200


def _check_inviter(actor: User, role: Role, organisation_id: int | None, supplier_id: int | None) -> None:
    """Staff may invite anyone; a supplier user may invite colleagues to its own supplier only."""
    if actor.is_staff:
        return
    if actor.is_supplier and role is Role.SUPPLIER and supplier_id == actor.supplier_id:
        return
    raise PermissionDeniedError("You cannot invite this user.")


def _party_for(role: Role, organisation_id: int | None, supplier_id: int | None) -> tuple[int | None, int | None]:
    """The (organisation, supplier) pair a user of this role belongs to; refuses a missing or unknown one."""
    if role in BUYER_SIDE:
        if organisation_id is None or db.session.get(BuyerOrganisation, organisation_id) is None:
            raise ValidationError("Select the user's buyer organisation", field="organisation_id")
        return organisation_id, None
    if role is Role.SUPPLIER:
        if supplier_id is None or db.session.get(Supplier, supplier_id) is None:
            raise ValidationError("Select the user's supplier", field="supplier_id")
        return None, supplier_id
    return None, None


def invite_user(
    actor: User,
    *,
    email: str,
    name: str,
    role: Role | str,
    organisation_id: int | None = None,
    supplier_id: int | None = None,
    job_title: str = "",
) -> User:
    role = Role(role)
    email = email.strip().lower()
    _check_inviter(actor, role, organisation_id, supplier_id)
    if not name or not name.strip():
        raise ValidationError("Enter the user's full name", field="name")
    if not email:
        raise ValidationError("Enter the user's email address", field="email")
    if db.session.scalar(select(func.count(User.id)).where(User.email == email)):
        raise ConflictError("A user with this email address already exists", field="email")
    organisation_id, supplier_id = _party_for(role, organisation_id, supplier_id)
    user = User(
        email=email,
        name=name.strip(),
        job_title=_job_title(job_title),
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


def invite_colleague(actor: User, *, email: str, name: str) -> str:
    """A supplier user invites a colleague to their own supplier; returns the address the page confirms.

    An address that already has an account elsewhere (another supplier, a buyer, framework staff) is answered exactly
    like a new one, so inviting never reveals who else uses the portal: its owner is told someone tried to invite
    them, and nothing changes. Only an address already at the inviter's own supplier, which their colleagues page
    lists anyway, is refused."""
    if not actor.is_supplier or actor.supplier_id is None:
        raise PermissionDeniedError("You cannot invite this user.")
    if not name or not name.strip():
        raise ValidationError("Enter the user's full name", field="name")
    address = email.strip().lower()
    existing = db.session.scalar(select(User).where(User.email == address))
    if existing is None:
        return invite_user(actor, email=address, name=name, role=Role.SUPPLIER, supplier_id=actor.supplier_id).email
    if existing.supplier_id == actor.supplier_id:
        raise ConflictError(f"{address} is already a colleague at your supplier", field="email")
    accounts.send_existing_account_notice(existing, actor)
    audit.record(
        actor,
        "user.invitation_not_sent",
        "user",
        existing.id,
        summary=f"{actor.email} tried to invite {address}, who already has an account; they were told",
    )
    db.session.commit()
    return address


def _job_title(value: str | None) -> str:
    title = " ".join((value or "").split())
    if len(title) > JOB_TITLE_MAX:
        raise ValidationError(f"Job title must be {JOB_TITLE_MAX} characters or fewer", field="job_title")
    return title


def set_job_title(actor: User, user: User, job_title: str | None) -> bool:
    """The job title letters name when this user signs them (an approver) or is the contact; False if unchanged."""
    require_staff(actor, "change a user's job title")
    before = audit.snapshot(user, ("job_title",))
    user.job_title = _job_title(job_title)
    old, new = audit.changed(before, audit.snapshot(user, ("job_title",)))
    if not new:
        return False
    audit.record(
        actor,
        "user.job_title_changed",
        "user",
        user.id,
        summary=f"{user.email}'s job title is now {user.job_title or 'not recorded'}",
        before=old,
        after=new,
    )
    db.session.commit()
    return True


def resend_invitation(actor: User, user: User) -> None:
    if not actor.is_staff and not (actor.is_supplier and user.supplier_id == actor.supplier_id):
        raise PermissionDeniedError("You cannot manage this user.")
    if user.has_password:
        raise ConflictError("This user has already set a password; send a password reset link instead.")
    accounts.send_invitation(user, actor)
    audit.record(actor, "user.invitation_resent", "user", user.id, summary=f"Invitation resent to {user.email}")
    db.session.commit()


def set_active(actor: User, user: User, active: bool) -> None:
    require_staff(actor, "deactivate or reactivate users")
    if user.id == actor.id and not active:
        raise ConflictError("You cannot deactivate your own account.")
    if user.active == active:
        return
    before = audit.snapshot(user, ("active",))
    user.active = active
    sessions.end_all(user, "reactivated" if active else "deactivated")
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


def change_role(
    actor: User,
    user: User,
    *,
    role: Role | str,
    organisation_id: int | None = None,
    supplier_id: int | None = None,
) -> bool:
    """Move a user to another role or party; False when nothing changed.

    Ends the user's sessions: what they may see depends on who they work for.
    """
    require_staff(actor, "change a user's role")
    try:
        role = Role(role)
    except ValueError as exc:
        raise ValidationError("Select the user's role", field="role") from exc
    if user.id == actor.id:
        raise ConflictError("You cannot change your own role.", field="role")
    organisation_id, supplier_id = _party_for(role, organisation_id, supplier_id)
    before = audit.snapshot(user, ("role", "buyer_organisation_id", "supplier_id"))
    user.role, user.buyer_organisation_id, user.supplier_id = role.value, organisation_id, supplier_id
    old, new = audit.changed(before, audit.snapshot(user, ("role", "buyer_organisation_id", "supplier_id")))
    if not new:
        return False
    sessions.end_all(user, "role")
    db.session.flush()
    db.session.expire(user, ["buyer_organisation", "supplier"])
    audit.record(
        actor,
        "user.role_changed",
        "user",
        user.id,
        summary=f"{user.email} is now {role.label.lower()} for {user.party_name}",
        before=old,
        after=new,
    )
    db.session.commit()
    return True


# --- finding users -------------------------------------------------------------------------


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFoundError("No such user.")
    return user


@dataclass(frozen=True)
class UserQuery:
    role: str = ""
    organisation_id: int | None = None
    supplier_id: int | None = None
    active: bool | None = None
    search: str = ""


def search_users(query: UserQuery, page: int = 1, per_page: int = 25):
    """Users matching every given filter, by name; a Flask-SQLAlchemy pagination."""
    stmt = select(User).order_by(func.lower(User.name), User.id)
    if query.role:
        stmt = stmt.where(User.role == query.role)
    if query.organisation_id is not None:
        stmt = stmt.where(User.buyer_organisation_id == query.organisation_id)
    if query.supplier_id is not None:
        stmt = stmt.where(User.supplier_id == query.supplier_id)
    if query.active is not None:
        stmt = stmt.where(User.active.is_(query.active))
    text = query.search.strip()
    if text:
        stmt = stmt.where(
            or_(User.name.icontains(text, autoescape=True), User.email.icontains(text.lower(), autoescape=True))
        )
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False, count=True)


def supplier_choices() -> list[tuple[int, str]]:
    suppliers = db.session.scalars(select(Supplier).order_by(func.lower(Supplier.legal_name))).all()
    return [(s.id, s.display_name) for s in suppliers]
