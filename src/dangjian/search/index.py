"""The search index: BM25F over the published graph's labels, descriptions, quotes and source titles.

Documents are the published records (tombstones left out), read from the build in dist/ through
:attr:`KnowledgeBase.store` with SPARQL. Which predicates make each field comes from the YAML keys
named in ``FIELDS``, looked up in ontology/context.jsonld. Texts are put in their search form
(Simplified script) and cut by the project's jieba; so a Traditional query finds Simplified
records and the reverse. English texts (every record's English label, English notes) make a field
of their own beside each field (``label:en``), with the same weight: a Chinese word never occurs in
them, so their length does not dilute the Chinese texts' scores, and an English query finds them.

The index is kept in ``.cache/search/`` under a key made of the build's manifest, the domain
dictionary and this module's ``VERSION``: a new build or dictionary makes a new index.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..dataset.published import KnowledgeBase
from ..model.terms import display_language
from .highlight import Snippet, snippet
from ..text.normalise import search_form
from .segment import Segmenter

VERSION = 3  # of the index format and tokens: change it when either changes
# field -> (YAML keys whose values it holds, weight). Labels weigh most.
FIELDS: dict[str, tuple[tuple[str, ...], float]] = {
    "label": (("label", "alt_label"), 3.0),
    "title": (("title", "title_note"), 2.0),
    "quote": (("quote",), 1.5),
    "description": (("description", "note"), 1.0),
}
# A query found as written (its search form, spaces dropped) raises a record's score by this share.
EXACT_LABEL_BONUS, IN_LABEL_BONUS, IN_TEXT_BONUS = 0.5, 0.25, 0.1
K1 = 1.2
B = 0.75
LANGUAGE_ORDER = ("zh-hans", "zh-hant", "zh", "", "en")  # Oxigraph gives tags in lowercase
ENGLISH = ":en"  # the suffix of a field's English texts


def field_names() -> list[str]:
    """Every field, each followed by its English one."""
    return [name + suffix for name in FIELDS for suffix in ("", ENGLISH)]


def weight_of(name: str) -> float:
    return FIELDS[name.removesuffix(ENGLISH)][1]


@dataclass
class Document:
    uri: str
    kind: str
    id: str
    label: str
    texts: dict[str, list[str]] = field(default_factory=dict)  # field -> texts as written
    languages: dict[str, str] = field(default_factory=dict)  # a text -> its language tag (BCP 47 case), if it has one

    def language(self, text: str) -> str | None:
        return self.languages.get(text)


@dataclass(frozen=True)
class Hit:
    uri: str
    kind: str
    id: str
    label: str
    score: float
    field: str
    snippet: Snippet
    matched: tuple[str, ...]
    label_language: str | None = None  # BCP 47 case (zh-Hans), for HTML lang
    snippet_language: str | None = None

    def as_json(self) -> dict:
        return {"uri": self.uri, "kind": self.kind, "id": self.id, "label": self.label,
                "label_language": self.label_language, "score": round(self.score, 4),
                "field": self.field, "snippet": self.snippet.text, "highlights": [list(s) for s in self.snippet.spans],
                "snippet_marked": self.snippet.marked(), "matched": list(self.matched)}


@dataclass
class Results:
    """A query's ranked matches: ``total`` of them, made into hits a page at a time."""

    index: "SearchIndex"
    ranked: list[tuple[int, float, list[str]]]  # document number, score, matched words

    @property
    def total(self) -> int:
        return len(self.ranked)

    def hits(self, offset: int = 0, limit: int | None = None) -> list[Hit]:
        chosen = self.ranked[offset:] if limit is None else self.ranked[offset:offset + limit]
        return [self.index.hit(number, score, words) for number, score, words in chosen]


def cache_folder(kb: KnowledgeBase) -> Path:
    return kb.project.cache


def segmenter_for(kb: KnowledgeBase) -> Segmenter:
    return Segmenter(cache_folder(kb) / "jieba")


