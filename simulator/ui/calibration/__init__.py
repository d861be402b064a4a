"""The microphone check screen."""
