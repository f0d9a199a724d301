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

from .map import RDF_TYPE, Triple
from .ontology import Ontology

SCHEMA = "http://schema.org/"
OA = "http://www.w3.org/ns/oa#"
PROV_DERIVED_FROM = "<http://www.w3.org/ns/prov#wasDerivedFrom>"
IS_REPLACED_BY = "<http://purl.org/dc/terms/isReplacedBy>"
OWL_SAME_AS = "<http://www.w3.org/2002/07/owl#sameAs>"
OWL_DEPRECATED = "<http://www.w3.org/2002/07/owl#deprecated>"
TRUE = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'


def derive(triples: list[Triple], ontology: Ontology) -> list[Triple]:
    dj = ontology.vocabulary_iri
    amount_class = f"<{dj}Amount>"
    currency, quote_predicate = f"<{SCHEMA}currency>", f"<{dj}quote>"
    amounts = {s for s, p, o in triples if p == RDF_TYPE and o == amount_class}
    by_subject: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if s in amounts:
            by_subject[s][p].append(o)
    added = tombstone_statements(triples, ontology)
    for subject in sorted(amounts):
        predicates = by_subject[subject]
        schema_type = "MonetaryAmount" if predicates.get(currency) else "QuantitativeValue"
        added.append((subject, RDF_TYPE, f"<{SCHEMA}{schema_type}>"))
        for quote in predicates.get(quote_predicate, [])[:1]:
            evidence = subject[:-1] + "#quote>"
            selector = subject[:-1] + "#quote-selector>"
            added += [
                (subject, f"<{dj}evidence>", evidence),
                (evidence, RDF_TYPE, f"<{OA}SpecificResource>"),
                (evidence, f"<{OA}hasSelector>", selector),
                (selector, RDF_TYPE, f"<{OA}TextQuoteSelector>"),
                (selector, f"<{OA}exact>", quote),
            ]
            added += [(evidence, f"<{OA}hasSource>", source) for source in predicates.get(PROV_DERIVED_FROM, [])]
    return added


def tombstone_statements(triples: list[Triple], ontology: Ontology) -> list[Triple]:
    withdrawn = f"<{ontology.vocabulary_iri}withdrawalReason>"
    added = [(s, OWL_SAME_AS, o) for s, p, o in triples if p == IS_REPLACED_BY]
    added += [(s, OWL_DEPRECATED, TRUE) for s in sorted({s for s, p, _o in triples if p == withdrawn})]
    return added
