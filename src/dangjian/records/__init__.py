"""Records: the files under records/ read into records (YAML, strictly), and the files beside them."""
