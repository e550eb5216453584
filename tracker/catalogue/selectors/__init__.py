"""Reads of published data, one module per reader, each in few queries:

- ``rows``: the site's list rows and their facet counts;
- ``details``: the site's detail pages, each with what it shows;
- ``records``: the API's full records, every field with its related sets;
- ``history``: an entry's public history and the site-wide change log;
- ``map``: the properties of each point on the map, built in SQL.

Everything here returns only published entities; a related entity that is not
published (a draft partner agency, a withdrawn hotspot) is left out, by the
rule of ``catalogue.visibility``, so no page, feed or API response built on
these selectors can show it. An entry's address is ``catalogue.links``.
"""
