"""Database helpers shared by commands and tests."""

from __future__ import annotations


def database_url_for(settings_dict: dict) -> str:
    """A ``DATABASE_URL`` naming the database of these connection settings, so that a
    child process (a Celery worker, gunicorn) can be pointed at the very same database."""
    host = settings_dict["HOST"] or "127.0.0.1"
    user = settings_dict["USER"]
    password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
    name = settings_dict["NAME"]
    if host.startswith("/"):  # a Unix socket directory
        return f"postgres://{user}{password}@/{host}/{name}"
    return f"postgres://{user}{password}@{host}:{settings_dict['PORT'] or 5432}/{name}"
