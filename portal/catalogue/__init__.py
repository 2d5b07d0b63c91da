"""Catalogue: browse, search and compare suppliers."""
