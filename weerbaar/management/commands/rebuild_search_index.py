from django.core.management.base import BaseCommand

from weerbaar import search


class Command(BaseCommand):
    help = (
        "Recompute the blind search index of every registered list (docs/search.md), in "
        "batches: after SEARCH_INDEX_KEY changed, or after organisations were renamed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=search.BATCH)
        parser.add_argument("--kind", choices=[i.kind for i in search.registered()])

    def handle(self, *args, batch_size, kind=None, **options):
        total = search.rebuild(kind, batch_size=batch_size, log=self.stdout.write)
        self.stdout.write(f"Klaar: zoekindex van {total} objecten opnieuw opgebouwd.")
