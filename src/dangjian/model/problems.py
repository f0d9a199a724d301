"""Problems found in records: data first, text last (one line each, like a compiler)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..text.visible import shown


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a record, where it is, and what to do about it."""

    path: str  # the file, relative to the project: records/amounts/x.yaml
    line: int
    column: int
    key: str  # the YAML key ("value", "label.en"); "" when the problem is the file itself
    message: str
    rule: str = ""  # what found it: "yaml", "record", "reference", "shacl:<component>", ...
    shape: str = field(default="", compare=False)  # the SHACL shape behind a "shacl:" rule

    def __str__(self) -> str:
        """One line, whatever the file holds: characters that show nothing (a line break in a
        value or a file name, a zero-width space, a bidirectional override) as escapes."""
        where = f"{shown(self.path)}:{self.line}:{self.column}" if self.line else shown(self.path)
        return f"{where}: {shown(self.key)}: {shown(self.message)}" if self.key else f"{where}: {shown(self.message)}"

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "column": self.column, "key": self.key,
                "message": self.message, "rule": self.rule}


def render_text(problems: list[Problem]) -> str:
    return "".join(f"{problem}\n" for problem in problems)


def render_json(problems: list[Problem], checked: int) -> str:
    return json.dumps(
        {"valid": not problems, "records_checked": checked, "problem_count": len(problems), "problems": [p.as_dict() for p in problems]},
        ensure_ascii=False,
        indent=2,
    ) + "\n"


def count_line(problems: list[Problem], checked: int) -> str:
    files = len({p.path for p in problems if p.line})  # (a problem at no line is not a file's: records/ missing)
    if not problems:
        return f"{checked} records checked: all valid"
    plural = "s" if len(problems) != 1 else ""
    where = f" in {files} file{'s' if files != 1 else ''}" if files else ""
    return f"{checked} records checked: {len(problems)} problem{plural}{where}"
