"""The link stage: the knowledge graph, link resolution, analytics, graph-view data."""
