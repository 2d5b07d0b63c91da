"""Maintenance commands, to run by hand or from a scheduler (cron, a systemd timer; the README gives lines):
`flask files gc` removes the file store's orphans."""

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
    from portal.services import file_gc

    result = file_gc.collect(timedelta(minutes=grace_minutes), dry_run=dry_run)
    for path in result.removed:
        click.echo(f"{'would remove' if dry_run else 'removed'} {path}")
    click.echo(("Dry run: " if dry_run else "") + result.summary())
