"""Record URIs and their documents, pages and the dataset's downloads, over HTTP.

What each path answers is decided in :mod:`dangjian.site.resolve` (shared with the static site);
this module only turns its answers into responses. Redirects name paths from the server's
root, onto which the base IRI's path maps (``{base}id/place/anhui`` is ``/id/place/anhui``).
"""

from __future__ import annotations

from functools import cached_property

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..dataset.about import DATASET_DESCRIPTION
from ..dataset.graph import Graph
from ..dataset.published import KnowledgeBase
from ..dataset.void import DOWNLOADS
from ..site.resolve import Answer, Site, cache_control
from ..site.static import make_site
from .caching import cached, http_date
from .notfound import not_found

TEXT_MEDIA = ("text/", "application/ld+json", "application/n-triples", "application/rdf+xml", "application/json")
RELEASE_FILES = (*DOWNLOADS, "void.ttl")
RELEASES = "releases/"
# The shapes of the paths that may name a folder of the site without its trailing slash (each a
# route of its own: one pattern for every path would take the other modules' endpoints too).
FOLDERS = ("/doc", "/doc/{kind}", "/compare", "/download", "/releases", "/releases/{version}", "/static", "/.well-known")


class PublishedSite:
    """The site of one published build, made on first use."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    @cached_property
    def site(self) -> Site:
        graph = Graph.from_store(self.kb.store, self.kb.ontology)
        dumps = {name: (self.kb.dist / name).read_bytes() for name in RELEASE_FILES if (self.kb.dist / name).is_file()}
        facts = {**self.kb.manifest, "description": DATASET_DESCRIPTION}
        release_files = [name for name in self.kb.manifest.get("files", {}) if name.startswith(RELEASES)]
        return make_site(graph, self.kb.ontology, facts, dumps, release_files)

    def file(self, name: str) -> bytes | None:
        """A published file listed in the manifest (so no path outside dist/ is ever read)."""
        if name not in self.kb.manifest.get("files", {}):
            return None
        path = self.kb.dist / name
        return path.read_bytes() if path.is_file() else None


def content_type(media: str | None) -> str | None:
    return media + "; charset=utf-8" if media and media.startswith(TEXT_MEDIA) and "charset" not in media else media


def respond(answer: Answer, request: Request, site: Site | None = None) -> Response:
    """An answer as a response, with the caching headers every site answer gets; a 404 as the
    client can read it (:mod:`.notfound`)."""
    if answer.status == 404:
        return not_found(request)
    path = request.url.path.removeprefix(request.scope.get("root_path", "")).lstrip("/")
    headers = dict(answer.headers)
    body, media = answer.body, content_type(answer.media_type)
    if answer.location is not None:
        root = request.scope.get("root_path", "")
        headers["Location"] = f"{root}/{answer.location}"
        body, media = b"", None
    last_modified = http_date(site.facts.issued) if site is not None else None
    return cached(request, answer.status, body, media, headers, cache_control(path), last_modified)


def routes(kb: KnowledgeBase) -> list[Route]:
    published = PublishedSite(kb)

    def send(answer: Answer, request: Request) -> Response:
        return respond(answer, request, published.site)

    async def record_uri(request: Request) -> Response:
        p = request.path_params
        return send(published.site.record_uri(p["kind"], p["id"], request.headers.get("accept")), request)

    async def document(request: Request) -> Response:
        p = request.path_params
        return send(published.site.document(p["kind"], p["name"]), request)

    async def page(request: Request) -> Response:
        path = request.url.path.removeprefix(request.scope.get("root_path", "")).lstrip("/") or "index.html"
        if path.endswith("/"):
            path += "index.html"
        body = published.site.pages.page(path)
        if body is None:
            return not_found(request)
        return send(Answer(200, body, "text/html"), request)

    async def vocabulary(request: Request) -> Response:
        return send(published.site.vocabulary_uri(request.headers.get("accept")), request)

    async def vocabulary_document(request: Request) -> Response:
        return send(published.site.vocabulary_document(request.path_params["extension"]), request)

    async def download(request: Request) -> Response:
        name = request.path_params["name"]
        body = published.file(name) if name in RELEASE_FILES else None
        if body is None:
            return not_found(request)
        return send(Answer(200, body, download_media_type(name)), request)

    async def release_file(request: Request) -> Response:
        p = request.path_params
        body = published.file(f"releases/{p['version']}/{p['name']}") if p["name"] in RELEASE_FILES else None
        if body is None:
            return not_found(request)
        return send(Answer(200, body, download_media_type(p["name"])), request)

    async def static_file(request: Request) -> Response:
        return send(published.site.static_file("static/" + request.path_params["name"]), request)

    async def folder(request: Request) -> Response:
        path = request.url.path.removeprefix(request.scope.get("root_path", "")).lstrip("/")
        answer = published.site.folder(path)
        if answer.location is not None and request.url.query:  # kept, as nginx and Apache keep it
            answer.location += "?" + request.url.query
        return send(answer, request)

    async def void(request: Request) -> Response:
        body = published.file("void.ttl")
        return send(Answer(200, body, "text/turtle"), request) if body else not_found(request)

    return [
        Route("/ontology", vocabulary),
        Route("/ontology.{extension}", vocabulary_document),
        Route("/", page),
        Route("/index.html", page),
        Route("/id/{kind}/{id}", record_uri),
        Route("/doc/{kind}/", page),
        Route("/doc/{kind}/index.html", page),
        Route("/doc/{kind}/{name}", document),
        Route("/compare/{name}", page),
        Route("/download/{name}", download),
        Route("/releases/{version}/{name}", release_file),
        Route("/.well-known/void", void),
        Route("/static/{name}", static_file),
        *(Route(shape, folder) for shape in FOLDERS),
    ]


def download_media_type(name: str) -> str:
    """A download's Content-Type: a .gz file is a gzip file (a client saves it as it is)."""
    if name.endswith(".gz"):
        return "application/gzip"
    return DOWNLOADS.get(name, "text/turtle")
