"""Where records live: records/{folder}/{id}.yaml, with companion files beside some of them.
Kept apart so that a quick look at the files needs no ontology and no parser."""

RECORD_SUFFIX = ".yaml"
COMPANION_SUFFIXES = (".txt",)  # a source's captured and cleaned text live beside its record
