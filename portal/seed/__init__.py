"""Demo data for trying the portal locally."""
