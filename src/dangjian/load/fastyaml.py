"""A fast reader for the plain shape that nearly every record file has.

Records are short block mappings: ``key: value`` lines, a key over an indented block of
``- item`` lines or ``subkey: value`` lines, one-line flow lists and maps, plain or quoted
one-line scalars, comments. This module reads exactly that, line by line, giving the same
:class:`~dangjian.load.yaml12.Document` (values, key and value positions) and the same problems
as the event-based reader in :mod:`~dangjian.load.yaml12`, several times faster. Anything outside
that shape (block scalars, multi-line values, anchors, tags, documents markers, deeper nesting,
escapes it does not know) returns ``None``, and the caller uses the event-based reader, which
remains the reference: the tests check that both agree on every file this one accepts.
"""

from __future__ import annotations

import re

from .yaml12 import Document, Mark, YamlProblem, resolve_plain

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +|$)")
_ITEM = re.compile(r"- +")
# A plain scalar may not start with an indicator; `-`, `?` and `:` may when a non-space follows.
_PLAIN_START_BAD = set("[]{}#&*!|>'\"%@`,?:")
_DOUBLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r", "0": "\0", " ": " ", "b": "\b", "f": "\f", "e": "\x1b", "a": "\x07", "v": "\x0b", "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029"}
# Plain scalars that the core schema leaves as text once they are known not to be traps.
_NEEDS_RESOLVING = re.compile(r"^[-+.~0-9]|^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|true|True|TRUE|false|False|FALSE|null|Null|NULL|<<)$")


class _Fallback(Exception):
    """The text is outside the shape this reader handles."""


