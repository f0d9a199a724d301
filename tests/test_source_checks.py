"""Each fact matches its source: the checks of dangjian.checks.sources, .amounts and .hierarchy,
run on a copy of the real curated records with one thing broken at a time."""

from __future__ import annotations

import pytest

from dangjian.build import validate_project

HEAD_PAY = "amounts/suzhou-2015-village-head-annual-pay.yaml"
SOURCE = "sources/anhui-daily-2015-07-10-suzhou"


def problems(sandbox) -> list[str]:
    return [str(p) for p in validate_project(sandbox.project).problems]


def edit(sandbox, relative: str, old: str, new: str) -> None:
    text = sandbox.read(relative)
    assert old in text, (relative, old)
    sandbox.write(relative, text.replace(old, new, 1))


# --- the required two, through the command line -----------------------------------------------


def test_validate_fails_when_a_quote_is_altered_by_one_character(sandbox):
    edit(sandbox, HEAD_PAY, "quote: 村“两委”正职年平均报酬达到16300元", "quote: 村“两委”正职年平均报酬达到16300圆")
    result = sandbox.cli("validate")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if not line.startswith("division codes not checked")] == [
        f"records/{HEAD_PAY}:14:8: quote: not in records/{SOURCE}.txt, the text of source `anhui-daily-2015-07-10-suzhou`, even "
        "with whitespace ignored: it agrees up to “年平均报酬达到16300”, then has “圆” where the text has “元”; copy the clause verbatim"]


def test_validate_fails_when_a_value_is_changed(sandbox):
    edit(sandbox, HEAD_PAY, "value: 16300", "value: 16900")
    result = sandbox.cli("validate")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if not line.startswith("division codes not checked")] == [
        f"records/{HEAD_PAY}:5:8: value: the quote states 16300 (read from “年平均报酬达到16300元”), not 16900"]


# --- captures and cleaned texts -----------------------------------------------------------------


def test_a_changed_capture_no_longer_has_the_recorded_hash(sandbox):
    capture = sandbox.root / "records" / f"{SOURCE}.capture.txt"
    capture.write_bytes(capture.read_bytes().replace("标签:基层".encode(), "标签:党建".encode()))
    found = problems(sandbox)
    assert len(found) == 1
    assert found[0].startswith(f"records/{SOURCE}.yaml:10:17: capture_sha256: records/{SOURCE}.capture.txt has SHA-256 ")
    assert found[0].endswith("not the one recorded here: the capture changed, or this is not its hash")


def test_a_hand_edit_of_the_cleaned_text_is_caught_where_it_is(sandbox):
    edit(sandbox, f"{SOURCE}.txt", "共投入1290万元", "共投入1300万元")
    assert problems(sandbox) == [
        f"records/{SOURCE}.txt:6:201: differs from the cleaning of anhui-daily-2015-07-10-suzhou.capture.txt from here on "
        "(the file has “300万元,新建、改扩建”, the cleaning gives “290万元,新建、改扩建”): the cleaned text is made, "
        f"not edited; run `dangjian capture clean --write records/{SOURCE}.capture.txt`"]


def test_a_source_without_its_capture_or_its_text(sandbox):
    (sandbox.root / "records" / f"{SOURCE}.txt").unlink()
    assert problems(sandbox) == [
        f"records/{SOURCE}.yaml:10:17: capture_sha256: no cleaned text beside this record: make records/{SOURCE}.txt with "
        f"`dangjian capture clean --write records/{SOURCE}.capture.txt`"]
    (sandbox.root / "records" / f"{SOURCE}.capture.txt").unlink()
    assert problems(sandbox) == [
        f"records/{SOURCE}.yaml:10:17: capture_sha256: no capture beside this record: keep the page as captured, byte for "
        f"byte, in records/{SOURCE}.capture.txt"]


# --- quotes ------------------------------------------------------------------------------------


