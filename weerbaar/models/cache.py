from django.db import models
from django.utils.translation import gettext_lazy as _


class CacheEntry(models.Model):
    """The table of Django's ``DatabaseCache`` (the same columns ``createcachetable`` makes),
    kept by migrations so every database has it: the cache falls back to it while Redis is
    down (``weerbaar.backends.cache``). Holds rate-limit counters, used TOTP codes and
    session copies, for minutes."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "weerbaar_cache"
        verbose_name = _("cache-regel")
        verbose_name_plural = _("cache-regels")

    def __str__(self):
        return self.cache_key
