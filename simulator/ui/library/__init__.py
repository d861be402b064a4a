"""The library screen: the scenario cards, their filters and the broken-file panel."""
