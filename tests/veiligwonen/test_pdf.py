import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from .factories import submit, to_issued

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    return " ".join(page.extract_text() for page in reader.pages), reader


def test_issued_advice_pdfs_for_applicant_and_employer(cast, client_for):
    app = to_issued(cast, submit(cast, recent_threats=True))
    applicant_text, reader = pdf_text(
        client_for(cast.burgemeester).get(reverse("veiligwonen:pdf_applicant", args=[app.pk]))
    )
    employer_text, _ = pdf_text(
        client_for(cast.secretaris).get(reverse("veiligwonen:pdf_employer", args=[app.pk]))
    )
    # Both carry the advised measures, PKVW first.
    for text in (applicant_text, employer_text):
        assert text.index("PKVW-certificering") < text.index("Camera en video-intercom")
        assert app.reference in text
    # Only the applicant's copy holds the home situation.
    for private in ("Geheimelaan 7", "Janneke", "Achterdeur zwak", "Bij de achterdeur"):
        assert private in applicant_text
        assert private not in employer_text
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if "/BaseFont" in font.get_object()
    }
    assert any("SourceSans3" in f or "Source" in f for f in fonts)


def test_no_pdf_before_the_advice_is_issued(cast, client_for):
    app = submit(cast)
    response = client_for(cast.burgemeester).get(
        reverse("veiligwonen:pdf_applicant", args=[app.pk])
    )
    assert response.status_code == 404
