"""What a page shows, read from the published graph: plain data for the templates.

Nothing here writes HTML; the templates do. Values are read generically: a record's
properties come in the order of the context's keys, each labelled with the ontology's
Chinese and English labels, and every link to a record becomes a link to its page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from ..describe import Graph
from ..ontology import Ontology
from ..publish.turtle import TurtleWriter
from ..rdfterms import display_language

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE, RDF_FIRST, RDF_REST = RDF + "type", RDF + "first", RDF + "rest"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
OA = "http://www.w3.org/ns/oa#"
OWL = "http://www.w3.org/2002/07/owl#"

# How amounts are shown: the currency's and a few units' usual symbols.
CURRENCY_SYMBOLS = {"CNY": "元"}
UNIT_SYMBOLS = {"unit-percent": "%", "unit-square-metre": "m²"}


def doc_path(kind: str, record_id: str, extension: str = "html") -> str:
    """A record's document, relative to the site root."""
    return f"doc/{kind}/{record_id}.{extension}"


def index_path(kind: str) -> str:
    return f"doc/{kind}/index.html"


def relative(target: str, page: str) -> str:
    """A link from one page of the site to another, so the site works under any path."""
    return posixpath.relpath(target, posixpath.dirname(page) or ".")


def group_digits(lexical: str) -> str:
    """11544800 -> 11,544,800; 16300.50 -> 16,300.50 (the written decimals kept)."""
    sign = "-" if lexical.startswith("-") else ""
    whole, dot, fraction = lexical.lstrip("+-").partition(".")
    return f"{sign}{int(whole or '0'):,}{dot}{fraction}"


@dataclass
class Value:
    text: str
    language: str | None = None
    href: str | None = None  # a page of the site
    iri: str | None = None  # for links outside the site, and for titles
    english: str | None = None


@dataclass
class Row:
    key: str
    label_zh: str
    label_en: str
    values: list[Value]


@dataclass
class AmountFacts:
    full: str  # 11,544,800 元
    as_written: str | None
    bound: Value | None
    period: Value | None
    per: Value | None
    year: str | None
    annual: dict | None  # the derived yearly figure, when the build gives one


@dataclass
class Quote:
    text: str
    language: str | None
    source: Value | None
    title: str | None
    publisher: Value | None
    date: str | None
    date_note: str | None


@dataclass
class RecordView:
    iri: str
    kind: str
    record_id: str
    kind_zh: str
    kind_en: str
    label_zh: str
    label_en: str | None
    rows: list[Row]
    amount: AmountFacts | None = None
    quote: Quote | None = None
    amount_rows: list[dict] = field(default_factory=list)
    linked_from: list[Row] = field(default_factory=list)
    former_ids: list[Value] = field(default_factory=list)


