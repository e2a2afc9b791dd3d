"""Tools for measuring the portal, beside the apps because they need every app: the
benchmark (``manage.py bench``, :mod:`perf.bench`) and the load data it measures on
(``manage.py seed_load``, :mod:`perf.loadgen`).

Not part of the production image (``.dockerignore``): settings add this app to
``INSTALLED_APPS`` only when the package can be imported, and pyproject.toml's package list
(what an install of the portal contains) leaves it out: it runs from a checkout, where
``manage.py`` finds it. The core (``weerbaar``) never imports it."""
