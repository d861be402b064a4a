"""The debrief screen: a session's score, turns and reports."""
