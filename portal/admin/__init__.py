"""Framework staff screens."""
