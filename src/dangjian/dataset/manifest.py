"""The manifest: what a build holds, with a SHA-256 for each file. No timestamps, so that
the same records give the same bytes."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Written:
    """A file written: its size and SHA-256, as the manifest lists it."""

    bytes: int
    sha256: str


def write_manifest(written: dict[str, Written], facts: dict) -> bytes:
    listing = {name: {"bytes": w.bytes, "sha256": w.sha256} for name, w in sorted(written.items())}
    return (json.dumps({**facts, "files": listing}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
