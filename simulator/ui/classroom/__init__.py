"""Classroom mode: its presenter (presenter.py), `Classroom`, the presenter's view that passes each call
on to both windows (view.py), the projector (projector.py) and the trainer's window (trainer.py)."""
