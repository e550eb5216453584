"""What every benchmark shares: a connection to create and drop its own database,
and the machine's load to print beside the figures (the machine may be busy)."""

import os


def admin_connection(settings_dict):
    """A psycopg connection to the server's maintenance database, to create/drop ours."""
    import psycopg

    params = {
        "dbname": "postgres",
        "user": settings_dict.get("USER") or "postgres",
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "autocommit": True,
    }
    return psycopg.connect(**{k: v for k, v in params.items() if v is not None})


def load():
    """The load average over 1, 5 and 15 minutes."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())
