"""What each path of the published site answers: a document, a redirect, or Gone.

One place decides, for the server (:mod:`dangjian.serve.records`) and for the static site and
its rewrite rules (:mod:`dangjian.site.static`), so that both behave the same:

- ``/id/{kind}/{id}``: 303 See Other to ``/doc/{kind}/{id}.{ext}`` for the format asked for;
  301 to the new URI for a tombstone with a replacement; 410 Gone for a withdrawn record.
- ``/doc/{kind}/{id}.{ext}``: the record's description or page, with ``Link`` headers naming
  the other formats; 301 and 410 likewise for tombstones.
- ``/ontology`` (the document of every ``{base}ontology#term``): 303 to ``/ontology.{ext}``,
  the vocabulary in that format, or its reference page.
- a folder of the site named without its trailing slash (``/doc/place``, ``/download``): 301 to
  the name with it, as nginx and Apache answer for a directory; any other path that names no
  file is a 404, a trailing slash too many or too few included (``/doc/place/anhui.html/``).

How long an answer may be kept (:func:`cache_control`) is decided here too; the validators
(ETag, Last-Modified), 304s, gzip and ranges are the server's mechanics (:mod:`dangjian.serve.caching`)
and the web servers' own for the static site.

Paths are relative to the site's root, onto which the base IRI's path maps.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ..dataset.graph import Graph
from ..formats.documents import BY_EXTENSION, FORMATS, HTML, Format, render_document
from ..formats.vocabulary import ONTOLOGY_PATH, vocabulary_document
from ..model.ontology import Ontology
from .conneg import negotiate
from .pages.render import Pages, SiteFacts, stylesheet
from .pages.view import doc_path

VOID_PATH = ".well-known/void.ttl"  # answered as /.well-known/void too
DOCUMENT_HEADER = "{dataset} {version}: the description of {iri}. Data: CC BY 4.0."


@dataclass
class Answer:
    status: int
    body: bytes = b""
    media_type: str | None = None
    location: str | None = None  # a path from the site root, without the leading slash
    headers: dict[str, str] = field(default_factory=dict)


# How long a client or a cache may keep an answer without asking again (RFC 9111): a release's
# files never change, nor does the stylesheet under its name (which names its content's hash);
# everything else may change with the next build.
CACHE_FOREVER = "public, max-age=31536000, immutable"
CACHE_A_WHILE = "public, max-age=3600"
IMMUTABLE = ("releases", "static")  # the folders whose files never change
CACHED_STATUSES = (200, 206, 301, 303, 304)  # as nginx's add_header without `always`


def entity_tag(body: bytes) -> str:
    """The strong ETag of a representation: its SHA-1 in base64, quoted, the tag Apache's
    ``FileETag Digest`` gives a file, so that the server and both static rule sets agree."""
    return '"' + base64.b64encode(hashlib.sha1(body).digest()).decode("ascii") + '"'


def cache_control(path: str) -> str:
    """Cache-Control for a path of the site (from the root, without the leading slash)."""
    return CACHE_FOREVER if path.startswith(tuple(f"{folder}/" for folder in IMMUTABLE)) else CACHE_A_WHILE


def link_header(kind: str, record_id: str, root: str = "/", but: str | None = None) -> str:
    """``Link`` naming each format of a record's document (all but ``but``)."""
    return ", ".join(f'<{root}{doc_path(kind, record_id, f.extension)}>; rel="alternate"; type="{f.media_type}"'
                     for f in FORMATS if f.extension != but)


def vocabulary_link_header(root: str = "/", but: str | None = None) -> str:
    return ", ".join(f'<{root}{ONTOLOGY_PATH}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
                     for f in FORMATS if f.extension != but)


# What a 404 says depends only on the path's first folder, so that the static site's rules, which
# choose one of a few files by the path, answer every 404 as the server does (body and all).
NOT_FOUND_IN = {
    "id": "no record has this URI",
    "doc": "no record or page has this address (a record's documents are doc/{kind}/{id}."
           + ", .".join(f.extension for f in FORMATS) + ")",
    "download": "no such download",
    "releases": "no such release file",
}
NOT_FOUND_ELSEWHERE = "no page or record has this address"


def not_found_folder(path: str) -> str | None:
    """The folder of NOT_FOUND_IN a path (from the root) is in, or None for any other path."""
    folder, slash, _rest = path.lstrip("/").partition("/")
    return folder if slash and folder in NOT_FOUND_IN else None


def not_found_message(path: str) -> str:
    folder = not_found_folder(path)
    return "404 Not Found: " + (NOT_FOUND_IN[folder] if folder else NOT_FOUND_ELSEWHERE)


def not_found_body(path: str) -> bytes:
    """The 404 for a program (the browser's page says the same, :func:`.pages.render.not_found_page`)."""
    return (not_found_message(path) + "\n").encode()


