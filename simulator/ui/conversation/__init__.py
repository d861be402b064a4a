"""The conversation screen: its page (view.py) and its presenter (presenter.py); the listening service it drives is ui/listening.py."""
