"""Tools for measuring the portal, beside the apps because they need every app: the
benchmark (``manage.py bench``, :mod:`perf.bench`) and the load data it measures on
(``manage.py seed_load``, :mod:`perf.loadgen`).

Not part of the production image (``.dockerignore``): settings add this app to
``INSTALLED_APPS`` only when the package can be imported. The core (``weerbaar``) never
imports it."""
