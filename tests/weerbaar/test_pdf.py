import io

import pytest
from pypdf import PdfReader

from weerbaar import pdf


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/tracker.png",
        "file:///etc/passwd",
        "weerbaarstatic:/../weerbaar/settings.py",
        "weerbaarstatic:/vendor/utrecht/component-library.css",
    ],
)
def test_documents_cannot_load_anything_but_our_fonts_and_stylesheet(url):
    with pytest.raises(pdf.BlockedResource):
        pdf.resolve(url)


def test_own_font_and_stylesheet_are_allowed():
    assert pdf.resolve("weerbaarstatic:/css/pdf.css").name == "pdf.css"
    assert pdf.resolve("weerbaarstatic:/fonts/source-sans-3-latin-400-normal.woff2").exists()


def test_hostile_content_renders_without_fetching_and_with_our_font():
    from weasyprint import HTML

    html = (
        '<link rel="stylesheet" href="weerbaarstatic:/css/pdf.css">'
        '<p>Tekst</p><img src="file:///etc/passwd"><img src="http://example.org/x.png">'
    )
    data = HTML(string=html, base_url=pdf.PREFIX, url_fetcher=pdf._fetcher()).write_pdf()
    reader = PdfReader(io.BytesIO(data))
    assert "Tekst" in reader.pages[0].extract_text()
    font_names = [
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    ]
    assert any("Source-Sans" in name for name in font_names)
