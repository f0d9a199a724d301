"""The amount reader on the five seed articles, on what is not an amount, and on generated amounts.

The table below lists every amount the five articles state (and the few the capture noise around them states),
one row per mention, each with the clause it stands in, copied verbatim from /work/shared/seeds. Article 003 carries
pronunciation annotations inserted by the site (創(chuàng)); the reader is run on its text with them removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.text.amounts import AmountMention, change_pairs, format_amount, read_amount, read_amounts
from dangjian.text.numerals import read_chinese, to_chinese

SEEDS = Path("/work/shared/seeds")
_READINGS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def strip_readings(text: str) -> str:
    """Remove the site's pronunciation annotations: 創(chuàng) → 創."""
    return _READINGS.sub("", text)


def article(number: str) -> str:
    (path,) = SEEDS.glob(f"{number}_*.txt")
    text = path.read_text(encoding="utf-8")
    return strip_readings(text) if number == "003" else text


@dataclass(frozen=True)
class Row:
    article: str
    fragment: str  # verbatim from the article (003: as the file has it, with annotations)
    text: str
    value: Decimal | None = None
    unit: str | None = None
    bound: str = "exact"
    period: str | None = None
    per: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    parts: tuple | None = None
    year: int | None = None
    recurring: bool = False
    delta: str | None = None
    noise: bool = False  # capture noise around the article (a copyright notice, a site's terms)


def D(s: str | int) -> Decimal:
    return Decimal(str(s))


def R(article_: str, fragment: str, text: str, value=None, unit=None, **kw) -> Row:
    if value is not None:
        value = D(value)
    for key in ("low", "high"):
        if kw.get(key) is not None:
            kw[key] = D(kw[key])
    if kw.get("parts") is not None:
        kw["parts"] = tuple(D(p) for p in kw["parts"])
    return Row(article_, fragment, text, value, unit, **kw)


F000_NOTICE = "3、对违反以上两条声明的网站和媒体"
F000_123 = "精心实施示范点创建“123”工程(1年创建、2年表彰奖励、3年典型推广)"
F001_PAY1 = "村“两委”正职年平均报酬达到16300元、其他干部年平均报酬不低于13000元,较去年提高36%"
F001_PAY2 = "社区干部正职年平均报酬达到26400元、其他干部年平均报酬达到22800元,较去年提高52%"
F001_VENUE1 = "市、县(区)财政每村补贴7.5万元,共投入1290万元,新建、改扩建200平方米以下村级组织活动场所172个"
F001_VENUE2 = "市财政每社区补贴50万元,新增投入350万元,新建、改扩建300平方米以下市辖社区活动场所7个"
F001_FUND1 = "全市1210个村每年服务群众专项经费不低于2万元,市、县(区)财政按照1:1的投入比例配套,新增投入2420万元"
F001_FUND2 = "99个社区每年服务群众专项经费不低于10万元,市、县(区)财政按照4:6的投入比例配套,新增投入990万元"
F001_STAFF = "市、县(区)委组织部调整充实基层党建工作人员23名,从事基层党建工作人员达到部编制总数的三分之一"
F001_SECRETARIES = "及时调整9名不合格村党组织书记,公开选拔75名村党组织第一书记"
F001_TRAINING = "全市共举办基层党建业务培训班13期,参训人员5000余人次"
F001_CHECKS = "市及各县(区)开展明察暗访22次,约谈18名乡镇党委书记,制发22期督查通报"
F002_SHELLS = "目前,全市村级集体空壳村(经营性收入2万元以下)已从2014年的355个下降到245个"
F002_INCOME = "社区党组织书记年均收入已由2012年的3.1万元提高到5.9万元"
F002_PAY = "村“两委”正职年报酬由1.5万元提高到3.7万元"
F002_AREA = "合肥按照不低于600平方米和200平方米的标准"
F002_AREA2 = "全市社区场所平均面积已由2012年的532平方米增加到1010平方米"
F002_AREA3 = "村级活动场所平均面积达到387平方米,较2012年增加97平方米"
F002_TIERS = "平均达到13.4万元、17.66万元、22.11万元"
F004_REVIEW = "评委们经过两天半的听汇报、阅资料、看阵地、督创新等环节,对12个县(区)进行打分评价"
F004_CENTRE = "服务中心大厅设置有7个窗口,服务周围3个自然村7000多名群众,已办理各类事项4450件"
F004_VENUES = "按照每个村级服务活动场所项目不低于15万元的标准,分3年完成496个村级服务活动场所建设专项经费投入"
F004_YEARS = ("2014年,已解决95个村(社区)无服务活动场所的问题;2015年将解决200个、2016年将解决201个村(社区)"
              "服务活动场所条件差的问题")
F004_SHARES = "基本工作报酬占70%,绩效奖励占30%"
F004_PAY = ("从2015年1月起,村党组织书记工作报酬定为1100元/月,村委会主任工作报酬定为880元/月,"
            "其他村干部工作报酬定为770元/月")
