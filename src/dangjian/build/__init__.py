"""The build: validate and publish in one step, and every device that makes it quick.

``from dangjian.build import build`` names the build itself (:mod:`.full`), imported when first
asked for: `dangjian build` with nothing to do reads only the index (:mod:`.index`), and must
not pay for importing the checks, the formats and rdflib.
"""

_FULL = ("build", "BuildFailed", "BuildReport", "validate_project")


def __getattr__(name: str):
    if name in _FULL:
        from . import full

        return getattr(full, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
