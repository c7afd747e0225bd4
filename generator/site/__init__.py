"""The render and engine stages: Markdown pages, the MkDocs boundary, output, caches, search, sitemaps."""
