"""Run inside the embedded portal's environment (``python -m tests.embedded.load_accounts
N_TRIAGERS N_REPORTERS ACCOUNTS_EACH``): migrate and seed the demo data as run.sh does
(one process instead of two saves the test seconds), then the accounts of the
concurrent-use test, made as the demo accounts are (same password, same TOTP secret). One
griffier per gemeente triages what that gemeente's raadsleden file; the first gemeente is
the demo's Utrecht, triaged by griffier@utrecht.demo. Prints the plan as JSON on the last line.

Each reporter thread files as several raadsleden in turn: the portal allows a person 20
meldingen an hour, and one thread files more than that in a minute."""

import json
import sys

import django


def main(n_triagers, n_reporters, accounts_each):
    django.setup()
    from django.core.management import call_command

    from weerbaar import demo
    from weerbaar.constants import OrganisationKind, Position, Role
    from weerbaar.models import Organisation

    call_command("migrate", interactive=False, verbosity=0)
    call_command("seed_demo", stdout=sys.stderr)
    others = (
        Organisation.objects.filter(kind=OrganisationKind.GEMEENTE)
        .exclude(code__in=[demo.UTRECHT, demo.GRONINGEN])
        .order_by("code")
        .values_list("code", flat=True)[: n_triagers - 1]
    )
    codes = [demo.UTRECHT, *others]
    accounts = []
    triagers = []
    for i, code in enumerate(codes):
        if code == demo.UTRECHT:
            triagers.append("griffier@utrecht.demo")
            continue
        email = f"griffier{i}@load.test"
        accounts.append((email, f"Griffier {i}", [(code, Role.GRIFFIER, "")]))
        triagers.append(email)
    reporters = []
    for r in range(n_reporters):
        code = codes[r % len(codes)]
        emails = [f"raadslid{r}-{k}@load.test" for k in range(accounts_each)]
        for k, email in enumerate(emails):
            accounts.append(
                (email, f"Raadslid {r}-{k}", [(code, Role.OFFICE_HOLDER, Position.RAADSLID)])
            )
        reporters.append({"organisation": code, "accounts": emails})
    demo.ACCOUNTS = accounts
    demo.seed_accounts()
    plan = {
        "password": demo.DEMO_PASSWORD,
        "totp_secret": demo.DEMO_TOTP_SECRET,
        "triagers": [
            {"organisation": c, "account": t} for c, t in zip(codes, triagers, strict=True)
        ],
        "reporters": reporters,
    }
    print(json.dumps(plan))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
