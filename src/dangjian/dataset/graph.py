"""A record's description: the statements a document about one record URI holds.

The description of a record is (1) every statement about the record and about the nodes it
owns: its fragments (``#quote``, ``#quote-selector``, ``#annual``) and the blank nodes of its
lists; (2) every statement of another record that points to it, as that record states it: its
sub-policies (``sub dcterms:isPartOf it``), narrower measures, posts, amounts, the tombstones
that point to it (``old dcterms:isReplacedBy new``, so that a client redirected from an old URI
learns why), and the quotes taken from a source (``amount#quote oa:hasSource it``, with their
selectors): the page lists these as its inbound links, so page and data say the same; (3) the
labels of everything it links to and everything linking to it, so that a client can show the
links without fetching each one. The vocabulary names each link read backwards (owl:inverseOf).

Its *own* statements, (1) alone, are what a release hashes and what ``dangjian diff`` compares:
a changed label elsewhere does not change this record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..model.namespaces import DCTERMS_IS_REPLACED_BY, SKOS_PREF_LABEL
from ..model.ontology import Ontology


class Graph:
    """The published statements, indexed by subject and by object."""

    def __init__(self, triples: Iterable[Triple], ontology: Ontology):
        self.ontology = ontology
        self.triples = sorted(set(triples), key=str)
        self.by_subject: dict = defaultdict(list)
        self.by_object: dict = defaultdict(list)
        for t in self.triples:
            self.by_subject[t.subject].append(t)
            self.by_object[t.object].append(t)

    @classmethod
    def from_store(cls, store, ontology: Ontology) -> "Graph":
        return cls((Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None)), ontology)

    @classmethod
    def from_ntriples(cls, data: bytes, ontology: Ontology) -> "Graph":
        """The graph of published N-Triples (the pipeline's own string triples, once written)."""
        return cls((Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)), ontology)

    # --- records -------------------------------------------------------------------------

    def records(self) -> dict[str, tuple[str, str]]:
        """Every record IRI (live and tombstone), with its (kind, id)."""
        found = {}
        for subject in self.by_subject:
            if isinstance(subject, NamedNode) and "#" not in subject.value:
                split = self.ontology.split_record_iri(subject.value)
                if split:
                    found[subject.value] = split
        return dict(sorted(found.items()))

    def values(self, subject: str | NamedNode | BlankNode, predicate: str) -> list:
        node = NamedNode(subject) if isinstance(subject, str) else subject
        return sorted((t.object for t in self.by_subject.get(node, ()) if t.predicate.value == predicate), key=str)

    def value(self, subject, predicate: str):
        found = self.values(subject, predicate)
        return found[0] if found else None

    def pointing_to(self, iri: str, predicate: str | None = None) -> list[Triple]:
        return [t for t in self.by_object.get(NamedNode(iri), ()) if predicate is None or t.predicate.value == predicate]

    # --- descriptions ----------------------------------------------------------------------

    def own(self, iri: str) -> list[Triple]:
        """Statements about the record and the nodes it owns (its #fragments, its blank nodes)."""
        record = NamedNode(iri)
        out, seen, queue = [], {record}, [record]
        while queue:
            node = queue.pop()
            for triple in self.by_subject.get(node, ()):
                out.append(triple)
                obj = triple.object
                owned = isinstance(obj, BlankNode) or (isinstance(obj, NamedNode) and obj.value.startswith(iri + "#"))
                if owned and obj not in seen:
                    seen.add(obj)
                    queue.append(obj)
        return sorted(out, key=str)

    def describe(self, iri: str) -> list[Triple]:
        own = self.own(iri)
        back = self.inbound(iri)
        described = {t.subject for t in own} | {NamedNode(iri)}
        linked = {t.object for t in own if isinstance(t.object, NamedNode) and t.object not in described}
        linked |= {NamedNode(t.subject.value.partition("#")[0]) for t in back if isinstance(t.subject, NamedNode)}
        labels = [t for node in linked for t in self.label_triples(node)]
        return sorted(set(own + back + labels), key=str)

    def inbound(self, iri: str) -> list[Triple]:
        """Statements of other records that point to this one; for a pointing fragment of another
        record (an amount's ``#quote`` annotation), its statements and its own fragments' too."""
        out = []
        for triple in self.by_object.get(NamedNode(iri), ()):
            subject = triple.subject
            if not isinstance(subject, NamedNode) or subject.value.startswith(iri + "#"):
                continue
            out.append(triple)
            record, hash_, _fragment = subject.value.partition("#")
            if hash_ and record != iri:
                fragments = [subject] + [t.object for t in self.by_subject.get(subject, ())
                                         if isinstance(t.object, NamedNode) and t.object.value.startswith(record + "#")]
                out += [t for node in fragments for t in self.by_subject.get(node, ())]
        return out

    def label_triples(self, node: NamedNode) -> list[Triple]:
        """skos:prefLabel of a record, or the ontology's label of a vocabulary term."""
        found = [t for t in self.by_subject.get(node, ()) if t.predicate.value == SKOS_PREF_LABEL]
        if found:
            return found
        labels = self.ontology.labels.get(node.value, {})
        return [Triple(node, NamedNode(SKOS_PREF_LABEL), Literal(text, language=lang)) for lang, text in sorted(labels.items())]

    def label(self, node, language: str = "zh") -> str | None:
        """The label of a node in a language (zh: Simplified, then Traditional), or None."""
        node = NamedNode(node) if isinstance(node, str) else node
        texts = {}
        for triple in self.label_triples(node):
            if isinstance(triple.object, Literal) and triple.object.language:
                texts.setdefault(triple.object.language.lower(), triple.object.value)
        wanted = ("zh-hans", "zh-hant", "zh") if language == "zh" else (language,)
        return next((texts[w] for w in wanted if w in texts), None)

    def tombstone(self, iri: str) -> tuple[str, str | None] | None:
        """("replaced", new IRI) or ("withdrawn", None) for a tombstone; None for a live record."""
        replacement = self.value(iri, DCTERMS_IS_REPLACED_BY)
        if replacement is not None:
            return ("replaced", replacement.value)
        if self.value(iri, self.ontology.vocabulary_iri + "withdrawalReason") is not None:
            return ("withdrawn", None)
        return None
