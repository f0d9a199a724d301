"""Find every amount a Chinese text states, and say exactly what it states.

``read_amounts(text)`` returns one ``AmountMention`` per amount, in order; ``read_amount(phrase)`` reads a short phrase
that should state exactly one; ``format_amount(m)`` writes a mention back as Chinese wording that reads the same.
Numbers are ``Decimal``, never float. Only the standard library is used.

The grammar read
================

::

    mention  := [per] [period] [bound-word] [link] core [bound-suffix] [/period-or-per]
              | 每 core                                  (an interval: 每3年, 每两个月)
    core     := number [scale] [多|余|来] [scale] unit [半 | 多 | 余]        (多/余 after 年 天 个月: 一年多)
              | number [scale] (-|~|至|到) number [scale] unit     (an explicit range: 3-5个, 3至5万元)
              | number unit (-|~) number unit                        (30%-50%)
              | 百分之 number                                       (percent)
              | number 分之 number                                  (fraction: 三分之一)
              | number (:|∶) number ...                             (ratio: 1:1, 1∶0.8∶0.7)
    number   := Arabic (1154.48, 13,000, full-width １２) | Chinese (十, 二十, 一百二十, 两万, 七八) | mixed (3.1万)
    scale    := 百 | 千 | 万 | 百万 | 千万 | 亿 | 万亿            (萬, 億 alike)

- **units** (the knowledge base's codes): 元 块钱 → ``CNY``; 平方米 平米 ㎡ → ``square-metre``; 亩 → ``mu``;
  % ％ 百分之 → ``percent``; 个 → ``item``; 名 人 位 → ``person``; 人次 → ``person-time``; 户 → ``household``;
  期 → ``session``; 次 → ``occurrence``; 件 → ``piece``; 项 → ``entry``; 块 → ``block``; 条 → ``line``;
  年 → ``year`` and 天 → ``day`` (durations); 个月 → ``month`` (duration); 周岁 岁 → ``year-of-age``;
  ratios → ``ratio`` (``parts``); fractions → ``fraction`` (``parts = (numerator, denominator)``, no ``value``).
- **bound** words: 不低于 不少于 至少 最少 最低 以上 → ``at-least`` (official usage counts the number itself in 以上);
  以下 以内 不超过 不高于 最多 至多 最高 → ``at-most``; 多 余 超过 高于 逾 有余 → ``more-than``;
  不到 不足 少于 低于 未满 → ``less-than``; 约 大约 大概 左右 来, and loose ranges (七八万元) → ``approximately``;
  近 将近 接近 → ``nearly`` (but 近3年来, 近5年内 is "the past N years": no bound). An explicit range (3-5个) is
  ``exact``: its ends are stated limits. A bound word in front of the first amount of a list covers the list: in
  不低于600平方米和200平方米 both are ``at-least``.
- **period**: 每月, 月收入 (月 + 收入/报酬/薪/工资/补贴…), 月均, /月 → ``month``; 每年, 年均, 年平均, 年报酬…, /年 →
  ``year``; 一次性 → ``once`` (a one-off sum). **per**: 每人 每名 人均 /人 → ``person``; 每村 每个行政村 村均 → ``village``; 每社区 → ``community``;
  每乡镇 → ``township``; 每个…项目 → ``project``; 每户 户均 → ``household``.
- ``text`` runs from the first per/period/bound word to the last suffix when they are joined to the number, directly or
  through one short link of at most four Han characters after a per or period word or after 至少/最多
  (每村补贴7.5万元, 月收入达3129元, 每乡镇至少配备1名, 每月至少督查调研一次). Other bound words must touch the number:
  约谈18名 is a summons of 18, not "about 18".
- A per or period word heads its clause: it also applies, outside ``text``, to later amounts in the same clause
  (…每年服务群众专项经费不低于2万元 is per year; 乡镇每年仅版面制作费就要花七八万元 is per year).
- ``year`` is the calendar year a mention is tied to: 2012年的3.1万元, 2015年将解决200个, or a clause that is only a
  year heading the sentence (2014年,已解决95个…). A year after 较/比 is a baseline, not a tie (较2012年增加97平方米).
- ``change = (old.start, new.start)`` on both mentions of 由/从 [year的 | 原来的] A (verb) 到/至/为 B, same unit.
  ``delta`` is ``increase``/``decrease`` when a verb of change touches the amount (提高36%, 增加97平方米).

What is not an amount, and why
==============================

- A number needs a unit (or %, 分之, a ratio colon). So codes, names and slogans built from numerals are never read:
  1235战略, “123”工程, 206国道, 两学一做, 四加强四到位, 一定三有, 四联四定, 一村四警, 两委两站, 三创, 三级 (级 is no
  unit), 第一书记, 一线为民, 一对一, 一级抓一级, H7N9, book118, ICP numbers (…号), phone numbers.
- Dates and times: a 4-digit Arabic number 1000–2999 or a digit-by-digit numeral (二〇一二) before 年 is a calendar
  year; N月, N日, N号 are no units; 2015-07-10, 2016/8/25 and clock times (9:17:35, 9:00-18:30) are skipped.
  Arabic numbers of one to three digits before 年 are durations (分3年完成, 20多年, 1年创建).
- Ordinals: 第N…, list markers (一是, 1、, 一、) have no unit.
- Short quoted names (“三个清单”, at most 10 characters without punctuation inside quotes) and book titles 《…》 are
  names, not statements of quantity.
- Bare 一 with a classifier is the Chinese indefinite article (一幅辐射图, 一个优秀的村党组织书记, 一批干部, 一颗定心丸,
  召开一次会议), so it is read only when a bound, per or period word is joined to it (每月至少督查调研一次) or with
  半 (一年半). Counts written in Arabic digits are always read (1名班子成员): GB/T 15835-2011 reserves Arabic digits for
  counting and measuring. Other Chinese numerals with a classifier are counts (两个相邻的行政村, 三个档级标准, 两条示范带).
- Lone 二 with a classifier is adjectival or ordinal (二次下载 "re-download", 二期工程 "phase two"): counts use 两.
- 百, 千, 万, 亿 cannot begin a numeral (千条线, 百姓, 万家) except before 余/多 (百余人, 千余名) or after 近, 逾, 约
  (近千名, 逾万人).
- Fixed political formulae name doctrines, not counts: 三个代表, 四个全面, 四个意识, 四个自信, 两个维护, 两个确立,
  两个一百年, 两个务必, 四个服从, 五位一体, 八项规定, 六项禁令.
- Ratios: a colon between numbers is a ratio when it is the ratio sign ∶, when the numbers are the whole input, or when
  the clause speaks of a proportion (比, 比例, 配套, or 按/按照/为 right before); never a clock time (9:00, 18:30).
- In 每3年调整一次 and 每两个月召开一次 the frequency is the interval mention (``recurring=True``); the bare 一次 is
  not read again. 以上 before a number means "the above" (以上两条声明), not a bound.
- Not read at all (no code in the vocabulary): 个百分点 (percentage points), 倍, 公里, 家, 所, 座; 几 and 数 (十几个,
  数百名) are not numerals here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal

from dangjian.text.numerals import DIGITS, NUMERAL_CHARS, ChineseNumber, read_chinese, to_chinese

__all__ = ["AmountMention", "read_amounts", "read_amount", "format_amount", "change_pairs", "normalize", "periods_stated"]

# Enough precision that scaling a written number (1154.48 × 10000) is always exact, given that no number of more
# than _MAX_DIGITS digits is an amount (longer runs are identifiers; 10^30 is far beyond any stated quantity).
_EXACT = Context(prec=80)
_MAX_DIGITS = 30


# ---------------------------------------------------------------------------------------------------------------
# Normalisation: one character for one character, so offsets into the normalised text are offsets into the input.
# ---------------------------------------------------------------------------------------------------------------

_ONE_FOR_ONE = [
    ("０１２３４５６７８９", "0123456789"),
    ("．％：－～／", ".%:-~/"),
    # Traditional forms of the characters the grammar looks at (numerals, units, bound, period, per and link words).
    ("萬億兩個戶項塊條歲畝餘於過約達為從報區鄉鎮貳陸點週僅數幾與長減標補貼資經費內單來級層節簽預違親臨鄰時間開錢額稱滿後當將歷較與",
     "万亿两个户项块条岁亩余于过约达为从报区乡镇贰陆点周仅数几与长减标补贴资经费内单来级层节签预违亲临邻时间开钱额称满后当将历较与"),
]
_NORMALISE = str.maketrans("".join(a for a, _ in _ONE_FOR_ONE), "".join(b for _, b in _ONE_FOR_ONE))


def normalize(text: str) -> str:
    """Full-width digits and symbols to ASCII, Traditional grammar characters to Simplified; same length as text."""
    return text.translate(_NORMALISE)


# ---------------------------------------------------------------------------------------------------------------
# The mention
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmountMention:
    """One amount a text states. ``text == input[start:end]``; numbers are in base units (万元 → 元)."""

    text: str
    start: int
    end: int
    value: Decimal | None = None  # the point value; None for ranges, ratios and fractions
    low: Decimal | None = None  # ranges: 七八万元 → 70000..80000
    high: Decimal | None = None
    parts: tuple[Decimal, ...] | None = None  # ratios (1, 0.8, 0.7); fractions (numerator, denominator)
    unit: str | None = None
    bound: str = "exact"
    period: str | None = None
    per: str | None = None
    year: int | None = None  # the calendar year the text ties the amount to (2012年的3.1万元)
    change: tuple[int, int] | None = None  # (old.start, new.start) of 由A提高到B, on both mentions
    delta: str | None = None  # "increase"/"decrease": the amount is the size of a change (提高36%)
    recurring: bool = False  # an interval: 每3年, 每两个月
    scale: Decimal = field(default=Decimal(1))  # the scale word as written: 10000 for 1154.48万元
    as_written: str = ""  # the number and unit alone, as written: 1154.48万元, 5000余人次, 七八万元


def change_pairs(mentions: list[AmountMention]) -> list[tuple[AmountMention, AmountMention]]:
    """The (old, new) pairs of 由A提高到B among mentions."""
    by_start = {m.start: m for m in mentions}
    return [(by_start[m.change[0]], m) for m in mentions
            if m.change and m.change[1] == m.start and m.change[0] in by_start]


# ---------------------------------------------------------------------------------------------------------------
# Vocabulary of the grammar (normalised, Simplified spellings)
# ---------------------------------------------------------------------------------------------------------------

# Longest first, so 人次 wins over 人 and 个月 over 个.
_UNITS: list[tuple[str, str]] = sorted([
    ("平方米", "square-metre"), ("平米", "square-metre"), ("㎡", "square-metre"),
    ("块钱", "CNY"), ("元", "CNY"),
    ("亩", "mu"), ("%", "percent"),
    ("人次", "person-time"),
    ("个半月", "month"), ("个多月", "month"), ("个余月", "month"), ("个月", "month"), ("个", "item"),
    ("周岁", "year-of-age"), ("岁", "year-of-age"),
    ("名", "person"), ("人", "person"), ("位", "person"),
    ("户", "household"), ("期", "session"), ("次", "occurrence"), ("件", "piece"), ("项", "entry"),
    ("块", "block"), ("条", "line"), ("年", "year"), ("天", "day"),
], key=lambda u: -len(u[0]))

_UNIT_CODES = dict(_UNITS)
_UNIT_RE = re.compile("|".join(re.escape(word) for word, _ in _UNITS))

# A unit word followed by these is part of another word: 年级, 一次性, 岁月, 位数, 元旦, 名单, 条件, 个百分点.
_NOT_A_UNIT_BEFORE = {
    "年": ("级", "代", "度"), "次": ("性",), "岁": ("月",), "位": ("数", "置"), "元": ("旦", "素", "首", "宵", "帅", "老"),
    "名": ("单", "额", "字", "称", "义", "誉"), "条": ("件", "例", "约", "款"), "个": ("百分点",), "人": ("民",),
    "期": ("间", "望", "待", "限"),
}
_TIME_UNITS = {"year", "month", "day"}

_SCALES = {"万亿": 10**12, "千万": 10**7, "百万": 10**6, "亿": 10**8, "万": 10**4, "千": 10**3, "百": 10**2}
_SCALE_RE = re.compile("|".join(sorted(_SCALES, key=len, reverse=True)))
_ARABIC_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?![\d,])(?:\.\d+)?|\d+(?:\.\d+)?")
_DATE_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)")
_COLON_CHAIN_RE = re.compile(r"(?:\s?[:∶]\s?\d+(?:\.\d+)?)+")
_RANGE_SEPS = "-~—–至到"
# Where a number can begin: an Arabic digit or a Chinese numeral character.
_CANDIDATE_RE = re.compile("[0-9" + "".join(sorted(NUMERAL_CHARS)) + "]")
_INNER = {"多": "more-than", "余": "more-than", "来": "approximately"}

_BOUND_WORDS = {
    "不低于": "at-least", "不少于": "at-least", "不小于": "at-least", "不下于": "at-least", "至少": "at-least",
    "最少": "at-least", "最低": "at-least",
    "不超过": "at-most", "不高于": "at-most", "不多于": "at-most", "最多": "at-most", "至多": "at-most", "最高": "at-most",
    "超过": "more-than", "多于": "more-than", "高于": "more-than", "逾": "more-than",
    "不到": "less-than", "不足": "less-than", "少于": "less-than", "低于": "less-than", "未满": "less-than",
    "不满": "less-than",
    "大约": "approximately", "大概": "approximately", "约": "approximately",
    "将近": "nearly", "接近": "nearly", "近": "nearly",
}
# 约 and 近 inside other words: 节约 签约 预约…, 最近 附近 亲近….
_GUARDED = {"约": "(?<![节制签预邀履违公条合特相契])约", "近": "(?<![最附亲靠临邻])近"}
_BOUND_RE = re.compile(
    "(?:" + "|".join(_GUARDED.get(w, w) for w in sorted(_BOUND_WORDS, key=len, reverse=True)) + r")\Z")
_BOUND_SUFFIXES = {"及以上": "at-least", "以上": "at-least", "以下": "at-most", "以内": "at-most", "之内": "at-most",
                   "左右": "approximately", "有余": "more-than", "开外": "more-than"}
_BOUND_SUFFIX_RE = re.compile("|".join(sorted(_BOUND_SUFFIXES, key=len, reverse=True)))

# One link of up to four Han characters between a per/period word (or 至少/最多) and the number: 补贴, 平均, 达到,
# 择优选拔. It never contains a numeral, and never a word that opens another construction (的 由 从 较 比 和 与 及 或).
_LINK_CHAR = r"(?:(?![的由从较比和与及或、一二两三四五六七八九十百千万亿零〇])[\u4e00-\u9fff])"
_GAPPED_BOUND_RE = re.compile(rf"(?P<word>至少|最少|最多|至多){_LINK_CHAR}{{1,4}}\Z")

_PERIOD_WORD = (r"一次性|每年|每月|年均|年平均|月均|月平均"
                r"|(?<![今去明前后上下本当全半同往历次首末元\d一二两三四五六七八九十百千万亿零〇])[年月]"
                r"(?:收入|报酬|薪酬|薪|工资|补贴|津贴|经费)")
_PER_WORD = (r"每(?:一?个)?(?:行政村|村|社区|乡镇|乡|镇|人|名|户|家庭)|每(?:一?个)?[\u4e00-\u9fff]{0,12}?项目"
             r"|人均|户均|村均")
_CHAIN_WORD = rf"(?P<word>{_PER_WORD}|{_PERIOD_WORD})"
_CHAIN_WORD_RE = re.compile(rf"{_CHAIN_WORD}\Z")
_CHAIN_LINKED_RE = re.compile(rf"{_CHAIN_WORD}{_LINK_CHAR}{{1,4}}\Z")
_PER_WORD_RE = re.compile(_PER_WORD)
_PERIOD_WORD_RE = re.compile(_PERIOD_WORD)
_SLASH_RE = re.compile(r"/(月|年|人|户|村|社区|乡镇)")

_CLAUSE_BREAKS = set(",，;；。!！?？:：\n\r()（）[]【】 \t")
_SENTENCE_BREAKS = set("。;；!！?？\n\r")
_NAME_SPAN_RES = [re.compile(p) for p in (r"“[^“”,，。;；!！?？:：、]{1,10}”", r"「[^「」,，。;；]{1,10}」",
                                          r"‘[^‘’,，。;；]{1,10}’", r"《[^《》]*》", r"〈[^〈〉]*〉")]
# Fixed political formulae whose numeral and classifier name a doctrine, not a count: 八项规定 names a set of
# rules, 五位一体 is no five people.
_FORMULAE_RE = re.compile("三个代表|三个有利于|四个全面|四个意识|四个自信|三个自信|两个维护|两个确立|两个一百年|两个务必|"
                          "四个服从|五位一体|八项规定|六项禁令")
_TIME_CUES = re.compile(r"时间|时刻|上午|下午|晚上|凌晨|早上|中午")

_YEAR = r"(?P<y>(?:1|2)\d{3}|[一二][〇零一二三四五六七八九]{3})"
_YEAR_TOUCHING_RE = re.compile(rf"(?<![较比\d]){_YEAR}年(?:底|末|初)?的?\Z")
_YEAR_LINKED_RE = re.compile(rf"(?<![较比从自\d]){_YEAR}年(?:底|末)?(?P<link>{_LINK_CHAR}{{1,4}})\Z")
_YEAR_HEADING_RE = re.compile(rf"\s*{_YEAR}年\s*")
_CHANGE_FROM_RE = re.compile(rf"(?:由|从)(?:{_YEAR}年(?:底|末|初)?的?|{_LINK_CHAR}{{1,4}}的)?\Z")  # 由原来的A
_CHANGE_TO_RE = re.compile(rf"了?{_LINK_CHAR}{{0,4}}?(?:到|至|为|成)")
_DELTA_RE = re.compile(r"(?P<verb>提高|增加|增长|上升|提升|下降|减少|降低|新增|净增|增|减|降)了?\Z")
_LIST_JOINERS = {"和", "、", "及", "与", "或", "以及"}

_PER_CODES = [("项目", "project"), ("行政村", "village"), ("村", "village"), ("社区", "community"),
              ("乡镇", "township"), ("乡", "township"), ("镇", "township"), ("家庭", "household"), ("户", "household"),
              ("人", "person"), ("名", "person")]


def _per_code(word: str) -> str:
    return next(code for key, code in _PER_CODES if key in word)


def _period_code(word: str) -> str:
    if word == "一次性":
        return "once"
    return "month" if "月" in word else "year"


def periods_stated(text: str) -> set[str]:
    """The period of every period word anywhere in a text (每年 …, 月收入 …, /月, 一次性), whichever
    amount it heads: what a quote says about how often, beyond each amount's own clause."""
    norm = normalize(text)
    found = {_period_code(m.group()) for m in _PERIOD_WORD_RE.finditer(norm)}
    found |= {_period_code(m.group(1)) for m in _SLASH_RE.finditer(norm) if m.group(1) in ("月", "年")}
    return found


