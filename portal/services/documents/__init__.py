"""Documents: the register, each PDF's data builder, and the renderer (WeasyPrint, PDF/A-3a)."""
