"""What every benchmark shares: a connection to create and drop its own database,
and the machine's load to print beside the figures (the machine may be busy)."""

import os


def admin_connection(settings_dict, dbname="postgres"):
    """A psycopg connection to the server's maintenance database (to create/drop ours),
    or to database ``dbname``."""
    import psycopg

    params = {
        "dbname": dbname,
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


def database_switch_fresh(name):
    """Drop and create database ``name`` on the configured server, then point Django at it
    (after ``django.setup()``): each benchmark works on a database of its own."""
    from django.conf import settings
    from django.db import connection, connections

    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        cursor.execute(f"CREATE DATABASE {name}")
    connections.close_all()
    settings.DATABASES["default"]["NAME"] = name
    connection.settings_dict["NAME"] = name