# ---------------------------------------------------------------------------------------------------------------
# Numbers and cores (number + unit)
# ---------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Number:
    low: Decimal
    high: Decimal
    end: int
    scale: Decimal
    kind: str  # "arabic", "number", "range" (七八), "digits" (二〇一二)
    text: str


@dataclass
class _Core:
    start: int
    end: int
    unit: str
    low: Decimal | None = None
    high: Decimal | None = None
    parts: tuple[Decimal, ...] | None = None
    scale: Decimal = Decimal(1)
    inner_bound: str | None = None
    is_range: bool = False
    bare_one: bool = False


def _plain(d: Decimal) -> Decimal:
    """The same number without trailing zeros or exponent: 11544800.00 → 11544800, 7.50 → 7.5."""
    if d == d.to_integral_value():
        return d.quantize(Decimal(1), context=_EXACT)
    return d.normalize(_EXACT)


def _arabic(norm: str, i: int) -> _Number | None:
    m = _ARABIC_RE.match(norm, i)
    if m is None or sum(c.isdigit() for c in m.group()) > _MAX_DIGITS:
        return None
    value = Decimal(m.group().replace(",", ""))
    j, scale = m.end(), Decimal(1)
    s = _SCALE_RE.match(norm, j)
    if s:
        scale, j = Decimal(_SCALES[s.group()]), s.end()
        value = _EXACT.multiply(value, scale)
        # 2万5千: a further Arabic number with a smaller scale adds on.
        m2 = _ARABIC_RE.match(norm, j)
        s2 = _SCALE_RE.match(norm, m2.end()) if m2 else None
        if m2 and s2 and _SCALES[s2.group()] < scale:
            value = _EXACT.add(value, _EXACT.multiply(Decimal(m2.group().replace(",", "")), _SCALES[s2.group()]))
            j = s2.end()
    value = _plain(value)
    return _Number(value, value, j, scale, "arabic", norm[i:j])


