"""Word search over the published knowledge base, in either script, and the tools around it:
the domain dictionary jieba segments with, the drafting assistant and slug suggestions.

- text/normalise.py (beside the checks, which compare names too): OpenCC ``tw2s`` (Traditional to
  Simplified, characters and variants only);
- segment.py: jieba with the project's cache folder and the domain dictionary;
- dictionary/: ``terms.txt`` (kept by hand) and ``generated.txt`` (from the records' labels);
- index.py: BM25F over labels, descriptions, quotes and source titles of the published graph;
- highlight.py: snippets with the matched words marked.
"""
