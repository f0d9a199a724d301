"""The drafting assistant: draft records from an article's text, for a curator to review.

What it finds:

- **amounts**: every amount the Chinese amount reader (:mod:`dangjian.text.amounts`) reads, with
  its value (or range, or parts), currency or unit, bound, period, allocation unit (``per``) and
  year; the quote is the shortest clause stating it (cut at ，。；！？ and line ends), and
  ``as_written`` the number and unit as written;
- **names** of organisations and places: words jieba tags ``nt`` and ``ns`` (the domain
  dictionary gives the curated names those tags); a name that is a record's label or alternative
  label already is listed, not drafted; a new one is drafted with an id from ``dangjian slug``;
- **keywords**: jieba's TF-IDF, numbers and generic words left out;
- **division codes**, where the code list is installed (`make divisions`): every place the text
  names that the list identifies (:mod:`dangjian.divisions.suggest`: 淅川县上集镇大坪村 is three
  divisions, each under the one before), with its code and the chain above it; a place not yet
  recorded is drafted with ``division_code`` and ``within`` (its parent's record, drafted or not),
  a recorded one is listed with the code it has or should have.

Every label is drafted in Chinese and English: a place's English name is suggested from its
pinyin and level word (九龙岗镇 → Jiulonggang Town); other English labels are left empty, marked
as a suggestion to fill in (validation refuses empty text).

Every draft is marked twice. Each value it suggests carries a ``# suggestion`` comment, and each
record has ``draft: true``. That key is no key of the record format, so a draft does not
validate as a finished record: ``dangjian validate`` refuses it, saying that it is a draft to
review, until the curator has checked every value and deleted the line. Keys the text cannot tell
(an amount's ``measure``, an organisation's ``classification`` when its name does not say it) are
left as comments to fill in.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from ..divisions.codelist import division_codes
from ..divisions.names import full_forms, short_forms
from ..divisions.suggest import place_label, place_level, places_in
from ..pipeline.mapper import DRAFT_KEY  # refused by validation with its own message
from ..records.loader import load_records
from ..search.domain import chinese_texts, words_of
from ..search.segment import Segmenter
from ..text.amounts import AmountMention, read_amounts
from ..text.normalise import search_form, simplified
from ..text.pinyin import english_place_name
from .slug import suggest

SUGGESTION = "# suggestion"
QUOTE_BREAKS = set(",，;；。!！?？\n\r")
# What a name's last characters say about an organisation's classification and a place's level.
ORG_TYPES = [("组织部", "party-department"), ("宣传部", "party-department"), ("党总支", "party-general-branch"),
             ("党支部", "party-branch"), ("支部", "party-branch"), ("党委", "party-committee"), ("委员会", "party-committee"),
             ("党组织", "party-organisation"), ("政府", "government"), ("领导小组", "leading-group"),
             ("服务中心", "service-centre"), ("服务站", "service-centre"), ("工作站", "service-centre"),
             ("服务队", "service-team"), ("工作队", "work-team"), ("日报", "media"), ("报社", "media"), ("电视台", "media"),
             ("党校", "party-school"), ("联盟", "party-alliance"), ("村委会", "village-committee"),
             ("居委会", "residents-committee"), ("集团", "enterprise"), ("公司", "enterprise")]
PLACE_LEVELS = [("自治区", "province"), ("社区", "community"), ("街道", "subdistrict"), ("地区", "area"), ("省", "province"),
                ("市", "city"), ("区", "district"), ("县", "county"), ("镇", "town"), ("乡", "township"), ("村", "village")]
# Words jieba tags ns/nt that name no particular place or organisation here.
GENERIC_NAMES = frozenset("全国 全省 全市 全区 全县 中国 我国 全党 各地 基层 农村 城市 社区 乡镇 街道 村级 地方 党中央 中央 "
                          "省委 市委 县委 区委 乡镇党委 组织部 党委 支部 党组织".split())
GENERIC_KEYWORDS = frozenset("工作 问题 开展 进行 全市 全县 全区 全省 我们 他们 一个 一些 没有 已经 目前 通过 加强 推进 建设 "
                             "实现 进一步 落实 提高 积极 不断 作为 今年 去年 同时 以及 其中 方面 主要 重要 情况 要求 有关 "
                             "部分 进行 同志 记者 通讯员 表示 介绍 日前 近年来 据介绍 成为 发展 组织 基层 群众".split())
_DIGITS = re.compile(r"[0-9一二三四五六七八九十百千万亿两〇零%．.]+")


@dataclass
class Field:
    key: str
    value: object = None  # None: a comment line only
    comment: str | None = None
    entries: list[Field] | None = None  # a mapping written as a block, each entry with its comment


@dataclass
class DraftRecord:
    kind: str
    folder: str
    id: str
    fields: list[Field]
    start: int | None = None  # amounts: where the mention is in the text
    end: int | None = None
    mention: AmountMention | None = None

    @property
    def path(self) -> str:
        return f"{self.folder}/{self.id}.yaml"

    def yaml(self) -> str:
        lines = []
        for f in self.fields:
            if f.entries:
                lines.append(f"{f.key}:")
                lines += [f"  {e.key}: {scalar(e.value)}" + (f"  {e.comment}" if e.comment else "") for e in f.entries]
            elif f.value is None:
                lines.append(f"# {f.key}: {f.comment or ''}".rstrip())
            else:
                lines.append(f"{f.key}: {scalar(f.value)}" + (f"  {f.comment}" if f.comment else ""))
        return "\n".join(lines) + "\n"


@dataclass
class DivisionSuggestion:
    written: str  # as the text writes it
    code: str
    chain: list[str]  # "code name" of the division and of each above it, nearest first
    record: str | None = None  # kind/id of the place record that has this code
    drafted: str | None = None  # the id of the place record drafted for it
    missing_code: str | None = None  # kind/id of a record with this name but without the code

    def line(self) -> str:
        where = (f"{self.record} has it" if self.record else f"drafted as places/{self.drafted}.yaml" if self.drafted
                 else f"{self.missing_code} has no division_code: give it this one" if self.missing_code else "")
        return f"{self.written} → {' < '.join(self.chain)}" + (f": {where}" if where else "")


@dataclass
class Draft:
    source_id: str
    language: str
    records: list[DraftRecord] = field(default_factory=list)
    known: list[tuple[str, str]] = field(default_factory=list)  # (name, kind/id) of names already recorded
    maybe: list[tuple[str, str]] = field(default_factory=list)  # (name, flag): tagged by jieba alone, not drafted
    keywords: list[tuple[str, float]] = field(default_factory=list)
    divisions: list[DivisionSuggestion] = field(default_factory=list)  # places the code list identifies
    ambiguous_divisions: list[tuple[str, list[str]]] = field(default_factory=list)  # (as written, "code name" each)
    code_list: str | None = None  # what the codes come from; None: the code list is not installed

    def of_kind(self, kind: str) -> list[DraftRecord]:
        return [r for r in self.records if r.kind == kind]

    def counts(self) -> Counter:
        return Counter(r.kind for r in self.records)

    def summary(self) -> str:
        counts = self.counts()
        units = Counter((r.mention.unit or "") for r in self.of_kind("amount") if r.mention)
        parts = [f"{counts.get('amount', 0)} amounts (" + ", ".join(f"{n} {u}" for u, n in units.most_common()) + ")",
                 f"{counts.get('organisation', 0)} organisations", f"{counts.get('place', 0)} places"]
        if counts.get("source"):
            parts.append("1 source")
        text = "drafted " + ", ".join(parts)
        if self.known:
            text += f"; {len(self.known)} names recognised that are records already"
        return text

    def text(self) -> str:
        """Every draft as YAML, one document each, with the file it would go to."""
        out = [f"# Drafts from source `{self.source_id}` by `dangjian draft`: {self.summary()}.",
               "# Every value marked `# suggestion` is the assistant's reading: check it against the text. Each record has",
               "# `draft: true`, which `dangjian validate` refuses: delete it when the record is reviewed.",
               "# keywords: " + ", ".join(w for w, _ in self.keywords)]
        if self.known:
            out.append("# names already recorded: " + ", ".join(f"{name} ({key})" for name, key in self.known))
        if self.maybe:
            out.append("# jieba also tags these as place (ns) or organisation (nt) names; not drafted: "
                       + ", ".join(f"{name} ({flag})" for name, flag in self.maybe))
        if self.code_list is None:
            out.append("# division codes: none suggested, the code list is not installed (make divisions)")
        else:
            out.append(f"# division codes (suggestions) from {self.code_list}, each with the divisions above it:")
            out += [f"#   {d.line()}" for d in self.divisions]
            out += [f"#   {written}: ambiguous, not suggested: {', '.join(candidates)}" for written, candidates in self.ambiguous_divisions]
        for record in self.records:
            out.append(f"--- # records/{record.path}")
            out.append(record.yaml().rstrip("\n"))
        return "\n".join(out) + "\n"

    def as_json(self) -> dict:
        return {"source": self.source_id, "language": self.language, "counts": dict(self.counts()),
                "keywords": [{"word": w, "weight": round(x, 4)} for w, x in self.keywords],
                "known": [{"name": n, "record": k} for n, k in self.known],
                "maybe": [{"name": n, "tag": f} for n, f in self.maybe],
                "code_list": self.code_list,
                "divisions": [{"written": d.written, "code": d.code, "chain": d.chain, "record": d.record,
                               "drafted": d.drafted, "missing_code": d.missing_code} for d in self.divisions],
                "ambiguous_divisions": [{"written": w, "candidates": c} for w, c in self.ambiguous_divisions],
                "records": [{"path": f"records/{r.path}", "kind": r.kind, "id": r.id, "yaml": r.yaml()} for r in self.records]}


# ---------------------------------------------------------------------------------------------------------------
# YAML
# ---------------------------------------------------------------------------------------------------------------

_PLAIN_SAFE = re.compile(r"[\u3400-\u9fffA-Za-z“‘《（(][^:#\[\]{},&*!|>'\"%@`\n]*")
_YAML11_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def scalar(value) -> str:
    """A value as YAML that reads back the same under YAML 1.1 and 1.2."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral_value() else value, "f")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(scalar(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {scalar(v)}" for k, v in value.items()) + "}"
    text = str(value)
    if _PLAIN_SAFE.fullmatch(text) and text.lower() not in _YAML11_WORDS and text == text.strip():
        return text
    return json.dumps(text, ensure_ascii=False)


