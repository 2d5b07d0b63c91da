"""Clarification questions and answers during a mini-competition."""
