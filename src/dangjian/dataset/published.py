"""The published knowledge base, opened for reading: what query, serve and search share.

It reads dist/ (run `dangjian build` first), never records/: users query what was published.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pyoxigraph

from ..formats.vocabulary import ONTOLOGY_PATH
from ..model.ontology import Ontology
from ..settings import Project

DUMP = "dangjian.nt"
VOCABULARY = "vocabulary.ttl"  # the vocabulary without the shapes, as published


class NotBuilt(Exception):
    """dist/ holds no build; the message says what to run."""


class KnowledgeBase:
    def __init__(self, project: Project, dist: Path | None = None, ontology: Ontology | None = None):
        self.project = project
        self.dist = dist or project.dist
        self.ontology = ontology or Ontology(project.ontology)
        if not (self.dist / DUMP).is_file():
            raise NotBuilt(f"no build in {project.relative(self.dist)}/: run `dangjian build` (or `make`) first")

    @cached_property
    def manifest(self) -> dict:
        return json.loads((self.dist / "manifest.json").read_text(encoding="utf-8"))

    @cached_property
    def store(self) -> pyoxigraph.Store:
        """An in-memory Oxigraph store holding the published graph and the vocabulary (its
        classes, properties and controlled values with their labels) in the default graph, as
        the SPARQL endpoint holds them (see :func:`load_vocabulary`)."""
        store = pyoxigraph.Store()
        store.bulk_load(path=str(self.dist / DUMP), format=pyoxigraph.RdfFormat.N_TRIPLES)
        load_vocabulary(store, self.dist)
        return store


VOCABULARY_GRAPH_PATH = ONTOLOGY_PATH  # {base}ontology: the document the vocabulary's terms are in


def load_vocabulary(store: pyoxigraph.Store, dist: Path, graph: str | None = None) -> None:
    """Add the published vocabulary (dist/vocabulary.ttl) to the default graph, and to the named
    graph ``graph`` when given, so that a query finds the label of dj:bound-exact or dj:Policy."""
    path = dist / VOCABULARY
    if not path.is_file():
        return  # a build from before the vocabulary was published on its own
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
    if graph:
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=pyoxigraph.NamedNode(graph))