# ---------------------------------------------------------------------------------------------------------------
# Finding
# ---------------------------------------------------------------------------------------------------------------


def quote_span(text: str, mention: AmountMention) -> tuple[int, int]:
    """The clause around a mention: from the break before it to the break after it."""
    start = mention.start
    while start > 0 and text[start - 1] not in QUOTE_BREAKS:
        start -= 1
    end = mention.end
    while end < len(text) and text[end] not in QUOTE_BREAKS:
        end += 1
    while start < mention.start and text[start].isspace():
        start += 1
    while end > mention.end and text[end - 1].isspace():
        end -= 1
    return start, end


def language_of(text: str) -> str:
    """zh-Hant when OpenCC's tw2s changes more than one Han character in a hundred."""
    han = [c for c in text if "\u3400" <= c <= "\u9fff"]
    if not han:
        return "zh-Hans"
    converted = simplified("".join(han))
    changed = sum(1 for a, b in zip(han, converted) if a != b) if len(converted) == len(han) else len(han)
    return "zh-Hant" if changed > len(han) / 100 else "zh-Hans"


def text_value(value: str, language: str):
    return value if language == "zh-Hans" else {language: value}


def label_field(chinese: str, language: str, comment: str, english: str | None = None) -> Field:
    """A label in the text's script with an English one beside it: the suggested one, or an
    empty one to fill in (docs/english-labels.md has the glossary)."""
    if english:
        en = Field("en", english, SUGGESTION + ": pinyin and level word; check the place's usual English form")
    else:
        en = Field("en", "", SUGGESTION + ": fill in the English label, a faithful translation of the Chinese")
    return Field("label", entries=[Field(language, chinese, comment), en])


