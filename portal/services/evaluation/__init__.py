"""After the deadline: opening, the panel and conflicts, scoring, moderation, results and the award."""
