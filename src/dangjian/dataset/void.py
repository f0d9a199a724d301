"""The dataset described in VoID and DCAT (dist/void.ttl, served at /.well-known/void).

It says what the dataset is (title, licence, version, the version before it), where it is
(download URLs with media types, byte sizes and SHA-256 checksums; the SPARQL endpoint; the
URI space) and what it holds (triples, entities, and a partition per class of record).
"""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode, Triple

from ..divisions.codelist import code_lists
from ..formats.turtle import TurtleWriter
from ..model.namespaces import DCAT, DCTERMS, FOAF, OWL, RDF_TYPE, SPDX, VOID, XSD
from ..model.rdfterms import as_tuples

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
IANA = "https://www.iana.org/assignments/media-types/"

# The files a build publishes for download, with their media types.
DOWNLOADS = {
    "dangjian.ttl": "text/turtle",
    "dangjian.nt": "application/n-triples",
    "dangjian.jsonld": "application/ld+json",
    "dangjian.nt.gz": "application/n-triples",  # gzipped: see COMPRESSED
    "dangjian.nq.gz": "application/n-quads",
    "ontology.ttl": "text/turtle",
    "context.jsonld": "application/ld+json",
}
DOWNLOAD_TITLES = {
    "dangjian.ttl": "The knowledge base in Turtle",
    "dangjian.nt": "The knowledge base in N-Triples",
    "dangjian.jsonld": "The knowledge base in JSON-LD",
    "dangjian.nt.gz": "The knowledge base in N-Triples, gzipped, for bulk loaders",
    "dangjian.nq.gz": "The knowledge base in N-Quads, gzipped, in the release's named graph, for bulk loaders",
    "ontology.ttl": "The vocabulary and SHACL shapes",
    "context.jsonld": "The JSON-LD context (YAML keys to RDF terms)",
}


COMPRESSED = "application/gzip"  # the dcat:compressFormat of the downloads whose names end in .gz


def dataset_iri(base: str, version: str | None = None) -> str:
    return f"{base}dataset" + (f"/{version}" if version else "")


def download_path(name: str) -> str:
    return f"download/{name}"


def release_path(version: str, name: str) -> str:
    return f"releases/{version}/{name}"


