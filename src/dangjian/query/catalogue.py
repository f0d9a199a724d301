"""The query catalogue: research questions kept as ``ontology/queries/NAME.rq``.

Each file opens with ``#`` comment lines saying what it asks; the first comment line is its title.
The command (``dangjian query NAME``), the endpoint's example list and the tests all read it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..settings import Project


@dataclass(frozen=True)
class CatalogueQuery:
    name: str
    path: Path
    text: str

    @property
    def comment(self) -> str:
        """The opening comment lines, without their ``#``, joined by spaces."""
        lines = []
        for line in self.text.splitlines():
            stripped = line.strip()
            if not stripped.startswith("#"):
                break
            lines.append(stripped.lstrip("#").strip())
        return " ".join(line for line in lines if line)

    @property
    def title(self) -> str:
        """The first sentence of the comment (or the name, where the file has no comment)."""
        comment = self.comment
        if not comment:
            return self.name
        for end in (": ", ". ", "; "):
            if end in comment:
                comment = comment.split(end, 1)[0]
        return comment.rstrip(".:")


def queries_folder(project: Project) -> Path:
    return project.ontology / "queries"


def catalogue(project: Project) -> list[CatalogueQuery]:
    """Every catalogue query, by name."""
    folder = queries_folder(project)
    return [
        CatalogueQuery(path.stem, path, path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.rq"))
    ]


def find(project: Project, name: str) -> CatalogueQuery | None:
    """The catalogue query called ``name`` (with or without ``.rq``), or None."""
    name = name.removesuffix(".rq")
    return next((query for query in catalogue(project) if query.name == name), None)
