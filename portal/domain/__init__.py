"""Pure domain rules: no Flask and no SQLAlchemy imports. Plain values in, results out."""
