"""What a build tells its caller: what it published, or the problems that stopped it."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.run import Verdict


class BuildFailed(Exception):
    def __init__(self, verdict: Verdict):
        super().__init__(f"{len(verdict.problems)} problems")
        self.verdict = verdict


@dataclass
class BuildReport:
    verdict: Verdict
    out: Path
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    records_by_kind: dict[str, int] = field(default_factory=dict)
    triples: int = 0
    seconds: float = 0.0
    version: str = ""
    tombstones: int = 0
    hashes: dict[str, str] = field(default_factory=dict)  # record IRI -> hash of its own statements
    facts: dict = field(default_factory=dict)
    changed: int | None = None  # records read again by a quick rebuild; None after a full build


def report_of_dist(out: Path, started: float, changed: int | None = 0) -> BuildReport:
    """The report of the build in ``out``, as its manifest tells (``changed``: see BuildReport)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    report = BuildReport(Verdict([], None, []), out, {n: f["bytes"] for n, f in manifest["files"].items()},
                         manifest["records"], manifest["triples"], time.perf_counter() - started)
    report.version, report.tombstones = manifest.get("version", ""), manifest.get("tombstones", 0)
    report.changed = changed
    return report