class Views:
    """Builds the data of every page from one published graph."""

    def __init__(self, graph: Graph, ontology: Ontology):
        self.graph = graph
        self.ontology = ontology
        self.dj = ontology.vocabulary_iri
        self.key_order = {term.predicate: i for i, term in enumerate(ontology.terms.values())}
        self.records = graph.records()
        self.names = TurtleWriter(ontology.prefixes)

    # --- small readers -------------------------------------------------------------------

    def label(self, node, language: str = "zh") -> str | None:
        return self.graph.label(node, language)

    def text(self, subject, predicate: str, language: str | None = None) -> Literal | None:
        for value in self.graph.values(subject, predicate):
            if isinstance(value, Literal) and (language is None or (value.language or "").lower().startswith(language)):
                return value
        return None

    def predicate_label(self, predicate: str) -> tuple[str, str]:
        labels = self.ontology.labels.get(predicate, {})
        fallback = self.ontology.key_for(predicate)
        return labels.get("zh-Hans", fallback), labels.get("en", fallback)

    def value(self, obj, page: str) -> Value:
        if isinstance(obj, Literal):
            return Value(obj.value, display_language(obj.language) if obj.language else None)
        if isinstance(obj, BlankNode):
            items = self.list_items(obj)
            return Value(" : ".join(group_digits(i.value) if isinstance(i, Literal) else str(i) for i in items))
        split = self.records.get(obj.value)
        zh, en = self.label(obj, "zh"), self.label(obj, "en")
        if split:
            return Value(zh or en or split[1], None, relative(doc_path(*split), page), obj.value, en if zh else None)
        if zh or en:
            return Value(zh or en, None, None, obj.value, en if zh else None)
        return Value(obj.value, None, None, obj.value)

    def list_items(self, node: BlankNode) -> list:
        items = []
        while isinstance(node, BlankNode):
            first = self.graph.value(node, RDF_FIRST)
            if first is None:
                break
            items.append(first)
            node = self.graph.value(node, RDF_REST)
        return items

    # --- records ---------------------------------------------------------------------------

    def kind_labels(self, kind: str) -> tuple[str, str]:
        labels = self.ontology.labels.get(self.ontology.kinds[kind].shape_iri, {})
        return labels.get("zh-Hans", kind), labels.get("en", kind)

    def record(self, iri: str) -> RecordView:
        kind, record_id = self.records[iri]
        page = doc_path(kind, record_id)
        kind_zh, kind_en = self.kind_labels(kind)
        label_zh = self.label(iri, "zh") or self.label(iri, "en") or record_id
        label_en = self.label(iri, "en")
        view = RecordView(iri, kind, record_id, kind_zh, kind_en, label_zh, label_en if label_en != label_zh else None, self.rows(iri, page))
        if NamedNode(self.dj + "Amount") in self.graph.values(iri, RDF_TYPE):
            view.amount = self.amount_facts(iri, page)
            view.quote = self.quote(iri, page)
        view.amount_rows = self.amounts_linking_to(iri, page)
        view.linked_from = self.linked_from(iri, page, skip_amounts=bool(view.amount_rows))
        view.former_ids = [self.value(t.subject, page) for t in self.graph.pointing_to(iri, DCTERMS + "isReplacedBy")]
        for former in view.former_ids:  # a tombstone has no page of its own; show its id
            former.text = self.records.get(former.iri, ("", former.text))[1]
        return view

    def rows(self, iri: str, page: str) -> list[Row]:
        by_predicate: dict[str, list] = {}
        for triple in self.graph.by_subject.get(NamedNode(iri), ()):
            by_predicate.setdefault(triple.predicate.value, []).append(triple.object)
        ordered = sorted(by_predicate, key=lambda p: (self.key_order.get(p, len(self.key_order)), p))
        rows = []
        for predicate in ordered:
            zh, en = self.predicate_label(predicate)
            values = [self.value(o, page) for o in sorted(by_predicate[predicate], key=str)]
            rows.append(Row(self.key(predicate), zh, en, values))
        return rows

    def key(self, predicate: str) -> str:
        """The YAML key of a predicate, or its prefixed name for statements the build adds."""
        key = self.ontology.key_for(predicate)
        return key if key != predicate else self.names.name(predicate)

    def full_amount(self, iri) -> str:
        currency = self.text(iri, SCHEMA + "currency")
        unit = self.graph.value(iri, self.dj + "unit")
        if currency is not None:
            suffix = CURRENCY_SYMBOLS.get(currency.value, currency.value)
        elif unit is not None:
            local = unit.value[len(self.dj):]
            suffix = UNIT_SYMBOLS.get(local) or self.label(unit, "zh") or local
        else:
            suffix = ""
        value = self.graph.value(iri, SCHEMA + "value")
        low, high = self.graph.value(iri, SCHEMA + "minValue"), self.graph.value(iri, SCHEMA + "maxValue")
        parts = self.graph.value(iri, self.dj + "parts")
        if value is not None:
            number = group_digits(value.value)
        elif low is not None and high is not None:
            number = f"{group_digits(low.value)}–{group_digits(high.value)}"
        elif parts is not None:
            return " : ".join(group_digits(i.value) for i in self.list_items(parts))
        else:
            number = "?"
        return f"{number} {suffix}".strip()

    def amount_facts(self, iri: str, page: str) -> AmountFacts:
        def concept(predicate):
            obj = self.graph.value(iri, self.dj + predicate)
            return self.value(obj, page) if obj is not None else None

        as_written = self.text(iri, self.dj + "asWritten")
        year = self.graph.value(iri, self.dj + "year")
        annual = None
        annual_node = self.graph.value(iri, self.dj + "annualEquivalent")
        if annual_node is not None and self.graph.value(annual_node, SCHEMA + "value") is not None:
            derivation = self.text(annual_node, self.dj + "derivation")
            annual = {"full": self.full_amount(annual_node), "derivation": derivation.value if derivation else None}
        return AmountFacts(self.full_amount(iri), as_written.value if as_written else None, concept("bound"),
                           concept("period"), concept("per"), year.value if year else None, annual)

    def quote(self, iri: str, page: str) -> Quote | None:
        quote = self.text(iri, self.dj + "quote")
        if quote is None:
            return None
        source = self.graph.value(iri, PROV_DERIVED_FROM)
        if source is None:
            return Quote(quote.value, quote.language, None, None, None, None, None)
        title = self.text(source, DCTERMS + "title")
        publisher = self.graph.value(source, DCTERMS + "publisher")
        date = self.graph.value(source, DCTERMS + "issued")
        note = self.text(source, self.dj + "dateNote")
        return Quote(quote.value, quote.language, self.value(source, page), title.value if title else None,
                     self.value(publisher, page) if publisher is not None else None,
                     date.value if date is not None else None, note.value if note else None)

    # --- what links here -------------------------------------------------------------------

    def amounts_linking_to(self, iri: str, page: str) -> list[dict]:
        """Amounts that name this record (their place, organisation, measure, policy, source)."""
        amount_class = NamedNode(self.dj + "Amount")
        amounts = sorted({t.subject.value for t in self.graph.pointing_to(iri)
                          if isinstance(t.subject, NamedNode) and amount_class in self.graph.values(t.subject, RDF_TYPE)})
        return [self.amount_row(a, page) for a in amounts]

    def amount_row(self, iri: str, page: str) -> dict:
        facts = self.amount_facts(iri, page)
        measure = self.graph.value(iri, self.dj + "measure")
        place = self.graph.value(iri, DCTERMS + "spatial")
        source = self.graph.value(iri, PROV_DERIVED_FROM)
        return {
            "amount": self.value(NamedNode(iri), page),
            "measure": self.value(measure, page) if measure is not None else None,
            "place": self.value(place, page) if place is not None else None,
            "facts": facts,
            "source": self.value(source, page) if source is not None else None,
        }

    def linked_from(self, iri: str, page: str, skip_amounts: bool) -> list[Row]:
        amount_class = NamedNode(self.dj + "Amount")
        by_predicate: dict[str, list] = {}
        for triple in self.graph.pointing_to(iri):
            subject = triple.subject
            if not isinstance(subject, NamedNode) or subject.value not in self.records:
                continue
            if skip_amounts and amount_class in self.graph.values(subject, RDF_TYPE):
                continue
            if triple.predicate.value in (DCTERMS + "isReplacedBy", OWL + "sameAs"):
                continue
            by_predicate.setdefault(triple.predicate.value, []).append(subject)
        rows = []
        for predicate in sorted(by_predicate, key=lambda p: (self.key_order.get(p, 999), p)):
            zh, en = self.predicate_label(predicate)
            rows.append(Row(self.key(predicate), zh, en, [self.value(s, page) for s in sorted(by_predicate[predicate], key=str)]))
        return rows

    # --- indexes ---------------------------------------------------------------------------

    def live_records(self, kind: str) -> list[str]:
        return [iri for iri, (k, _i) in self.records.items() if k == kind and self.graph.tombstone(iri) is None]

    def index_rows(self, kind: str) -> list[dict]:
        page = index_path(kind)
        rows = []
        for iri in self.live_records(kind):
            zh, en = self.label(iri, "zh"), self.label(iri, "en")
            rows.append({"id": self.records[iri][1], "href": relative(doc_path(kind, self.records[iri][1]), page),
                         "zh": zh or "", "en": en if en != zh else ""})
        return rows
