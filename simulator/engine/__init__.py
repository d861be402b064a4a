"""The scenario engine: typed scenario models, the loader and validator, and the session runner.

Nothing here imports Qt; an import-linter contract in pyproject.toml keeps it so.
"""
