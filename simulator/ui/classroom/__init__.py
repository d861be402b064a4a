"""Classroom mode: its presenter (presenter.py), the projector (projector.py), and the trainer's window with
`Classroom`, the presenter's view that passes each call on to both windows (trainer.py)."""
