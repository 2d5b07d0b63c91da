"""Framework staff: frameworks, lots, capabilities, price items and extension options."""
