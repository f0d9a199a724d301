"""The static site (`dangjian build --site`): every page and document the server answers,
as files under dist/site/, with rewrite rules that give the same redirects on nginx or Apache.

Layout, from the site root (where the base IRI's path maps):

- ``index.html``, ``doc/{kind}/index.html``, ``doc/{kind}/{id}.{html,ttl,jsonld,nt,rdf}``,
  ``compare/{slug}.html``: pages and documents, byte for byte what the server sends;
- ``ontology.{html,ttl,jsonld,nt,rdf}``: the vocabulary (``/ontology`` negotiates among them);
- ``gone/{kind}/{id}.{ext}``: the 410 bodies of withdrawn records; ``errors/406.txt``;
- ``static/site.{hash}.css``: the stylesheet every page links;
- ``errors/404-{folder}.{html,txt}``, ``errors/404.{html,txt}``: the 404 page for browsers and one
  line for other clients, for paths in each folder the server's 404 names, and for the rest;
- ``download/*``, ``.well-known/void.ttl``, ``releases/{version}/*``: the dumps;
- ``nginx.conf``, ``.htaccess``: the rules (see :mod:`dangjian.site.rewrites`).
"""

from __future__ import annotations

from ..dataset.graph import Graph
from ..dataset.void import DOWNLOADS, download_path
from ..formats.documents import FORMATS, HTML, RDF_FORMATS
from ..formats.vocabulary import ONTOLOGY_PATH
from ..model.ontology import Ontology
from .pages.render import SiteFacts, stylesheet
from .pages.view import doc_path
from .resolve import NOT_FOUND_IN, VOID_PATH, Site, entity_tag, not_acceptable_body, not_found_body, not_found_message
from .rewrites import NOT_ACCEPTABLE_FILE, SiteRules, apache_rules, nginx_rules, not_found_file


def site_facts(facts: dict, dumps: dict[str, bytes]) -> SiteFacts:
    import hashlib

    downloads = [{"name": name, "href": download_path(name), "media_type": media, "bytes": len(dumps[name]),
                  "sha256": hashlib.sha256(dumps[name]).hexdigest()}
                 for name, media in {**DOWNLOADS, "void.ttl": "text/turtle"}.items() if name in dumps]
    return SiteFacts(facts["dataset"], facts["version"], facts["base"], facts["triples"], facts.get("issued"), downloads,
                     facts.get("description", ""))


def make_site(graph: Graph, ontology: Ontology, facts: dict, dumps: dict[str, bytes], release_files=()):
    return Site(graph, ontology, site_facts(facts, dumps), ontology.output_prefixes, release_files)


def site_files(graph: Graph, ontology: Ontology, facts: dict, dumps: dict[str, bytes], releases: dict[str, bytes]) -> dict[str, bytes]:
    site = make_site(graph, ontology, facts, dumps, releases)
    files = dict(site.pages.all())
    for fmt in FORMATS:
        if fmt is not HTML:  # ontology.html is one of the pages
            files[f"{ONTOLOGY_PATH}.{fmt.extension}"] = site.vocabulary_document(fmt.extension).body
    files[NOT_ACCEPTABLE_FILE] = not_acceptable_body()
    files[stylesheet().path] = stylesheet().body
    replaced, withdrawn = {}, []
    for iri, (kind, record_id) in site.records.items():
        tombstone = graph.tombstone(iri)
        if tombstone is None:
            for fmt in RDF_FORMATS:
                files[doc_path(kind, record_id, fmt.extension)] = site.description(iri, fmt.extension)
        elif tombstone[0] == "replaced":
            replaced[(kind, record_id)] = site.records[tombstone[1]][1]
        else:
            withdrawn.append((kind, record_id))
            for fmt in FORMATS:
                body = site.pages.gone(iri) if fmt is HTML else site.description(iri, fmt.extension)
                files[f"gone/{kind}/{record_id}.{fmt.extension}"] = body
    # What nginx and Apache answer with a 404: the page for browsers, a line for programs, each
    # as the server words it for a path of the folder.
    for folder in (*NOT_FOUND_IN, None):
        path = f"{folder}/" if folder else ""
        files[not_found_file(folder, html=True)] = site.pages.not_found(not_found_message(path))
        files[not_found_file(folder, html=False)] = not_found_body(path)
    for name, content in dumps.items():
        files[download_path(name)] = content
    files[VOID_PATH] = dumps["void.ttl"]
    files.update(releases)
    served = {path: entity_tag(body) for path, body in files.items() if not path.startswith(("gone/", "errors/"))}
    rules = SiteRules(sorted(ontology.kinds), replaced, served, released=bool(facts.get("issued")))
    files["nginx.conf"] = nginx_rules(rules).encode("utf-8")
    files[".htaccess"] = apache_rules(rules).encode("utf-8")
    return files