def amount_record(text: str, mention: AmountMention, source_id: str, number: int, language: str) -> DraftRecord:
    start, end = quote_span(text, mention)
    quote = text[start:end]
    fields = [Field("id", f"{source_id}-amount-{number:02d}", "# suggestion: name it after what it measures"),
              Field(DRAFT_KEY, True, "# delete when reviewed"),
              label_field(quote, language, SUGGESTION + ": rewrite as a name (place, what, year)")]
    if mention.parts is not None:
        fields.append(Field("parts", list(mention.parts), SUGGESTION))
    elif mention.value is None:
        fields += [Field("min", mention.low, SUGGESTION), Field("max", mention.high, SUGGESTION)]
    else:
        fields.append(Field("value", mention.value, SUGGESTION))
    if mention.unit == "CNY":
        fields.append(Field("currency", "CNY", SUGGESTION))
    else:
        fields.append(Field("unit", mention.unit, SUGGESTION))
    fields.append(Field("bound", mention.bound, SUGGESTION))
    if mention.period:
        fields.append(Field("period", mention.period, SUGGESTION))
    elif mention.unit == "CNY":  # every sum of money needs one; the quote's clause gives none to suggest
        fields.append(Field("period", None, "required for money: once, month, year, or unstated where the text does not say"))
    if mention.per:
        fields.append(Field("per", mention.per, SUGGESTION))
    if mention.year:
        fields.append(Field("year", mention.year, SUGGESTION))
    fields += [Field("measure", None, "required: the measure (records/measures/) this amount is of"),
               Field("policy", None, "the policy that sets it, if any"),
               Field("place", None, "the place it applies to"),
               Field("source", source_id),
               Field("quote", text_value(quote, language), SUGGESTION + ": the shortest clause stating it"),
               Field("as_written", text_value(mention.as_written, language), SUGGESTION)]
    return DraftRecord("amount", "amounts", f"{source_id}-amount-{number:02d}", fields, mention.start, mention.end, mention)


