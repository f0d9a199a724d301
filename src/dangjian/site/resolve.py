"""What each path of the published site answers: a document, a redirect, or Gone.

One place decides, for the server (:mod:`dangjian.serve.records`) and for the static site and
its rewrite rules (:mod:`dangjian.site.static`), so that both behave the same:

- ``/id/{kind}/{id}``: 303 See Other to ``/doc/{kind}/{id}.{ext}`` for the format asked for;
  301 to the new URI for a tombstone with a replacement; 410 Gone for a withdrawn record.
- ``/doc/{kind}/{id}.{ext}``: the record's description or page, with ``Link`` headers naming
  the other formats; 301 and 410 likewise for tombstones.

Paths are relative to the site's root, onto which the base IRI's path maps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..dataset.graph import Graph
from ..model.ontology import Ontology
from .pages.render import Pages, SiteFacts
from .pages.view import doc_path
from ..formats.documents import BY_EXTENSION, FORMATS, HTML, Format, render_document
from .conneg import negotiate

DOCUMENT_HEADER = "{dataset} {version}: the description of {iri}. Data: CC BY 4.0."


@dataclass
class Answer:
    status: int
    body: bytes = b""
    media_type: str | None = None
    location: str | None = None  # a path from the site root, without the leading slash
    headers: dict[str, str] = field(default_factory=dict)


def link_header(kind: str, record_id: str, root: str = "/", but: str | None = None) -> str:
    """``Link`` naming each format of a record's document (all but ``but``)."""
    return ", ".join(f'<{root}{doc_path(kind, record_id, f.extension)}>; rel="alternate"; type="{f.media_type}"'
                     for f in FORMATS if f.extension != but)


def not_acceptable_body() -> bytes:
    lines = ["406 Not Acceptable: this record is available as:"]
    lines += [f"  {f.media_type} (.{f.extension})" for f in FORMATS]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Site:
    def __init__(self, graph: Graph, ontology: Ontology, facts: SiteFacts, prefixes: dict[str, str]):
        self.graph = graph
        self.ontology = ontology
        self.facts = facts
        self.prefixes = prefixes
        self.pages = Pages(graph, ontology, facts)
        self.records = graph.records()

    def iri(self, kind: str, record_id: str) -> str | None:
        """The record's IRI when the site has it (live or tombstone); None for anything else."""
        if kind not in self.ontology.kinds or not self.ontology.id_pattern.fullmatch(record_id):
            return None
        iri = self.ontology.record_iri(kind, record_id)
        return iri if iri in self.records else None

    def description(self, iri: str, extension: str) -> bytes:
        header = DOCUMENT_HEADER.format(dataset=self.facts.dataset, version=self.facts.version, iri=iri)
        return render_document(self.graph.describe(iri), extension, self.ontology, self.prefixes, header)

    def body(self, iri: str, fmt: Format) -> bytes:
        if fmt is HTML:
            return self.pages.record(iri)
        return self.description(iri, fmt.extension)

    def tombstone_answer(self, iri: str, fmt: Format, id_path: bool) -> Answer | None:
        tombstone = self.graph.tombstone(iri)
        if tombstone is None:
            return None
        state, replacement = tombstone
        if state == "replaced":
            kind, new_id = self.records[replacement]
            target = f"id/{kind}/{new_id}" if id_path else doc_path(kind, new_id, fmt.extension)
            return Answer(301, location=target)
        body = self.pages.gone(iri) if fmt is HTML else self.description(iri, fmt.extension)
        return Answer(410, body, fmt.media_type)

    def record_uri(self, kind: str, record_id: str, accept: str | None) -> Answer:
        """GET /id/{kind}/{id}."""
        iri = self.iri(kind, record_id)
        if iri is None:
            return Answer(404, b"404 Not Found: no record has this URI\n", "text/plain")
        fmt = negotiate(accept)
        if fmt is None:
            return Answer(406, not_acceptable_body(), "text/plain", headers={"Vary": "Accept", "Link": link_header(kind, record_id)})
        answer = self.tombstone_answer(iri, fmt, id_path=True)
        if answer is not None:
            answer.headers["Vary"] = "Accept"
            return answer
        return Answer(303, location=doc_path(kind, record_id, fmt.extension), headers={"Vary": "Accept"})

    def document(self, kind: str, name: str) -> Answer:
        """GET /doc/{kind}/{id}.{ext}."""
        record_id, dot, extension = name.rpartition(".")
        iri = self.iri(kind, record_id) if dot else None
        if iri is None:
            return Answer(404, b"404 Not Found: no record has this document\n", "text/plain")
        fmt = BY_EXTENSION.get(extension)
        if fmt is None:
            known = ", ".join(f".{f.extension} ({f.media_type})" for f in FORMATS)
            return Answer(404, f"404 Not Found: no .{extension} document; there are {known}\n".encode(), "text/plain")
        answer = self.tombstone_answer(iri, fmt, id_path=False)
        if answer is not None:
            return answer
        return Answer(200, self.body(iri, fmt), fmt.media_type, headers={"Link": link_header(kind, record_id, but=extension)})
