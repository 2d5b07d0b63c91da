"""The catalogue: search, browsing, comparison and the full-text index behind them."""
