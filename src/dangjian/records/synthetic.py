"""Synthetic records in the project's real record format, for the benchmark and scale tests.

The kinds come in the proportions of the curated records (counted from records/ when given,
else the proportions below), with Chinese labels built from real place and organisation
words and English labels beside them (names in pinyin), references between records, and about 1% invalid records spread over every kind of
problem the validator knows. The same seed gives the same files.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..text.capture import clean, sha256
from ..text.pinyin import english_place_name, pinyin_word

# Used when no curated records are at hand: roughly what one article yields.
DEFAULT_PROPORTIONS = {
    "source": 1, "place": 6, "organisation": 10, "policy": 6, "measure": 3, "amount": 14, "person": 3, "post": 3,
}

PROVINCES = ["安徽", "河南", "江苏", "浙江", "山东", "湖北", "湖南", "江西", "福建", "四川", "贵州", "云南", "陕西", "甘肃", "河北", "山西"]
CITY_WORDS = ["宿", "淮", "合", "南", "阜", "亳", "六", "池", "滁", "铜", "芜", "蚌", "黄", "宣", "马", "安", "信", "商", "周", "驻", "洛", "许", "漯", "鹤", "濮", "焦", "新", "开", "郑", "平"]
CITY_TAILS = ["州", "阳", "山", "城", "肥", "南", "江", "安", "丘", "口", "都", "庆"]
COUNTY_TAILS = ["县", "区"]
TOWN_TAILS = ["镇", "乡", "街道"]
VILLAGE_WORDS = ["夏", "马", "龙", "凤", "桃", "李", "杨", "柳", "石", "金", "银", "东", "西", "北", "岗", "湖", "河", "山", "林", "泉"]
# (Chinese form, English form, classification); the English follows docs/english-labels.md.
ORG_FORMS = [
    ("{place}委", "{place} Party Committee", "party-committee"),
    ("{place}委组织部", "Organisation Department of the {place} Party Committee", "party-department"),
    ("{place}财政局", "{place} Finance Bureau", "government-department"),
    ("{place}人民政府", "{place} People’s Government", "government"),
    ("{place}党群服务中心", "{place} Party and Public Service Centre", "service-centre"),
    ("{place}党支部", "{place} Party Branch", "party-branch"),
    ("{place}村民委员会", "{place} Villagers’ Committee", "village-committee"),
    ("{place}党总支", "{place} Party General Branch", "party-general-branch"),
]
POLICY_FORMS = [
    ("“{n}加强{n}到位”", "“{n} Strengthenings, {n} in Place”", "campaign"),
    ("村党组织书记专职化管理", "full-time management of village Party organisation secretaries", "measure"),
    ("“强基工程”", "“Strong Foundations Project”", "programme"),
    ("《关于加强{place}基层党建工作的意见》", "“Opinions on Strengthening Grassroots Party-building in {place}”", "document"),
    ("服务群众专项经费制度", "system of special funds for serving the public", "system"),
    ("“一线为民工作法”", "“Front Line for the People” working method", "model"),
]
MEASURES = [
    ("village-secretary-monthly-pay", "村党组织书记月报酬", "monthly pay of village Party organisation secretaries", "CNY", "month"),
    ("village-heads-annual-pay", "村“两委”正职年报酬", "annual pay of the heads of the village “two committees”", "CNY", "year"),
    ("community-secretary-annual-pay", "社区党组织书记年收入", "annual income of community Party organisation secretaries", "CNY", "year"),
    ("venue-floor-area", "活动场所面积", "floor area of activity venues", "square-metre", None),
    ("village-service-funding", "服务群众专项经费", "special funds for serving the public", "CNY", "year"),
    ("trained-cadres", "参训人员", "training participants", "person-time", None),
]
NUMERALS = "一二三四五六七八九"
NUMERALS_EN = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine"]
VALUES = [1100, 880, 16300, 13000, 26400, 75000, 200, 600, 5000, 20000]
UNIT_WORDS = {"CNY": "元", "square-metre": "平方米", "person-time": "人次"}
PERIOD_WORDS = {"month": "月", "year": "年"}


def person_name(chinese: str) -> str:
    """A personal name in pinyin, family name first (李建国 -> Li Jianguo)."""
    return f"{pinyin_word(chinese[0])} {pinyin_word(chinese[1:])}"


def label_lines(chinese: str, english: str) -> str:
    """A label in Chinese and English, as the curated records write it."""
    return f"label:\n  zh-Hans: {chinese}\n  en: {json.dumps(english, ensure_ascii=False)}\n"


def quote_of(label: str, value: int, unit: str, period: str | None) -> str:
    """The clause a synthetic article states an amount in, worded so that the amount reader reads
    the record's value, unit and period from it (每年 where the measure's label names no period)."""
    lead = "" if period is None or PERIOD_WORDS[period] in label else f"每{PERIOD_WORDS[period]}"
    return f"{lead}{label}达到{value}{UNIT_WORDS[unit]}"


def capture_of(title: str) -> str:
    """A synthetic capture in a real page layout (a community news site's), whose article states
    every amount the synthetic amounts may quote."""
    clauses = [quote_of(label, value, unit, period) for _key, label, _en, unit, period in MEASURES for value in VALUES]
    body = "".join(f"  {clause}。\n\n" for clause in clauses)
    return (f"当前位置:首页 > 社区党建\n\n{title}\n\n来源:示例 发布时间:2015-07-10 09:05:10\n\n{body}"
            "责任编辑:某\n中国社区网\n")


@dataclass
class Generated:
    folder: Path
    counts: Counter
    invalid: int


def proportions_of(records: Path | None) -> dict[str, float]:
    if records is not None and records.is_dir():
        counted = Counter(p.parent.name for p in records.glob("*/*.yaml"))
        folders = {"sources": "source", "places": "place", "organisations": "organisation", "policies": "policy",
                   "measures": "measure", "amounts": "amount", "people": "person", "posts": "post"}
        found = {folders[f]: n for f, n in counted.items() if f in folders}
        if sum(found.values()) >= 50:
            return found
    return DEFAULT_PROPORTIONS


class _Writer:
    """Writes one synthetic project's records, valid except for the chosen few."""

    def __init__(self, root: Path, rng: random.Random):
        self.root = root
        self.rng = rng
        self.ids: dict[str, list[str]] = {}
        self.counts: Counter = Counter()
        self.invalid = 0

    def write(self, folder: str, record_id: str, text: str) -> None:
        path = self.root / "records" / folder / f"{record_id}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write_capture(self, folder: str, record_id: str, capture: str) -> str:
        """A source's capture and its cleaned text beside its record; the capture's SHA-256."""
        base = self.root / "records" / folder
        base.mkdir(parents=True, exist_ok=True)
        (base / f"{record_id}.capture.txt").write_text(capture, encoding="utf-8")
        (base / f"{record_id}.txt").write_text(clean(capture), encoding="utf-8")
        return sha256(capture.encode("utf-8"))

    def pick(self, kind: str) -> str:
        return self.rng.choice(self.ids[kind])


# Each breaks a valid record text in one way the validator knows; (name, function).
def _breakages():
    def yaml_trap(text):
        return text + "ratio: 4:6\n"

    def duplicate_key(text):
        return text + text.splitlines()[1] + "\n"

    def unknown_key(text):
        return text + "lable: 错\n"

    def missing_label(text):
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("label:"))
        end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
        return "\n".join(lines[:start] + lines[end:]) + "\n"

    def dangling_reference(text):
        return text.replace("source: ", "source: missing-", 1)

    def bad_vocabulary(text):
        return text + "note: {xx: 无效}\n"

    def tab_indent(text):
        return text + "alt_label:\n\t- 错\n"

    def anchor(text):
        return text + "description: &d 描述\n"

    def id_mismatch(text):
        return text.replace("id: ", "id: other-", 1)

    def unquoted_date(text):
        return text + "note: 2015-07-10\n"

    return [yaml_trap, duplicate_key, unknown_key, missing_label, dangling_reference, bad_vocabulary,
            tab_indent, anchor, id_mismatch, unquoted_date]


