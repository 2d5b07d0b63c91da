"""Bids: the supplier's draft, submission and receipts, the canonical content, and the seal."""
