"""The upload checks of a melding's attachments: the shared ones of ``weerbaar.uploads``."""

from weerbaar.uploads import MAX_BYTES, MAX_PIXELS, PIXEL_BUDGET, clean_upload, clean_uploads

__all__ = ["MAX_BYTES", "MAX_PIXELS", "PIXEL_BUDGET", "clean_upload", "clean_uploads"]