def generate(root: Path, size: int, seed: int = 1, invalid_share: float = 0.01, curated: Path | None = None) -> Generated:
    """Write ``size`` records under root/records (and nothing else), about 1% of them invalid."""
    rng = random.Random(seed)
    writer = _Writer(root, rng)
    shares = proportions_of(curated)
    total = sum(shares.values())
    quota = {kind: max(1, round(size * share / total)) for kind, share in shares.items()}
    quota["amount"] += size - sum(quota.values())
    breakages = _breakages()
    broken_every = max(1, round(1 / invalid_share)) if invalid_share else 0

    def emit(kind: str, folder: str, record_id: str, text: str) -> None:
        number = sum(writer.counts.values())
        if broken_every and number % broken_every == broken_every // 2:
            text = breakages[writer.invalid % len(breakages)](text)
            writer.invalid += 1
        writer.write(folder, record_id, text)
        writer.counts[kind] += 1
        writer.ids.setdefault(kind, []).append(record_id)

    for n in range(quota.get("source", 1)):
        record_id = f"source-{n}"
        title = f"从严从实抓好基层党建工作({n})"
        digest = writer.write_capture("sources", record_id, capture_of(title))
        emit("source", "sources", record_id,
             f"id: {record_id}\n{label_lines(f'新闻报道{n}', f'news report {n}')}title: {title}\n"
             f"date: \"20{10 + n % 10}-0{1 + n % 9}-1{n % 10}\"\nlanguage: zh-Hans\ncapture_sha256: {digest}\n")
    writer.ids.setdefault("measure", [])
    for n in range(quota.get("measure", 1)):
        key, label, english, _unit, _period = MEASURES[n % len(MEASURES)]
        record_id = f"{key}-{n}"
        emit("measure", "measures", record_id, f"id: {record_id}\n{label_lines(f'{label}({n})', f'{english} ({n})')}")
    places = []
    for n in range(quota.get("place", 1)):
        record_id = f"place-{n}"
        level, parent = ("province", None) if n < 16 else (rng.choice(["city", "county", "district", "town", "village", "community"]), rng.choice(places))
        name = (PROVINCES[n % 16] + "省") if n < 16 else rng.choice(CITY_WORDS) + rng.choice(VILLAGE_WORDS) + rng.choice(CITY_TAILS + COUNTY_TAILS + TOWN_TAILS)
        within = f"within: {parent}\n" if parent else ""
        emit("place", "places", record_id,
             f"id: {record_id}\n{label_lines(name, english_place_name(name))}level: {level}\n{within}"
             f"no_division_code: not-in-code-list\ndivision_code_note: {{en: a synthetic place}}\nsource: {writer.pick('source')}\n")
        places.append(record_id)
    for n in range(quota.get("organisation", 1)):
        record_id = f"org-{n}"
        form, english, classification = rng.choice(ORG_FORMS)
        place = rng.choice(CITY_WORDS) + rng.choice(CITY_TAILS)
        name, english = form.format(place=place), english.format(place=pinyin_word(place))
        parent = f"parent: {writer.pick('organisation')}\n" if n and rng.random() < 0.6 else ""
        emit("organisation", "organisations", record_id,
             f"id: {record_id}\n{label_lines(name, english)}classification: {classification}\n{parent}area_served: {rng.choice(places)}\nsource: {writer.pick('source')}\n")
    for n in range(quota.get("post", 1)):
        record_id = f"post-{n}"
        emit("post", "posts", record_id, f"id: {record_id}\n{label_lines(f'书记{n}', f'Secretary {n}')}post_in: {writer.pick('organisation')}\nsource: {writer.pick('source')}\n")
    for n in range(quota.get("person", 1)):
        record_id = f"person-{n}"
        name = rng.choice("张王李赵刘陈杨黄") + rng.choice("建国伟华明军平强")
        emit("person", "people", record_id, f"id: {record_id}\n{label_lines(name, person_name(name))}holds: {writer.pick('post')}\nsource: {writer.pick('source')}\n")
    for n in range(quota.get("policy", 1)):
        record_id = f"policy-{n}"
        form, english, policy_type = rng.choice(POLICY_FORMS)
        numeral, place = rng.randrange(len(NUMERALS)), rng.choice(CITY_WORDS) + "州"
        name = form.format(n=NUMERALS[numeral], place=place)
        english = english.format(n=NUMERALS_EN[numeral], place=pinyin_word(place))
        emit("policy", "policies", record_id,
             f"id: {record_id}\n{label_lines(name, english)}policy_type: {policy_type}\nrun_by: {writer.pick('organisation')}\n"
             f"place: {rng.choice(places)}\nyear: {2010 + n % 10}\nsource: {writer.pick('source')}\n")
    for n in range(quota.get("amount", 1)):
        record_id = f"amount-{n}"
        measure = writer.pick("measure")
        _key, label, english, unit, period = next(m for m in MEASURES if measure.startswith(m[0]))
        value = rng.choice(VALUES)
        unit_line = "currency: CNY\n" if unit == "CNY" else f"unit: {unit}\n"
        period_line = f"period: {period}\n" if period else ""
        emit("amount", "amounts", record_id,
             f"id: {record_id}\n{label_lines(f'{label}({n})', f'{english} ({n})')}value: {value}\n{unit_line}bound: exact\n{period_line}"
             f"measure: {measure}\npolicy: {writer.pick('policy')}\nplace: {rng.choice(places)}\nyear: {2012 + n % 5}\n"
             f"source: {writer.pick('source')}\nquote: {quote_of(label, value, unit, period)}\n")
    return Generated(root, writer.counts, writer.invalid)
