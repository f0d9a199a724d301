"""The checks: every check a record goes through, in one run for a full build and a partial one."""
