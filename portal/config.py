"""Configuration read from the environment.

Local development gets working defaults (a SQLite file and a generated secret key in
instance/); production refuses to start without an explicit SECRET_KEY and BASE_URL.

AUDIT_KEY keys the audit chain's hashes (portal/services/audit.py). It is a key of its own, not SECRET_KEY: the
secret key may be rotated to end every session, while the audit key must stay the one the chain was written with.
Production requires it (and that it differs from SECRET_KEY); development generates one into instance/audit_key.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"


class ConfigurationError(RuntimeError):
    """The environment does not describe a safe configuration."""


def _local_key(name: str) -> str:
    """A development key (32 random bytes as hex) generated once into instance/<name> (mode 600), so sessions, the
    audit chain and sealed bids survive restarts of one checkout. Production takes every key from the environment."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / name
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _audit_key(production: bool, secret_key: str) -> str:
    key = os.environ.get("AUDIT_KEY")
    if not key:
        if production:
            raise ConfigurationError("AUDIT_KEY must be set when PORTAL_ENV=production.")
        return _local_key("audit_key")
    if production and (key == secret_key or len(key) < 32):
        raise ConfigurationError("AUDIT_KEY must be at least 32 characters and differ from SECRET_KEY.")
    return key


def _seal_master_key(production: bool) -> str:
    """SEAL_MASTER_KEY wraps every competition's data key (bid content at rest: portal/services/bids/crypto.py).

    32 random bytes as 64 hex digits or base64. Production requires it; development generates one into
    instance/seal_master_key (mode 600). Lose it and no sealed bid can be read again: back it up apart from the
    database (README, "Bid content at rest")."""
    from portal.domain.envelope import EnvelopeError, parse_master_key

    key = os.environ.get("SEAL_MASTER_KEY", "").strip()
    if not key:
        if production:
            raise ConfigurationError("SEAL_MASTER_KEY must be set when PORTAL_ENV=production.")
        key = _local_key("seal_master_key")
    try:
        parse_master_key(key)
    except EnvelopeError as error:
        raise ConfigurationError(str(error)) from error
    return key


def _database_url(url: str) -> str:
    # Heroku-style and plain postgres URLs name no driver; psycopg 3 is the one installed.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


# Who must sign in with an authenticator app unless MFA_REQUIRED_ROLES says otherwise: everyone who buys or runs the
# framework in production; nobody in development, so the demo accounts sign in with their password alone.
PRODUCTION_MFA_ROLES = "staff,buyer,approver,evaluator"
KNOWN_ROLES = ("staff", "buyer", "approver", "evaluator", "supplier")


def _base_url(env, production: bool) -> str:
    """The public address emailed links start with; never taken from a request, whose Host header anyone sets."""
    url = env.get("BASE_URL", "").strip().rstrip("/")
    if not url:
        if production:
            raise ConfigurationError(
                "BASE_URL must be set when PORTAL_ENV=production (e.g. https://portal.example.org)."
            )
        return f"http://127.0.0.1:{env.get('PORT', '5000')}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(f"BASE_URL must be an http(s) address like https://portal.example.org, not {url!r}.")
    if production and parts.scheme != "https":
        raise ConfigurationError("BASE_URL must use https when PORTAL_ENV=production.")
    return url


def _mfa_roles(env, production: bool) -> frozenset[str]:
    text = env.get("MFA_REQUIRED_ROLES", PRODUCTION_MFA_ROLES if production else "")
    roles = frozenset(r.strip().lower() for r in text.split(",") if r.strip())
    unknown = sorted(roles - set(KNOWN_ROLES))
    if unknown:
        raise ConfigurationError(f"MFA_REQUIRED_ROLES names unknown roles {unknown}; known: {', '.join(KNOWN_ROLES)}.")
    return roles


