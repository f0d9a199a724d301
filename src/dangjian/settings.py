"""Settings: the one place that names the base IRI, where a project's parts live, and what the
process needs of the libraries it uses."""

from __future__ import annotations

import importlib.abc
import importlib.util
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

DEFAULT_BASE = "https://w3id.org/dangjian/"
"""The base the ontology files are written with; every published IRI starts with the base."""

BASE_ENV = "DANGJIAN_BASE"
ROOT_ENV = "DANGJIAN_ROOT"
DIVISIONS_ENV = "DANGJIAN_DIVISIONS"


def configure_process() -> None:
    """Settings that hold for the whole process, made by each entry point (the command, the
    server, the tests) before any work, and made again where a library undoes them (pySHACL's
    validate() turns rdflib's normalisation back on as it returns).

    - rdflib would rewrite literal forms (12.50 -> 12.5, "01"^^xsd:integer merged with "1"),
      losing what a record says, wherever it still reads the data: the reference SHACL engine,
      the ontology's graphs;
    - rdflib logs a traceback for every ill-typed literal it meets, the very thing SHACL reports.

    rdflib is not imported for this: importing it takes longer than a build with nothing to do,
    and the SPARQL endpoint's query workers never load it. The settings are made as soon as
    something imports it, or at once when something has.
    """
    when_imported("rdflib", _rdflib_settings)


def _rdflib_settings(rdflib) -> None:
    rdflib.NORMALIZE_LITERALS = False
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def when_imported(name: str, apply: Callable[[ModuleType], None]) -> None:
    """apply(module) now if the module ``name`` is imported already, else as soon as it is."""
    module = sys.modules.get(name)
    if module is not None:
        apply(module)
        return
    for finder in sys.meta_path:
        if isinstance(finder, _AfterImport) and finder.name == name:
            finder.apply = apply
            return
    sys.meta_path.insert(0, _AfterImport(name, apply))


class _AfterImport(importlib.abc.MetaPathFinder):
    """Finds nothing itself: when ``name`` is first imported, has the usual finders find it, and
    applies the settings right after the module has run, then steps aside."""

    def __init__(self, name: str, apply: Callable[[ModuleType], None]):
        self.name, self.apply = name, apply

    def find_spec(self, fullname, path, target=None):
        if fullname != self.name:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        run, apply = spec.loader.exec_module, self.apply

        def exec_module(module: ModuleType) -> None:
            run(module)
            apply(module)

        spec.loader.exec_module = exec_module
        return spec


def base_iri() -> str:
    """The base IRI for records and vocabulary: $DANGJIAN_BASE, or the project's w3id."""
    base = os.environ.get(BASE_ENV, DEFAULT_BASE)
    return base if base.endswith("/") else base + "/"


@dataclass(frozen=True)
class Project:
    """A checkout of the knowledge base: its ontology, records and output folders."""

    root: Path

    @property
    def ontology(self) -> Path:
        return self.root / "ontology"

    @property
    def records(self) -> Path:
        return self.root / "records"

    @property
    def dist(self) -> Path:
        return self.root / "dist"

    @property
    def cache(self) -> Path:
        return self.root / ".cache"

    @property
    def divisions(self) -> Path:
        """Where code lists are installed (`make divisions`): $DANGJIAN_DIVISIONS, or .cache/divisions."""
        return Path(os.environ[DIVISIONS_ENV]) if os.environ.get(DIVISIONS_ENV) else self.cache / "divisions"

    def relative(self, path: Path) -> str:
        """A path as users see it in messages: relative to the project when inside it. A
        symbolic link is not followed (it may loop, or lead out: what it is, is a problem of
        its own), unless that is how the path reaches the project."""
        root = self.root.resolve()
        try:
            return str(Path(os.path.abspath(path)).relative_to(root))
        except ValueError:
            pass
        try:
            return str(Path(path).resolve().relative_to(root))
        except (ValueError, OSError, RuntimeError):  # outside the project, or a link that loops
            return str(path)

    @classmethod
    def find(cls, start: Path | None = None) -> "Project":
        """The project at $DANGJIAN_ROOT, or the nearest folder upwards holding ontology/shapes.ttl."""
        if os.environ.get(ROOT_ENV):
            return cls(Path(os.environ[ROOT_ENV]).resolve())
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "ontology" / "shapes.ttl").is_file():
                return cls(folder)
        raise LookupError(f"no Dangjian KB project here: no ontology/shapes.ttl in {here} or above (set {ROOT_ENV})")
