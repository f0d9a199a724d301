"""Check that no URI of an earlier release has disappeared: each still has its record, or a
tombstone (``replaced_by`` or ``withdrawn``) in its place. Reported at the URI's line of the
release's manifest, with the nearest id of the same kind as a hint."""

from __future__ import annotations

import difflib

from ..model.ontology import Ontology
from ..model.problems import Problem
from ..records.releases import releases
from ..settings import Project
from .references import Directory


def check_releases(project: Project, directory: Directory, ontology: Ontology) -> list[Problem]:
    """``directory``: every record there is now."""
    ids_by_kind = directory.ids_by_kind
    problems = []
    for release in releases(project):
        shown = project.relative(release.path)
        if not release.data.get("uris") or "base" not in release.data:
            problems.append(Problem(shown, 1, 1, "", "not a release manifest (no `base` and `uris`); restore it from version control", "release"))
            continue
        lines = release.path.read_text(encoding="utf-8").splitlines()
        line_of = {}
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith('"') and '": "' in stripped:
                line_of.setdefault(stripped[1:stripped.index('": "')], number)
        for uri in release.uris:
            relative = uri[len(release.base):] if uri.startswith(release.base) else uri
            split = ontology.split_record_iri(ontology.base + relative)
            if split is None:
                continue  # a kind no longer in the ontology is the ontology's problem, not a record's
            kind, record_id = split
            if record_id in ids_by_kind.get(kind, ()):
                continue
            folder = ontology.kinds[kind].folder
            same_kind = sorted(ids_by_kind.get(kind, []))
            # A renamed id often grows (anhui -> anhui-province); else the nearest spelling.
            close = [i for i in same_kind if i.startswith(record_id + "-")][:1] or difflib.get_close_matches(record_id, same_kind, n=1, cutoff=0.6)
            hint = f"`replaced_by: {close[0]}`" if close else "`replaced_by: NEW-ID`"
            message = (f"{uri} was published in release {release.version} and no record has it now; "
                       f"restore records/{folder}/{record_id}.yaml, or leave a tombstone there with "
                       f"`id: {record_id}` and {hint} (renamed or merged) or `withdrawn: REASON`")
            line = line_of.get(uri, 1)
            column = lines[line - 1].index('"') + 1 if line <= len(lines) and '"' in lines[line - 1] else 1
            problems.append(Problem(shown, line, column, "uris", message, "release"))
    return problems