def test_a_quote_in_another_script_than_its_source(sandbox):
    edit(sandbox, "amounts/commentary-hardship-allowance-age.yaml", "zh-Hant: 完善農村60周歲以上生活困難黨員生活補貼制度",
         "zh-Hant: 完善农村60周岁以上生活困难党员生活补贴制度")
    assert problems(sandbox)[0].startswith(
        "records/amounts/commentary-hardship-allowance-age.yaml:12:12: quote.zh-Hant: not in records/sources/commentary-2012-06-02-three-creations.txt")
    edit(sandbox, "amounts/commentary-hardship-allowance-age.yaml", "quote:\n  zh-Hant: 完善农村", "quote:\n  zh-Hans: 完善农村")
    assert problems(sandbox) == [
        "records/amounts/commentary-hardship-allowance-age.yaml:12:12: quote.zh-Hans: tagged zh-Hans, but source "
        "`commentary-2012-06-02-three-creations` is written in zh-Hant: copy the quote in the source's own script and tag it zh-Hant"]


def test_whitespace_does_not_matter_in_a_quote(sandbox):
    edit(sandbox, HEAD_PAY, "quote: 村“两委”正职年平均报酬达到16300元", "quote: 村“两委”正职 年平均报酬达到16300元")
    assert problems(sandbox) == []


def test_as_written_must_be_in_the_quote(sandbox):
    edit(sandbox, HEAD_PAY, "as_written: 16300元", "as_written: 1.63万元")
    assert problems(sandbox) == [
        f"records/{HEAD_PAY}:15:13: as_written: “1.63万元” is not in the quote; write the amount as the quote writes it"]


# --- the amount agrees with its quote ----------------------------------------------------------

AGREEMENT = [
    ("unit", "amounts/suzhou-2015-village-venue-floor-area.yaml", "unit: square-metre", "unit: mu",
     "records/amounts/suzhou-2015-village-venue-floor-area.yaml:6:7: unit: the quote states an amount in square-metre (read from “200平方米以下”); write unit: square-metre"),
    ("currency", "amounts/suzhou-2015-village-venue-subsidy.yaml", "currency: CNY", "unit: item",
     "records/amounts/suzhou-2015-village-venue-subsidy.yaml:16:13: currency: the quote states an amount in CNY (read from “每村补贴7.5万元”); write currency: CNY"),
    ("bound", "amounts/suzhou-2015-other-village-cadre-annual-pay.yaml", "bound: at-least", "bound: exact",
     "records/amounts/suzhou-2015-other-village-cadre-annual-pay.yaml:7:8: bound: the quote states the bound at-least (read from “年平均报酬不低于13000元”), not exact"),
    ("period missing", "amounts/suzhou-party-secretary-monthly-inspections.yaml", "period: month\n", "",
     "records/amounts/suzhou-party-secretary-monthly-inspections.yaml:17:13: period: the quote states the period month (read from “每月至少督查调研一次”); write period: month"),
    ("period unstated where the quote states one", "amounts/nanyang-2015-village-director-monthly-pay.yaml", "period: month", "period: unstated",
     "records/amounts/nanyang-2015-village-director-monthly-pay.yaml:8:9: period: the quote states the period month (read from “880元/月”); write period: month"),
    ("recurring period not stated", "amounts/suzhou-2015-village-venue-funding.yaml", "period: once", "period: year",
     "records/amounts/suzhou-2015-village-venue-funding.yaml:8:9: period: the quote states no period (read from “1290万元”); quote the words that give it (每年, 年平均, /月 …), or write once or unstated, or remove period"),
    ("per", "amounts/suzhou-2015-community-venue-subsidy.yaml", "per: community", "per: village",
     "records/amounts/suzhou-2015-community-venue-subsidy.yaml:9:6: per: the quote states an amount per community (read from “每社区补贴50万元”); write per: community"),
    ("year", "amounts/hefei-2014-empty-shell-villages.yaml", "year: 2014", "year: 2015",
     "records/amounts/hefei-2014-empty-shell-villages.yaml:11:7: year: the quote ties the amount to 2014 (read from “355个”); write year: 2014"),
    ("range", "amounts/nanzhao-township-signboard-costs.yaml", "max: 80000", "max: 90000",
     "records/amounts/nanzhao-township-signboard-costs.yaml:6:6: max: the quote states a range of 70000 to 80000 (read from “七八万元”), so max: 80000, not 90000"),
    ("ratio", "amounts/nanyang-basic-pay-ratio.yaml", "parts: [1, 0.8, 0.7]", "parts: [1, 0.7, 0.8]",
     "records/amounts/nanyang-basic-pay-ratio.yaml:5:8: parts: the quote states the parts 1:0.8:0.7 (read from “1∶0.8∶0.7”); write parts: [1, 0.8, 0.7]"),
    ("fraction", "amounts/suzhou-2015-party-building-staff-share.yaml", "parts: [1, 3]", "parts: [1, 4]",
     "records/amounts/suzhou-2015-party-building-staff-share.yaml:5:8: parts: the quote states the parts 1:3 (read from “三分之一”); write parts: [1, 3]"),
    ("previous", "amounts/hefei-village-head-annual-pay.yaml", "previous: hefei-earlier-village-head-annual-pay\n", "",
     "records/amounts/hefei-village-head-annual-pay.yaml:16:13: previous: the quote states a change to this amount from an earlier one (由A提高到B) (read from “3.7万元”); name the earlier amount's record with previous"),
    ("not read", "amounts/suzhou-2015-village-venues-built.yaml", 'as_written: "172个"', "as_written: 活动场所172",
     "records/amounts/suzhou-2015-village-venues-built.yaml:18:13: as_written: the amount reader finds no amount written “活动场所172” in the quote (it reads: 200平方米以下; 172个); write the amount as the reader sees it"),
    ("which one", "amounts/suzhou-2015-village-venues-built.yaml", 'as_written: "172个"\n', "",
     "records/amounts/suzhou-2015-village-venues-built.yaml:17:8: quote: the quote states 2 amounts (200平方米以下; 172个); say which with as_written"),
]


