"""The output formats: one module per serialiser, pure (statements in, bytes out)."""