F004_BOARDS = "乡镇每年仅版面制作费就要花七八万元,村级机构牌子达20多块"
F004_FUNDS = "整合19个部门的资金5034万元"

ROWS: list[Row] = [
    # 000: Huainan, Datong district (2016-08-25)
    R("000", F000_NOTICE, "两条", 2, "line", noise=True),
    R("000", "夏农、夏菜本是两个相邻的行政村", "两个", 2, "item"),
    R("000", "两个村党组织从实际出发", "两个", 2, "item"),
    R("000", "着力打造洞山东路和206国道沿线两条党建示范带", "两条", 2, "line"),
    R("000", "大通区围绕打造洞山东路和206国道沿线两条党建示范带", "两条", 2, "line"),
    R("000", F000_123, "1年", 1, "year"),
    R("000", F000_123, "2年", 2, "year"),
    R("000", F000_123, "3年", 3, "year"),
    R("000", "共建成党建示范点20个", "20个", 20, "item"),
    R("000", "主要从工作时间、工作内容、薪酬待遇、发展前景四个方面对村级党组织书记实施专职管理", "四个", 4, "item"),
    R("000", "建立村“两委”工作十条规范", "十条", 10, "line"),
    R("000", "按照三个档级标准确定村党组织书记基本报酬", "三个", 3, "item"),
    R("000", "优秀(一档)村党组织书记月收入达3129元", "月收入达3129元", 3129, "CNY", period="month"),
    R("000", "每个乡镇择优选拔1名优秀村党组织书记挂任乡镇党委委员", "每个乡镇择优选拔1名", 1, "person",
      per="township"),
    # 001: Suzhou, Anhui (2015-07-10)
    R("001", "市财政增加投入1154.48万元", "1154.48万元", 11544800, "CNY"),
    R("001", F001_PAY1, "年平均报酬达到16300元", 16300, "CNY", period="year"),
    R("001", F001_PAY1, "年平均报酬不低于13000元", 13000, "CNY", bound="at-least", period="year"),
    R("001", F001_PAY1, "36%", 36, "percent", delta="increase"),
    R("001", F001_PAY2, "年平均报酬达到26400元", 26400, "CNY", period="year"),
    R("001", F001_PAY2, "年平均报酬达到22800元", 22800, "CNY", period="year"),
    R("001", F001_PAY2, "52%", 52, "percent", delta="increase"),
    R("001", F001_VENUE1, "每村补贴7.5万元", 75000, "CNY", per="village"),
    R("001", F001_VENUE1, "1290万元", 12900000, "CNY"),
    R("001", F001_VENUE1, "200平方米以下", 200, "square-metre", bound="at-most"),
    R("001", F001_VENUE1, "172个", 172, "item"),
    R("001", F001_VENUE2, "每社区补贴50万元", 500000, "CNY", per="community"),
    R("001", F001_VENUE2, "350万元", 3500000, "CNY"),
    R("001", F001_VENUE2, "300平方米以下", 300, "square-metre", bound="at-most"),
    R("001", F001_VENUE2, "7个", 7, "item"),
    R("001", F001_FUND1, "1210个", 1210, "item"),
    R("001", F001_FUND1, "不低于2万元", 20000, "CNY", bound="at-least", period="year"),
    R("001", F001_FUND1, "1:1", unit="ratio", parts=(1, 1)),
    R("001", F001_FUND1, "2420万元", 24200000, "CNY"),
    R("001", F001_FUND2, "99个", 99, "item"),
    R("001", F001_FUND2, "不低于10万元", 100000, "CNY", bound="at-least", period="year"),
    R("001", F001_FUND2, "4:6", unit="ratio", parts=(4, 6)),
    R("001", F001_FUND2, "990万元", 9900000, "CNY"),
    R("001", F001_STAFF, "23名", 23, "person"),
    R("001", F001_STAFF, "三分之一", unit="fraction", parts=(1, 3)),
    R("001", "每乡镇至少配备1名组织干事", "每乡镇至少配备1名", 1, "person", bound="at-least", per="township"),
    R("001", "机关单位明确1名班子成员专抓结对村基层党建工作", "1名", 1, "person"),
    R("001", F001_SECRETARIES, "9名", 9, "person"),
    R("001", F001_SECRETARIES, "75名", 75, "person"),
    R("001", F001_TRAINING, "13期", 13, "session"),
    R("001", F001_TRAINING, "5000余人次", 5000, "person-time", bound="more-than"),
    R("001", "并对成绩未达标的23名同志近期组织补考", "23名", 23, "person"),
    R("001", "市委每两个月召开一次基层党建工作现场会", "每两个月", 2, "month", recurring=True),
    R("001", "现场会实地观摩3-5个基层党建工作示范点", "3-5个", unit="item", low=3, high=5),
    R("001", "先后3次召开基层党建工作现场会", "3次", 3, "occurrence"),
    R("001", "市委书记张曙光每月至少督查调研一次基层党建工作", "每月至少督查调研一次", 1, "occurrence",
      bound="at-least", period="month"),
    R("001", "已先后7次赴各县(区)、开发区(园区)实地调研基层党建工作落实情况", "7次", 7, "occurrence"),
    R("001", F001_CHECKS, "22次", 22, "occurrence"),
    R("001", F001_CHECKS, "18名", 18, "person"),
    R("001", F001_CHECKS, "22期", 22, "session"),
    R("001", "并对5名责任落实不到位的乡镇党委书记、组织委员进行了组织调整", "5名", 5, "person"),
    # 002: Hefei (autumn, year not printed)
    R("002", "党建工作和发展工作在考核中分别占50%", "50%", 50, "percent"),
    R("002", F002_SHELLS, "2万元以下", 20000, "CNY", bound="at-most"),
    R("002", F002_SHELLS, "355个", 355, "item", year=2014),
    R("002", F002_SHELLS, "245个", 245, "item"),
    R("002", F002_INCOME, "3.1万元", 31000, "CNY", period="year", year=2012),
    R("002", F002_INCOME, "5.9万元", 59000, "CNY", period="year"),
    R("002", F002_PAY, "1.5万元", 15000, "CNY", period="year"),
    R("002", F002_PAY, "3.7万元", 37000, "CNY", period="year"),
    R("002", F002_AREA, "不低于600平方米", 600, "square-metre", bound="at-least"),
    R("002", F002_AREA, "200平方米", 200, "square-metre", bound="at-least"),
    R("002", F002_AREA2, "532平方米", 532, "square-metre", year=2012),
    R("002", F002_AREA2, "1010平方米", 1010, "square-metre"),
    R("002", F002_AREA3, "387平方米", 387, "square-metre"),
    R("002", F002_AREA3, "97平方米", 97, "square-metre", delta="increase"),
    R("002", "根据人口数量分三个档次", "三个", 3, "item"),
    R("002", F002_TIERS, "13.4万元", 134000, "CNY"),
    R("002", F002_TIERS, "17.66万元", 176600, "CNY"),
    R("002", F002_TIERS, "22.11万元", 221100, "CNY"),
    R("002", "合肥陆续探索成立了“蜀山电商产业党建联盟”等230多个区域性党组织", "230多个", 230, "item", bound="more-than"),
    R("002", "全市建立网格党支部(党小组)2844个", "2844个", 2844, "item"),
    # 003: a 2012-06-02 commentary, Traditional script
    R("003", "群眾反映好”的五個星級標準", "五個", 5, "item"),
    R("003", "完善農(nóng)村60周歲以上生活困難黨員生活補貼制度", "60周歲以上", 60, "year-of-age", bound="at-least"),
    # 004: Nanyang's "strong foundations project"
    R("004", "成为VIP后,下载本文档将扣除1次下载权益", "1次", 1, "occurrence", noise=True),
    R("004", "每下载1次, 网站将根据用户上传文档的质量评分", "1次", 1, "occurrence", noise=True),
    R("004", F004_REVIEW, "两天半", D("2.5"), "day"),
    R("004", F004_REVIEW, "12个", 12, "item"),
    R("004", "12位县(区)组织部长长出一口气", "12位", 12, "person"),
    R("004", "508户2180人", "508户", 508, "household"),
    R("004", "508户2180人", "2180人", 2180, "person"),
    R("004", "该村新建的党群服务中心占地近20亩", "近20亩", 20, "mu", bound="nearly"),
    R("004", "延伸20多项服务", "20多项", 20, "entry", bound="more-than"),
    R("004", F004_CENTRE, "7个", 7, "item"),
    R("004", F004_CENTRE, "3个", 3, "item"),
    R("004", F004_CENTRE, "7000多名", 7000, "person", bound="more-than"),
    R("004", F004_CENTRE, "4450件", 4450, "piece"),
    R("004", "按照每个行政村平均7万元的标准拨付村级组织运转经费", "每个行政村平均7万元", 70000, "CNY", per="village"),
    R("004", F004_VENUES, "每个村级服务活动场所项目不低于15万元", 150000, "CNY", bound="at-least", per="project"),
    R("004", F004_VENUES, "3年", 3, "year"),
    R("004", F004_VENUES, "496个", 496, "item"),
    R("004", F004_YEARS, "95个", 95, "item", year=2014),
    R("004", F004_YEARS, "200个", 200, "item", year=2015),
    R("004", F004_YEARS, "201个", 201, "item", year=2016),
    R("004", F004_SHARES, "70%", 70, "percent"),
    R("004", F004_SHARES, "30%", 30, "percent"),
    R("004", "全市统一每3年调整一次", "每3年", 3, "year", recurring=True),
    R("004", "村党组织书记、村委会主任、其他村干部的基本工作报酬系数比例为1∶0.8∶0.7", "1∶0.8∶0.7", unit="ratio",
      parts=(1, "0.8", "0.7")),
    R("004", F004_PAY, "1100元/月", 1100, "CNY", period="month"),
    R("004", F004_PAY, "880元/月", 880, "CNY", period="month"),
    R("004", F004_PAY, "770元/月", 770, "CNY", period="month"),
    R("004", "各县(区)要按照每人每年1000元的标准", "每人每年1000元", 1000, "CNY", period="year", per="person"),
    R("004", "一下子拿出3亿元", "3亿元", 300000000, "CNY"),
    R("004", "干了20多年的村干部", "20多年", 20, "year", bound="more-than"),
    R("004", F004_BOARDS, "七八万元", unit="CNY", bound="approximately", period="year", low=70000, high=80000),
    R("004", F004_BOARDS, "20多块", 20, "block", bound="more-than"),
    R("004", F004_FUNDS, "19个", 19, "item"),
    R("004", F004_FUNDS, "5034万元", 50340000, "CNY"),
]

