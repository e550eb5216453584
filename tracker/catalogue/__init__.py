"""Reads of published data for the site and the API: selectors, filters,
search, statistics and the change log."""
