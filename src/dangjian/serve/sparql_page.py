"""The endpoint's HTML: a query form (no JavaScript: a plain form), the catalogue's questions as
examples, and, when the form asks for HTML, the answer as a table. The page is one of the site's
(``site/pages/templates/sparql.html``, with the site's navigation and styles); IRIs in the answer are
written as prefixed names (a record's fragment as ``place:anhui#division-code``), each linking to
its full IRI and naming it in the link's title."""

from __future__ import annotations

from urllib.parse import urlencode

from ..formats.turtle import TurtleWriter
from ..model.terms import display_language
from ..query.catalogue import CatalogueQuery
from ..site.pages.render import templates
from ..site.pages.view import kind_links

CHOICES = [("html", "an HTML table"), ("json", "SPARQL JSON / JSON-LD"), ("xml", "SPARQL XML / RDF/XML"),
           ("csv", "CSV"), ("tsv", "TSV"), ("turtle", "Turtle"), ("ntriples", "N-Triples")]

def render(*, dataset: str, base: str, endpoint: str, limits, examples: list[CatalogueQuery], ontology=None,
           version: str = "", query: str = "", chosen: str = "html", table: dict | None = None, error: str | None = None,
           seconds: float | None = None) -> bytes:
    prefixes = dict(ontology.output_prefixes) if ontology is not None else {}
    names = TurtleWriter(prefixes)

    def href(iri: str) -> str:
        """Record IRIs point to this server (their path maps onto its root)."""
        return "/" + iri[len(base):] if base and iri.startswith(base) else iri

    def short(iri: str) -> str:
        """A prefixed name; for a fragment of a record (place:anhui#division-code, which Turtle
        cannot write as a prefixed name) the record's name and the fragment: this is for reading,
        and the link's title gives the full IRI."""
        name = names.name(iri)
        if not name.startswith("<"):
            return name
        document, hash_sign, fragment = iri.partition("#")
        if hash_sign and fragment:
            named = names.name(document)
            if not named.startswith("<") and not named.endswith(":"):
                return f"{named}#{fragment}"
        return iri

    def run(example: CatalogueQuery) -> str:
        return "/sparql?" + urlencode({"query": example.text, "format": "html"})

    def edit(example: CatalogueQuery) -> str:
        return "/sparql?" + urlencode({"example": example.name})

    rows = max(8, min(30, query.count("\n") + 2))
    return templates().get_template("sparql.html").render(
        dataset=dataset, version=version, kinds=kind_links(ontology) if ontology is not None else [], root="/",
        endpoint=endpoint, limits=limits, examples=examples, query=query, rows=rows, choices=CHOICES, chosen=chosen,
        table=table, error=error, seconds=seconds, prefixes=sorted(prefixes.items()),
        href=href, short=short, run=run, edit=edit, language=display_language).encode("utf-8")
