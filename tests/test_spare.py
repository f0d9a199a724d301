"""The build before last stays beside dist/ as .dist-spare, and the next build writes its files
over the spare's (quicker than new files here): never over one that something still reads, and
never over one that dist/ shares."""

from __future__ import annotations

import os
import shutil

from dangjian.build import build
from dangjian.settings import Project
from dangjian.records.synthetic import generate


def project(tmp_path, repo) -> Project:
    root = tmp_path / "kb"
    shutil.copytree(repo.ontology, root / "ontology")
    generate(root, 200, seed=3, invalid_share=0)
    return Project(root)


def relabel(project: Project, step: int) -> None:
    amount = sorted((project.records / "amounts").glob("*.yaml"))[step]
    amount.write_text(amount.read_text(encoding="utf-8").replace("\n  zh-Hans: ", "\n  zh-Hans: 改", 1), encoding="utf-8")


def test_the_spare_is_the_build_before_last_and_its_files_are_reused(tmp_path, repo):
    kb = project(tmp_path, repo)
    build(kb)
    first = (kb.dist / "dangjian.nt").read_bytes()
    relabel(kb, 0)
    build(kb)
    spare = kb.root / ".dist-spare"
    assert (spare / "dangjian.nt").read_bytes() == first
    inode = (spare / "dangjian.nt").stat().st_ino
    relabel(kb, 1)
    build(kb)
    assert (kb.dist / "dangjian.nt").stat().st_ino == inode  # written over, not made anew
    again = (kb.dist / "dangjian.nt").read_bytes()
    assert again != first and len(again) > len(first)  # two labels longer: the old end is cut off
    shutil.rmtree(kb.root / ".cache")
    shutil.rmtree(kb.dist)
    shutil.rmtree(spare)
    build(kb)
    assert (kb.dist / "dangjian.nt").read_bytes() == again  # the same bytes a build from nothing gives


def test_a_spare_file_someone_reads_is_left_alone(tmp_path, repo):
    kb = project(tmp_path, repo)
    build(kb)
    relabel(kb, 0)
    build(kb)
    spare = kb.root / ".dist-spare"
    with open(spare / "dangjian.ttl", "rb") as reader:  # a download of the old build, say
        before = reader.read()
        relabel(kb, 1)
        build(kb)
        reader.seek(0)
        assert reader.read() == before
        assert (kb.dist / "dangjian.ttl").read_bytes() != before
        assert os.fstat(reader.fileno()).st_ino != (kb.dist / "dangjian.ttl").stat().st_ino


def test_a_file_dist_shares_with_the_spare_is_not_written_over(tmp_path, repo):
    kb = project(tmp_path, repo)
    build(kb)
    ontology = (kb.dist / "ontology.ttl").read_bytes()
    for step in range(3):  # quick rebuilds link ontology.ttl unchanged from one build to the next
        relabel(kb, step)
        report = build(kb)
        assert report.changed
        assert (kb.dist / "ontology.ttl").read_bytes() == ontology
    assert (kb.dist / "ontology.ttl").stat().st_nlink == 2  # dist/ and the spare share it
