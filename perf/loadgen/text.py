"""Plausible Dutch filler for encrypted free-text fields: the content never matters to the
benchmark, only that the columns hold real ciphertext of a realistic length."""

SENTENCES = (
    "Na afloop van de raadsvergadering werd ik bij de fietsenstalling aangesproken.",
    "De persoon riep dat hij wist waar ik woon en dat ik moest oppassen.",
    "Op sociale media verscheen een bericht met een foto van mijn huis.",
    "Ik ontving een brief zonder afzender met een dreigende tekst.",
    "Tijdens het spreekuur werd met de vuist op tafel geslagen.",
    "Er werd meerdere keren gebeld met een afgeschermd nummer.",
    "Mijn partner werd bij de supermarkt aangesproken over mijn besluit.",
    "De man bleef na de bijeenkomst bij de uitgang staan wachten.",
    "Er zijn e-mails gestuurd aan collega's met onware beschuldigingen.",
    "Het ging over het besluit om de coffeeshop te sluiten.",
    "Ik heb de berichten bewaard en schermafdrukken gemaakt.",
    "Een buurtbewoner heeft het incident gezien en wil getuigen.",
)


def paragraph(rng, low=2, high=5):
    return " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(low, high)))
