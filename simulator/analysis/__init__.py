"""Judging replies: wording against the trainer's rubric, tone from audio, and the combined judge."""
