"""Load data at national scale for the benchmark (``manage.py seed_load --scale N``).

Scale 1 is roughly the portal after four years: ~11 000 people with memberships, 100 000
meldingen, 10 000 Veilig Wonen applications, 5 000 OTWB sessions, with timelines and audit
rows in proportion; ten times that (``--scale 10``) for the question whether the pages stay
flat. Rows are model instances, written with COPY (``bulk.insert``) through each field's
own preparation, so encrypted fields are encrypted exactly as the application encrypts
them. Never run this against a production database: the data is fake and the people do
not exist.
"""

from django.db import connection

from .catchup import catch_up
from .common import EMAIL_DOMAIN, Plan, generated
from .people import directory, seed_people
from .search import fill_search_index

__all__ = ["EMAIL_DOMAIN", "Plan", "generated", "seed"]


def seed(plan, *, sweeps=True):
    """Top the database up to ``plan.scale``; returns {what: rows added}."""
    from .incidents import seed_meldingen
    from .otwb import seed_tour
    from .veiligwonen import seed_applications

    added = {"people": seed_people(plan)}
    people = directory()
    added["meldingen"] = seed_meldingen(plan, people)
    added["veiligwonen"] = seed_applications(plan, people)
    added["otwb_sessions"] = seed_tour(plan, people)
    if sweeps and any(added.values()):
        catch_up(plan)
    # After the sweeps, which may change what is indexed (anonymisation, purges).
    added["search_index"] = sum(fill_search_index(plan).values())
    if connection.vendor == "postgresql":
        # Fresh statistics, as autovacuum would have them on a database that grew slowly.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return added
