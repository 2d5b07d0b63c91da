"""Documents: rendering PDFs (render.py) and the web routes to download and check them (views.py)."""
