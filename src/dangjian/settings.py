"""Settings: the one place that names the base IRI and where a project's parts live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BASE = "https://w3id.org/dangjian/"
"""The base the ontology files are written with; every published IRI starts with the base."""

BASE_ENV = "DANGJIAN_BASE"
ROOT_ENV = "DANGJIAN_ROOT"
DIVISIONS_ENV = "DANGJIAN_DIVISIONS"


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
