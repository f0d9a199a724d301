"""The release manifests committed with the records: ``releases/{VERSION}/manifest.json``, each
listing every record URI of a release with the hash of what it said (written by
:mod:`dangjian.dataset.releases`). Read here, for the check that no URI of a release has gone
and for the versions a build and ``dangjian diff`` compare."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..settings import Project

RELEASES = "releases"
MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Release:
    version: str
    path: Path  # its manifest
    data: dict

    @property
    def uris(self) -> dict[str, str]:
        return self.data.get("uris", {})

    @property
    def base(self) -> str:
        return self.data["base"]


def version_key(version: str) -> tuple:
    """1.10.0 after 1.9.0: numbers compare as numbers, other parts as text."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.+-]", version))


def releases(project: Project) -> list[Release]:
    """Every release of the project, oldest first."""
    folder = project.root / RELEASES
    found = []
    if folder.is_dir():
        for manifest in folder.glob(f"*/{MANIFEST}"):
            try:
                data = json.loads(manifest.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = {}
            found.append(Release(manifest.parent.name, manifest, data))
    return sorted(found, key=lambda r: version_key(r.version))
