"""The dataset: what a build publishes about itself (VoID, manifest, versions and releases, diff, citation)."""
