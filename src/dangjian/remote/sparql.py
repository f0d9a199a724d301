"""The three doors of a store: SPARQL queries, SPARQL Update, and the Graph Store Protocol.

Stores put them at different URLs (Oxigraph: /query, /update, /store; Virtuoso: /sparql-auth
for both kinds of SPARQL, /sparql-graph-crud-auth for graphs; Fuseki: /ds/query, /ds/update,
/ds/data), so each is given on its own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .http import Http, RemoteError

NTRIPLES = "application/n-triples"
RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str
    store: str | None = None  # Graph Store Protocol; None where the store has none


def iri(value: str) -> str:
    return f"<{value}>"


class Store:
    """One remote store, spoken to over HTTP."""

    def __init__(self, endpoints: Endpoints, http: Http):
        self.endpoints = endpoints
        self.http = http

    def select(self, query: str, default_graph: str | None = None) -> dict:
        """A SELECT or ASK query's results, in the SPARQL 1.1 JSON results format."""
        form = {"query": query}
        if default_graph:
            form["default-graph-uri"] = default_graph
        response = self.http.request("POST", self.endpoints.query, data=form, headers={"Accept": RESULTS_JSON})
        try:
            return json.loads(response.text)
        except ValueError:
            raise RemoteError(f"POST {self.endpoints.query}: the answer is not SPARQL JSON results: {response.text[:200]!r}") from None

    def count(self, graph: str) -> int:
        """How many triples the named graph holds (0 when the store has no such graph)."""
        results = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {iri(graph)} {{ ?s ?p ?o }} }}")
        try:
            return int(results["results"]["bindings"][0]["n"]["value"])
        except (KeyError, IndexError, TypeError, ValueError):
            raise RemoteError(f"POST {self.endpoints.query}: no count in the answer: {json.dumps(results)[:200]}") from None

    def update(self, text: str, retry: bool = True, timeout: float | None = None) -> None:
        """Run a SPARQL Update; ``timeout`` (seconds) overrides the client's for a long one."""
        extra = {"timeout": timeout} if timeout else {}
        self.http.request("POST", self.endpoints.update, content=text.encode("utf-8"), retry=retry,
                          headers={"Content-Type": "application/sparql-update; charset=utf-8"}, **extra)

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Replace the graph's content (Graph Store Protocol PUT)."""
        self._graph_request("PUT", graph, ntriples)

    def add_to_graph(self, graph: str, ntriples: bytes) -> None:
        """Add to the graph's content (Graph Store Protocol POST)."""
        self._graph_request("POST", graph, ntriples)

    def _graph_request(self, method: str, graph: str, ntriples: bytes) -> None:
        if not self.endpoints.store:
            raise RemoteError("no Graph Store Protocol endpoint given")
        self.http.request(method, self.endpoints.store, params={"graph": graph}, content=ntriples,
                          headers={"Content-Type": NTRIPLES})
