"""The model: the ontology read from ontology/, RDF terms and namespaces, and problems."""