FIELDS = ("text", "value", "low", "high", "parts", "unit", "bound", "period", "per", "year", "recurring", "delta")


def seen(m: AmountMention) -> dict:
    return {f: getattr(m, f) for f in FIELDS}


def expected(row: Row) -> dict:
    return {f: getattr(row, f) for f in FIELDS}


def fragments() -> list[tuple[str, str]]:
    """Each distinct (article, fragment), in table order."""
    out: list[tuple[str, str]] = []
    for row in ROWS:
        if (row.article, row.fragment) not in out:
            out.append((row.article, row.fragment))
    return out


# ---------------------------------------------------------------------------------------------------------------
# 1. Every amount of the five articles
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "fragment"), fragments())
def test_fragment_is_verbatim_and_reads_as_the_table_says(number: str, fragment: str) -> None:
    raw = next(SEEDS.glob(f"{number}_*.txt")).read_text(encoding="utf-8")
    assert fragment in raw, "the fragment must be copied verbatim from the article"
    text = strip_readings(fragment)
    got = read_amounts(text)
    want = [expected(r) for r in ROWS if (r.article, r.fragment) == (number, fragment)]
    assert [seen(m) for m in got] == want
    for m in got:
        assert text[m.start:m.end] == m.text


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_whole_article_reads_exactly_the_table(number: str) -> None:
    """Run over the full capture, the reader finds the table's mentions, in order, and nothing else."""
    text = article(number)
    got = read_amounts(text)
    assert [seen(m) for m in got] == [expected(r) for r in ROWS if r.article == number]
    for m in got:
        assert text[m.start:m.end] == m.text
    assert all(a.end <= b.start for a, b in zip(got, got[1:]))