def _chinese_run_end(norm: str, i: int) -> int:
    j = i
    while j < len(norm):
        ch = norm[j]
        # 点 is a decimal point only between numeral characters (三点五, 三千点五), never in 重点 or 一点儿.
        if ch in NUMERAL_CHARS or (ch == "点" and j > i and "点" not in norm[i:j]
                                   and j + 1 < len(norm) and norm[j + 1] in DIGITS):
            j += 1
        else:
            break
    return j


def _chinese(norm: str, i: int) -> _Number | None:
    j = _chinese_run_end(norm, i)
    run = norm[i:j]
    if not run or run[0] in "百千万亿":
        return None
    read: ChineseNumber | None = read_chinese(run)
    if read is None or read.high >= 10**_MAX_DIGITS:
        return None
    scale = Decimal(1)
    if read.kind != "digits" and run[-1] in "万亿" and not any(c in "万亿" for c in run[:-1]):
        scale = Decimal(_SCALES[run[-1]])
    return _Number(_plain(read.low), _plain(read.high), j, scale, read.kind, run)


def _number(norm: str, i: int) -> _Number | None:
    if norm[i].isascii() and norm[i].isdigit():
        return _arabic(norm, i)
    return _chinese(norm, i)


def _unit_at(norm: str, j: int) -> tuple[str, str, int] | None:
    """(word, code, end) of the unit starting at j, or None."""
    m = _UNIT_RE.match(norm, j)
    if m is None:
        return None
    word = m.group()
    if norm.startswith(_NOT_A_UNIT_BEFORE.get(word, ()), m.end()):
        return None
    return word, _UNIT_CODES[word], m.end()