def write_void(ontology, facts: dict, written: dict, example: str | None) -> bytes:
    """VoID and DCAT for the dumps ``written`` (name -> its size and SHA-256); ``facts`` has
    dataset, version, issued, previous, records (by kind), triples, description and creator."""
    base = ontology.base
    iri = NamedNode(dataset_iri(base))
    out: list[Triple] = []

    def add(s, p, o):
        out.append(Triple(s if isinstance(s, NamedNode) else NamedNode(s), NamedNode(p), o))

    def text(value, language=None):
        return Literal(value, language=language) if language else Literal(value)

    def typed(value, datatype):
        return Literal(str(value), datatype=NamedNode(XSD + datatype))

    add(iri, RDF_TYPE, NamedNode(VOID + "Dataset"))
    add(iri, RDF_TYPE, NamedNode(DCAT + "Dataset"))
    add(iri, DCTERMS + "title", text(facts["dataset"], "en"))
    add(iri, DCTERMS + "title", text("基层党建知识库", "zh-Hans"))
    add(iri, DCTERMS + "description", text(facts["description"], "en"))
    add(iri, DCTERMS + "license", NamedNode(CC_BY))
    add(iri, DCTERMS + "creator", text(facts["creator"]))
    add(iri, DCAT + "version", text(facts["version"]))
    add(iri, OWL + "versionInfo", text(facts["version"]))
    add(iri, DCAT + "landingPage", NamedNode(base))
    add(iri, FOAF + "homepage", NamedNode(base))
    for language in ("zh-Hans", "zh-Hant", "en"):
        add(iri, DCTERMS + "language", text(language))
    for keyword, language in (("基层党建", "zh-Hans"), ("grassroots Party-building", "en"), ("local governance", "en")):
        add(iri, DCAT + "keyword", text(keyword, language))
    if facts.get("issued"):
        add(iri, DCTERMS + "issued", typed(facts["issued"], "date"))
    previous = facts.get("previous")
    if previous:
        previous_iri = NamedNode(dataset_iri(base, previous))
        add(iri, DCAT + "previousVersion", previous_iri)
        add(previous_iri, RDF_TYPE, NamedNode(DCAT + "Dataset"))
        add(previous_iri, DCAT + "version", text(previous))
        add(previous_iri, VOID + "dataDump", NamedNode(base + release_path(previous, "dangjian.nt")))
    sparql = NamedNode(base + "sparql")
    add(iri, VOID + "sparqlEndpoint", sparql)
    add(iri, DCAT + "accessService", sparql)
    add(sparql, RDF_TYPE, NamedNode(DCAT + "DataService"))
    add(sparql, DCAT + "endpointURL", sparql)
    add(sparql, DCAT + "servesDataset", iri)
    add(iri, VOID + "uriSpace", text(base + "id/"))
    add(iri, VOID + "rootResource", NamedNode(base))

    add(iri, VOID + "triples", typed(facts["triples"], "integer"))
    add(iri, VOID + "entities", typed(sum(facts["records"].values()), "integer"))
    for kind, count in facts["records"].items():
        partition = NamedNode(f"{dataset_iri(base)}#class-{kind}")
        add(iri, VOID + "classPartition", partition)
        add(partition, VOID + "class", NamedNode(ontology.kinds[kind].class_iri))
        add(partition, VOID + "entities", typed(count, "integer"))
    for prefix in ("dj", "schema", "org", "prov", "dcterms", "skos", "oa", "wdt"):
        if prefix in ontology.prefixes:
            add(iri, VOID + "vocabulary", NamedNode(ontology.prefixes[prefix]))
    for code_list in code_lists(ontology):
        # The codes are literals that name entries of the code list: the linkset says which
        # property carries them and which list (its vintage) they come from.
        linkset = NamedNode(f"{dataset_iri(base)}#{code_list.key.replace('_', '-')}s")
        target = NamedNode(code_list.iri)
        add(iri, VOID + "subset", linkset)
        add(linkset, RDF_TYPE, NamedNode(VOID + "Linkset"))
        add(linkset, VOID + "linkPredicate", NamedNode(code_list.predicate))
        add(linkset, VOID + "subjectsTarget", iri)
        add(linkset, VOID + "objectsTarget", target)
        add(linkset, DCTERMS + "description", text(
            f"Places with their codes in {code_list.name()} (divisions as of {code_list.valid}), as plain literals "
            f"under {code_list.predicate}, the property Wikidata uses: join on them.", "en"))
        add(target, RDF_TYPE, NamedNode(VOID + "Dataset"))
        for language, title in sorted(code_list.title.items()):
            add(target, DCTERMS + "title", text(title, language or None))
        add(target, DCTERMS + "valid", typed(code_list.valid, "date"))
    if example:
        add(iri, VOID + "exampleResource", NamedNode(example))

    for name, media_type in DOWNLOADS.items():
        if name not in written:
            continue
        url = NamedNode(base + download_path(name))
        content = written[name]
        checksum = NamedNode(url.value + "#sha256")
        if name.startswith("dangjian."):
            add(iri, VOID + "dataDump", url)
        add(iri, DCAT + "distribution", url)
        add(url, RDF_TYPE, NamedNode(DCAT + "Distribution"))
        add(url, DCTERMS + "title", text(DOWNLOAD_TITLES[name], "en"))
        add(url, DCAT + "downloadURL", url)
        add(url, DCAT + "accessURL", url)
        add(url, DCAT + "mediaType", NamedNode(IANA + media_type))
        add(url, DCTERMS + "format", text(media_type))
        if name.endswith(".gz"):
            add(url, DCAT + "compressFormat", NamedNode(IANA + COMPRESSED))
        add(url, DCAT + "byteSize", typed(content.bytes, "nonNegativeInteger"))
        add(url, DCTERMS + "license", NamedNode(CC_BY))
        add(url, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE, NamedNode(SPDX + "Checksum"))
        add(checksum, SPDX + "algorithm", NamedNode(SPDX + "checksumAlgorithm_sha256"))
        add(checksum, SPDX + "checksumValue", typed(content.sha256, "hexBinary"))

    prefixes = {"void": VOID, "dcat": DCAT, "dcterms": DCTERMS, "spdx": SPDX, "xsd": XSD, "owl": OWL, "foaf": FOAF,
                **{k: v for k, v in ontology.prefixes.items() if k in ("dj", "schema", "org", "skos", "wdt")}}
    header = f"{facts['dataset']} {facts['version']}: the dataset described in VoID and DCAT. Generated by `dangjian build`."
    return TurtleWriter(prefixes).write(as_tuples(out), header)