# The amounts the task named, by article: each must be (part of) a row's mention.
NAMED = {
    "000": ["3129元", "20个", "两条"],
    "001": ["1154.48万元", "16300元", "不低于13000元", "36%", "26400元", "22800元", "52%", "每村补贴7.5万元", "1290万元",
            "200平方米以下", "172个", "每社区补贴50万元", "350万元", "300平方米以下", "7个", "1210个", "不低于2万元", "1:1",
            "2420万元", "99个", "不低于10万元", "4:6", "990万元", "23名", "三分之一", "至少配备1名", "9名", "75名", "13期",
            "5000余人次", "3-5个", "3次", "7次", "22次", "18名", "22期", "5名"],
    "002": ["50%", "2万元以下", "355个", "245个", "3.1万元", "5.9万元", "1.5万元", "3.7万元", "不低于600平方米", "200平方米",
            "532平方米", "1010平方米", "387平方米", "97平方米", "13.4万元", "17.66万元", "22.11万元", "230多个", "2844个"],
    "003": ["60周歲以上", "五個"],
    "004": ["12个", "508户", "2180人", "近20亩", "20多项", "7个", "3个", "7000多名", "4450件", "每个行政村平均7万元",
            "不低于15万元", "3年", "496个", "95个", "200个", "201个", "70%", "30%", "每3年", "1∶0.8∶0.7", "1100元/月",
            "880元/月", "770元/月", "每人每年1000元", "3亿元", "20多年", "七八万元", "20多块", "19个", "5034万元", "两天半"],
}


@pytest.mark.parametrize("number", sorted(NAMED))
def test_table_has_every_named_amount(number: str) -> None:
    texts = [r.text for r in ROWS if r.article == number]
    missing = [n for n in NAMED[number] if not any(n in t for t in texts)]
    assert not missing


def test_changes_pair_old_and_new_values() -> None:
    text = article("002")
    pairs = [(old.as_written, new.as_written, old.year) for old, new in change_pairs(read_amounts(text))]
    assert pairs == [("355个", "245个", 2014), ("3.1万元", "5.9万元", 2012), ("1.5万元", "3.7万元", None),
                     ("532平方米", "1010平方米", 2012)]
    old, new = read_amounts(F002_INCOME)
    assert old.change == new.change == (old.start, new.start)


def test_no_change_without_a_from_word() -> None:
    # 较2012年增加97平方米 is an increase by 97, not a change from one level to another.
    assert all(m.change is None for m in read_amounts(F002_AREA3))
    assert all(m.change is None for m in read_amounts(F002_TIERS))