def classify(name: str, table: list[tuple[str, str]]) -> str | None:
    return next((value for suffix, value in table if name.endswith(suffix)), None)


def names_in(text: str, segmenter) -> list[tuple[str, str, int]]:
    """(name as written, flag, position) of every word tagged ns or nt, first occurrence each."""
    form = search_form(text)
    same_length = len(form) == len(text)
    seen: dict[str, tuple[str, str, int]] = {}
    pos = 0
    for pair in segmenter.pos.cut(form):
        word, flag = pair.word, pair.flag
        start, pos = pos, pos + len(word)
        if flag not in ("ns", "nt") or len(word) < 2 or not re.fullmatch(r"[\u3400-\u9fff]+", word):
            continue
        if word in GENERIC_NAMES or word in seen:
            continue
        written = text[start:start + len(word)] if same_length else word
        seen[word] = (written, flag, start)
    return list(seen.values())


def keywords_of(text: str, segmenter, count: int = 15) -> list[tuple[str, float]]:
    out = []
    for word, weight in segmenter.tfidf.extract_tags(search_form(text), topK=count * 3, withWeight=True):
        if len(word) < 2 or _DIGITS.fullmatch(word) or _DIGITS.search(word[:1]) or word in GENERIC_KEYWORDS:
            continue
        out.append((word, weight))
        if len(out) == count:
            break
    return out


