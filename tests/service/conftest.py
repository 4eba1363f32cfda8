from tests.databases import database_url, db, postgres_url

__all__ = ["database_url", "db", "postgres_url"]