def test_as_written_is_the_number_and_unit() -> None:
    by_text = {m.text: m.as_written for m in read_amounts(article("001") + article("004"))}
    assert by_text["年平均报酬达到16300元"] == "16300元"
    assert by_text["每村补贴7.5万元"] == "7.5万元"
    assert by_text["1100元/月"] == "1100元"
    assert by_text["5000余人次"] == "5000余人次"
    assert by_text["七八万元"] == "七八万元"


def test_scale_as_written() -> None:
    assert read_amount("1154.48万元").scale == 10000
    assert read_amount("3亿元").scale == 10**8
    assert read_amount("16300元").scale == 1


# ---------------------------------------------------------------------------------------------------------------
# 2. What is not an amount
# ---------------------------------------------------------------------------------------------------------------

NOT_AMOUNTS = {
    "000": ["1235战略", "H7N9", "2016/8/25 9:17:35", "1、凡淮南日报社", "2、已获授权", "两学一做", "“123”工程", "206国道",
            "一幅", "一个党建示范点", "一个党建新亮点", "一张新名片", "一个优秀的村党组织书记", "一档", "一颗", "“两委”",
            "皖ICP备07008621号-2", "3412015007号", "huainannet@163.com", "九龙岗", "多个特色支部", "户看户"],
    "001": ["社区党建1", "四加强四到位", "2015-07-10 09:05:10", "2015年以来", "“两委”", "第一书记", "人手一册",
            "统一命题", "逐一反馈", "2015年度", "召开一次", "扫一扫", "约谈"],
    "002": ["一片蓬勃生机", "一批选派干部", "一面面", "去年11月", "一级抓一级", "三级党代会", "三级党组织书记", "“三个清单”",
            "两级定点帮扶", "上面千条线,下面一根针", "“两委两站”", "三级党组织体系", "一线为民工作法", "四联四定",
            "9月26日下午", "2013年", "两级机关", "较2012年", "从2014年", "由2012年", "“牛鼻子”"],
    "003": ["三創", "2012年06月02日", "一、創業示范", "一是選優配強", "二是提高", "三是鼓勵", "一定三有", "兩類",
            "四聯", "三比三看三爭當", "一對一", "連五心", "二、創新建制", "三、創優聚力"],
    "004": ["400-050-0827", "9:00-18:30", "book118", "二次下载", "八大权益", "8月5日下午", "去年8月", "一村四警",
            "最后一公里", "三要", "一是", "二是", "三是", "从2015年1月起", "一下子", "一连", "几个想不到",
            "一个共同的心声", "一口气", "一瞬间", "首次", "文档评论(0)", "调整一次", "上年度", "2014年", "2015年将",
            "2016年将", "这里二次下载", "1、原创力文档", "7、VIP文档"],
}


@pytest.mark.parametrize("number", sorted(NOT_AMOUNTS))
def test_nothing_is_read_from_dates_codes_slogans_and_indefinite_articles(number: str) -> None:
    text = article(number)
    mentions = read_amounts(text)
    for phrase in NOT_AMOUNTS[number]:
        starts = [m.start() for m in re.finditer(re.escape(phrase), text)]
        assert starts, f"{phrase!r} must occur in article {number}"
        for s in starts:
            overlapping = [m.text for m in mentions if m.start < s + len(phrase) and s < m.end]
            assert not overlapping, f"{phrase!r} in {number} read as {overlapping}"


@pytest.mark.parametrize("number", ["000", "001", "002", "003", "004"])
def test_no_mention_is_a_date_time_or_code(number: str) -> None:
    for m in read_amounts(article(number)):
        assert not re.search(r"[12]\d{3}年|\d+月\d*日?|\d+:\d\d|[A-Za-z]", m.text), m.text
        assert not m.text.startswith("第")


@pytest.mark.parametrize("phrase", [
    "四加强四到位", "两学一做", "一定三有", "四联四定", "三比三看三爭當", "連五心", "“123”工程", "1235战略", "206国道",
    "一村四警", "两委两站", "三创", "三級黨組織", "三级", "第一书记", "一线为民", "一对一", "一级抓一级", "一是", "二是",
    "1、", "一、", "皖ICP备07008621号-2", "3412015007号", "统一", "一起", "一下子", "之一", "一批", "一面面", "一幅",
    "一名优秀的村党组织书记", "2015年", "2016/8/25 9:17:35", "2015-07-10", "2012年06月02日", "8月5日", "9月26日下午",
    "从2015年1月起", "400-050-0827", "二次下载", "二期工程", "3个百分点", "三年级", "一次性补贴", "千条线", "百姓",
    "《2015年工作报告》", "第3次", "9:00-18:30", "12:30", "节约", "最近",
])
def test_phrase_is_not_an_amount(phrase: str) -> None:
    assert read_amounts(phrase) == []


