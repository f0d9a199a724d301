"""Render the site's HTML pages with Jinja2: the same bytes whether served or written out.

Paths are relative to the site root (``doc/place/anhui.html``); links between pages are
relative too, so the site works at any path and from a folder on disk.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ...dataset import cite
from ...dataset.graph import Graph
from ...model.ontology import Ontology
from ...formats.documents import RDF_FORMATS
from .chart import bar_chart
from .compare import Comparison, comparison_data, load_comparisons
from .view import Value, Views, doc_path, index_path, kind_links, relative
from .vocabulary import VocabularyView

VOCABULARY_PAGE = "ontology.html"


@dataclass
class SiteFacts:
    """What the home page and citations say about the dataset as a whole."""

    dataset: str
    version: str
    base: str
    triples: int
    issued: str | None = None  # the release date, when this build is a release
    downloads: list[dict] = field(default_factory=list)  # name, href, media_type, bytes, sha256
    description: str = ""

    @property
    def sparql(self) -> str:
        return self.base + "sparql"


@dataclass(frozen=True)
class Stylesheet:
    path: str  # from the site root: static/site.{hash}.css
    body: bytes


@lru_cache(maxsize=1)
def stylesheet() -> Stylesheet:
    """The site's one stylesheet, linked from every page rather than copied into each. Its name
    carries a hash of its content: a page names the stylesheet it was made with, so the
    stylesheet may be kept for good (``Cache-Control: immutable``, :func:`..resolve.cache_control`)."""
    body = (files("dangjian.site.pages") / "static" / "site.css").read_bytes()
    return Stylesheet(f"static/site.{hashlib.sha256(body).hexdigest()[:12]}.css", body)


@lru_cache(maxsize=1)
def templates() -> Environment:
    env = Environment(loader=PackageLoader("dangjian.site.pages", "templates"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.globals["stylesheet"] = stylesheet().path  # each page links it from its `root`
    return env


def not_found_page(ontology: Ontology, dataset: str, version: str, message: str, root: str = "/") -> bytes:
    """The 404 page for browsers, answered at whatever path was asked: its links start from
    ``root``, the path the site root is served at (so it needs no graph, only the kinds)."""
    html = templates().get_template("404.html").render(dataset=dataset, version=version, kinds=kind_links(ontology),
                                                       root=root, message=message)
    return html.encode("utf-8")


@dataclass(frozen=True)
class Marked:
    """A text in English but for one part, written in ``language`` (macros.html: ``marked``)."""

    before: str
    part: str = ""
    language: str | None = None
    after: str = ""


def with_language(text: str, part: str, language: str | None) -> Marked:
    """``text`` with its first ``part`` marked as written in ``language``; unmarked when the part
    is English or not in the text as it stands."""
    if not language or language == "en" or not part or part not in text:
        return Marked(text)
    before, _, after = text.partition(part)
    return Marked(before, part, language, after)


class Pages:
    def __init__(self, graph: Graph, ontology: Ontology, facts: SiteFacts):
        self.graph = graph
        self.ontology = ontology
        self.facts = facts
        self.views = Views(graph, ontology)
        self.env = templates()
        self.comparisons = load_comparisons()

    # --- the pages ---------------------------------------------------------------------------

    def paths(self) -> list[str]:
        """Every page of the site."""
        paths = ["index.html"]
        paths += [index_path(kind) for kind in self.ontology.kinds]
        paths += [doc_path(kind, record_id) for iri, (kind, record_id) in self.views.records.items()
                  if self.graph.tombstone(iri) is None]
        paths += [c.path for c in self.comparisons]
        paths.append(VOCABULARY_PAGE)
        return paths

    def page(self, path: str) -> bytes | None:
        """One page by its path, or None when the site has no such page."""
        if path == "index.html":
            return self.home()
        if path == VOCABULARY_PAGE:
            return self.vocabulary()
        parts = path.split("/")
        if len(parts) == 3 and parts[0] == "doc" and parts[1] in self.ontology.kinds:
            kind, name = parts[1], parts[2]
            if name == "index.html":
                return self.index(kind)
            if name.endswith(".html"):
                iri = self.ontology.record_iri(kind, name[:-5])
                if iri in self.views.records and self.graph.tombstone(iri) is None:
                    return self.record(iri)
        if len(parts) == 2 and parts[0] == "compare":
            for comparison in self.comparisons:
                if comparison.path == path:
                    return self.comparison(comparison)
        return None

    def all(self) -> dict[str, bytes]:
        return {path: self.page(path) for path in self.paths()}

    def _render(self, template: str, page: str, root: str | None = None, **context) -> bytes:
        """A page at ``page`` (from the site root); its links are relative, unless ``root`` says
        where the site root is (for a page answered at any path, such as 404)."""
        if root is None:
            root = relative("index.html", page).removesuffix("index.html")
        html = self.env.get_template(template).render(
            dataset=self.facts.dataset, version=self.facts.version, kinds=kind_links(self.ontology), root=root, **context)
        return html.encode("utf-8")

    def title_language(self, iri: str) -> str | None:
        """The language of a citation's title (the label :meth:`citation` takes), or None."""
        shown = self.views.shown_label(iri)
        return shown[1] if shown else None

    def citation(self, iri: str, accessed=None) -> cite.Citation:
        kind, record_id = self.views.records[iri]
        zh, en = self.views.label(iri, "zh"), self.views.label(iri, "en")
        return cite.Citation(zh or en or record_id, en if zh else None, kind, record_id, iri, self.facts.dataset,
                             self.facts.version, self.facts.issued, accessed)

    def record(self, iri: str) -> bytes:
        view = self.views.record(iri)
        page = doc_path(view.kind, view.record_id)
        chart = None
        if view.kind == "measure":
            data = comparison_data(self.views, Comparison("", "", "", "", "", (view.record_id,)), page)
            if data["bars"]:
                chart = bar_chart(data["bars"], f"{view.label.text}:每年金额(元) yuan per year")
        citation = self.citation(iri)
        # The citation is English with the record's title in its own language.
        title, language = citation.title, self.title_language(iri)
        return self._render("record.html", page, r=view, formats=RDF_FORMATS, chart=chart,
                            citation_text=with_language(cite.text(citation), title, language),
                            citation_bibtex=with_language(cite.bibtex(citation), title, language),
                            citation_ris=with_language(cite.ris(citation), title, language))

    def vocabulary(self) -> bytes:
        """The vocabulary's reference page (ontology.html, what /ontology gives a browser)."""
        view = VocabularyView(self.ontology)
        return self._render("vocabulary.html", VOCABULARY_PAGE, about=view.about(), classes=view.classes(),
                            properties=view.properties(), reused=view.reused(), schemes=view.schemes(), resources=view.resources(),
                            shapes=view.kind_shapes())

    def index(self, kind: str) -> bytes:
        zh, en = self.views.kind_labels(kind)
        return self._render("index.html", index_path(kind), kind_zh=zh, kind_en=en, rows=self.views.index_rows(kind))

    def comparison(self, comparison: Comparison) -> bytes:
        data = comparison_data(self.views, comparison)
        chart = bar_chart(data["bars"], f"{comparison.title_zh} · {comparison.title_en}") if data["bars"] else None
        return self._render("compare.html", comparison.path, c=comparison, measures=data["measures"],
                            data_rows=data["rows"], chart=chart, missing=data["missing"])

    def home(self) -> bytes:
        counts = []
        for kind in self.ontology.kinds:
            zh, en = self.views.kind_labels(kind)
            counts.append({"name": kind, "zh": zh, "en": en, "count": len(self.views.live_records(kind))})
        return self._render("home.html", "index.html", counts=counts, total=sum(c["count"] for c in counts),
                            triples=f"{self.facts.triples:,}", comparisons=self.comparisons, downloads=self.facts.downloads,
                            base=self.facts.base, issued=self.facts.issued, sparql=self.facts.sparql,
                            void_href=".well-known/void", dataset_jsonld=self.dataset_jsonld())

    def dataset_jsonld(self) -> str:
        facts = self.facts
        data = {
            "@context": "https://schema.org/",
            "@type": "Dataset",
            "@id": facts.base + "dataset",
            "name": f"{facts.dataset}: 基层党建知识库",
            "description": facts.description,
            "url": facts.base,
            "version": facts.version,
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "inLanguage": ["zh-Hans", "zh-Hant", "en"],
            "creator": {"@type": "Organization", "name": cite.DATASET_AUTHOR},
            "isAccessibleForFree": True,
            "distribution": [
                {"@type": "DataDownload", "name": d["name"], "contentUrl": facts.base + d["href"],
                 "encodingFormat": d["media_type"], "contentSize": f"{d['bytes']} B", "sha256": d["sha256"]}
                for d in facts.downloads
            ],
        }
        if facts.issued:
            data["datePublished"] = facts.issued
        # Escaped so that no text can close the script element early.
        return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")

    def not_found(self, message: str, root: str = "/") -> bytes:
        return not_found_page(self.ontology, self.facts.dataset, self.facts.version, message, root)

    def gone(self, iri: str) -> bytes:
        kind, record_id = self.views.records[iri]
        reasons = [self.views.literal(o) for o in self.graph.values(iri, self.ontology.vocabulary_iri + "withdrawalReason")]
        shown = self.views.shown_label(iri)
        return self._render("gone.html", f"gone/{kind}/{record_id}.html", iri=iri, record_id=record_id,
                            label=Value(*shown) if shown else None, reasons=reasons)
