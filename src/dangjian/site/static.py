"""The static site (`dangjian build --site`): every page and document the server answers,
as files under dist/site/, with rewrite rules that give the same redirects on nginx or Apache.

Layout, from the site root (where the base IRI's path maps):

- ``index.html``, ``doc/{kind}/index.html``, ``doc/{kind}/{id}.{html,ttl,jsonld,nt,rdf}``,
  ``compare/{slug}.html``: pages and documents, byte for byte what the server sends;
- ``gone/{kind}/{id}.{ext}``: the 410 bodies of withdrawn records;
- ``404.html``, ``404.txt``: the 404 page for browsers, and one line for other clients;
- ``download/*``, ``.well-known/void.ttl``, ``releases/{version}/*``: the dumps;
- ``nginx.conf``, ``.htaccess``: the rules for /id/ (303 by Accept, 301, 410) and Link headers.
"""

from __future__ import annotations

from ..dataset.graph import Graph
from ..model.ontology import Ontology
from .pages.render import SiteFacts
from .pages.view import doc_path
from ..formats.documents import FORMATS, HTML, RDF_FORMATS
from .resolve import Site
from .rewrites import apache_rules, nginx_rules
from ..dataset.void import DOWNLOADS, download_path


def site_facts(facts: dict, dumps: dict[str, bytes]) -> SiteFacts:
    import hashlib

    downloads = [{"name": name, "href": download_path(name), "media_type": media, "bytes": len(dumps[name]),
                  "sha256": hashlib.sha256(dumps[name]).hexdigest()}
                 for name, media in {**DOWNLOADS, "void.ttl": "text/turtle"}.items() if name in dumps]
    return SiteFacts(facts["dataset"], facts["version"], facts["base"], facts["triples"], facts.get("issued"), downloads,
                     facts.get("description", ""))


def make_site(graph: Graph, ontology: Ontology, facts: dict, dumps: dict[str, bytes]):
    return Site(graph, ontology, site_facts(facts, dumps), ontology.output_prefixes)


def site_files(graph: Graph, ontology: Ontology, facts: dict, dumps: dict[str, bytes], releases: dict[str, bytes]) -> dict[str, bytes]:
    site = make_site(graph, ontology, facts, dumps)
    files = dict(site.pages.all())
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
    # What nginx and Apache answer with a 404: the page for browsers, a line for programs.
    files["404.html"] = site.pages.not_found("404 Not Found: no page or record has this address")
    files["404.txt"] = b"404 Not Found: no page or record has this address\n"
    for name, content in dumps.items():
        files[download_path(name)] = content
    files[".well-known/void.ttl"] = dumps["void.ttl"]
    files.update(releases)
    kinds = sorted(ontology.kinds)
    files["nginx.conf"] = nginx_rules(kinds, replaced, withdrawn).encode("utf-8")
    files[".htaccess"] = apache_rules(kinds, replaced, withdrawn).encode("utf-8")
    return files
