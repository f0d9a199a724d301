"""Gzip for the bulk dumps, byte for byte the same for the same input.

zlib's gzip wrapper writes no file name and a zero time, so the same records give the same
bytes (and the same SHA-256 in the manifest).

A dump is a series of gzip members, one per run of records (RFC 1952 allows any number; gzip,
zcat, zlib's gzread, Python's gzip, Java's GZIPInputStream and the stores' loaders read them
as one stream). A rebuild after one edit then compresses one member again and copies the rest.
"""

from __future__ import annotations

import zlib

_GZIP = 16 + zlib.MAX_WBITS  # a gzip header and trailer around the deflate stream


def gzip_member(data: bytes) -> bytes:
    # Level 1: every build writes the dumps, and a higher level takes several times as long for
    # a fraction fewer bytes. Builds run far more often than dumps are fetched.
    compressor = zlib.compressobj(1, zlib.DEFLATED, _GZIP)
    return compressor.compress(data) + compressor.flush()
