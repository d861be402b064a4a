"""The history screen: a trainee's sessions over time and the score trend per behaviour (trend_chart.py)."""
