"""Moved to ``weerbaar.pdf_clean`` (shared by every app that takes a PDF)."""

from weerbaar.pdf_clean import clean_pdf

__all__ = ["clean_pdf"]
