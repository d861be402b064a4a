"""The authoring screen: a scenario's graph, its problems and a typed play-through."""
