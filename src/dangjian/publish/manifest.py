"""The manifest: what a build holds, with a SHA-256 for each file. No timestamps, so that
the same records give the same bytes."""

from __future__ import annotations

import hashlib
import json


def write_manifest(files: dict[str, bytes], facts: dict) -> bytes:
    listing = {
        name: {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
        for name, content in sorted(files.items())
    }
    return (json.dumps({**facts, "files": listing}, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
