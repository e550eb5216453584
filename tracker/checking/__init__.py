"""Source checking: fetch cited pages through the guarded fetcher, decide
their health, record it."""