class _Reader:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.document = Document(data={})
        self.problems: list[YamlProblem] = []

    # --- scalars ---------------------------------------------------------------------------

    def plain(self, text: str, line: int, column: int, path: tuple):
        if not _NEEDS_RESOLVING.match(text):
            return text
        value, trap = resolve_plain(text)
        if trap:
            self.problems.append(YamlProblem(Mark(line, column), ".".join(map(str, path)), trap))
        return value

    def scalar(self, text: str, line: int, column: int, path: tuple, flow: bool):
        """Read one scalar (text starts at the value, comment already removed unless quoted)."""
        first = text[0]
        if first == '"':
            value, rest = self.double_quoted(text)
        elif first == "'":
            value, rest = self.single_quoted(text)
        else:
            if first in _PLAIN_START_BAD or (first == "-" and (len(text) == 1 or text[1] == " ")):
                raise _Fallback
            if ": " in text or text.endswith(":") or "\t" in text or (flow and (" #" in text or any(c in text for c in ",[]{}"))):
                raise _Fallback
            return self.plain(text, line, column, path), ""
        return value, rest

    @staticmethod
    def double_quoted(text: str) -> tuple[str, str]:
        out, i = [], 1
        while True:
            end = text.find('"', i)
            slash = text.find("\\", i)
            if end < 0:
                raise _Fallback  # runs over the line
            if 0 <= slash < end:
                out.append(text[i:slash])
                code = text[slash + 1:slash + 2]
                if code in _DOUBLE_ESCAPES:
                    out.append(_DOUBLE_ESCAPES[code])
                    i = slash + 2
                elif code in ("x", "u", "U"):
                    width = {"x": 2, "u": 4, "U": 8}[code]
                    digits = text[slash + 2:slash + 2 + width]
                    if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                        raise _Fallback
                    out.append(chr(int(digits, 16)))
                    i = slash + 2 + width
                else:
                    raise _Fallback
                continue
            out.append(text[i:end])
            return "".join(out), text[end + 1:]

    @staticmethod
    def single_quoted(text: str) -> tuple[str, str]:
        out, i = [], 1
        while True:
            end = text.find("'", i)
            if end < 0:
                raise _Fallback
            if text[end + 1:end + 2] == "'":
                out.append(text[i:end + 1])
                i = end + 2
                continue
            out.append(text[i:end])
            return "".join(out), text[end + 1:]

    # --- values on one line ----------------------------------------------------------------

    def inline_value(self, text: str, line: int, column: int, path: tuple):
        """A value that starts on the key's line: a scalar or a one-line flow collection."""
        self.document.value_marks[path] = Mark(line, column)
        if text[0] == "[":
            value, rest = self.flow_sequence(text, line, column, path)
        elif text[0] == "{":
            value, rest = self.flow_mapping(text, line, column, path)
        elif text[0] in "\"'":
            value, rest = self.scalar(text, line, column, path, flow=False)
        else:
            body = _strip_comment(text)
            return self.scalar(body, line, column, path, flow=False)[0]
        rest = rest.strip(" ")
        if rest and not rest.startswith("#"):
            raise _Fallback  # something after a closed value: let libyaml word the error
        return value

    def flow_items(self, text: str, line: int, column: int, closer: str):
        """Split a one-line flow collection into (item text, column) pairs; the rest of the line."""
        items, i = [], 1
        while True:
            while i < len(text) and text[i] == " ":
                i += 1
            if i >= len(text):
                raise _Fallback
            if text[i] == closer:
                return items, text[i + 1:]
            start = i
            if text[i] in "\"'":
                quote = text[i]
                j = i + 1
                while True:
                    j = text.find(quote, j)
                    if j < 0:
                        raise _Fallback
                    if quote == "\\" or (quote == '"' and _escaped(text, j)):
                        j += 1
                        continue
                    if quote == "'" and text[j + 1:j + 2] == "'":
                        j += 2
                        continue
                    break
                j += 1
            else:
                j = i
                while j < len(text) and text[j] not in ",]}":
                    j += 1
            items.append((text[start:j].rstrip(" "), column + start))
            i = j
            while i < len(text) and text[i] == " ":
                i += 1
            if i < len(text) and text[i] == ",":
                i += 1
                continue
            if i < len(text) and text[i] == closer:
                return items, text[i + 1:]
            raise _Fallback

    def flow_sequence(self, text: str, line: int, column: int, path: tuple):
        items, rest = self.flow_items(text, line, column, "]")
        values = []
        for index, (item, item_column) in enumerate(items):
            if not item or item[0] in "[{":
                raise _Fallback
            item_path = path + (index,)
            self.document.value_marks[item_path] = Mark(line, item_column)
            value, after = self.scalar(item, line, item_column, item_path, flow=True)
            if after.strip(" "):
                raise _Fallback
            values.append(value)
        return values, rest

    def flow_mapping(self, text: str, line: int, column: int, path: tuple):
        items, rest = self.flow_items(text, line, column, "}")
        result: dict = {}
        seen: dict[str, Mark] = {}
        for item, item_column in items:
            found = _KEY_LINE.match(item)
            if not found or not found.group(0).endswith(" "):
                raise _Fallback
            key = found.group(1)
            value_text = item[found.end():]
            if not value_text or value_text[0] in "[{":
                raise _Fallback
            key_mark = Mark(line, item_column)
            value_column = item_column + found.end()
            key_path = path + (key,)
            if self.duplicate(key, key_mark, path, seen):
                saved = (dict(self.document.key_marks), dict(self.document.value_marks))
                _value, after = self.scalar(value_text, line, value_column, key_path, flow=True)
                self.document.key_marks, self.document.value_marks = saved
                if after.strip(" "):
                    raise _Fallback
                continue
            self.document.key_marks[key_path] = key_mark
            self.document.value_marks[key_path] = Mark(line, value_column)
            value, after = self.scalar(value_text, line, value_column, key_path, flow=True)
            if after.strip(" "):
                raise _Fallback
            result[key] = value
        return result, rest

    def duplicate(self, key: str, mark: Mark, path: tuple, seen: dict) -> bool:
        if key in seen:
            self.problems.append(YamlProblem(mark, ".".join(map(str, path + (key,))), f"duplicate key; `{key}` is already set at line {seen[key].line}"))
            return True
        seen[key] = mark
        return False

    # --- blocks ----------------------------------------------------------------------------

    def read(self) -> Document:
        lines = self.lines
        data: dict = {}
        seen: dict[str, Mark] = {}
        n = 0
        while n < len(lines):
            raw = lines[n]
            stripped = raw.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                n += 1
                continue
            if raw[0] == " ":
                raise _Fallback  # indented where a top-level key belongs
            found = _KEY_LINE.match(raw)
            if not found:
                raise _Fallback
            key = found.group(1)
            key_mark = Mark(n + 1, 1)
            rest = raw[found.end():]
            value_column = found.end() + 1
            path = (key,)
            is_duplicate = self.duplicate(key, key_mark, (), seen)
            marks_before = (dict(self.document.key_marks), dict(self.document.value_marks)) if is_duplicate else None
            if not is_duplicate:
                self.document.key_marks[path] = key_mark
            if rest and not rest.startswith("#"):
                value = self.inline_value(rest, n + 1, value_column, path)
                n += 1
            else:
                # An empty value sits just after the colon, where libyaml puts its null.
                value, n = self.block(n + 1, path, Mark(n + 1, len(key) + 2))
            if is_duplicate:
                # A repeated key is reported and read, but neither its value nor positions count.
                self.document.key_marks, self.document.value_marks = marks_before
                continue
            data[key] = value
        self.document.data = data
        return self.document

    def block(self, start: int, path: tuple, empty_mark: Mark):
        """The indented block under a key with nothing after its colon: a list, a map, or null."""
        lines = self.lines
        n = start
        while n < len(lines) and (not lines[n].strip(" ") or lines[n].lstrip(" ").startswith("#")):
            n += 1
        if n >= len(lines):
            self.document.value_marks[path] = empty_mark
            return None, n
        first = lines[n]
        indent = len(first) - len(first.lstrip(" "))
        body = first[indent:]
        if body.startswith("- ") or body == "-":
            return self.block_sequence(n, indent, path)
        if indent == 0:
            self.document.value_marks[path] = empty_mark
            return None, start
        return self.block_mapping(n, indent, path)

    def block_sequence(self, n: int, indent: int, path: tuple):
        lines = self.lines
        values = []
        self.document.value_marks[path] = Mark(n + 1, indent + 1)
        while n < len(lines):
            raw = lines[n]
            stripped = raw.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                n += 1
                continue
            here = len(raw) - len(stripped)
            if here < indent or (here == indent and not stripped.startswith("-")):
                break
            if here > indent or not stripped.startswith("- "):
                raise _Fallback
            found = _ITEM.match(stripped)
            item_text = stripped[found.end():]
            column = here + found.end() + 1
            if not item_text or item_text[0] in "[{" or _KEY_LINE.match(item_text):
                raise _Fallback  # nested collections in lists are left to libyaml
            item_path = path + (len(values),)
            self.document.value_marks[item_path] = Mark(n + 1, column)
            if item_text[0] in "\"'":
                value, rest = self.scalar(item_text, n + 1, column, item_path, flow=False)
                if rest.strip(" ") and not rest.strip(" ").startswith("#"):
                    raise _Fallback
            else:
                value = self.scalar(_strip_comment(item_text), n + 1, column, item_path, flow=False)[0]
            values.append(value)
            n += 1
        return values, n

    def block_mapping(self, n: int, indent: int, path: tuple):
        lines = self.lines
        result: dict = {}
        seen: dict[str, Mark] = {}
        self.document.value_marks[path] = Mark(n + 1, indent + 1)
        while n < len(lines):
            raw = lines[n]
            stripped = raw.lstrip(" ")
            if not stripped or stripped.startswith("#"):
                n += 1
                continue
            here = len(raw) - len(stripped)
            if here < indent:
                break
            if here > indent:
                raise _Fallback
            found = _KEY_LINE.match(stripped)
            if not found:
                raise _Fallback
            key = found.group(1)
            rest = stripped[found.end():]
            if not rest or rest.startswith("#"):
                raise _Fallback  # a third level of nesting, or a null in a map: libyaml's job
            key_mark = Mark(n + 1, indent + 1)
            key_path = path + (key,)
            if self.duplicate(key, key_mark, path, seen):
                saved = (dict(self.document.key_marks), dict(self.document.value_marks))
                self.inline_value(rest, n + 1, indent + found.end() + 1, key_path)
                self.document.key_marks, self.document.value_marks = saved
                n += 1
                continue
            self.document.key_marks[key_path] = key_mark
            result[key] = self.inline_value(rest, n + 1, indent + found.end() + 1, key_path)
            n += 1
        return result, n


def _escaped(text: str, index: int) -> bool:
    """Whether the quote at index is escaped by an odd number of backslashes."""
    count = 0
    while index - 1 - count >= 0 and text[index - 1 - count] == "\\":
        count += 1
    return count % 2 == 1


def _strip_comment(text: str) -> str:
    cut = text.find(" #")
    return (text[:cut] if cut >= 0 else text).rstrip(" ")


def parse_simple(text: str) -> tuple[Document, list[YamlProblem]] | None:
    """Read ``text`` if it has the simple shape; None when the event-based reader must."""
    if "\r" in text or "\t" in text or text.startswith(("---", "%")) or "\n---" in text or "\n..." in text:
        return None
    lines = text.split("\n")
    reader = _Reader(lines)
    try:
        document = reader.read()
    except _Fallback:
        return None
    if not document.data:
        return None  # empty or comment-only: the reference reader words that
    return document, reader.problems
