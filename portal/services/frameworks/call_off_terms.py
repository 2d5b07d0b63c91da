"""Framework staff maintain each framework's call-off terms: the contract text every call-off contract carries.

The text is checked by portal/domain/call_off_terms.py (known placeholders only, balanced braces) before it is
saved, and the change is audited with the text before and after. Contracts already issued keep the terms they
were issued with; the next contract generated for an unsigned call-off carries the new terms as a new version.
"""

from __future__ import annotations

from portal.domain import call_off_terms as terms
from portal.extensions import db
from portal.models import Framework, User
from portal.services import audit
from portal.services.errors import ValidationError
from portal.services.permissions import require_staff

MAX_LENGTH = 100_000


def save(actor: User, framework: Framework, text: str) -> bool:
    """Check and save the terms; False if they were unchanged (nothing is recorded then)."""
    require_staff(actor, "change frameworks")
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError("Enter the call-off terms", field="call_off_terms")
    if len(text) > MAX_LENGTH:
        raise ValidationError(f"Call-off terms must be {MAX_LENGTH:,} characters or fewer", field="call_off_terms")
    found = terms.problems(text)
    if found:
        raise ValidationError(terms.describe(found), field="call_off_terms")
    before = framework.call_off_terms or ""
    if text == before:
        return False
    framework.call_off_terms = text
    audit.record(
        actor,
        "framework.call_off_terms_changed",
        "framework",
        framework.id,
        summary=f"Call-off terms of {framework.reference} changed",
        before={"call_off_terms": before},
        after={"call_off_terms": text},
    )
    db.session.commit()
    return True
