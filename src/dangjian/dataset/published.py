"""The published knowledge base, opened for reading: what query, serve and search share.

It reads dist/ (run `dangjian build` first), never records/: users query what was published.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

import pyoxigraph

from ..model.ontology import Ontology
from ..settings import Project

DUMP = "dangjian.nt"


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
        """An in-memory Oxigraph store holding the published graph (default graph)."""
        store = pyoxigraph.Store()
        store.bulk_load(path=str(self.dist / DUMP), format=pyoxigraph.RdfFormat.N_TRIPLES)
        return store
