"""Framework staff: buyer organisations, users and invitations, the audit log,
supplier change review and the outbox."""
