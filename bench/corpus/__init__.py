"""Labelled replies the project writes itself, for training and measuring the wording judge (see make_wording_corpus.py)."""
