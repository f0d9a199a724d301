"""The vocabularies the knowledge base uses, each namespace written down once.

Plain IRIs: ``RDF_TYPE`` is ``http://www.w3.org/1999/02/22-rdf-syntax-ns#type``; the pipeline's
N-Triples terms put angle brackets round them (:func:`dangjian.model.terms.iri`). The project's
own vocabulary is not here: its IRI follows the base setting (``Ontology.vocabulary_iri``).
"""

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = "http://www.w3.org/ns/formats/"  # the W3C's IRIs of formats (formats:Turtle)

RDF_TYPE = RDF + "type"
RDF_FIRST, RDF_REST, RDF_NIL = RDF + "first", RDF + "rest", RDF + "nil"
XSD_STRING, XSD_INTEGER = XSD + "string", XSD + "integer"
OWL_SAME_AS, OWL_DEPRECATED = OWL + "sameAs", OWL + "deprecated"
SKOS_PREF_LABEL = SKOS + "prefLabel"
DCTERMS_IDENTIFIER, DCTERMS_IS_REPLACED_BY, DCTERMS_LANGUAGE = DCTERMS + "identifier", DCTERMS + "isReplacedBy", DCTERMS + "language"
PROV_DERIVED_FROM = PROV + "wasDerivedFrom"