def read_documents(kb: KnowledgeBase) -> list[Document]:
    """Every published record with its texts, by SPARQL over the build."""
    ontology = kb.ontology
    predicates = {ontology.terms[key].predicate: name for name, (keys, _w) in FIELDS.items() for key in keys
                  if key in ontology.terms}
    values = " ".join(f"<{p}>" for p in predicates)
    tombstone = " ".join(f"<{p}>" for p in sorted(ontology.tombstone_predicates))
    query = (f"SELECT ?s ?p ?o WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o . FILTER(isIRI(?s) && isLiteral(?o)) "
             f"FILTER NOT EXISTS {{ VALUES ?t {{ {tombstone} }} ?s ?t ?x }} }}")
    docs: dict[str, Document] = {}
    labels: dict[str, list[tuple[int, str]]] = defaultdict(list)
    languages: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)  # subject -> text -> (rank, tag)
    label_predicate = ontology.terms["label"].predicate
    for row in kb.store.query(query):
        subject, predicate, literal = row["s"].value, row["p"].value, row["o"]
        split = ontology.split_record_iri(subject)
        if split is None or "#" in subject:
            continue
        kind, record_id = split
        doc = docs.get(subject)
        if doc is None:
            doc = docs[subject] = Document(subject, kind, record_id, record_id)
        language = (literal.language or "").lower()
        name = predicates[predicate] + (ENGLISH if language == "en" or language.startswith("en-") else "")
        doc.texts.setdefault(name, []).append(literal.value)
        rank = LANGUAGE_ORDER.index(language) if language in LANGUAGE_ORDER else len(LANGUAGE_ORDER)
        if language:  # a text written alike in two scripts takes the first language of LANGUAGE_ORDER
            known = languages[subject].get(literal.value)
            if known is None or (rank, language) < known:
                languages[subject][literal.value] = (rank, language)
        if predicate == label_predicate:
            labels[subject].append((rank, literal.value))
    for subject, doc in docs.items():
        doc.languages = {text: display_language(tag) for text, (_rank, tag) in sorted(languages[subject].items())}
        if labels[subject]:
            doc.label = min(labels[subject])[1]
        for texts in doc.texts.values():
            texts.sort()
    return sorted(docs.values(), key=lambda d: d.uri)


