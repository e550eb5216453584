"""Public pages, split by page family: home/map, lists, details, states, stats, changes, pages."""