@pytest.mark.parametrize(("about", "relative", "old", "new", "expected"), AGREEMENT, ids=[a[0] for a in AGREEMENT])
def test_the_amount_agrees_with_its_quote(sandbox, about, relative, old, new, expected):
    edit(sandbox, relative, old, new)
    assert problems(sandbox) == [expected]


def test_numbers_compare_as_numbers(sandbox):
    edit(sandbox, HEAD_PAY, "value: 16300", "value: 16300.00")
    assert problems(sandbox) == []


# --- hierarchies -------------------------------------------------------------------------------


def test_a_division_code_outside_its_parent(sandbox):
    edit(sandbox, "places/huainan.yaml", 'division_code: "340400"', 'division_code: "410400"')
    edit(sandbox, "places/nanyang.yaml", 'division_code: "411300"', 'division_code: "410000"')
    assert problems(sandbox) == [
        'records/places/datong-district.yaml:7:16: division_code: 340402 does not lie under 410400, the code of `huainan` above it: '
        'a code begins with the digits of the division it lies in (4104…) and differs from it',
        'records/places/huainan.yaml:7:16: division_code: 410400 does not lie under 340000, the code of `anhui` above it: '
        'a code begins with the digits of the division it lies in (34…) and differs from it',
        'records/places/nanyang.yaml:7:16: division_code: 410000 does not lie under 410000, the code of `henan` above it: '
        'a code begins with the digits of the division it lies in (41…) and differs from it']


def test_a_code_is_checked_against_the_nearest_place_above_with_one(sandbox):
    edit(sandbox, "places/daping-village.yaml", 'division_code: "411326110239"', 'division_code: "341302001001"')
    found = problems(sandbox)
    assert found == ['records/places/daping-village.yaml:7:16: division_code: 341302001001 does not lie under 411326110, the code of '
                     '`shangji-town` above it: a code begins with the digits of the division it lies in (411326110…) and differs from it']


