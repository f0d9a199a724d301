"""SPARQL over the published knowledge base: the query catalogue, running queries, result formats."""