# ---------------------------------------------------------------------------------------------------------------
# Readings decided by rule (see the module docstring)
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("phrase", "text", "value", "unit", "bound"), [
    ("约谈18名乡镇党委书记", "18名", 18, "person", "exact"),  # 约谈 is a verb, not 约
    ("约18名", "约18名", 18, "person", "approximately"),
    ("节约3万元", "3万元", 30000, "CNY", "exact"),
    ("至少一个", "至少一个", 1, "item", "at-least"),  # bare 一 read when a bound is joined to it
    ("一年半", "一年半", D("1.5"), "year", "exact"),
    ("两次", "两次", 2, "occurrence", "exact"),
    ("以上两条声明", "两条", 2, "line", "exact"),  # 以上 before a number is "the above"
    ("百余人", "百余人", 100, "person", "more-than"),
    ("二十多万元", "二十多万元", 200000, "CNY", "more-than"),
    ("3万多元", "3万多元", 30000, "CNY", "more-than"),
    ("接近3万元", "接近3万元", 30000, "CNY", "nearly"),
    ("不足5人", "不足5人", 5, "person", "less-than"),
    ("3万元左右", "3万元左右", 30000, "CNY", "approximately"),
    ("最近3年", "3年", 3, "year", "exact"),
    ("一万五千元", "一万五千元", 15000, "CNY", "exact"),
    ("一万五元", "一万五元", 15000, "CNY", "exact"),
    ("三点五万元", "三点五万元", 35000, "CNY", "exact"),
    ("百分之三十", "百分之三十", 30, "percent", "exact"),
    ("百分之三十五点五", "百分之三十五点五", D("35.5"), "percent", "exact"),
    ("３６％", "３６％", 36, "percent", "exact"),
    ("１２３元", "１２３元", 123, "CNY", "exact"),
    ("1,234元", "1,234元", 1234, "CNY", "exact"),
    ("2万5千元", "2万5千元", 25000, "CNY", "exact"),
    ("1.2万亿元", "1.2万亿元", 1200000000000, "CNY", "exact"),
    ("200块钱", "200块钱", 200, "CNY", "exact"),
    ("50平米", "50平米", 50, "square-metre", "exact"),
    ("8.5㎡", "8.5㎡", D("8.5"), "square-metre", "exact"),
    ("60岁以上", "60岁以上", 60, "year-of-age", "at-least"),
    ("一个半月", "一个半月", D("1.5"), "month", "exact"),
])
def test_rule_readings(phrase, text, value, unit, bound) -> None:
    m = read_amount(phrase)
    assert (m.text, m.value, m.unit, m.bound) == (text, D(value), unit, bound)


@pytest.mark.parametrize(("phrase", "low", "high", "bound"), [
    ("七八万元", 70000, 80000, "approximately"),
    ("十五六个", 15, 16, "approximately"),
    ("二三十个", 20, 30, "approximately"),
    ("三四百人", 300, 400, "approximately"),
    ("一两天", 1, 2, "approximately"),
    ("3-5个", 3, 5, "exact"),
    ("3至5个", 3, 5, "exact"),
    ("三到五个", 3, 5, "exact"),
    ("3-5万元", 30000, 50000, "exact"),
    ("3万至5万元", 30000, 50000, "exact"),
    ("30%-50%", 30, 50, "exact"),
    ("约3-5个", 3, 5, "approximately"),
])
def test_ranges(phrase, low, high, bound) -> None:
    m = read_amount(phrase)
    assert (m.value, m.low, m.high, m.bound) == (None, D(low), D(high), bound)


@pytest.mark.parametrize(("phrase", "period", "per"), [
    ("每年1000元", "year", None), ("每月1100元", "month", None), ("1000元/人/年", "year", "person"),
    ("月薪5000元", "month", None), ("年薪10万元", "year", None), ("人均2000元", None, "person"),
    ("户均3亩", None, "household"), ("每户2亩", None, "household"), ("每村补贴不低于7.5万元", None, "village"),
    ("今年收入3万元", None, None), ("2015年收入3万元", None, None),
])
def test_period_and_per(phrase, period, per) -> None:
    m = read_amount(phrase)
    assert (m.period, m.per) == (period, per)


@pytest.mark.parametrize(("phrase", "text", "value", "unit", "bound"), [
    ("近3年来", "3年", 3, "year", "exact"),  # the past three years
    ("干了近20年", "近20年", 20, "year", "nearly"),
    ("4个多月", "4个多月", 4, "month", "more-than"),
    ("一个多月", "一个多月", 1, "month", "more-than"),
    ("一年多", "一年多", 1, "year", "more-than"),
    ("3年多次获奖", "3年", 3, "year", "exact"),  # 多次 is "many times"
    ("近千名党员", "近千名", 1000, "person", "nearly"),
    ("逾万人", "逾万人", 10000, "person", "more-than"),
])
def test_durations_and_round_numbers(phrase, text, value, unit, bound) -> None:
    m = read_amount(phrase)
    assert (m.text, m.value, m.unit, m.bound) == (text, D(value), unit, bound)


@pytest.mark.parametrize("phrase", ["严格落实中央八项规定", "统筹推进五位一体", "增强四个意识", "践行三个代表", "十三五期间",
                                    "一户一策", "1.5倍", "同比增长12.5个百分点"])
