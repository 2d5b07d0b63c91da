"""Transparency notices: OCDS releases for a call-off's award and contract (UK6, UK7; Contracts Finder under PCR)."""
