"""Password policy (NCSC guidance: length over complexity rules)."""

from __future__ import annotations

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

# The most common long passwords; NCSC advises blocking the obvious ones.
_BLOCKED = {
    "passwordpassword",
    "password1234",
    "123456789012",
    "qwertyuiopas",
    "changemechangeme",
    "letmeinletmein",
}


def password_problem(password: str, email: str = "") -> str | None:
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Password must be {MIN_PASSWORD_LENGTH} characters or more"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"Password must be {MAX_PASSWORD_LENGTH} characters or fewer"
    if password.lower() in _BLOCKED:
        return "Password is too common; choose a longer phrase only you would know"
    if email and password.lower() == email.lower():
        return "Password must not be your email address"
    return None