def test_formulae_and_unread_units(phrase: str) -> None:
    assert read_amounts(phrase) == []


def test_change_from_an_earlier_level() -> None:
    old, new = read_amounts("由原来的3个增加到5个")
    assert (old.value, new.value, old.change) == (D(3), D(5), (old.start, new.start))


def test_ratio_needs_a_proportion() -> None:
    assert read_amount("财政1:1配套").parts == (D(1), D(1))
    assert read_amounts("会议于10:30开始") == []


def test_one_bound_word_covers_a_list() -> None:
    got = read_amounts("不低于600平方米、200平方米和300平方米")
    assert [m.bound for m in got] == ["at-least"] * 3
    # A list after an amount with its own exact value stays exact.
    assert [m.bound for m in read_amounts("13.4万元、17.66万元")] == ["exact", "exact"]


def test_year_ties() -> None:
    assert read_amount("2014年以来,已解决95个").year is None  # 以来: since, not the year of the figure
    assert read_amount("较2012年增加97平方米").year is None  # a baseline
    assert read_amount("截至2015年底已建成3个").year == 2015
    assert read_amount("二〇一二年的3.1万元").year == 2012


def test_read_amount_one_none_or_error() -> None:
    assert read_amount("1154.48万元").value == D(11544800)
    assert read_amount("不低于600平方米") == AmountMention(
        text="不低于600平方米", start=0, end=9, value=D(600), unit="square-metre", bound="at-least",
        as_written="600平方米")
    assert read_amount("两学一做") is None
    assert read_amount("") is None
    with pytest.raises(ValueError, match="found 2"):
        read_amount("不低于600平方米和200平方米")


@pytest.mark.parametrize(("mention_text", "written"), [
    ("1154.48万元", "1154.48万元"), ("不低于13000元", "不低于13000元"), ("1100元/月", "1100元/月"), ("3-5个", "3-5个"),
    ("七八万元", "约7-8万元"), ("三分之一", "三分之一"), ("1∶0.8∶0.7", "1∶0.8∶0.7"), ("每3年", "每3年"),
    ("每人每年1000元", "每人1000元/年"), ("5000余人次", "超过5000人次"), ("近20亩", "近20亩"),
])
def test_format_examples(mention_text: str, written: str) -> None:
    assert format_amount(read_amount(mention_text)) == written


# ---------------------------------------------------------------------------------------------------------------
# 3. Properties
# ---------------------------------------------------------------------------------------------------------------

BOUNDS = {"exact", "at-least", "at-most", "more-than", "less-than", "approximately", "nearly"}
UNITS = {"CNY", "square-metre", "mu", "percent", "item", "person", "person-time", "household", "session", "occurrence",
         "piece", "entry", "block", "line", "year", "day", "month", "year-of-age", "ratio", "fraction"}

# Characters the grammar cares about, so that random text often comes close to an amount.
GRAMMAR_ALPHABET = ("0123456789０１.,:∶-~/%％ 一二两兩三四五六七八九十百千万萬亿億零〇点半分之多余来个個名人位户戶"
                    "次期件项項块塊条條年月日天岁歲元亩平方米每村社区乡镇不低于少超过足约近以上下左右由从到至提高的第“”《》,。;(")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.text(alphabet=GRAMMAR_ALPHABET, max_size=40)))
def test_any_text_gives_a_list_of_well_formed_mentions(text: str) -> None:
    got = read_amounts(text)
    assert isinstance(got, list)
    for m in got:
        assert text[m.start:m.end] == m.text and m.start < m.end
        assert m.bound in BOUNDS and m.unit in UNITS
        assert m.as_written in m.text
        assert (m.value is not None) + (m.low is not None) + (m.parts is not None) == 1
    assert all(a.end <= b.start for a, b in zip(got, got[1:]))


@pytest.mark.parametrize("text", [
    "3" * 20000 + "元", "一" + "亿" * 20000 + "元", "比例" + "9" * 100 + ":" + "1" * 100, "百分之" + "九" * 5000,
    "0." + "1" * 5000 + "元", "九千九百九十九万" + "亿" * 8 + "元", "每村补贴3万元" * 500,
])
def test_huge_or_endless_input_is_read_without_error(text: str) -> None:
    got = read_amounts(text)
    assert all(text[m.start:m.end] == m.text for m in got)
    assert all(m.value is None or m.value < 10**30 for m in got)


def decimals(max_places: int) -> st.SearchStrategy[Decimal]:
    return st.builds(lambda n, places: Decimal(n).scaleb(-places), st.integers(0, 10**12),
                     st.integers(0, max_places))


SCALES = {"CNY": [1, 10**4, 10**8], "percent": [1]}


