"""The conversation screen: its page (view.py), its presenter (presenter.py) and the listening service (listening.py)."""
