"""Statements the build adds to what records say, each computed from the records alone.

- Every amount is also a schema:MonetaryAmount (it has a currency) or a
  schema:QuantitativeValue (it has a unit), so that schema.org consumers read it.
- Every quote is also a Web Annotation: an oa:SpecificResource on the source whose
  oa:TextQuoteSelector holds the exact text, at ``{amount}#quote`` and ``{amount}#quote-selector``.
- A tombstone replaced by another record is owl:sameAs it (the old IRI names the same thing);
  a withdrawn one is owl:deprecated true.
"""

from __future__ import annotations

from collections import defaultdict

from pyoxigraph import Literal, NamedNode, Triple

from .ontology import Ontology

RDF_TYPE = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SCHEMA = "http://schema.org/"
OA = "http://www.w3.org/ns/oa#"
PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
OWL = "http://www.w3.org/2002/07/owl#"
DCTERMS_IS_REPLACED_BY = "http://purl.org/dc/terms/isReplacedBy"
XSD_BOOLEAN = NamedNode("http://www.w3.org/2001/XMLSchema#boolean")


def derive(triples: list[Triple], ontology: Ontology) -> list[Triple]:
    dj = ontology.vocabulary_iri
    amount_class = NamedNode(dj + "Amount")
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for t in triples:
        by_subject[t.subject][t.predicate.value].append(t.object)
    added = []
    for subject, predicates in by_subject.items():
        for replacement in predicates.get(DCTERMS_IS_REPLACED_BY, []):
            added.append(Triple(subject, NamedNode(OWL + "sameAs"), replacement))
        if predicates.get(dj + "withdrawalReason"):
            added.append(Triple(subject, NamedNode(OWL + "deprecated"), Literal("true", datatype=XSD_BOOLEAN)))
        if amount_class not in predicates.get(RDF_TYPE.value, ()):
            continue
        schema_type = "MonetaryAmount" if predicates.get(SCHEMA + "currency") else "QuantitativeValue"
        added.append(Triple(subject, RDF_TYPE, NamedNode(SCHEMA + schema_type)))
        sources = predicates.get(PROV_DERIVED_FROM, [])
        for quote in predicates.get(dj + "quote", [])[:1]:
            evidence = NamedNode(subject.value + "#quote")
            selector = NamedNode(subject.value + "#quote-selector")
            added += [
                Triple(subject, NamedNode(dj + "evidence"), evidence),
                Triple(evidence, RDF_TYPE, NamedNode(OA + "SpecificResource")),
                Triple(evidence, NamedNode(OA + "hasSelector"), selector),
                Triple(selector, RDF_TYPE, NamedNode(OA + "TextQuoteSelector")),
                Triple(selector, NamedNode(OA + "exact"), quote),
            ]
            added += [Triple(evidence, NamedNode(OA + "hasSource"), source) for source in sources]
    return added
