"""Encrypted, verified backups of the database and the media (``manage.py backup`` and
``manage.py restore``; docs/operations.md)."""
