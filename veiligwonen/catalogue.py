"""The starting measure catalogue of the scheme (loaded by a data migration; maintained in
the admin afterwards). Amounts are indicative estimates in euro, per the CCV price lists
advisers work with; the adviser adjusts them per case."""

# code, name, domain, category, responsible party, estimated cost, priority (1 = first)
CATALOGUE = [
    ("pkvw", "PKVW-certificering van de woning (eerst)", "wonen", "physical", "employer", 2500, 1),
    (
        "deuren-sloten-ramen",
        "Inbraakwerende deuren, sloten en raambeveiliging",
        "wonen",
        "physical",
        "employer",
        3500,
        2,
    ),
    ("vrijstaande-brievenbus", "Vrijstaande brievenbus", "wonen", "physical", "employer", 400, 3),
    (
        "verlichting",
        "Buitenverlichting met bewegingsmelder",
        "wonen",
        "physical",
        "employer",
        600,
        3,
    ),
    ("camera-intercom", "Camera en video-intercom", "wonen", "electronic", "employer", 1500, 2),
    (
        "alarm-doormelding",
        "Alarmsysteem met doormelding naar een meldkamer",
        "wonen",
        "electronic",
        "employer",
        2000,
        2,
    ),
    ("paniekknop", "Paniekknop", "wonen", "electronic", "employer", 500, 2),
    (
        "veilige-ruimte",
        "Veilige ruimte of beveiligde opbergplaats",
        "wonen",
        "physical",
        "employer",
        4000,
        3,
    ),
    (
        "afscherming-kvk",
        "Afscherming woonadres in het Handelsregister (KVK)",
        "digitaal",
        "organisational",
        "home_owner",
        0,
        2,
    ),
    (
        "afscherming-brp",
        "Afscherming gegevens in de BRP",
        "digitaal",
        "organisational",
        "employer",
        0,
        2,
    ),
    (
        "afscherming-kadaster",
        "Afscherming gegevens in het Kadaster",
        "digitaal",
        "organisational",
        "home_owner",
        0,
        2,
    ),
    ("vindbaarheidscheck", "Online vindbaarheidscheck", "digitaal", "online", "employer", 750, 2),
    (
        "sociale-media",
        "Privacy-instellingen sociale media aanscherpen",
        "digitaal",
        "online",
        "employer",
        0,
        3,
    ),
    (
        "route-variatie",
        "Variatie in reistijden en routes",
        "verplaatsen",
        "organisational",
        "employer",
        0,
        3,
    ),
    ("post-kantoor", "Post afhandelen via het kantoor", "werk", "organisational", "employer", 0, 3),
    (
        "stelsel-maatregelen",
        "Maatregelen binnen het Stelsel Bewaken en Beveiligen",
        "verplaatsen",
        "organisational",
        "jenv_nctv",
        0,
        1,
    ),
]


def load_catalogue(measure_type_model):
    """Create or refresh the catalogue entries (idempotent; admin edits to other entries
    are left alone)."""
    for code, name, domain, category, party, cost, priority in CATALOGUE:
        measure_type_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "domain": domain,
                "category": category,
                "responsible_party": party,
                "estimated_cost": cost,
                "priority": priority,
            },
        )
