"""`dangjian slug`: ids from pinyin, the reading table, and names whose pinyin collide."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from dangjian.assist.slug import suggest
from dangjian.text.pinyin import readings

# The curated place ids follow the rule: the command would have suggested them.
CURATED = {"九龙岗镇": "jiulonggang-town", "大通区": "datong-district", "南召县": "nanzhao-county",
           "淅川县": "xichuan-county", "王村乡": "wangcun-township", "大坪村": "daping-village",
           "郑岗村": "zhenggang-village", "合肥市": "hefei", "南阳市": "nanyang", "淮南市": "huainan", "安徽省": "anhui",
           "河南省": "henan", "上集镇": "shangji-town", "包河区": "baohe-district", "蜀山区": "shushan-district",
           "卧龙区": "wolong-district", "居南社区": "junan-community", "龙居社区": "longju-community",
           "马庙村": "mamiao-village", "夏菜村": "xiacai-village", "夏农村": "xianong-village", "滨湖地区": "binhu-area"}


@pytest.mark.parametrize("name,expected", CURATED.items())
def test_curated_place_ids(name, expected):
    assert suggest(name).slug == expected


@pytest.mark.parametrize("name,expected", [("长丰县", "changfeng-county"), ("六安市", "luan"), ("涡阳县", "guoyang-county"),
                                           ("长治市", "changzhi"), ("朝阳区", "chaoyang-district"), ("長豐縣", "changfeng-county")])
def test_reading_table(name, expected):
    assert suggest(name).slug == expected


def test_reading_table_is_read_from_data():
    table = readings()
    assert table["长丰"] == ["chang2", "feng1"] and table["六安"] == ["lu4", "an1"]


def test_other_names_word_by_word():
    assert suggest("大通区委组织部", kind="organisation").slug == "datong-quwei-zuzhibu"


EXISTING = {"place/suzhou-anhui": "宿州市", "place/jiulonggang-town": "九龙岗镇", "place/jiangsu": "江苏省"}


def test_same_name_is_the_existing_record():
    s = suggest("宿州市", EXISTING)
    assert s.slug == "suzhou-anhui" and s.existing == "place/suzhou-anhui"
    assert suggest("宿州市", {}).slug == "suzhou"


def test_colliding_pinyin_is_kept_apart():
    s = suggest("苏州市", EXISTING)
    assert s.plain == "suzhou" and s.slug == "su1zhou1" and s.tones == "su1zhou1"
    assert s.collisions[0][0] == "place/suzhou-anhui" and "reads `suzhou` too" in s.notes[0]
    assert suggest("苏州市", EXISTING, within="jiangsu").slug == "suzhou-jiangsu"
    # the reverse: 宿州 suggested where 苏州 has the plain id
    s = suggest("宿州市", {"place/suzhou": "苏州市"})
    assert s.slug == "su4zhou1" and "the id `suzhou` is taken" in s.notes[0]


def test_no_collision_no_notes():
    s = suggest("长丰县", EXISTING)
    assert s.slug == "changfeng-county" and not s.notes and not s.collisions


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "dangjian", *args], cwd=root, capture_output=True, text=True, timeout=120)


def test_command(tmp_path, repo):
    shutil.copytree(repo.ontology, tmp_path / "ontology")
    shutil.copytree(repo.records, tmp_path / "records")
    result = run(tmp_path, "slug", "苏州市")
    assert result.returncode == 0 and result.stdout == "su1zhou1\n"
    assert "宿州市 (place/suzhou-anhui) reads `suzhou` too" in result.stderr
    assert run(tmp_path, "slug", "苏州市", "--within", "jiangsu").stdout == "suzhou-jiangsu\n"
    result = run(tmp_path, "slug", "宿州市")
    assert result.stdout == "suzhou-anhui\n" and "already the record place/suzhou-anhui" in result.stderr
    data = json.loads(run(tmp_path, "slug", "長豐縣", "--format", "json").stdout)
    assert data["slug"] == "changfeng-county" and data["name"] == "长丰县" and data["collisions"] == []
