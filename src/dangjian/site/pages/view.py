"""What a page shows, read from the published graph: plain data for the templates.

Nothing here writes HTML; the templates do. Values are read generically: a record's
properties come in the order of the context's keys, each labelled with the ontology's
Chinese and English labels, and every link to a record becomes a link to its page.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode

from ...dataset.graph import Graph
from ...model.ontology import Ontology
from ...formats.turtle import TurtleWriter
from ...model.namespaces import DCTERMS, OA, OWL, PROV_DERIVED_FROM, RDF_FIRST, RDF_REST, RDF_TYPE, SCHEMA
from ...model.terms import display_language

# The label a page shows for a node: Simplified Chinese, else Traditional, else English.
LABEL_LANGUAGES = ("zh-Hans", "zh-Hant", "zh", "en")

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


def kind_links(ontology: Ontology) -> list[dict]:
    """The kinds of record, with their Chinese and English labels, for every page's navigation."""
    out = []
    for name, kind in ontology.kinds.items():
        labels = ontology.labels.get(kind.shape_iri, {})
        out.append({"name": name, "zh": labels.get("zh-Hans", name), "en": labels.get("en", name)})
    return out


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
    as_written: Value | None
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
    title: Value | None
    publisher: Value | None
    date: str | None
    date_note: str | None


@dataclass
class SourceQuote:
    """A quote taken from a source, in its context there (oa:prefix, oa:exact, oa:suffix)."""

    amount: Value
    prefix: str
    exact: str
    suffix: str
    language: str | None


@dataclass
class RecordView:
    iri: str
    kind: str
    record_id: str
    kind_zh: str
    kind_en: str
    label: Value  # in Chinese when the record has a Chinese label, with its language
    label_en: str | None  # the English label beside a Chinese one
    rows: list[Row]
    amount: AmountFacts | None = None
    quote: Quote | None = None
    amount_rows: list[dict] = field(default_factory=list)
    linked_from: list[Row] = field(default_factory=list)
    former_ids: list[Value] = field(default_factory=list)
    quotes: list[SourceQuote] = field(default_factory=list)  # on a source's page: every quote taken from it
    capture_sha256: str | None = None

    @property
    def label_zh(self) -> str:
        return self.label.text


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

    def shown_label(self, node) -> tuple[str, str] | None:
        """(text, language) of the label a page shows for a node, or None when it has none."""
        node = NamedNode(node) if isinstance(node, str) else node
        texts: dict[str, str] = {}
        for triple in self.graph.label_triples(node):
            if isinstance(triple.object, Literal) and triple.object.language:
                texts.setdefault(display_language(triple.object.language), triple.object.value)
        return next(((texts[lang], lang) for lang in LABEL_LANGUAGES if lang in texts), None)

    def literal(self, literal: Literal | None) -> Value | None:
        if literal is None:
            return None
        return Value(literal.value, display_language(literal.language) if literal.language else None)

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
        shown = self.shown_label(obj)
        en = self.label(obj, "en")
        english = en if shown and en and en != shown[0] else None
        if split:
            text, language = shown or (split[1], None)
            return Value(text, language, relative(doc_path(*split), page), obj.value, english)
        if shown:
            return Value(shown[0], shown[1], None, obj.value, english)
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
        text, language = self.shown_label(iri) or (record_id, None)
        label_en = self.label(iri, "en")
        view = RecordView(iri, kind, record_id, kind_zh, kind_en, Value(text, language),
                          label_en if label_en and label_en != text else None, self.rows(iri, page))
        if NamedNode(self.dj + "Amount") in self.graph.values(iri, RDF_TYPE):
            view.amount = self.amount_facts(iri, page)
            view.quote = self.quote(iri, page)
        view.quotes = self.quotes_from(iri, page)
        capture = self.text(iri, self.dj + "captureSha256")
        view.capture_sha256 = capture.value if capture is not None else None
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
        return AmountFacts(self.full_amount(iri), self.literal(as_written), concept("bound"),
                           concept("period"), concept("per"), year.value if year else None, annual)

    def quote(self, iri: str, page: str) -> Quote | None:
        quote = self.text(iri, self.dj + "quote")
        if quote is None:
            return None
        source = self.graph.value(iri, PROV_DERIVED_FROM)
        if source is None:
            return Quote(quote.value, display_language(quote.language) if quote.language else None, None, None, None, None, None)
        title = self.text(source, DCTERMS + "title")
        publisher = self.graph.value(source, DCTERMS + "publisher")
        date = self.graph.value(source, DCTERMS + "issued")
        note = self.text(source, self.dj + "dateNote")
        return Quote(quote.value, display_language(quote.language) if quote.language else None, self.value(source, page), self.literal(title),
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
        """The records that link to this one, under the name of each link seen from here: the
        inverse property's label (owl:inverseOf in the vocabulary), never the forward one."""
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
        for predicate in sorted(by_predicate, key=lambda p: (self.key_order.get(p, len(self.key_order)), p)):
            zh, en, key = self.inverse_label(predicate)
            values = sorted((self.value(s, page) for s in by_predicate[predicate]), key=lambda v: (v.text, v.iri or ""))
            rows.append(Row(key, zh, en, values))
        return rows

    def inverse_label(self, predicate: str) -> tuple[str, str, str]:
        """(Chinese label, English label, prefixed name) of a link read backwards."""
        inverse = self.ontology.inverses.get(predicate)
        if inverse is not None and inverse in self.ontology.labels:
            zh, en = self.predicate_label(inverse)
            return zh, en, self.names.name(inverse)
        # No inverse in the vocabulary: the forward name, marked as read backwards.
        zh, en = self.predicate_label(predicate)
        return f"以此为「{zh}」", f"has this as {en}", "^" + self.names.name(predicate)

    def quotes_from(self, iri: str, page: str) -> list[SourceQuote]:
        """Every quote taken from this source, with the text around it there (from the selectors
        the build derives from the source's cleaned text)."""
        quotes = []
        for triple in self.graph.pointing_to(iri, OA + "hasSource"):
            target = triple.subject
            selector = self.graph.value(target, OA + "hasSelector")
            exact = self.text(selector, OA + "exact") if selector is not None else None
            if exact is None or not isinstance(target, NamedNode):
                continue
            amount = target.value.partition("#")[0]
            if amount not in self.records:
                continue
            prefix, suffix = self.text(selector, OA + "prefix"), self.text(selector, OA + "suffix")
            quotes.append(SourceQuote(self.value(NamedNode(amount), page), prefix.value if prefix else "", exact.value,
                                      suffix.value if suffix else "",
                                      display_language(exact.language) if exact.language else None))
        return sorted(quotes, key=lambda q: (q.amount.iri or "", q.exact))

    # --- indexes ---------------------------------------------------------------------------

    def live_records(self, kind: str) -> list[str]:
        return [iri for iri, (k, _i) in self.records.items() if k == kind and self.graph.tombstone(iri) is None]

    def index_rows(self, kind: str) -> list[dict]:
        page = index_path(kind)
        rows = []
        for iri in self.live_records(kind):
            record_id = self.records[iri][1]
            shown = self.shown_label(iri)
            en = self.label(iri, "en")
            chinese = Value(*shown) if shown and shown[1] != "en" else None
            rows.append({"id": record_id, "href": relative(doc_path(kind, record_id), page),
                         "label": chinese, "en": en})  # either may be None: the cell stays empty
        return rows
