"""Reports drawn with Qt's own PDF writer, apart from any widget so the headless CLI can write them too.

What a report holds, and its CSV, are Qt-free in simulator.records.reports; this package only draws.
"""