def _sign_in_settings(env, production: bool) -> dict:
    """Sessions, throttling, two factors and the proxy in front: how sign-in is protected."""
    idle_minutes = int(env.get("SESSION_IDLE_MINUTES", "30"))
    absolute_hours = int(env.get("SESSION_ABSOLUTE_HOURS", "8"))
    cookie_prefix = "__Host-" if production else ""  # __Host-: Secure, Path=/ and no Domain, so no subdomain sets it
    return {
        "BASE_URL": _base_url(env, production),
        # X-Forwarded-For is believed only from this many proxies in front of the app (0: the TCP peer's address).
        "TRUSTED_PROXY_COUNT": int(env.get("TRUSTED_PROXY_COUNT", "0")),
        "SESSION_IDLE_MINUTES": idle_minutes,
        "SESSION_ABSOLUTE_HOURS": absolute_hours,
        "SESSION_COOKIE_NAME": f"{cookie_prefix}session",
        "REMEMBER_COOKIE_NAME": f"{cookie_prefix}remember_token",
        "PERMANENT_SESSION_LIFETIME": absolute_hours * 3600,
        "WTF_CSRF_TIME_LIMIT": absolute_hours * 3600,
        "MFA_REQUIRED_ROLES": _mfa_roles(env, production),
        "MFA_PENDING_MINUTES": int(env.get("MFA_PENDING_MINUTES", "10")),
        # Sign-in throttling: an account locks after its own failures; an address is slowed, never refused.
        "LOGIN_MAX_FAILURES_PER_ACCOUNT": int(env.get("LOGIN_MAX_FAILURES_PER_ACCOUNT", "5")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(env.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "20")),
        "LOGIN_LOCKOUT_MINUTES": int(env.get("LOGIN_LOCKOUT_MINUTES", "15")),
        "LOGIN_ADDRESS_DELAY_MAX_SECONDS": float(env.get("LOGIN_ADDRESS_DELAY_MAX_SECONDS", "5")),
        # Forgot-password requests per hour, per account and per address.
        "PASSWORD_RESET_MAX_PER_ACCOUNT": int(env.get("PASSWORD_RESET_MAX_PER_ACCOUNT", "3")),
        "PASSWORD_RESET_MAX_PER_ADDRESS": int(env.get("PASSWORD_RESET_MAX_PER_ADDRESS", "10")),
    }


def load_config(overrides: dict | None = None) -> dict:
    env = os.environ
    environment = env.get("PORTAL_ENV", "development")
    production = environment == "production"
    secret_key = env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigurationError("SECRET_KEY must be set when PORTAL_ENV=production.")
        secret_key = _local_key("secret_key")
    default_db = f"sqlite:///{INSTANCE / 'portal.sqlite3'}"
    config = {
        "ENVIRONMENT": environment,
        "SECRET_KEY": secret_key,
        "AUDIT_KEY": _audit_key(production, secret_key),
        "SEAL_MASTER_KEY": _seal_master_key(production),
        "SQLALCHEMY_DATABASE_URI": _database_url(env.get("DATABASE_URL", default_db)),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SERVICE_NAME": env.get("SERVICE_NAME", "Framework Portal"),
        "SERVER_TIMEZONE": "Europe/London",
        # Cookies: HttpOnly and SameSite always; Secure everywhere but local development.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Mail: SMTP when MAIL_SERVER is set; otherwise the outbox and the log.
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": int(env.get("MAIL_PORT", "587")),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "true").lower() == "true",
        "MAIL_SENDER": env.get("MAIL_SENDER", "Framework Portal <no-reply@portal.example>"),
        # A message that cannot be delivered is retried (`flask mail send-pending`) this many times in all.
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "5")),
        "INVITATION_VALID_DAYS": int(env.get("INVITATION_VALID_DAYS", "7")),
        "PASSWORD_RESET_VALID_MINUTES": int(env.get("PASSWORD_RESET_VALID_MINUTES", "60")),
        # Opening under dual control: a started opening lapses unless a second officer confirms it within this time.
        "OPENING_CONFIRM_MINUTES": int(env.get("OPENING_CONFIRM_MINUTES", "30")),
        # Transparency notices: the prefix of every ocid the portal writes (Find a Tender's registered prefix by
        # default; a publisher with its own prefix from the Open Contracting Partnership sets it).
        "OCDS_PREFIX": env.get("OCDS_PREFIX", "ocds-h6vhtk"),
        "CATALOGUE_PAGE_SIZE": 20,
        "DIRECT_AWARD_RESULTS_PAGE_SIZE": 50,  # capable suppliers (with breakdowns) and not-capable ones, per page
        # Bid attachments and issued documents, stored by SHA-256 outside the web root.
        "FILE_STORE_PATH": env.get("FILE_STORE_PATH", str(INSTANCE / "files")),
        "MAX_ATTACHMENT_BYTES": int(env.get("MAX_ATTACHMENT_BYTES", str(20 * 1024 * 1024))),
        # Request size (portal/input_guard.py): MAX_CONTENT_LENGTH is the attachment limit plus this margin; a form
        # without a file takes FORM_MAX_BYTES, a public one (sign-in, forgot password) PUBLIC_FORM_MAX_BYTES.
        "REQUEST_MARGIN_BYTES": int(env.get("REQUEST_MARGIN_BYTES", str(1024 * 1024))),
        "FORM_MAX_BYTES": int(env.get("FORM_MAX_BYTES", str(2 * 1024 * 1024))),
        "PUBLIC_FORM_MAX_BYTES": int(env.get("PUBLIC_FORM_MAX_BYTES", str(64 * 1024))),
        # Background jobs (document sets): RQ workers when REDIS_URL is set, else a worker thread in-process.
        "REDIS_URL": env.get("REDIS_URL", ""),
        "DOCUMENT_QUEUE": env.get("DOCUMENT_QUEUE", "documents"),
        **_sign_in_settings(env, production),
    }
    if overrides:
        config.update(overrides)
    return config
