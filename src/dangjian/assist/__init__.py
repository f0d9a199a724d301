"""Help for curators: drafts of records from an article's text, and suggested ids."""
