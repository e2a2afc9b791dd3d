"""Container health check: GET /health/ on the local gunicorn, as a load balancer would.

The request carries a host name from ALLOWED_HOSTS (Django answers 400 to any other); /health/
is exempt from the HTTPS redirect. It answers 503 when the database or Redis is down: the
container is then unhealthy.
"""

import os
import sys
import urllib.request


def health_host() -> str:
    explicit = os.environ.get("HEALTHCHECK_HOST")
    if explicit:
        return explicit
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts or hosts[0] == "*":
        return "localhost"
    # ".example.nl" allows example.nl and its subdomains.
    return hosts[0].lstrip(".")


def main() -> int:
    port = os.environ.get("PORT", "8000")
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/health/",
        headers={"Host": health_host()},
    )
    try:
        with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 (fixed local URL)
            return 0 if response.status == 200 else 1
    except OSError as exc:
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