# The folders only the web servers' error documents read (410 bodies, 404 and 406 files): asked
# for by name, they are not found, like any path in them, and so are their folders.
HIDDEN = ("gone", "errors")


def folders(files: Iterable[str]) -> frozenset[str]:
    """The folders holding the site's files (paths from the root), the hidden ones left out: each
    a path from the root with no slash at either end (``doc``, ``doc/place``)."""
    found = set()
    for file in files:
        parts = file.split("/")[:-1]
        found.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
    return frozenset(folder for folder in found if folder.split("/")[0] not in HIDDEN)


def not_acceptable_body() -> bytes:
    """The 406 of record URIs and /ontology (one file of the static site, errors/406.txt)."""
    lines = ["406 Not Acceptable: this resource is available as:"]
    lines += [f"  {f.media_type} (.{f.extension})" for f in FORMATS]
    return ("\n".join(lines) + "\n").encode("utf-8")


class Site:
    def __init__(self, graph: Graph, ontology: Ontology, facts: SiteFacts, prefixes: dict[str, str],
                 release_files: Iterable[str] = ()):
        self.graph = graph
        self.ontology = ontology
        self.facts = facts
        self.prefixes = prefixes
        self.pages = Pages(graph, ontology, facts)
        self.records = graph.records()
        self.release_files = tuple(release_files)  # releases/{version}/{name}

    @cached_property
    def folders(self) -> frozenset[str]:
        """The site's folders (:func:`folders`), from the files it answers with: its pages (a
        kind's list among them, so every doc/{kind}), the stylesheet, the downloads and releases."""
        files = [*self.pages.paths(), stylesheet().path, VOID_PATH, *(d["href"] for d in self.facts.downloads),
                 *self.release_files]
        return folders(files)

    def folder(self, path: str) -> Answer:
        """GET a path (from the root) without a trailing slash that no file has: 301 to the same
        with one when it names a folder (:attr:`folders`), whose index.html may answer, else 404."""
        if path in self.folders:
            return Answer(301, location=path + "/")
        return Answer(404, not_found_body(path), "text/plain")

    def iri(self, kind: str, record_id: str) -> str | None:
        """The record's IRI when the site has it (live or tombstone); None for anything else."""
        if kind not in self.ontology.kinds or not self.ontology.id_pattern.fullmatch(record_id) or record_id == "index":
            return None  # (validation refuses the id `index`: doc/{kind}/index.html is the kind's list)
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
            return Answer(404, not_found_body(f"id/{kind}/{record_id}"), "text/plain")
        tombstone = self.graph.tombstone(iri)
        if tombstone is not None and tombstone[0] == "replaced":  # moved, whatever the format asked
            new_kind, new_id = self.records[tombstone[1]]
            return Answer(301, location=f"id/{new_kind}/{new_id}", headers={"Vary": "Accept"})
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
            return Answer(404, not_found_body(f"doc/{kind}/{name}"), "text/plain")
        fmt = BY_EXTENSION.get(extension)
        if fmt is None:
            return Answer(404, not_found_body(f"doc/{kind}/{name}"), "text/plain")
        answer = self.tombstone_answer(iri, fmt, id_path=False)
        if answer is not None:
            return answer
        return Answer(200, self.body(iri, fmt), fmt.media_type, headers={"Link": link_header(kind, record_id, but=extension)})

    def static_file(self, path: str) -> Answer:
        """GET /static/{name}: the stylesheet under the name the pages link (any other name 404)."""
        sheet = stylesheet()
        if path != sheet.path:
            return Answer(404, not_found_body(path), "text/plain")
        return Answer(200, sheet.body, "text/css")

    # --- the vocabulary ------------------------------------------------------------------------

    def vocabulary_uri(self, accept: str | None) -> Answer:
        """GET /ontology: 303 to the vocabulary in the format asked for."""
        fmt = negotiate(accept)
        if fmt is None:
            return Answer(406, not_acceptable_body(), "text/plain",
                          headers={"Vary": "Accept", "Link": vocabulary_link_header()})
        return Answer(303, location=f"{ONTOLOGY_PATH}.{fmt.extension}", headers={"Vary": "Accept"})

    def vocabulary_document(self, extension: str) -> Answer:
        """GET /ontology.{ext}: the vocabulary and shapes in a format, or the reference page."""
        fmt = BY_EXTENSION.get(extension)
        if fmt is None:
            return Answer(404, not_found_body(f"{ONTOLOGY_PATH}.{extension}"), "text/plain")
        body = self.pages.vocabulary() if fmt is HTML else vocabulary_document(self.ontology, extension)
        return Answer(200, body, fmt.media_type, headers={"Link": vocabulary_link_header(but=extension)})
