"""A fast way through for the plain shape that nearly every record file has.

Records are short block mappings: ``key: value`` lines, keys over indented ``- item`` or
``subkey: value`` lines, one-line flow lists and maps, quoted or plain one-line scalars,
comments. Such a file is read with `yaml_rs` (a compiled YAML parser, several times faster than
libyaml's event stream in Python) when every plain scalar in it is one the two readers are known
to read alike; any other file returns ``None``, and the caller reads it with the event-based
reader of :mod:`.yaml12`, which is the reference: it gives positions and every problem.

Why a plain scalar is read alike, token by token. Every reading of a plain scalar as something
other than text (a number, boolean, null, date, time, merge key, in YAML 1.1, in YAML 1.2 or in
`yaml_rs`, which also takes ``_1``, ``0X1F`` and ``+0o17`` as numbers) is spelled with the
characters ``0-9 A-Z a-z . + - _ ~ < = :`` alone (and spaces, for YAML 1.1's dates and times).
So at each place a plain scalar can begin, the run of those characters there is looked at:

- a run that goes on into any other character (``1154.48万元``, ``(5)``) belongs to a scalar
  that is text in every reader;
- a run that is the whole token is taken only when it is a plain decimal integer of at most 15
  digits, or a word that begins with a letter and is none of the words readers resolve
  (``yes``, ``No``, ``true``, ``null``, ``inf``, ``nan``...): both readers read those alike;
- any other run (``12.50``, ``2015-07-10``, ``_1``, ``0x1F``, ``~``, ``<<``) sends the file
  the slow way, and so does a backslash escape in double quotes.

The runs are looked at wherever a scalar could begin (after a space, ``[``, ``{`` or ``,``), in
keys and values alike, so some words inside longer scalars are looked at too: that only sends a
few more files the slow way. ``tests/test_fastyaml.py`` generates scalars of every risky
spelling, in keys and values, in flow and block context, and checks that the fast way gives
exactly the reference's values or hands the file over.
"""

from __future__ import annotations

import re

try:
    import yaml_rs
except ImportError:  # pragma: no cover - the fast path is optional
    yaml_rs = None

_KEY = r"[A-Za-z_][A-Za-z0-9_-]*"
_DOUBLE = r'"[^"\\\n]*"'  # no escapes: the readers differ on some (surrogate pairs), the reference says why
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

# The characters every non-text reading of a plain scalar is spelled with (":" only inside a
# scalar, followed by more of it), and what ends a token: YAML's spaces and line breaks (not
# Unicode's: a no-break space is part of a scalar), a flow indicator, a comment, ": ".
_CHARACTER = r"[0-9A-Za-z.+\-_~<=]"
_INNER_COLON = r":(?![ \t\r\n]|\Z)"
_RUN_REST = rf"{_CHARACTER}*+(?:{_INNER_COLON}{_CHARACTER}*+)*+"  # (runs of a character class: C loops)
_RUN = rf"(?:{_CHARACTER}|{_INNER_COLON}){_RUN_REST}"
_TOKEN_END = r"(?=[ \t\r\n,\]}#]|:(?:[ \t\r\n]|\Z)|\Z)"
_RESOLVED_WORDS = r"(?i:y(?:es)?|no?|o(?:n|ff)|true|false|null|inf(?:inity)?|nan)"  # yes, no, on, off... in any case
_TAKEN = (rf"(?:0|-?[1-9][0-9]{{0,14}}"  # a plain decimal integer: the same int in both readers
          rf"|-(?=[ \t\r\n]|\Z)"  # a list's dash, not a scalar
          rf"|(?!{_RESOLVED_WORDS}{_TOKEN_END})[A-Za-z]{_RUN_REST})"  # a word: text in both
          rf"{_TOKEN_END}")
# Where a plain scalar could begin (after a space, a line break, "[", "{" or ","; the text is
# searched with a line break before it), a run that ends the token and is not taken: the slow
# way. The pattern starts with a character class, so the search skips to each such place in C.
_UNPROVEN = re.compile(rf"[ \t\r\n\[{{,](?!{_TAKEN}){_RUN}{_TOKEN_END}")


def read_simple(text: str) -> dict | None:
    """The values of a file of the plain shape; None when the reference reader must read it."""
    if yaml_rs is None or not _DOCUMENT.fullmatch(text) or _UNPROVEN.search("\n" + text):
        return None
    try:
        data = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - any complaint at all: the reference reader words it
        return None
    if not isinstance(data, dict) or not data:
        return None
    return data