def test_parent_organisations_and_places_form_no_cycles(sandbox):
    edit(sandbox, "organisations/suzhou-municipal-party-committee.yaml", "classification: party-committee\n",
         "classification: party-committee\nparent: suzhou-inspection-team\n")
    edit(sandbox, "places/anhui.yaml", "level: province\n", "level: province\nwithin: huainan\n")
    team, department, committee = "`suzhou-inspection-team`", "`suzhou-organisation-department`", "`suzhou-municipal-party-committee`"
    assert problems(sandbox) == [
        f"records/organisations/suzhou-inspection-team.yaml:7:9: parent: following `parent` comes back here ({team} → {department} → {committee} → {team}); an organisation cannot lie under itself",
        f"records/organisations/suzhou-municipal-party-committee.yaml:7:9: parent: following `parent` comes back here ({committee} → {team} → {department} → {committee}); an organisation cannot lie under itself",
        f"records/organisations/suzhou-organisation-department.yaml:7:9: parent: following `parent` comes back here ({department} → {committee} → {team} → {department}); an organisation cannot lie under itself",
        "records/places/anhui.yaml:6:9: within: following `within` comes back here (`anhui` → `huainan` → `anhui`); a place cannot lie under itself",
        "records/places/anhui.yaml:7:16: division_code: 340000 does not lie under 340400, the code of `huainan` above it: a code begins "
        "with the digits of the division it lies in (3404…) and differs from it",
        "records/places/huainan.yaml:6:9: within: following `within` comes back here (`huainan` → `anhui` → `huainan`); a place cannot lie under itself",
    ]


def test_a_quick_rebuild_checks_sources_as_a_full_validation_does(sandbox):
    from dangjian.build import BuildFailed, build

    build(sandbox.project)
    edit(sandbox, HEAD_PAY, "quote: 村“两委”正职年平均报酬达到16300元", "quote: 村“两委”正职年平均报酬达到16300圆")
    edit(sandbox, "places/nanyang.yaml", 'division_code: "411300"', 'division_code: "341300"')
    with pytest.raises(BuildFailed) as failed:
        build(sandbox.project)
    quick = [str(p) for p in failed.value.verdict.problems]
    assert quick == problems(sandbox) and len(quick) == 5  # the quote; nanyang, and the three counties under it


def test_a_record_with_a_problem_of_its_own_is_not_checked_against_its_source(sandbox):
    """One mistake, one message: the quote is checked once its record is otherwise valid. The
    SHACL engine runs beside the source check, which is made again without the records it
    finds wrong; so an amount SHACL alone faults, or a source, says nothing of its quote or its
    capture."""
    edit(sandbox, HEAD_PAY, "measure: village-committee-head-annual-pay\n", "")
    edit(sandbox, HEAD_PAY, "quote: 村“两委”正职年平均报酬达到16300元", "quote: 村“两委”正职年平均报酬达到16300圆")
    found = problems(sandbox)
    assert len(found) == 1 and found[0].startswith(f"records/{HEAD_PAY}:1:1: measure: "), found
    assert "shacl:MinCount" in repr(validate_project(sandbox.project).problems[0])

    edit(sandbox, f"{SOURCE}.yaml", "language: zh-Hans", "language: zh-Latn")  # outside the shape's sh:in
    capture = sandbox.root / "records" / f"{SOURCE}.capture.txt"
    capture.write_bytes(capture.read_bytes().replace("标签:基层".encode(), "标签:党建".encode()))
    found = problems(sandbox)
    assert not any("SHA-256" in line or "differs from the cleaning" in line or "not in records/" in line for line in found), found
    assert any(line.startswith(f"records/{SOURCE}.yaml:") and "language" in line for line in found), found


def test_a_problem_in_a_sources_text_is_not_counted_as_a_record(sandbox):
    """The count says how many records were checked: a source's text is part of its record."""
    records = len(list((sandbox.root / "records").rglob("*.yaml")))
    edit(sandbox, "sources/anhui-daily-2015-07-10-suzhou.txt", "加强财政投入", "X加强财政投入")
    result = sandbox.cli("validate")
    assert result.returncode == 1 and "anhui-daily-2015-07-10-suzhou.txt:" in result.stderr
    assert result.stdout == f"{records} records checked: 1 problem in 1 file\n"
