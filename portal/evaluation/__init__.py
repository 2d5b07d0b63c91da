"""Opening, evaluation, moderation, results, award and standstill."""
