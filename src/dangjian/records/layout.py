"""Where records live: records/{folder}/{id}.yaml, with companion files beside some of them.
Kept apart so that a quick look at the files needs no ontology and no parser."""

RECORD_SUFFIX = ".yaml"
COMPANION_SUFFIXES = (".txt",)  # a source's captured and cleaned text live beside its record


def ignored(name: str) -> bool:
    """A file no build reads: a hidden one (an editor's swap or lock file, `.name.yaml.swp`), or
    an editor's leftover beside the file it saves: Emacs' auto-save `#name.yaml#` and a backup
    `name.yaml~`. They come and go while a curator types, and are never records."""
    return name[0] == "." or name[-1] == "~" or (name[0] == "#" and name[-1] == "#")


def is_record_file(name: str) -> bool:
    """Whether a (not ignored) name is a record file's: a stem and the record suffix, no other dot."""
    return name.endswith(RECORD_SUFFIX) and name.count(".") == 1


def only_record_files(names: list[str]) -> bool:
    """Whether every name is a stem and the record suffix, with no other dot (counted over the
    names joined: a hundred thousand names in two calls). A hidden name has a dot of its own."""
    joined = "/".join(names)  # no file name holds a slash
    return (not names or joined.endswith(RECORD_SUFFIX)) and joined.count(".") == len(names) \
        and joined.count(RECORD_SUFFIX + "/") == max(len(names) - 1, 0)
