"""The pipeline: one record to its statements (mapping, derived statements, each record's blocks of the dumps)."""
