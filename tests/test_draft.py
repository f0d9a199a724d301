"""`dangjian draft`: amounts, names and keywords from an article; suggestions marked; nothing overwritten."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal

import pytest
import yaml

from dangjian.assist.draft import make_draft, known_names
from dangjian.model.ontology import Ontology
from dangjian.search.domain import chinese_texts

SOURCES = ["anhui-daily-2015-07-10-suzhou", "commentary-2012-06-02-three-creations", "hefei-paper-grassroots-party-building",
           "huainan-net-2016-08-25-datong", "nanyang-strong-foundations-report"]
REQUIRED_RECALL = 0.95


def run(root, *args):
    return subprocess.run([sys.executable, "-m", "dangjian", *args], cwd=root, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def curated(repo):
    """The curated amounts, by source."""
    out = {s: [] for s in SOURCES}
    for path in sorted((repo.records / "amounts").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("source") in out:
            out[data["source"]].append(data)
    return out


@pytest.fixture(scope="module")
def drafts(repo):
    ontology = Ontology(repo.ontology)
    known = known_names(repo, ontology)
    return {s: make_draft((repo.records / "sources" / f"{s}.txt").read_text(encoding="utf-8"), s, repo, known=known)
            for s in SOURCES}


def first_text(value) -> str | None:
    texts = chinese_texts(value)
    return texts[0] if texts else None


def numbers(record: dict):
    if "parts" in record:
        return ("parts", tuple(Decimal(str(p)) for p in record["parts"]))
    if "min" in record:
        return ("range", Decimal(str(record["min"])), Decimal(str(record["max"])))
    return ("value", Decimal(str(record["value"])))


def mention_numbers(m):
    if m.parts is not None:
        return ("parts", tuple(m.parts))
    if m.value is None:
        return ("range", m.low, m.high)
    return ("value", m.value)


def matches(record: dict, text: str, draft) -> bool:
    """A draft states this curated amount: inside its quote, the same numbers and unit, and the curated
    as_written is the draft's (the number and unit) or its whole mention (近20亩, 1100元/月)."""
    quote = first_text(record["quote"])
    start = text.find(quote)
    assert start >= 0, f"{record['id']}: quote not in the text"
    end = start + len(quote)
    unit = record.get("unit") or ("CNY" if record.get("currency") == "CNY" else record.get("currency"))
    written = first_text(record.get("as_written"))
    for amount in draft.of_kind("amount"):
        m = amount.mention
        if not (start <= m.start < end or m.start <= start < m.end):
            continue
        if mention_numbers(m) == numbers(record) and m.unit == unit and (written is None or written in (m.as_written, m.text)):
            return True
    return False


def test_recall_of_curated_amounts(repo, curated, drafts):
    found, total, report, missed = 0, 0, [], []
    for source in SOURCES:
        text = (repo.records / "sources" / f"{source}.txt").read_text(encoding="utf-8")
        hits = [r for r in curated[source] if matches(r, text, drafts[source])]
        missed += [f"{r['id']}: {first_text(r['quote'])}" for r in curated[source] if r not in hits]
        found, total = found + len(hits), total + len(curated[source])
        report.append(f"{source}: {len(hits)}/{len(curated[source])} curated amounts among "
                      f"{len(drafts[source].of_kind('amount'))} drafts")
    recall = found / total
    message = f"recall {found}/{total} = {recall:.1%}\n" + "\n".join(report) + "\nmissed:\n" + "\n".join(missed)
    print(message)
    assert total == 105 and recall >= REQUIRED_RECALL, message


def test_counts_per_kind(drafts):
    draft = drafts["huainan-net-2016-08-25-datong"]
    summary = draft.summary()
    assert summary.startswith(f"drafted {len(draft.of_kind('amount'))} amounts (")
    assert "organisations" in summary and "places" in summary
    assert ("九龙岗镇", "place/jiulonggang-town") in draft.known
    assert ("大通区委组织部", "organisation/datong-organisation-department") in draft.known


def test_traditional_source_keeps_its_script(drafts):
    draft = drafts["commentary-2012-06-02-three-creations"]
    assert draft.language == "zh-Hant"
    amount = draft.of_kind("amount")[0]
    quote = next(f.value for f in amount.fields if f.key == "quote")
    assert isinstance(quote, dict) and set(quote) == {"zh-Hant"}


def test_keywords_without_numbers_or_generic_words(drafts):
    for source, draft in drafts.items():
        words = [w for w, _ in draft.keywords]
        assert 5 <= len(words) <= 15, source
        assert not any(c.isdigit() for w in words for c in w)
        assert not {"工作", "开展", "进行"} & set(words)
    assert "党建示范带" in [w for w, _ in drafts["huainan-net-2016-08-25-datong"].keywords]


def test_new_names_are_drafted(repo):
    text = "安徽省长丰县下塘镇党委组织部署工作,每村补贴7.5万元,全镇共建成党群服务中心12个。"
    draft = make_draft(text, "example-article", repo, known={}, existing={}, source_exists=False)
    places = {r.id: r for r in draft.of_kind("place")}
    assert "changfeng-county" in places
    level = next(f for f in places["changfeng-county"].fields if f.key == "level")
    assert level.value == "county" and level.comment == "# suggestion"
    assert [r.id for r in draft.of_kind("source")] == ["example-article"]
    values = sorted(r.mention.value for r in draft.of_kind("amount"))
    assert values == [Decimal(12), Decimal(75000)]
    per_village = next(r for r in draft.of_kind("amount") if r.mention.value == 75000)
    assert {f.key: f.value for f in per_village.fields}["per"] == "village"


