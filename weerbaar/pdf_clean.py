"""Uploaded PDFs are rewritten before they are stored, never kept byte for byte.

A PDF can run JavaScript when a triager opens it (``/OpenAction``, ``/AA``, the document's
``/JavaScript`` names, a link's action), carry other files inside it, hold the author's
name, software and earlier text in its metadata and in earlier revisions, and hide any
payload after its last ``%%EOF``. qpdf (through pikepdf) reads the document and writes only
the objects still reachable from its root, so what follows ``%%EOF``, older revisions and
everything we cut loose below is gone from the stored file. A PDF that qpdf cannot read, that
needs a password, or that does not come out with the same pages is refused: the reporter can
save it again or send a screenshot."""

import io

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from pikepdf import Dictionary, Name

__all__ = ["clean_pdf"]

# Keys removed from every dictionary: scripts and triggers (/JS, /AA, /OpenAction, XFA
# forms), files inside the document (/EF, /AF, the /EmbeddedFiles and /JavaScript name
# trees) and metadata (XMP streams, producers' private data).
DROP_KEYS = {
    "/JS",
    "/AA",
    "/OpenAction",
    "/XFA",
    "/EF",
    "/AF",
    "/EmbeddedFiles",
    "/JavaScript",
    "/Metadata",
    "/PieceInfo",
}
# Actions that run code, start a program, send data or open another (embedded) document.
DROP_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/RichMediaExecute",
}
# Annotations that carry a file or a player rather than a note or a link.
DROP_ANNOTATIONS = {"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}


def _refused(name):
    return ValidationError(
        _(
            "Het bestand %(n)s kan niet veilig worden opgeslagen: het is beschadigd, met een "
            "wachtwoord beveiligd of geen gewone PDF. Sla het opnieuw op als PDF (of maak er "
            "een schermafdruk van) en voeg het dan toe. Wat u heeft ingevuld staat er nog."
        )
        % {"n": name}
    )


def _is_dropped_action(value):
    return isinstance(value, Dictionary) and value.get("/S") in DROP_ACTIONS


def _scrub(root):
    """Remove the dropped keys and actions from ``root`` and everything reachable from it.
    A stack, not recursion: a long outline (``/Next`` after ``/Next``) is a deep chain."""
    stack, seen = [root], set()
    while stack:
        obj = stack.pop()
        if not isinstance(obj, (Dictionary, pikepdf.Stream, pikepdf.Array)):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
            continue
        for key in list(obj.keys()):
            value = obj[key]
            if key in DROP_KEYS or (key in ("/A", "/Next") and _is_dropped_action(value)):
                del obj[key]
            elif key != "/Parent":
                stack.append(value)


def _drop_annotations(pdf):
    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if a.get("/Subtype") not in DROP_ANNOTATIONS]
            page.obj[Name.Annots] = pikepdf.Array(kept)


def clean_pdf(data, *, name):
    """The PDF ``data`` rewritten without scripts, embedded files, metadata and anything
    after its end; a ValidationError (Dutch) when it cannot be made safe."""
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pages = len(pdf.pages)
            if "/Info" in pdf.trailer:
                del pdf.trailer["/Info"]
            _drop_annotations(pdf)
            _scrub(pdf.Root)  # the pages, forms, outlines and name trees included
            out = io.BytesIO()
            pdf.save(out, fix_metadata_version=False, deterministic_id=True)
        cleaned = out.getvalue()
        with pikepdf.open(io.BytesIO(cleaned)) as check:
            if pages == 0 or len(check.pages) != pages:
                raise _refused(name)
    except pikepdf.PdfError as exc:  # unreadable, damaged beyond repair, or encrypted
        raise _refused(name) from exc
    return cleaned
