"""Maintenance commands, to run by hand or from a scheduler (cron, a systemd timer; the README gives lines):
`flask files gc` removes the file store's orphans, `flask mail send-pending` retries e-mails that failed,
`flask seal rotate-master-key` re-wraps the data keys of bid content under a new SEAL_MASTER_KEY."""

from __future__ import annotations

from datetime import timedelta

import click


@click.group("files")
def files_group() -> None:
    """The file store of attachments and issued documents."""


@files_group.command("gc")
@click.option("--grace-minutes", default=60, show_default=True, type=click.IntRange(min=0), help="Keep younger files.")
@click.option("--dry-run", is_flag=True, help="List what would be removed, and remove nothing.")
def files_gc(grace_minutes: int, dry_run: bool) -> None:
    """Remove files no row refers to (left by requests killed mid-upload), older than the grace period."""
    from portal.services.files import gc as file_gc

    result = file_gc.collect(timedelta(minutes=grace_minutes), dry_run=dry_run)
    for path in result.removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    click.echo(("Dry run: " if dry_run else "") + result.summary())


@click.group("mail")
def mail_group() -> None:
    """The outbox of e-mails."""


@mail_group.command("send-pending")
@click.option("--limit", type=click.IntRange(min=1), help="Try at most this many messages.")
def mail_send_pending(limit: int | None) -> None:
    """Deliver the outbox's pending messages whose retry is due (each is tried up to MAIL_MAX_ATTEMPTS times)."""
    from flask import current_app

    from portal.services.mail import outbox

    if not current_app.config.get("MAIL_SERVER"):
        raise click.ClickException("MAIL_SERVER is not set: messages are kept in the outbox and not sent.")
    click.echo(outbox.send_pending(limit).summary())


@click.group("seal")
def seal_group() -> None:
    """Bid content encrypted at rest (portal/services/bids/crypto.py)."""


@seal_group.command("rotate-master-key")
@click.option(
    "--new-key-env",
    default="SEAL_NEW_MASTER_KEY",
    show_default=True,
    help="The environment variable holding the new master key (never a command-line argument: shells log them).",
)
def seal_rotate_master_key(new_key_env: str) -> None:
    """Re-wrap every competition's data key under the new master key, in one transaction; rerunning is safe.

    Run with the current key as SEAL_MASTER_KEY, then make the new key SEAL_MASTER_KEY and restart."""
    import os

    from portal.services.bids import crypto

    new_key = os.environ.get(new_key_env, "")
    if not new_key:
        raise click.ClickException(f"Set {new_key_env} to the new master key (64 hex digits or base64 of 32 bytes).")
    try:
        result = crypto.rotate_master_key(new_key)
    except (ValueError, crypto.ContentUnreadable) as error:
        raise click.ClickException(f"Nothing changed: {error}") from error
    click.echo(
        f"Re-wrapped {result.rewrapped} data keys from master key {result.old_key_id} to {result.new_key_id} "
        f"({result.already} already were). Now set SEAL_MASTER_KEY to the new key and restart; keep the old key "
        "until backups taken before today have expired."
    )
