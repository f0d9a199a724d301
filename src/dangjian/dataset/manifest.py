"""The manifest: what a build holds, with a SHA-256 for each file. No timestamps, so that
the same records give the same bytes."""

from __future__ import annotations

import json

from ..build.staging import Written


def write_manifest(written: dict[str, Written], facts: dict) -> bytes:
    listing = {name: {"bytes": w.bytes, "sha256": w.sha256} for name, w in sorted(written.items())}
    return (json.dumps({**facts, "files": listing}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