@st.composite
def amounts(draw) -> AmountMention:
    kind = draw(st.sampled_from(["point", "point", "range", "ratio", "fraction", "interval"]))
    if kind == "ratio":
        parts = tuple(draw(st.lists(decimals(3), min_size=2, max_size=4)))
        return AmountMention("", 0, 0, parts=tuple(Decimal(format(p.normalize(), "f")) for p in parts),
                             unit="ratio")
    if kind == "fraction":
        parts = (Decimal(draw(st.integers(1, 10**6))), Decimal(draw(st.integers(1, 10**6))))
        return AmountMention("", 0, 0, parts=parts, unit="fraction", bound=draw(st.sampled_from(sorted(BOUNDS))))
    if kind == "interval":
        unit = draw(st.sampled_from(["year", "month", "day"]))
        return AmountMention("", 0, 0, value=draw(decimals(2)), unit=unit, recurring=True)
    unit = draw(st.sampled_from(sorted(UNITS - {"ratio", "fraction"})))
    scale = Decimal(draw(st.sampled_from(SCALES.get(unit, [1, 10**4]))))
    period = draw(st.sampled_from([None, "month", "year"]))
    per = draw(st.sampled_from([None, "person", "village", "community", "township", "project", "household"]))
    if kind == "range":
        low, high = sorted(draw(st.lists(decimals(2), min_size=2, max_size=2, unique=True)))
        return AmountMention("", 0, 0, low=low * scale, high=high * scale, unit=unit, scale=scale,
                             bound=draw(st.sampled_from(["exact", "approximately"])), period=period, per=per)
    return AmountMention("", 0, 0, value=draw(decimals(4)) * scale, unit=unit, scale=scale,
                         bound=draw(st.sampled_from(sorted(BOUNDS))), period=period, per=per)


ROUND_TRIP = ("value", "low", "high", "parts", "unit", "bound", "period", "per", "recurring")


@settings(max_examples=600, deadline=None)
@given(amounts())
def test_format_then_read_gives_the_same_amount(m: AmountMention) -> None:
    written = format_amount(m)
    back = read_amount(written)
    assert back is not None, written
    assert back.text == written
    assert {f: getattr(back, f) for f in ROUND_TRIP} == {f: getattr(m, f) for f in ROUND_TRIP}, written


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 10**16))
def test_chinese_numerals_round_trip(n: int) -> None:
    read = read_chinese(to_chinese(n))
    assert read is not None and read.kind == "number" and read.low == read.high == n


@pytest.mark.parametrize(("written", "n"), [
    ("十", 10), ("十五", 15), ("二十", 20), ("一百二十", 120), ("一百二", 120), ("一千零五", 1005), ("两万", 20000),
    ("一万五", 15000), ("一万零五", 10005), ("三亿五千万", 350000000), ("三亿五", 350000000), ("一万亿", 10**12),
    ("十万零五百", 100500), ("一亿零五", 100000005),
])
def test_chinese_numerals(written: str, n: int) -> None:
    read = read_chinese(written)
    assert (read.low, read.high, read.kind) == (n, n, "number")


def test_chinese_digit_strings_and_loose_ranges() -> None:
    assert (read_chinese("二〇一二").kind, read_chinese("二〇一二").low) == ("digits", 2012)
    assert (read_chinese("七八万").low, read_chinese("七八万").high, read_chinese("七八万").kind) == (70000, 80000, "range")
    assert read_chinese("一千百") is None and read_chinese("万") is None
    assert to_chinese(2015) == "二千零一十五" and to_chinese(10) == "十" and to_chinese(100005) == "十万零五"


# ---------------------------------------------------------------------------------------------------------------
# 4. Traditional script reads as Simplified
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("traditional", "simplified"), [
    ("1154.48萬元", "1154.48万元"), ("3億元", "3亿元"), ("五個", "五个"), ("兩萬元", "两万元"), ("508戶", "508户"),
    ("20多項", "20多项"), ("20多塊", "20多块"), ("兩條", "两条"), ("60周歲以上", "60周岁以上"), ("不低於2萬元", "不低于2万元"),
    ("每個行政村平均7萬元", "每个行政村平均7万元"), ("超過5萬元", "超过5万元"), ("約3萬元", "约3万元"), ("5000餘人次", "5000余人次"),
    ("每社區補貼50萬元", "每社区补贴50万元"), ("年平均報酬達到16300元", "年平均报酬达到16300元"), ("近20畝", "近20亩"),
    ("社區黨組織書記年均收入已由2012年的3.1萬元提高到5.9萬元", "社区党组织书记年均收入已由2012年的3.1万元提高到5.9万元"),
    ("每鄉鎮至少配備1名", "每乡镇至少配备1名"), ("七八萬元", "七八万元"), ("兩個月", "两个月"),
])
def test_traditional_reads_like_simplified(traditional: str, simplified: str) -> None:
    def same(m: AmountMention) -> tuple:
        return (m.start, m.end, m.value, m.low, m.high, m.parts, m.unit, m.bound, m.period, m.per, m.year, m.change)

    got, want = read_amounts(traditional), read_amounts(simplified)
    assert want and [same(m) for m in got] == [same(m) for m in want]


def test_two_wan_is_twenty_thousand() -> None:
    assert read_amount("兩萬元").value == D(20000)
