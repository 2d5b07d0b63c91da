"""Use cases: permission and state checks, the domain call, the audit event, the commit."""
