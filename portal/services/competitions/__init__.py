"""Mini-competitions before the deadline: the builder, publication, clarifications, who sees what."""