def _is_calendar_year(num: _Number, norm: str) -> bool:
    """2015年, 二〇一二年: a year of the calendar, not a duration."""
    if num.kind == "digits":
        return True
    return (num.kind == "arabic" and num.scale == 1 and re.fullmatch(r"[12]\d{3}", num.text) is not None
            and norm.startswith("年", num.end))


class _Scanner:
    """Finds the cores of a normalised text: each number with its unit, skipping what is not an amount."""

    def __init__(self, norm: str):
        self.norm = norm
        self.cores: list[_Core] = []

    def scan(self) -> list[_Core]:
        norm, i = self.norm, 0
        while i < len(norm):
            found = _CANDIDATE_RE.search(norm, i)
            if found is None:
                break
            i = found.start()
            ch = norm[i]
            prev = norm[i - 1] if i else ""
            if ch.isascii() and ch.isdigit() and not (prev.isascii() and (prev.isdigit() or prev == ".")):
                i = self._from_arabic(i)
            elif norm.startswith("百分之", i):
                i = self._percent_words(i)
            elif (ch in NUMERAL_CHARS and prev not in NUMERAL_CHARS) or (ch in "百千万" and prev not in NUMERAL_CHARS):
                i = self._from_chinese(i)
            else:
                i += 1
        return self.cores

    # -- Arabic numbers ------------------------------------------------------------------------------------------

    def _from_arabic(self, i: int) -> int:
        norm = self.norm
        date = _DATE_RE.match(norm, i)
        if date:
            return date.end()
        m = _ARABIC_RE.match(norm, i)
        end = m.end()
        if (i and norm[i - 1].isascii() and norm[i - 1].isalpha()) or (end < len(norm) and norm[end].isascii()
                                                                       and norm[end].isalpha()):
            while end < len(norm) and norm[end].isascii() and norm[end].isalnum():
                end += 1
            return end  # a code: H7N9, book118, 163.com
        chain = _COLON_CHAIN_RE.match(norm, end)
        if chain:
            return self._ratio_or_time(i, chain.end())
        num = _arabic(norm, i)
        return end if num is None else self._after_number(i, num)

    def _ratio_or_time(self, i: int, end: int) -> int:
        norm = self.norm
        written = norm[i:end]
        parts = re.split(r"\s?[:∶]\s?", written)
        if any(len(p) > _MAX_DIGITS for p in parts):
            return end
        if any(re.fullmatch(r"0\d+", p) for p in parts[1:]) or ("∶" not in written and _looks_like_clock(parts)):
            return end  # 9:00, 09:05:10, 18:30: a clock time
        clause = norm[_clause_start(norm, i):_clause_end(norm, end)]
        is_ratio = ("∶" in written or norm.strip() == written
                    or (not _TIME_CUES.search(clause)
                        and ("比" in clause or "配套" in clause or norm[i - 1:i] in ("按", "照", "为"))))
        if is_ratio:
            self.cores.append(_Core(i, end, "ratio", parts=tuple(_plain(Decimal(p)) for p in parts)))
        return end

    # -- Chinese numerals ----------------------------------------------------------------------------------------

    def _from_chinese(self, i: int) -> int:
        norm = self.norm
        run_end = _chinese_run_end(norm, i)
        if norm[i] in "百千万亿" and run_end == i + 1 and (norm[i + 1:i + 2] in ("余", "多")
                                                          or norm[i - 1:i] in ("近", "逾", "约")):
            # 百余人, 千余名, 万余元, 近千名, 逾万人: the only ways a bare 百/千/万 begins a number.
            value = Decimal(_SCALES[norm[i]])
            return self._after_number(i, _Number(value, value, i + 1, Decimal(1), "number", norm[i]))
        num = _chinese(norm, i)
        if num is None:
            return max(run_end, i + 1)
        return self._after_number(i, num)

    def _percent_words(self, i: int) -> int:
        """百分之三十, 百分之36, 百分之百."""
        norm, j = self.norm, i + 3
        if norm.startswith("百", j) and not norm.startswith("百分之", j) and _chinese_run_end(norm, j) == j + 1:
            self.cores.append(_Core(i, j + 1, "percent", Decimal(100), Decimal(100)))
            return j + 1
        num = _number(norm, j) if j < len(norm) else None
        if num is None or num.kind == "digits":
            return j
        self.cores.append(_Core(i, num.end, "percent", num.low, num.high, is_range=num.low != num.high,
                                inner_bound="approximately" if num.kind == "range" else None))
        return num.end

    # -- What follows a number -----------------------------------------------------------------------------------

    def _after_number(self, i: int, num: _Number | None) -> int:
        if num is None:
            return i + 1
        norm, j = self.norm, num.end
        if num.kind == "digits":
            return j + 1 if norm.startswith("年", j) else j  # 二〇一二年: a date
        if _is_calendar_year(num, norm):
            return j + 1
        if norm.startswith("分之", j):
            return self._fraction(i, num)
        low, high, scale, is_range = num.low, num.high, num.scale, num.kind == "range"
        inner = "approximately" if num.kind == "range" else None
        second = self._range_end(num)
        if second is not None:
            low, high, j, scale = second
            is_range = True
        inner_word = norm[j:j + 1]
        if inner_word in _INNER and inner is None and not is_range:
            inner = _INNER[inner_word]
            j += 1
            late = _SCALE_RE.match(norm, j)  # 20多万元: the scale after 多
            if late and scale == 1:
                scale = Decimal(_SCALES[late.group()])
                low = high = _plain(_EXACT.multiply(low, scale))
                j = late.end()
        unit = _unit_at(norm, j)
        if unit is None:
            return max(j, i + 1)
        word, code, end = unit
        if code == "year" and any(_calendar_like(v) for v in (low, high)) and num.kind == "arabic" and scale == 1:
            return end  # 2015-2016年
        if word == "个半月":
            low, high = low + Decimal("0.5"), high + Decimal("0.5")
        elif code in ("year", "day") and norm.startswith("半", end):
            low, high, end = low + Decimal("0.5"), high + Decimal("0.5"), end + 1
        if word in ("个多月", "个余月") and inner is None:
            inner = "more-than"
        elif (code in _TIME_UNITS and inner is None and norm[end:end + 1] in ("多", "余")
              and _unit_at(norm, end + 1) is None):
            inner, end = "more-than", end + 1  # 一年多, 3年多: more than; but 3年多次 is 3年 + 多次
        # Bare 一 + classifier may be the indefinite article; 一年半, 一年多, 一个多月 are quantities.
        bare_one = (num.text in ("一", "壹") and not is_range and end == j + len(word)
                    and word not in ("个半月", "个多月", "个余月"))
        if num.text in ("二", "贰") and not is_range:
            return end  # 二次下载, 二期工程: ordinal or adjectival, counts use 两
        core = _Core(i, end, code, low, high, scale=scale, inner_bound=inner, is_range=is_range, bare_one=bare_one)
        self.cores.append(core)
        return self._unit_range(core)

    def _range_end(self, num: _Number) -> tuple[Decimal, Decimal, int, Decimal] | None:
        """3-5个, 3至5万元, 三到五年: (low, high, end, scale) when a second number follows a separator."""
        norm, j = self.norm, num.end
        if num.kind not in ("arabic", "number") or j >= len(norm) or norm[j] not in _RANGE_SEPS:
            return None
        k = j + 1
        if k >= len(norm):
            return None
        is_arabic = norm[k].isascii() and norm[k].isdigit()
        if is_arabic != (num.kind == "arabic") or (not is_arabic and norm[k] not in NUMERAL_CHARS):
            return None
        second = _number(norm, k)
        if second is None or second.kind not in ("arabic", "number") or _unit_at(norm, second.end) is None:
            return None
        low = num.low
        if num.scale == 1 and second.scale != 1 and num.kind == "arabic":
            low = _plain(_EXACT.multiply(low, second.scale))  # 3-5万元: the scale covers both ends
        if not low < second.low:
            return None
        return low, second.low, second.end, second.scale if second.scale != 1 else num.scale

    def _unit_range(self, core: _Core) -> int:
        """30%-50%: a range whose first end repeats the unit."""
        norm, j = self.norm, core.end
        if core.is_range or j + 1 >= len(norm) or norm[j] not in "-~—–" or not (norm[j + 1].isascii()
                                                                                and norm[j + 1].isdigit()):
            return j
        second = _arabic(norm, j + 1)
        unit = _unit_at(norm, second.end) if second else None
        if not second or not unit or unit[1] != core.unit or not core.low < second.low or core.inner_bound:
            return j
        core.high, core.end, core.is_range, core.bare_one = second.low, unit[2], True, False
        return core.end

    def _fraction(self, i: int, denominator: _Number) -> int:
        norm, k = self.norm, denominator.end + 2
        numerator = _number(norm, k) if k < len(norm) else None
        if numerator is None or numerator.kind not in ("arabic", "number") or denominator.kind not in ("arabic",
                                                                                                         "number"):
            return k
        if not (numerator.low == numerator.low.to_integral_value() and denominator.low
                == denominator.low.to_integral_value()) or denominator.low == 0:
            return numerator.end
        self.cores.append(_Core(i, numerator.end, "fraction", parts=(numerator.low, denominator.low)))
        return numerator.end


