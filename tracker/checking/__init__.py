"""Source checking: fetch cited pages through the guarded fetcher (``fetch``,
``host_limit``), read their text (``text``), decide their health (``outcomes``),
record it (``records``), keep the evidence (``archive``), tell a dead link from a
dead network (``outage``); ``scheduler`` runs checks for the command and the tasks."""