def test_every_draft_has_an_english_label(repo):
    """Places get an English name from pinyin and level word; other labels an empty `en` to fill
    in, which validation refuses as empty text until the curator writes one."""
    text = "安徽省六安市长丰县下塘镇党委组织部署工作,每村补贴7.5万元,全镇共建成党群服务中心12个。"
    draft = make_draft(text, "example-article", repo, known={}, existing={}, source_exists=False)
    labels = {(r.kind, r.id): next(f for f in r.fields if f.key == "label") for r in draft.records}
    assert all([e.key for e in label.entries] == ["zh-Hans", "en"] for label in labels.values())
    english = {key: label.entries[1] for key, label in labels.items()}
    places = {key[1]: e.value for key, e in english.items() if key[0] == "place"}
    assert places["changfeng-county"] == "Changfeng County" and places["anhui"] == "Anhui Province"
    assert places["luan"] == "Lu'an"
    others = [e for key, e in english.items() if key[0] != "place"]
    assert others and all(e.value == "" and e.comment.startswith("# suggestion: fill in the English label") for e in others)
    amount = next(r for r in draft.of_kind("amount"))
    assert yaml.safe_load(amount.yaml())["label"]["en"] == ""


def test_command_prints_yaml_that_parses(tmp_path, repo):
    shutil.copytree(repo.ontology, tmp_path / "ontology")
    shutil.copytree(repo.records, tmp_path / "records")
    before = sorted(p for p in tmp_path.rglob("*") if ".cache" not in p.parts)
    result = run(tmp_path, "draft", "records/sources/huainan-net-2016-08-25-datong.txt")
    assert result.returncode == 0, result.stderr
    assert sorted(p for p in tmp_path.rglob("*") if ".cache" not in p.parts) == before  # nothing written
    assert result.stderr.startswith("drafted ")
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    amounts = [d for d in documents if "quote" in d]
    assert amounts and all(d["draft"] is True and d["source"] == "huainan-net-2016-08-25-datong" for d in documents)
    pay = next(d for d in amounts if d.get("currency") == "CNY")
    assert pay["value"] == 3129 and pay["period"] == "month" and pay["as_written"] == "3129元"
    # every suggested value is marked, the label's Chinese and English ones too
    assert all(set(d["label"]) == {"zh-Hans", "en"} for d in documents)
    for line in result.stdout.splitlines():
        if line.startswith(("value:", "unit:", "bound:", "quote:", "period:", "as_written:", "  zh-Hans:", "  en:")):
            assert line.endswith("# suggestion") or "# suggestion:" in line, line


def test_write_never_overwrites(tmp_path, repo):
    shutil.copytree(repo.ontology, tmp_path / "ontology")
    shutil.copytree(repo.records, tmp_path / "records")
    out = tmp_path / "drafts"
    result = run(tmp_path, "draft", "records/sources/huainan-net-2016-08-25-datong.txt", "--write", str(out))
    assert result.returncode == 0, result.stderr
    written = sorted(out.rglob("*.yaml"))
    assert written and "files written under" in result.stderr
    victim = written[0]
    victim.write_text("id: kept\n# the curator's edits\n", encoding="utf-8")
    others = [p for p in written if p != victim]
    for p in others:
        p.unlink()
    result = run(tmp_path, "draft", "records/sources/huainan-net-2016-08-25-datong.txt", "--write", str(out))
    assert result.returncode == 1
    assert "refusing to write" in result.stderr and str(victim) in result.stderr and "nothing was written" in result.stderr
    assert victim.read_text(encoding="utf-8") == "id: kept\n# the curator's edits\n"
    assert sorted(out.rglob("*.yaml")) == [victim]


def test_drafts_do_not_validate_until_reviewed(tmp_path, repo):
    shutil.copytree(repo.ontology, tmp_path / "ontology")
    shutil.copytree(repo.records, tmp_path / "records")
    result = run(tmp_path, "draft", "records/sources/nanyang-strong-foundations-report.txt", "--write", "records")
    assert result.returncode == 0, result.stderr
    drafts = sorted((tmp_path / "records" / "amounts").glob("nanyang-strong-foundations-report-amount-*.yaml"))
    result = run(tmp_path, "validate")
    assert result.returncode == 1
    for path in drafts:
        assert f"records/amounts/{path.name}:3:1: draft: a draft from `dangjian draft`" in result.stdout + result.stderr


def test_command_json(tmp_path, repo):
    shutil.copytree(repo.ontology, tmp_path / "ontology")
    shutil.copytree(repo.records, tmp_path / "records")
    (tmp_path / "article.txt").write_text("全镇建成党群服务中心12个,每村补贴7.5万元。", encoding="utf-8")
    result = run(tmp_path, "draft", "article.txt", "--format", "json")
    assert result.returncode == 0, result.stderr
    import json

    data = json.loads(result.stdout)
    assert data["source"] == "article" and data["counts"]["amount"] == 2 and data["counts"]["source"] == 1
    assert data["records"][0]["path"] == "records/sources/article.yaml"
    assert run(tmp_path, "draft", "article.txt", "--source-id", "Not A Slug").returncode == 2
