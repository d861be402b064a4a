"""Custom-drawn widgets the screens share: portrait, meters, chart, cards."""
