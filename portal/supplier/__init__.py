"""Supplier self-service: profile, capability evidence, accreditations, colleagues."""
