from django.shortcuts import render
from django.views.decorators.http import require_GET

__all__ = ["documentation"]


@require_GET
def documentation(request):
    """Swagger UI from the portal's own static files (no CDN), started by an external
    script: the strict CSP allows no inline script."""
    return render(request, "api/documentation.html")
