"""What the vocabulary's reference page (``/ontology``, as HTML) shows, read from ``ontology/``:
the classes, the properties (with the YAML key of each), the controlled values of each scheme
in both languages, and each kind of record's shape in plain words. Plain data for the template.

Every term of ``{base}ontology#`` gets an anchor named by its local name, so that a term's IRI,
followed in a browser, lands on its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from ...formats.turtle import TurtleWriter
from ...model import namespaces
from ...model.namespaces import DCTERMS
from ...model.ontology import Ontology

DCTERMS_TITLE = rdflib.URIRef(DCTERMS + "title")
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
DCTERMS_DESCRIPTION = rdflib.URIRef(DCTERMS + "description")


@dataclass
class Entry:
    anchor: str | None  # the local name, for terms of the vocabulary's own namespace
    name: str  # dj:Policy, schema:validFrom
    iri: str
    zh: str
    en: str
    comment: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)  # (what, value): domain, range, YAML key...
    value: str = ""  # for a controlled value: how a record writes it in YAML


@dataclass
class Scheme:
    anchor: str
    name: str
    zh: str
    en: str
    key: str | None  # the YAML key that takes these values
    values: list[Entry]


@dataclass
class Rule:
    key: str
    path: str
    says: str  # the constraints in plain words
    message: str  # what validation says when the rule is broken


@dataclass
class KindShape:
    kind: str
    zh: str
    en: str
    class_name: str
    folder: str
    rules: list[Rule]


class VocabularyView:
    def __init__(self, ontology: Ontology):
        self.ontology = ontology
        self.vocabulary = ontology.vocabulary_graph
        self.shapes = ontology.shapes_graph
        self.namespace = ontology.vocabulary_iri
        self.names = TurtleWriter({**ontology.prefixes, "sh": str(SH), "owl": str(OWL), "rdfs": str(RDFS),
                                   "dcat": namespaces.DCAT, "spdx": namespaces.SPDX, "foaf": namespaces.FOAF})

    def name(self, node) -> str:
        written = self.names.name(str(node))
        return written[1:-1] if written.startswith("<") else written

    def anchor(self, node) -> str | None:
        iri = str(node)
        return iri[len(self.namespace):] if iri.startswith(self.namespace) and len(iri) > len(self.namespace) else None

    def labels(self, node) -> tuple[str, str]:
        found = self.ontology.labels.get(str(node), {})
        return found.get("zh-Hans", ""), found.get("en", "")

    def text(self, node, predicate, language: str = "en") -> str:
        for value in self.vocabulary.objects(node, predicate):
            if isinstance(value, rdflib.Literal) and (value.language or "en").lower().startswith(language):
                return str(value)
        return ""

    def entry(self, node, facts: list[tuple[str, str]] | None = None) -> Entry:
        zh, en = self.labels(node)
        return Entry(self.anchor(node), self.name(node), str(node), zh, en, self.text(node, RDFS.comment), facts or [])

    def _own(self, rdf_type) -> list:
        return sorted((s for s in set(self.vocabulary.subjects(RDF.type, rdf_type)) if self.anchor(s)), key=str)

    # --- the parts of the page -----------------------------------------------------------------

    def about(self) -> dict:
        node = rdflib.URIRef(self.namespace)
        titles = {(t.language or "").lower(): str(t) for t in self.vocabulary.objects(node, DCTERMS_TITLE)}
        return {"iri": self.namespace, "title_en": titles.get("en", ""), "title_zh": titles.get("zh-hans", ""),
                "description": self.text(node, DCTERMS_DESCRIPTION),
                "version": str(self.vocabulary.value(node, OWL.versionInfo) or "")}

    def classes(self) -> list[Entry]:
        out = []
        for node in self._own(OWL.Class):
            facts = [("subclass of", self.name(o)) for o in sorted(self.vocabulary.objects(node, RDFS.subClassOf), key=str)]
            kind = self.ontology.kinds_by_class.get(str(node))
            if kind:
                facts.append(("records", f"records/{kind.folder}/, {self.ontology.base}id/{kind.name}/{{id}}"))
            out.append(self.entry(node, facts))
        return out

    def properties(self) -> list[Entry]:
        nodes = {n for kind in PROPERTY_TYPES for n in self._own(kind)}
        out = []
        for node in sorted(nodes, key=str):
            out.append(self.entry(node, self._property_facts(node)))
        return out

    def resources(self) -> list[Entry]:
        """The vocabulary's other terms: what it describes that is no class, property or
        controlled value (a code list, its copy), with what it says of each."""
        covered = {OWL.Class, SKOS.ConceptScheme, *PROPERTY_TYPES}
        out = []
        for node in sorted({s for s in self.vocabulary.subjects(RDF.type, None) if self.anchor(s)}, key=str):
            types = set(self.vocabulary.objects(node, RDF.type))
            if types & covered or (node, SKOS.inScheme, None) in self.vocabulary:
                continue
            titles = {(t.language or "").lower(): str(t) for t in self.vocabulary.objects(node, DCTERMS_TITLE)}
            zh, en = self.labels(node)
            facts = [("type", self.name(t)) for t in sorted(types, key=str)]
            for predicate, value in sorted(self.vocabulary.predicate_objects(node), key=lambda po: (str(po[0]), str(po[1]))):
                if predicate not in (RDF.type, RDFS.label, RDFS.comment, DCTERMS_TITLE):
                    facts.append((self.name(predicate), self._shown(value)))
            out.append(Entry(self.anchor(node), self.name(node), str(node), titles.get("zh-hans", zh), titles.get("en", en),
                             self.text(node, RDFS.comment), facts))
        return out

    def _shown(self, value) -> str:
        """A value as the page writes it: a literal's text, a term's name, a blank node's values."""
        if isinstance(value, rdflib.Literal):
            return str(value)
        if isinstance(value, rdflib.BNode):
            return "; ".join(self._shown(o) for p, o in sorted(self.vocabulary.predicate_objects(value), key=lambda po: (str(po[0]), str(po[1])))
                             if p != RDF.type)
        return self.name(value)

    def reused(self) -> list[Entry]:
        """Terms of other vocabularies the records use, with the labels the pages give them."""
        own = {str(n) for n in self.vocabulary.subjects(RDF.type, None) if self.anchor(n)}
        out = []
        for iri in sorted(self.ontology.labels):
            node = rdflib.URIRef(iri)
            if iri in own or iri.startswith(self.namespace) or (node, RDFS.label, None) not in self.vocabulary:
                continue
            out.append(self.entry(node, self._property_facts(node)))
        return out

    def _property_facts(self, node) -> list[tuple[str, str]]:
        facts = []
        key = self.ontology.keys_by_predicate.get(str(node))
        if key:
            facts.append(("YAML key", key))
        for what, predicate in (("subproperty of", RDFS.subPropertyOf), ("domain", RDFS.domain), ("range", RDFS.range)):
            facts += [(what, self.name(o)) for o in sorted(self.vocabulary.objects(node, predicate), key=str)]
        return facts

    def schemes(self) -> list[Scheme]:
        keys = {term.vocab_prefix: term.key for term in self.ontology.terms.values() if term.shape == "vocab"}
        out = []
        for scheme in self._own(SKOS.ConceptScheme):
            values = sorted(self.vocabulary.subjects(SKOS.inScheme, scheme), key=str)
            entries = []
            for value in values:
                entry = self.entry(value)
                notation = self.vocabulary.value(value, SKOS.notation)
                if notation is not None:
                    entry.facts.append(("UN/CEFACT code", str(notation)))
                entries.append(entry)
            prefix = next((p for p in keys if values and all(str(v).startswith(p) for v in values)), None)
            for entry in entries:
                entry.value = entry.iri[len(prefix):] if prefix else ""
            zh, en = self._pref_labels(scheme)
            out.append(Scheme(self.anchor(scheme), self.name(scheme), zh, en, keys.get(prefix), entries))
        return out

    def _pref_labels(self, node) -> tuple[str, str]:
        found = {(v.language or "").lower(): str(v) for v in self.vocabulary.objects(node, SKOS.prefLabel)}
        return found.get("zh-hans", ""), found.get("en", "")

    def kind_shapes(self) -> list[KindShape]:
        out = []
        for kind in self.ontology.kinds.values():
            shape = rdflib.URIRef(kind.shape_iri)
            zh, en = self.labels(shape)
            rules = []
            for property_shape in self.shapes.objects(shape, SH.property):
                path = self.shapes.value(property_shape, SH.path)
                if path is None:
                    continue
                rules.append(Rule(self.ontology.key_for(str(path)) if str(path) in self.ontology.keys_by_predicate else "",
                                  self.name(path), self.plain_words(property_shape),
                                  str(self.shapes.value(property_shape, SH.message) or "")))
            for alternatives in (SH.xone, SH["or"]):
                for listed in self.shapes.objects(shape, alternatives):
                    choices = [self.plain_words(s) or self._paths(s) for s in rdflib.collection.Collection(self.shapes, listed)]
                    rules.append(Rule("", "", ("exactly one of: " if alternatives == SH.xone else "at least one of: ")
                                      + "; or ".join(choices), ""))
            if (shape, SH.closed, rdflib.Literal(True)) in self.shapes:
                rules.append(Rule("", "", "no other keys", str(self.shapes.value(shape, SH.message) or "")))
            rules.sort(key=lambda r: (r.key == "", r.key, r.path))
            out.append(KindShape(kind.name, zh, en, self.name(rdflib.URIRef(kind.class_iri)), kind.folder, rules))
        return out

    def _paths(self, node) -> str:
        paths = [self.name(self.shapes.value(p, SH.path)) for p in self.shapes.objects(node, SH.property)]
        return ", ".join(sorted(p for p in paths if p)) or self.name(node)

    def plain_words(self, node) -> str:
        """A property shape's constraints as a reader would say them."""
        g, words = self.shapes, []
        low, high = g.value(node, SH.minCount), g.value(node, SH.maxCount)
        if low is not None and int(low) >= 1:
            words.append("required" if high is None or int(high) != int(low) else ("exactly one" if int(low) == 1 else f"exactly {low}"))
        if high is not None and (low is None or int(low) != int(high)):
            words.append("at most one" if int(high) == 1 else f"at most {high}")
        if high is not None and int(high) == 0:
            words[-1] = "not allowed"
        datatype = g.value(node, SH.datatype)
        if datatype is not None:
            words.append(f"a {self.name(datatype)} value")
        cls = g.value(node, SH["class"])
        if cls is not None:
            kind = self.ontology.kinds_by_class.get(str(cls))
            words.append(f"the id of a {kind.name} record" if kind else f"a value of {self.name(cls)}")
        for listed in g.objects(node, SH["in"]):
            words.append("one of " + ", ".join(f'"{v}"' for v in rdflib.collection.Collection(g, listed)))
        for listed in g.objects(node, SH.languageIn):
            words.append("text tagged " + ", ".join(str(v) for v in rdflib.collection.Collection(g, listed)))
        if (node, SH.uniqueLang, rdflib.Literal(True)) in g:
            words.append("one per language")
        pattern = g.value(node, SH.pattern)
        if pattern is not None:
            words.append(f"matching {pattern}")
        minimum = g.value(node, SH.minInclusive)
        if minimum is not None:
            words.append(f"at least {minimum}")
        other = g.value(node, SH.lessThan)
        if other is not None:
            words.append(f"less than its {self.ontology.key_for(str(other))}")
        return ", ".join(words)