def _looks_like_clock(parts: list[str]) -> bool:
    """18:30, 9:17:35: hours, then minutes (and seconds) written with two digits."""
    return (len(parts) in (2, 3) and all(p.isdigit() for p in parts) and int(parts[0]) <= 24
            and all(len(p) == 2 and int(p) <= 59 for p in parts[1:]))


def _calendar_like(v: Decimal | None) -> bool:
    return v is not None and v == v.to_integral_value() and 1000 <= v <= 2999


# How far the reader looks back from a number for the words around it (a clause is rarely longer); the bound keeps
# reading linear on text without punctuation.
_LOOKBACK = 100


def _clause_start(norm: str, i: int) -> int:
    limit = max(0, i - _LOOKBACK)
    while i > limit and norm[i - 1] not in _CLAUSE_BREAKS:
        i -= 1
    return i


def _clause_end(norm: str, i: int) -> int:
    limit = min(len(norm), i + _LOOKBACK)
    while i < limit and norm[i] not in _CLAUSE_BREAKS:
        i += 1
    return i


def _sentence_start(norm: str, i: int) -> int:
    limit = max(0, i - _LOOKBACK)
    while i > limit and norm[i - 1] not in _SENTENCE_BREAKS:
        i -= 1
    return i


def _in_names(norm: str) -> bytearray:
    """1 at every position inside a quoted name, a book title or a political formula."""
    mask = bytearray(len(norm))
    for r in (*_NAME_SPAN_RES, _FORMULAE_RE):
        for m in r.finditer(norm):
            mask[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    return mask


def _year_value(y: str) -> int:
    if y.isdigit():
        return int(y)
    return int("".join(str(DIGITS[c]) for c in y))


# ---------------------------------------------------------------------------------------------------------------
# From cores to mentions: the words around the number
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class _Context:
    start: int  # where text starts
    end: int  # where text ends
    bound: str | None = None
    bound_is_prefix: bool = False
    per: str | None = None
    period: str | None = None
    recurring: bool = False
    joined: bool = False  # a bound, per or period word is joined to the number


def _prefix(norm: str, core: _Core, floor: int) -> _Context:
    """The per, period and bound words joined to the number from the left."""
    ctx = _Context(core.start, core.end)
    if core.start > floor and norm[core.start - 1] == "每" and core.unit in _TIME_UNITS:
        ctx.start, ctx.recurring = core.start - 1, True
        return ctx
    pos, linked = core.start, False
    m = _BOUND_RE.search(norm, floor, pos)
    if m is None:
        m = _GAPPED_BOUND_RE.search(norm, floor, pos)
        linked = m is not None
    if m is not None and not linked and m.group() == "近" and core.unit in _TIME_UNITS and re.match(
            "以来|来|内|中|里", norm[core.end:core.end + 2]):
        m = None  # 近3年来: "the past three years", not "nearly three years"
    if m is not None:
        ctx.bound, ctx.bound_is_prefix, pos = _BOUND_WORDS[m.group("word") if linked else m.group()], True, m.start()
    while True:
        m = _CHAIN_WORD_RE.search(norm, floor, pos)
        if m is None and not linked:
            m = _CHAIN_LINKED_RE.search(norm, floor, pos)
            linked = m is not None
        if m is None:
            break
        word = m.group("word")
        if _PER_WORD_RE.fullmatch(word) and ctx.per is None:
            ctx.per = _per_code(word)
        elif _PERIOD_WORD_RE.fullmatch(word) and ctx.period is None:
            ctx.period = _period_code(word)
        else:
            break
        pos = m.start()
    ctx.joined = pos < core.start
    ctx.start = pos
    return ctx


def _suffix(norm: str, core: _Core, ctx: _Context) -> None:
    """以上/以下/左右…, and /月 /年 /人 after the unit."""
    k = core.end
    for _ in range(2):
        m = _BOUND_SUFFIX_RE.match(norm, k)
        if m and ctx.bound is None:
            ctx.bound, k = _BOUND_SUFFIXES[m.group()], m.end()
            continue
        m = _SLASH_RE.match(norm, k)
        if m and core.unit != "ratio":
            word = m.group(1)
            if word in ("月", "年"):
                ctx.period = ctx.period or _period_code(word)
            else:
                ctx.per = ctx.per or _per_code(word)
            k = m.end()
            continue
        break
    ctx.end = k


def _clause_words(norm: str, ctx: _Context, clause: int) -> None:
    """A per or period word earlier in the clause applies to this amount too."""
    if ctx.recurring:
        return
    if ctx.per is None:
        found = list(_PER_WORD_RE.finditer(norm, clause, ctx.start))
        if found:
            ctx.per = _per_code(found[-1].group())
    if ctx.period is None:
        found = list(_PERIOD_WORD_RE.finditer(norm, clause, ctx.start))
        if found:
            ctx.period = _period_code(found[-1].group())


def _tied_year(norm: str, start: int, clause: int) -> int | None:
    m = _YEAR_TOUCHING_RE.search(norm, clause, start)
    if m is None:
        m = _YEAR_LINKED_RE.search(norm, clause, start)
        if m and any(w in m.group("link") for w in ("以来", "起", "开始", "以前", "以后", "之前", "之后")):
            m = None
    if m:
        return _year_value(m.group("y"))
    # 2014年,已解决95个…: a clause that is only a year heads the rest of its sentence.
    heading = None
    sentence = _sentence_start(norm, clause)
    k = sentence
    while k < clause:
        end = _clause_end(norm, k)
        h = _YEAR_HEADING_RE.fullmatch(norm, k, end)
        if h:
            heading = _year_value(h.group("y"))
        k = end + 1
    return heading


def _delta(norm: str, ctx: _Context, clause: int) -> str | None:
    if ctx.bound is not None:
        return None
    m = _DELTA_RE.search(norm, clause, ctx.start)
    if m is None:
        return None
    return "decrease" if m.group("verb") in ("下降", "减少", "降低", "减", "降") else "increase"


def _mention(text: str, norm: str, core: _Core, ctx: _Context, year: int | None, delta: str | None) -> AmountMention:
    bound = ctx.bound or core.inner_bound or "exact"
    value = low = high = None
    if core.parts is None:
        if core.is_range:
            low, high = core.low, core.high
        else:
            value = core.low
    return AmountMention(
        text=text[ctx.start:ctx.end], start=ctx.start, end=ctx.end, value=value, low=low, high=high, parts=core.parts,
        unit=core.unit, bound=bound, period=ctx.period, per=ctx.per, year=year, delta=delta,
        recurring=ctx.recurring, scale=core.scale, as_written=text[core.start:core.end])


def _link_lists_and_changes(norm: str, mentions: list[tuple[AmountMention, _Context]]) -> list[AmountMention]:
    out = [m for m, _ in mentions]
    # Whether a mention's bound came from a word in front of it (or of the list it continues).
    bound_in_front = [ctx.bound_is_prefix for _, ctx in mentions]
    for k in range(1, len(out)):
        a, b = out[k - 1], out[k]
        b_ctx = mentions[k][1]
        between = norm[a.end:b.start]
        same_sentence = _sentence_start(norm, b.start) <= a.start
        if (between in _LIST_JOINERS and bound_in_front[k - 1] and b.bound == "exact" and not b_ctx.joined
                and a.unit == b.unit):
            out[k] = b = replace(b, bound=a.bound)  # 不低于600平方米和200平方米
            bound_in_front[k] = True
        clause_a = _clause_start(norm, a.start)
        if (same_sentence and a.unit == b.unit and _CHANGE_FROM_RE.search(norm, clause_a, a.start)
                and _CHANGE_TO_RE.fullmatch(between)):
            pair = (a.start, b.start)
            out[k - 1], out[k] = replace(a, change=pair), replace(b, change=pair, delta=None)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------------------------------


def read_amounts(text: str) -> list[AmountMention]:
    """Every amount stated in text, in order of appearance."""
    norm = normalize(text)
    names = _in_names(norm)
    mentions: list[tuple[AmountMention, _Context]] = []
    floor = 0
    for core in _Scanner(norm).scan():
        if names[core.start]:
            continue  # “三个清单”: a name
        clause = _clause_start(norm, core.start)
        ctx = _prefix(norm, core, max(floor, clause))
        if norm[ctx.start - 1:ctx.start] == "第" or norm[core.start - 1:core.start] == "第":
            continue  # 第3次: an ordinal
        if core.bare_one and not ctx.joined:
            continue  # 一幅, 一个优秀的…: the indefinite article
        _suffix(norm, core, ctx)
        _clause_words(norm, ctx, clause)
        year = _tied_year(norm, ctx.start, clause)
        mention = _mention(text, norm, core, ctx, year, _delta(norm, ctx, clause))
        mentions.append((mention, ctx))
        floor = ctx.end
    return _link_lists_and_changes(norm, mentions)


def read_amount(text: str) -> AmountMention | None:
    """The one amount a short phrase states; None if none; ValueError if it states more than one."""
    found = read_amounts(text)
    if len(found) > 1:
        raise ValueError(f"expected one amount in {text!r}, found {len(found)}: " + ", ".join(m.text for m in found))
    return found[0] if found else None


# ---------------------------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------------------------

_UNIT_WORDS = {"CNY": "元", "square-metre": "平方米", "mu": "亩", "percent": "%", "item": "个", "person": "人",
               "person-time": "人次", "household": "户", "session": "期", "occurrence": "次", "piece": "件",
               "entry": "项", "block": "块", "line": "条", "year": "年", "day": "天", "month": "个月",
               "year-of-age": "周岁"}
_BOUND_PREFIX_WORDS = {"exact": "", "at-least": "不低于", "at-most": "不超过", "more-than": "超过",
                       "less-than": "不足", "approximately": "约", "nearly": "近"}
_PER_PREFIX_WORDS = {"person": "每人", "village": "每村", "community": "每社区", "township": "每乡镇",
                     "project": "每个项目", "household": "每户"}
_PERIOD_SUFFIXES = {"month": "/月", "year": "/年"}
_PERIOD_PREFIXES = {"once": "一次性"}
_SCALE_WORDS = {v: k for k, v in _SCALES.items()}


def _write_decimal(d: Decimal) -> str:
    return format(_plain(d), "f")


def _write_chinese(d: Decimal) -> str:
    """2015 → 二千零一十五, 2015.5 → 二千零一十五点五."""
    whole, _, frac = _write_decimal(d).partition(".")
    return to_chinese(int(whole)) + ("点" + "".join("零一二三四五六七八九"[int(c)] for c in frac) if frac else "")


def _write_numbers(values: list[Decimal], scale: Decimal, unit: str | None) -> list[str]:
    """Values in base units, written in the mention's scale. A number of years that looks like a calendar year
    (2015年) is written in Chinese numerals, with the rest of its range, so that it reads as a duration."""
    written = [_EXACT.divide(v, scale) for v in values]
    if unit == "year" and scale == 1 and any(_calendar_like(w) for w in written):
        return [_write_chinese(w) for w in written]
    return [_write_decimal(w) for w in written]


def format_amount(m: AmountMention) -> str:
    """Write a mention as Chinese wording that reads back to the same amount (1154.48万元, 不低于13000元, 1100元/月)."""
    if m.unit == "ratio":
        return _BOUND_PREFIX_WORDS[m.bound] + "∶".join(_write_decimal(p) for p in m.parts or ())
    scale = m.scale if int(m.scale) in _SCALE_WORDS and m.unit != "percent" else Decimal(1)
    scale_word = _SCALE_WORDS.get(int(scale), "")
    if m.unit == "fraction":
        numerator, denominator = (int(p) for p in m.parts or ())
        core = f"{to_chinese(denominator)}分之{to_chinese(numerator)}"
    else:
        unit_word = _UNIT_WORDS[m.unit or ""]
        if m.low is not None and m.high is not None:
            lo, hi = _write_numbers([m.low, m.high], scale, m.unit)
            sep = "-" if lo[0].isdigit() else "至"
            core = f"{lo}{sep}{hi}{scale_word}{unit_word}"
        else:
            core = f"{_write_numbers([m.value], scale, m.unit)[0]}{scale_word}{unit_word}"
    if m.recurring:
        return "每" + core
    per = _PER_PREFIX_WORDS.get(m.per or "", "")
    bound = _BOUND_PREFIX_WORDS[m.bound]
    return f"{per}{_PERIOD_PREFIXES.get(m.period or '', '')}{bound}{core}{_PERIOD_SUFFIXES.get(m.period or '', '')}"
