"""The endpoint's HTML: a query form (no JavaScript: a plain form), the catalogue's questions as
examples, and, when the form asks for HTML, the answer as a table."""

from __future__ import annotations

from urllib.parse import urlencode

import jinja2

from ..model.namespaces import XSD
from ..query.catalogue import CatalogueQuery

PAGE = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SPARQL · {{ dataset }}</title>
<style>
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Source Han Sans SC", "PingFang SC", sans-serif; margin: 0 auto; max-width: 72rem; padding: 0 1rem 3rem; line-height: 1.5; color: #222; }
header { border-bottom: 3px solid #b03a2e; padding: .6rem 0; margin-bottom: 1rem; }
header a { color: #b03a2e; text-decoration: none; margin-right: 1rem; }
textarea { width: 100%; font-family: monospace; font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.5rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .25rem .45rem; border-bottom: 1px solid #ddd; }
th { background: #f6f0ef; }
td small { color: #777; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: .5rem; font-size: .85rem; }
.error { color: #8a1c1c; }
details { margin: .4rem 0; }
</style>
</head>
<body>
<header><a href="/">{{ dataset }}</a><a href="/sparql">SPARQL</a></header>
<h1>SPARQL query</h1>
<p>A read-only <a href="https://www.w3.org/TR/sparql11-protocol/">SPARQL 1.1 Protocol</a> endpoint over the
published knowledge base. Queries may run for {{ "%g"|format(limits.timeout) }} s and return at most
{{ "{:,}".format(limits.max_rows) }} rows; updates and <code>SERVICE</code> are refused.</p>
<form method="get" action="/sparql">
<p><textarea name="query" rows="{{ rows }}" cols="100" aria-label="SPARQL query">{{ query }}</textarea></p>
<p><label>Answer as <select name="format">
{% for value, label in choices %}
<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>{{ label }}</option>
{% endfor %}
</select></label> <button type="submit">Run</button></p>
</form>
{% if error %}
<p class="error">{{ error }}</p>
{% endif %}
{% if table is not none %}
<h2>Answer</h2>
{% if table.boolean is defined %}
<p><strong>{{ "true" if table.boolean else "false" }}</strong></p>
{% else %}
<p>{{ table.rows|length }} row{{ "" if table.rows|length == 1 else "s" }}{% if seconds is not none %}, {{ "%.3f"|format(seconds) }} s{% endif %}</p>
<table>
<thead><tr>{% for v in table.vars %}<th>?{{ v }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in table.rows %}
<tr>{% for term in row %}<td>{% if term is none %}{% elif term[0] == "iri" %}<a href="{{ href(term[1]) }}">{{ term[1] }}</a>{% elif term[0] == "bnode" %}_:{{ term[1] }}{% else %}{{ term[1] }}{% if term[2] %} <small>{{ term[2] if term[2].startswith("@") else "^^" ~ short(term[2]) }}</small>{% endif %}{% endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% endif %}
<h2>Examples: the query catalogue</h2>
{% for example in examples %}
<details>
<summary><strong>{{ example.title }}</strong> · <a href="{{ run(example) }}">run</a> · <a href="{{ edit(example) }}">edit</a></summary>
<p>{{ example.comment }}</p>
<pre>{{ example.text }}</pre>
</details>
{% else %}
<p>The catalogue is empty.</p>
{% endfor %}
<h2>From a program</h2>
<pre>curl -G {{ endpoint }} --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' -H 'Accept: text/csv'
curl {{ endpoint }} -H 'Content-Type: application/sparql-query' --data-binary @question.rq</pre>
<p>SELECT and ASK: JSON (default), XML, CSV, TSV. CONSTRUCT and DESCRIBE: Turtle (default), N-Triples,
JSON-LD, RDF/XML. Choose by <code>Accept</code> or by <code>format=</code>.</p>
</body>
</html>
""")

CHOICES = [("html", "an HTML table"), ("json", "SPARQL JSON / JSON-LD"), ("xml", "SPARQL XML / RDF/XML"),
           ("csv", "CSV"), ("tsv", "TSV"), ("turtle", "Turtle"), ("ntriples", "N-Triples")]


def render(*, dataset: str, base: str, endpoint: str, limits, examples: list[CatalogueQuery], query: str = "",
           chosen: str = "html", table: dict | None = None, error: str | None = None, seconds: float | None = None) -> bytes:
    def href(iri: str) -> str:
        """Record IRIs point to this server (their path maps onto its root)."""
        return "/" + iri[len(base):] if base and iri.startswith(base) else iri

    def short(datatype: str) -> str:
        return "xsd:" + datatype[len(XSD):] if datatype.startswith(XSD) else datatype

    def run(example: CatalogueQuery) -> str:
        return "/sparql?" + urlencode({"query": example.text, "format": "html"})

    def edit(example: CatalogueQuery) -> str:
        return "/sparql?" + urlencode({"example": example.name})

    rows = max(8, min(30, query.count("\n") + 2))
    return PAGE.render(dataset=dataset, endpoint=endpoint, limits=limits, examples=examples, query=query, rows=rows,
                       choices=CHOICES, chosen=chosen, table=table, error=error, seconds=seconds,
                       href=href, short=short, run=run, edit=edit).encode("utf-8")
