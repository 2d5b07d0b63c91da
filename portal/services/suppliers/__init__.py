"""Suppliers: profiles, evidence, exclusions, places on lots and price cards."""
