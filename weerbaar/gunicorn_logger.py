"""gunicorn's logger with the URL secrets and query strings taken out (``weerbaar.redaction``):
its access log writes the request line and the Referer of every request, and its error log
the URI of a request that failed. ``docker/gunicorn.conf.py`` sets it as ``logger_class``."""

from gunicorn.glogging import Logger

from .redaction import RedactSecrets

__all__ = ["RedactingLogger"]


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, RedactSecrets) for f in log.filters):
                log.addFilter(RedactSecrets())

    def atoms(self, resp, req, environ, request_time):
        """The bare query string is no path, so the filter cannot recognise it: blank it."""
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["q"] = ""
        for key in ("{query_string}e", "{raw_uri}e"):
            atoms.pop(key, None)
        return atoms
