"""The performance benchmark (``manage.py bench``): server time and query counts of the
pages people work in all day and of every periodic sweep, measured on load data
(``manage.py seed_load``) in PostgreSQL, plus a short load test against gunicorn on
loopback. Times are reported, never asserted; the query counts are asserted in
``tests/performance``."""
