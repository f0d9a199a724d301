"""The domain dictionary: the words jieba must keep whole.

Two files in ``dictionary/``, in jieba's user-dictionary format (``word [freq] [tag]``):

- ``terms.txt``, kept by hand: Party-building terms (党组织书记, 村“两委”…, 专职化);
- ``generated.txt``, made from the records by :func:`generate` (``dangjian search
  --update-dictionary``): the Chinese labels and alternative labels of every organisation (tag
  ``nt``), place (``ns``) and policy (``nz``), in their search form (Simplified), cut at
  punctuation; a place's name without its level word too (九龙岗镇 → 九龙岗). A test checks that
  the file is what the records give.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..records.loader import load_records
from ..model.ontology import Ontology
from ..settings import Project
from ..text.normalise import chinese_texts, search_form
from .segment import GENERATED_FILE

# The kinds whose names are words, and the part-of-speech tag jieba gives them.
TAGS = {"place": "ns", "organisation": "nt", "policy": "nz"}  # in this order: a place name stays ns
LABEL_KEYS = ("label", "alt_label")  # YAML keys (ontology/context.jsonld maps them)
PLACE_LEVEL_WORDS = ("自治区", "社区", "省", "市", "区", "县", "镇", "乡", "村", "街道")
_PIECES = re.compile(r"[\u3400-\u9fff0-9A-Za-z]+")
MAX_WORD = 20
HEADER = ("# Generated from the records' labels by `dangjian search --update-dictionary`: do not edit.\n"
          "# Organisations nt, places ns, policies nz. Hand-kept terms are in terms.txt.\n")


def words_of(label: str, kind: str) -> list[str]:
    out = []
    for piece in _PIECES.findall(search_form(label)):
        han = sum(1 for c in piece if "\u3400" <= c <= "\u9fff")
        if han < 2 or len(piece) > MAX_WORD:
            continue
        out.append(piece)
        if kind == "place":
            for suffix in PLACE_LEVEL_WORDS:
                stem = piece.removesuffix(suffix)
                if stem != piece and len(stem) >= 2:
                    out.append(stem)
                    break
    return out


def generate(project: Project, ontology: Ontology | None = None) -> str:
    ontology = ontology or Ontology(project.ontology)
    loaded = load_records(project, ontology)
    entries: dict[str, str] = {}
    for record in sorted(loaded.records, key=lambda r: (list(TAGS).index(r.kind.name) if r.kind.name in TAGS else 9, r.id)):
        tag = TAGS.get(record.kind.name)
        if tag is None or ontology.is_tombstone(record.data):
            continue
        for key in LABEL_KEYS:
            for text in chinese_texts(record.data.get(key), ontology.default_language):
                for word in words_of(text, record.kind.name):
                    entries.setdefault(word, tag)
    lines = [f"{word} {tag}" for word, tag in sorted(entries.items(), key=lambda e: (e[1], e[0]))]
    return HEADER + "\n".join(lines) + "\n"


def update(project: Project, path: Path = GENERATED_FILE) -> tuple[bool, int]:
    """Write the generated dictionary; (whether it changed, the number of words)."""
    text = generate(project)
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old != text:
        path.write_text(text, encoding="utf-8")
    return old != text, text.count("\n") - HEADER.count("\n")
