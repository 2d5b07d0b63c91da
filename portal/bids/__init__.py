"""Supplier side of mini-competitions: invitations, drafts, submission, receipts."""
