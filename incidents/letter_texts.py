# ruff: noqa: E501  (letter paragraphs are single lines: a line break would become one in the letter)
"""The national default text of each letter (``LetterKind``), in the register of a Dutch
municipality. Plain text with ``{{ naam }}`` placeholders (``letters.PLACEHOLDERS``); a
blank line starts a new paragraph. A national row in ``LetterTemplate`` (organisation
empty) replaces these; an organisation's own row replaces both for its cases."""

from .constants import LetterKind

__all__ = ["DEFAULTS"]

DEFAULTS = {
    LetterKind.ACKNOWLEDGEMENT: (
        "Ontvangstbevestiging van uw melding {{ kenmerk }}",
        """Geachte {{ melder_naam }},

Hierbij bevestigen wij dat wij uw melding met kenmerk {{ kenmerk }} in goede orde hebben ontvangen. Het spijt ons dat u op {{ datum_voorval }} in uw functie bij {{ organisatie }} te maken hebt gekregen met agressie, intimidatie of bedreiging. Dat is onacceptabel, en wij nemen uw melding serieus.

Uw melding wordt vertrouwelijk behandeld: alleen wie haar volgens ons protocol behandelt, kan haar inzien. Wij nemen zo spoedig mogelijk contact met u op om te bespreken wat er is gebeurd, wat u nodig hebt en welke vervolgstappen wij samen kunnen zetten, zoals nazorg, het doen van aangifte en maatregelen richting de pleger.

Voelt u zich op dit moment niet veilig, bel dan direct 112.

Hebt u vragen of wilt u iets aanvullen, dan kunt u reageren via het portaal Weerbaar Bestuur of contact opnemen met ondergetekende.

Met vriendelijke groet,

{{ ondertekenaar }}
{{ organisatie }}""",
    ),
    LetterKind.WARNING: (
        "Waarschuwing naar aanleiding van uw gedrag op {{ datum_voorval }}",
        """Geachte heer, mevrouw {{ dader_naam }},

Op {{ datum_voorval }} hebt u zich gedragen op een wijze die {{ organisatie }} niet accepteert. Uw gedrag was gericht tegen iemand die in de uitoefening van een publieke taak voor onze organisatie werkzaam is. Agressie, intimidatie en bedreiging van bestuurders, volksvertegenwoordigers en medewerkers treffen niet alleen de betrokkene, maar ook het functioneren van onze lokale democratie.

Met deze brief wijzen wij u erop dat dit gedrag ontoelaatbaar is. Wij verzoeken u met klem zich hiervan in de toekomst te onthouden en in het contact met onze bestuurders, volksvertegenwoordigers en medewerkers de gebruikelijke omgangsvormen in acht te nemen.

Herhaalt dit gedrag zich, dan nemen wij verdere maatregelen. Daarbij kunt u denken aan een ordemaatregel of een verbod op de toegang tot onze gebouwen, het verhalen van de schade en het doen van aangifte bij de politie. Strafbare feiten tegen personen met een publieke taak worden door politie en Openbaar Ministerie met voorrang behandeld; de strafeis kan daarbij hoger uitvallen.

Wij gaan ervan uit dat een verdere stap niet nodig zal zijn.

Hoogachtend,

{{ ondertekenaar }}
namens {{ organisatie }}""",
    ),
    LetterKind.POLICE_REQUEST: (
        "Verzoek om registratie volgens de ELA (Veilige Publieke Taak), ons kenmerk {{ kenmerk }}",
        """Geachte heer, mevrouw,

{{ organisatie }} verzoekt u het voorval van {{ datum_voorval }}, waarbij {{ melder_naam }} ({{ functie_melder }}) in de uitoefening van de publieke taak te maken kreeg met agressie, intimidatie of bedreiging, te registreren volgens de Eenduidige Landelijke Afspraken (ELA) en te voorzien van de kenmerking Veilige Publieke Taak (VPT).

De betrokkene kiest bij de aangifte of melding domicilie op het adres van onze organisatie: {{ organisatie_adres }}. Wij verzoeken u het huisadres van de betrokkene niet in de stukken op te nemen.

De pleger is, voor zover bij ons bekend: {{ dader_naam }}.

Voor afstemming over de afhandeling, de terugkoppeling aan de betrokkene en een eventuele vordering tot schadevergoeding kunt u contact opnemen met ondergetekende. Wilt u bij correspondentie ons kenmerk {{ kenmerk }} vermelden?

Met vriendelijke groet,

{{ ondertekenaar }}
{{ organisatie }}""",
    ),
}
