"""A built letter (``letters.Letter``) written out as PDF or .docx. Neither writer
interprets the text: the PDF template is a fixed file that autoescapes every line, and
python-docx stores each line as a text run (XML-escaped)."""

import base64
import io
import re

from django.utils import timezone

from weerbaar.pdf import render_pdf

__all__ = ["FORMATS", "docx_bytes", "pdf_bytes"]

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": "application/pdf", "docx": DOCX_TYPE}
_DATA_URI = re.compile(r"^data:image/(png|jpeg);base64,(?P<data>[A-Za-z0-9+/=]+)$")


def pdf_bytes(letter):
    return render_pdf(
        "incidents/letter.pdf.html", {"letter": letter, "generated_at": timezone.now()}
    )


def _logo(letter):
    match = _DATA_URI.match(letter.header.get("logo") or "")
    return io.BytesIO(base64.b64decode(match.group("data"))) if match else None


def docx_bytes(letter):
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for margin in ("top_margin", "bottom_margin", "left_margin", "right_margin"):
        setattr(section, margin, Cm(2))
    head = section.header.paragraphs[0]
    logo = _logo(letter)
    if logo is not None:
        head.add_run().add_picture(logo, height=Cm(1.5))
        head = section.header.add_paragraph()
    head.add_run(letter.header["name"]).bold = True
    contact = [*letter.header["address_lines"], letter.header["phone"], letter.header["email"]]
    for line in filter(None, contact):
        head.add_run().add_break()
        head.add_run(line)

    address = document.add_paragraph()
    for n, line in enumerate(letter.recipient):
        if n:
            address.add_run().add_break()
        address.add_run(line)
    document.add_paragraph(letter.place_date)
    subject = document.add_paragraph()
    subject.add_run("Betreft: ").bold = True
    subject.add_run(letter.subject)
    for lines in letter.paragraphs:
        paragraph = document.add_paragraph()
        for n, line in enumerate(lines):
            if n:
                paragraph.add_run().add_break()
            paragraph.add_run(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
