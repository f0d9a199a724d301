"""Gzip for the bulk dumps, byte for byte the same for the same input.

``gzip.compress`` writes no file name; ``mtime=0`` leaves the time out, so that the same
records give the same bytes (and the same SHA-256 in the manifest).
"""

from __future__ import annotations

import gzip


def gzip_bytes(content: bytes) -> bytes:
    return gzip.compress(content, compresslevel=9, mtime=0)
