"""Capture or replay the working pages' statements with their EXPLAIN (perf/bench/plans.py).

    DJANGO_SETTINGS_MODULE=tests.settings DATABASE_URL=... \\
        .venv/bin/python scripts/page_plans.py capture FILE [WORD ...]
    DATABASE_URL=<another database> .venv/bin/python scripts/page_plans.py replay FILE OUT
    .venv/bin/python scripts/page_plans.py table FILE [FILE ...]
"""

import os
import pickle
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(argv):
    import django

    django.setup()
    from perf.bench import plans

    mode, path, *rest = argv
    if mode == "capture":
        with open(path, "wb") as f:
            pickle.dump(plans.capture(rest), f)
    elif mode == "replay":
        with open(path, "rb") as f:
            captured = pickle.load(f)  # noqa: S301 (our own file)
        with open(rest[0], "wb") as f:
            pickle.dump(plans.replay(captured), f)
    elif mode == "table":
        runs = []
        for name in [path, *rest]:
            with open(name, "rb") as f:
                runs.append(pickle.load(f))  # noqa: S301 (our own file)
        for pages in zip(*runs, strict=True):
            first = pages[0]
            print(f"\n## {first['page']} ({first['queries']} queries)")
            for n, statements in enumerate(zip(*(p["statements"] for p in pages), strict=True)):
                cells = " | ".join(
                    f"{s['plan']['buffers']} buf {s['plan']['rows']} rows {s['plan']['ms']} ms"
                    for s in statements
                )
                print(f"{n + 1}. {cells}   {statements[-1]['plan']['scans']}")
                print("     " + " ".join(statements[0]["sql"].split())[:300])
            totals = " | ".join(
                str(sum(s["plan"]["buffers"] for s in p["statements"])) for p in pages
            )
            print(f"   total buffers: {totals}")


if __name__ == "__main__":
    main(sys.argv[1:])
