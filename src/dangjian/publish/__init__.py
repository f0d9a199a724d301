"""Publishing: one module per output format, and the atomic folder they are written to."""
