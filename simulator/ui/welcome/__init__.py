"""The first-run welcome screen."""
