"""Buyer side of mini-competitions: building, publishing, extending and cancelling."""