class SearchIndex:
    def __init__(self, documents: list[Document], postings: dict[str, list[list]], lengths: list[dict[str, int]],
                 segmenter: Segmenter):
        self.documents = documents
        self.postings = postings  # term -> [[doc, {field: tf}], …]
        self.lengths = lengths  # per document: field -> number of tokens
        self.segmenter = segmenter
        n = len(documents)
        self.average = {name: (sum(l.get(name, 0) for l in lengths) / n if n else 0.0) or 1.0 for name in field_names()}

    # --- making ------------------------------------------------------------------------------

    @classmethod
    def build(cls, documents: list[Document], segmenter: Segmenter) -> "SearchIndex":
        postings: dict[str, list[list]] = defaultdict(list)
        lengths = []
        for number, doc in enumerate(documents):
            counts: dict[str, Counter] = {}
            length = {}
            for name, texts in doc.texts.items():
                tokens = [t for text in texts for t in segmenter.tokens(text)]
                counts[name] = Counter(tokens)
                length[name] = len(tokens)
            lengths.append(length)
            for term in sorted(set().union(*counts.values()) if counts else ()):
                postings[term].append([number, {name: c[term] for name, c in counts.items() if c[term]}])
        return cls(documents, dict(postings), lengths, segmenter)

    @classmethod
    def open(cls, kb: KnowledgeBase, use_cache: bool = True) -> "SearchIndex":
        """The index of kb's build, from the cache when it holds one for this build and dictionary."""
        segmenter = segmenter_for(kb)
        key = cls.cache_key(kb, segmenter)
        path = cache_folder(kb) / "search" / f"index-{key[:16]}.json"
        if use_cache and path.is_file():
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
                docs = [Document(**d) for d in data["documents"]]
                return cls(docs, data["postings"], data["lengths"], segmenter)
            except (ValueError, KeyError, TypeError):
                pass
        index = cls.build(read_documents(kb), segmenter)
        if use_cache:
            try:
                index.save(path)
            except OSError:
                pass  # a read-only project: the index is made again next time
        return index

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("index-*.json"):
            old.unlink(missing_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps({"documents": [d.__dict__ for d in self.documents],
                                         "postings": self.postings, "lengths": self.lengths},
                                        ensure_ascii=False), encoding="utf-8")
        temporary.replace(path)

    @staticmethod
    def cache_key(kb: KnowledgeBase, segmenter: Segmenter) -> str:
        digest = hashlib.sha256(f"search index {VERSION}\n".encode())
        digest.update(json.dumps(kb.manifest, sort_keys=True).encode())
        for path in segmenter.files:
            digest.update(path.read_bytes() if path.is_file() else b"")
        return digest.hexdigest()

    # --- searching ---------------------------------------------------------------------------

    def idf(self, term: str) -> float:
        n, df = len(self.documents), len(self.postings.get(term, ()))
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def query_terms(self, query: str) -> list[str]:
        return list(dict.fromkeys(self.segmenter.tokens(query)))

    def search(self, query: str, kind: str | None = None, limit: int | None = 10, offset: int = 0) -> list[Hit]:
        return self.results(query, kind).hits(offset, limit)

    def results(self, query: str, kind: str | None = None) -> "Results":
        """Every record the query finds, ranked; hits are made (with their snippets) a page at a time."""
        terms = self.query_terms(query)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, list[str]] = defaultdict(list)
        for term in terms:
            idf = self.idf(term)
            for number, tfs in self.postings.get(term, ()):
                doc = self.documents[number]
                if kind and doc.kind != kind:
                    continue
                length = self.lengths[number]
                weighted = sum(weight_of(name) * tf / (1 - B + B * length.get(name, 0) / self.average[name])
                               for name, tf in tfs.items())
                scores[number] += idf * weighted / (K1 + weighted)
                matched[number].append(term)
        phrase = "".join(search_form(query).split())
        if len(phrase) > 1:
            for number in scores:
                scores[number] *= 1 + self.phrase_bonus(self.documents[number], phrase)
        ranked = sorted(scores, key=lambda d: (-round(scores[d], 9), self.documents[d].uri))
        return Results(self, [(number, scores[number], matched[number]) for number in ranked])

    @staticmethod
    def phrase_bonus(doc: Document, phrase: str) -> float:
        """The query written as it stands: as a whole label, inside a label, or inside another field."""
        labels = [search_form(t) for name in ("label", "label" + ENGLISH) for t in doc.texts.get(name, ())]
        if phrase in labels:
            return EXACT_LABEL_BONUS
        if any(phrase in label for label in labels):
            return IN_LABEL_BONUS
        if any(phrase in search_form(t) for name, texts in doc.texts.items() if not name.startswith("label") for t in texts):
            return IN_TEXT_BONUS
        return 0.0

    def hit(self, number: int, score: float, words: list[str]) -> Hit:
        doc = self.documents[number]
        best, best_weight = None, -1.0
        for name in field_names():
            for text in doc.texts.get(name, ()):
                found = snippet(text, words)
                covered = sum(e - s for s, e in found.spans)
                # The label is shown anyway: another field is the snippet when it matches as much.
                value = covered * (1.0 if name != "label" else 0.99)
                if value > best_weight:
                    best, best_weight = (name.removesuffix(ENGLISH), found, text), value
        if best is None:
            best = ("label", snippet(doc.label, words), doc.label)
        return Hit(doc.uri, doc.kind, doc.id, doc.label, score, best[0], best[1], tuple(words),
                   doc.language(doc.label), doc.language(best[2]))