def known_names(project, ontology) -> dict[str, str]:
    """Search form of every label and alternative label of organisations and places -> kind/id."""

    out = {}
    records = sorted(load_records(project, ontology).records, key=lambda r: (r.kind.name != "place", r.id))
    for record in records:
        if record.kind.name not in ("organisation", "place") or ontology.is_tombstone(record.data):
            continue
        for key in ("label", "alt_label"):
            for label in chinese_texts(record.data.get(key), ontology.default_language):
                out.setdefault(search_form(label), f"{record.kind.name}/{record.id}")
                for word in words_of(label, record.kind.name):  # 大通 for 大通区
                    out.setdefault(word, f"{record.kind.name}/{record.id}")
    return out


def make_draft(text: str, source_id: str, project, segmenter=None, existing: dict[str, str] | None = None,
               known: dict[str, str] | None = None, source_exists: bool = True, title: str | None = None,
               divisions=None, place_codes: dict[str, str] | None = None) -> Draft:
    """Drafts for one article. ``existing`` maps kind/id to label (for slugs); ``known`` maps names
    (search form) to kind/id; ``divisions``, the installed code list, if any; ``place_codes`` maps
    the division codes of place records to their ids."""

    segmenter = segmenter or Segmenter(project.cache / "jieba")
    existing = dict(existing or {})
    known = known or {}
    language = language_of(text)
    draft = Draft(source_id, language)
    for number, mention in enumerate(read_amounts(text), 1):
        draft.records.append(amount_record(text, mention, source_id, number, language))
    covered = set()  # the names the code list identified: drafted from it, not from jieba's tags
    if divisions is not None:
        covered = division_drafts(draft, text, source_id, divisions, existing, known, place_codes or {})
    for written, flag, _start in names_in(text, segmenter):
        form = search_form(written)
        if flag == "ns" and form in covered:
            continue
        if form in known:
            draft.known.append((written, known[form]))
            continue
        kind = "place" if flag == "ns" else "organisation"
        if form not in segmenter.domain_words and not classify(form, PLACE_LEVELS if kind == "place" else ORG_TYPES):
            draft.maybe.append((written, flag))  # jieba's own tag, and the name says nothing of what it is
            continue
        suggestion = suggest(written, existing, kind=kind)
        record_id = suggestion.slug
        if f"{kind}/{record_id}" in existing or any(r.id == record_id for r in draft.records):
            record_id = f"{record_id}-{source_id}"
        existing[f"{kind}/{record_id}"] = simplified(written)
        fields = [Field("id", record_id, SUGGESTION + (" (" + "; ".join(suggestion.notes) + ")" if suggestion.notes else "")),
                  Field(DRAFT_KEY, True, "# delete when reviewed"),
                  label_field(written, language, SUGGESTION + ": the full name, as the text gives it",
                              english_place_name(written) if kind == "place" else None)]
        if kind == "place":
            level = classify(form, PLACE_LEVELS)
            fields.append(Field("level", level, SUGGESTION) if level else Field("level", None, "required: province, city, county, town, village …"))
            fields.append(Field("within", None, "the place it is in"))
        else:
            classification = classify(form, ORG_TYPES)
            fields.append(Field("classification", classification, SUGGESTION) if classification
                          else Field("classification", None, "required: party-committee, party-branch, government …"))
            fields.append(Field("parent", None, "the organisation it belongs to"))
        fields.append(Field("source", source_id))
        draft.records.append(DraftRecord(kind, "organisations" if kind == "organisation" else "places", record_id, fields))
    draft.keywords = keywords_of(text, segmenter)
    if not source_exists:
        first_line = title or next((line.strip() for line in text.splitlines() if line.strip()), source_id)
        fields = [Field("id", source_id), Field(DRAFT_KEY, True, "# delete when reviewed"),
                  label_field(first_line, language, SUGGESTION + ": a short name (publisher date: subject)"),
                  Field("title", text_value(first_line, language), SUGGESTION + ": the headline (the first line)"),
                  Field("date", None, 'required (or date_note): "YYYY-MM-DD", as the page prints it'),
                  Field("publisher", None, "the organisation that published it"),
                  Field("language", language, SUGGESTION),
                  Field("capture_sha256", None, "required: from `dangjian capture clean`"),
                  Field("keywords", None, ", ".join(w for w, _ in draft.keywords) + " (for the description; not a key)")]
        draft.records.insert(0, DraftRecord("source", "sources", source_id, fields))
    return draft


