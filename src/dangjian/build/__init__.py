"""The build: validate and publish in one step, and every device that makes it quick."""

from .full import BuildFailed, BuildReport, build

__all__ = ["BuildFailed", "BuildReport", "build"]
