"""A fast way through for the plain shape that nearly every record file has.

Records are short block mappings: ``key: value`` lines, keys over indented ``- item`` or
``subkey: value`` lines, one-line flow lists and maps, quoted or plain one-line scalars,
comments. For a file of exactly that shape, whose plain scalars are all text or plain integers,
YAML 1.1, YAML 1.2 and every parser agree on what it says; such a file is read with `yaml_rs`
(a compiled YAML parser, several times faster than libyaml's event stream in Python).

Everything else (a decimal such as ``12.50`` whose written form must survive, any scalar that
looks like a number, date, boolean or null, block scalars, continuation lines, anchors, tags,
duplicate keys, syntax errors) returns ``None``, and the caller reads the file with the
event-based reader of :mod:`.yaml12`, which is the reference: it gives positions and every
problem. The tests check that both readers agree on every file this one accepts.
"""

from __future__ import annotations

import re

from .yaml12 import resolve_plain

try:
    import yaml_rs
except ImportError:  # pragma: no cover - the fast path is optional
    yaml_rs = None

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_DOUBLE = r'"(?:[^"\\\n]|\\[^\n])*"'
_SINGLE = r"'(?:[^'\n]|'')*'"
# A plain scalar in block context: no indicator first, no ": " or " #" inside.
_PLAIN = r"(?:[^\s\[\]{}#&*!|>'\"%@`,?:-]|-(?=[^\s]))(?:[^:#\n]++|:(?=[^\s])|(?<=[^\s])#)*+"
# A plain scalar inside a flow collection: no ",[]{}#" and no ": " at all.
_FLOW_PLAIN = r"[^\s\[\]{}#&*!|>'\"%@`,?:-][^:#,\[\]{}\n]*+"
_FLOW_ITEM = rf"(?:{_DOUBLE}|{_SINGLE}|{_FLOW_PLAIN})"
_FLOW_SEQ = rf"\[ *(?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*)?\]"
_FLOW_MAP = rf"\{{ *(?:{_KEY}: +{_FLOW_ITEM} *(?:, *{_KEY}: +{_FLOW_ITEM} *)*)?\}}"
_VALUE = rf"(?:{_DOUBLE}|{_SINGLE}|{_FLOW_SEQ}|{_FLOW_MAP}|{_PLAIN})"
_END = r" *(?:#[^\n]*)?"
_LINE = rf"(?: *| *#[^\n]*|{_KEY}:(?: +{_VALUE})?{_END}| +{_KEY}: +{_VALUE}{_END}| *- +{_VALUE}{_END})"
_DOCUMENT = re.compile(rf"(?:{_LINE}\n)*(?:{_LINE})?")

# Where a plain scalar could begin: after a key's colon, a list dash, a flow bracket or comma, or a
# space inside a longer scalar. Any such token that the YAML 1.2 core schema reads as anything but
# text or a plain integer (or that YAML 1.1 reads otherwise) sends the file the slow way.
_CANDIDATE = re.compile(r"(?<![^\s\[{,:])[-+.~0-9yYnNoOtTfF<=][^\s,\]}#]*")
_KEYWORDS = {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "true",
             "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "<<", "="}
_SAFE = re.compile(r"-|0|[1-9][0-9]*")


def read_simple(text: str) -> dict | None:
    """The values of a file of the plain shape; None when the reference reader must read it."""
    if yaml_rs is None or not _DOCUMENT.fullmatch(text):
        return None
    for found in _CANDIDATE.finditer(text):
        token = found.group()
        if token[0] not in "-+.~0123456789":
            if token in _KEYWORDS:
                return None
            continue  # a word such as "the": text in every version of YAML
        if _SAFE.fullmatch(token):
            continue
        value, trap = resolve_plain(token)
        if trap or not isinstance(value, str):
            return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any complaint at all: the reference reader words it
        return None
    if not isinstance(data, dict) or not data:
        return None
    return data
