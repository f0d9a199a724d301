"""HTML pages of the published records: views of the graph, comparisons, charts, templates."""