def division_drafts(draft: Draft, text: str, source_id: str, divisions, existing: dict[str, str],
                    known: dict[str, str], place_codes: dict[str, str]) -> set[str]:
    """Add to ``draft`` the places the code list finds in ``text``; gives the names it covers."""

    code_list = divisions.code_list
    draft.code_list = f"the code list of {code_list.valid} ({code_list.package})"
    found = places_in(simplified(text), divisions)
    draft.ambiguous_divisions = [(written, [str(d) for d in candidates]) for written, candidates in found.ambiguous]
    ids = dict(place_codes)  # code -> the id of its place record, recorded or drafted here
    covered: set[str] = set()
    suggestions = {}
    for place in sorted(found.places, key=lambda p: (p.division.depth, p.start)):  # parents first
        label = place_label(place.division)
        covered |= {search_form(place.written), label} | full_forms(place.division.name) | short_forms(place.division.name)
        suggestion = DivisionSuggestion(place.written, place.code, [str(d) for d in place.chain])
        suggestions[place.start] = suggestion
        if place.code in ids:
            suggestion.record = f"place/{ids[place.code]}"
            continue
        named = known.get(search_form(label)) or known.get(search_form(place.written))
        if named and named.startswith("place/"):
            suggestion.missing_code = named
            ids[place.code] = named.split("/", 1)[1]
            continue
        parent = next((d for d in place.chain[1:] if d.code in ids), None)
        within = ids[parent.code] if parent else None
        slug = suggest(label, existing, within=within, kind="place")
        record_id = slug.slug if f"place/{slug.slug}" not in existing else f"{slug.slug}-{source_id}"
        existing[f"place/{record_id}"] = label
        ids[place.code] = record_id
        suggestion.drafted = record_id
        unnamed = [str(d) for d in place.chain[1:] if parent is None or d.depth > parent.depth]
        fields = [Field("id", record_id, SUGGESTION), Field(DRAFT_KEY, True, "# delete when reviewed"),
                  Field("label", label, SUGGESTION + f": as the code list names it ({place.division.name})"),
                  Field("level", place_level(place.division), SUGGESTION)]
        if within:
            fields.append(Field("within", within, SUGGESTION + (f" (between them, not named here: {', '.join(unnamed)})" if unnamed else "")))
        else:
            fields.append(Field("within", None, "the place it is in: " + (" < ".join(unnamed) if unnamed else "none above it")))
        fields += [Field(divisions.code_list.key, place.code, SUGGESTION + f": {place.division.name} in {draft.code_list}"),
                   Field("source", source_id)]
        draft.records.append(DraftRecord("place", "places", record_id, fields))
    draft.divisions = [suggestions[start] for start in sorted(suggestions)]
    return covered


def place_codes_of(project, ontology) -> dict[str, str]:
    """Division code -> id of the place record that has it."""

    code_list = division_codes(ontology)
    if code_list is None:
        return {}
    return {record.data[code_list.key]: record.id for record in load_records(project, ontology).records
            if record.kind.name == "place" and isinstance(record.data.get(code_list.key), str)}


def write_drafts(draft: Draft, folder: Path) -> list[Path]:
    """Write each draft to folder/{kinds}/{id}.yaml. Nothing is written if any of them exists:
    FileExistsError names them all. Each file is created exclusively, so a file that appears
    meanwhile is not overwritten either."""
    targets = [(folder / record.path, record) for record in draft.records]
    taken = [path for path, _ in targets if path.exists()]
    if taken:
        raise FileExistsError(taken)
    written = []
    for path, record in targets:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(f"# Draft from `dangjian draft`: review every `# suggestion`, then delete `{DRAFT_KEY}: true`.\n")
            handle.write(record.yaml())
        written.append(path)
    return written
