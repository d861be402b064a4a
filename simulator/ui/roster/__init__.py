"""The classes screen: classes, their rosters and classroom mode started from them."""
