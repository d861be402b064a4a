"""Classroom mode: its presenter (presenter.py) and the trainer's and projector windows (trainer.py)."""
