"""The settings screen (view.py) and its diagnostics box (diagnostics.py)."""
