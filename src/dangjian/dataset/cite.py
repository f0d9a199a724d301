"""Citations of one record: plain text, BibTeX, CSL-JSON and RIS.

A record is cited as a part of a dataset: its title (the Chinese label, with the English one
when there is one), the dataset and its version, the record's URI and the date the citer read
it. The access date is always given by the caller, so the same call gives the same text.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass

from .about import DATASET_AUTHOR

FORMATS = ("text", "bibtex", "csl-json", "ris")


@dataclass(frozen=True)
class Citation:
    title: str  # the record's label, in Chinese
    title_en: str | None
    kind: str
    record_id: str
    uri: str
    dataset: str
    version: str
    issued: str | None  # the release date (YYYY-MM-DD) when the version is a release
    accessed: datetime.date | None  # None: the page leaves it to the reader

    @property
    def full_title(self) -> str:
        return f"{self.title} [{self.title_en}]" if self.title_en and self.title_en != self.title else self.title


def text(c: Citation) -> str:
    # A page cannot know when it is read: without a date, the reader's style adds one.
    accessed = f" (accessed {c.accessed.isoformat()})" if c.accessed else ""
    issued = f" ({c.issued[:4]})" if c.issued else ""
    return f"{DATASET_AUTHOR}{issued}. {c.full_title}. In: {c.dataset}, version {c.version} ({c.kind} record {c.record_id}). {c.uri}{accessed}."


def _bibtex_escape(value: str) -> str:
    return "".join("\\" + ch if ch in "&%$#_{}" else ch for ch in value)


def bibtex(c: Citation) -> str:
    fields = [
        ("author", "{" + DATASET_AUTHOR + "}"),
        ("title", _bibtex_escape(c.full_title)),
        ("howpublished", _bibtex_escape(f"{c.dataset}, version {c.version}")),
        ("version", _bibtex_escape(c.version)),
        ("url", c.uri),
    ]
    if c.issued:
        fields.append(("year", c.issued[:4]))
    if c.accessed:
        fields.append(("urldate", c.accessed.isoformat()))
    fields.append(("note", _bibtex_escape(f"{c.kind} record {c.record_id}; data licensed CC BY 4.0")))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{dangjian-{c.kind}-{c.record_id},\n{body}\n}}\n"


def _date_parts(iso: str) -> dict:
    return {"date-parts": [[int(part) for part in iso.split("-")]]}


def csl_json(c: Citation) -> str:
    item = {
        "id": f"dangjian-{c.kind}-{c.record_id}",
        "type": "dataset",
        "title": c.full_title,
        "author": [{"literal": DATASET_AUTHOR}],
        "container-title": c.dataset,
        "version": c.version,
        "URL": c.uri,
        "note": f"{c.kind} record {c.record_id}",
    }
    if c.issued:
        item["issued"] = _date_parts(c.issued)
    if c.accessed:
        item["accessed"] = _date_parts(c.accessed.isoformat())
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def ris(c: Citation) -> str:
    lines = [("TY", "DATA"), ("AU", DATASET_AUTHOR), ("TI", c.full_title), ("T2", c.dataset),
             ("ET", c.version), ("UR", c.uri), ("ID", f"dangjian-{c.kind}-{c.record_id}")]
    if c.issued:
        lines.append(("PY", c.issued[:4]))
    if c.accessed:
        lines.append(("Y2", c.accessed.isoformat()))  # access date, as Zotero and EndNote read it
    lines.append(("N1", f"{c.kind} record {c.record_id}; data licensed CC BY 4.0"))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


RENDERERS = {"text": lambda c: text(c) + "\n", "bibtex": bibtex, "csl-json": csl_json, "ris": ris}


def render(c: Citation, fmt: str) -> str:
    return RENDERERS[fmt](c)
