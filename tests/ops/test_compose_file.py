"""docker-compose.yml, compose.dev.yml, .env.example, Dockerfile and .dockerignore as a hosting
party reads them (issue 24 §2): only the TLS proxy publishes ports, HTTPS enforcement is not
turned off, no development helper in the production file, every image pinned by version and
replaceable through a variable whose default is the official image, the image's bases are
build arguments, and neither tests nor the bench and load tooling reach the image."""

import re
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
VARIABLE = re.compile(r"^\$\{(?P<name>[A-Z_]+):-(?P<default>[^}]+)\}$")


def _compose(name="docker-compose.yml"):
    return yaml.safe_load((REPO / name).read_text())["services"]


def _pinned(image):
    """An official image at an exact version: name:1.2.3[-variant], never latest or a bare major."""
    name, _, tag = image.partition(":")
    return bool(re.fullmatch(r"\d+\.\d+(\.\d+)?(-[a-z0-9.-]+)?", tag)), name


def test_only_the_proxy_publishes_ports():
    services = _compose()
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    assert "8000" in [str(port) for port in services["web"].get("expose", [])]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_no_development_helpers_in_the_production_file():
    services = _compose()
    assert "mailpit" not in services
    assert not any("mailpit" in str(service.get("image", "")) for service in services.values())
    dev = _compose("compose.dev.yml")
    assert "mailpit" in dev
    assert dev["worker"]["environment"]["EMAIL_URL"] == "smtp://mailpit:1025"


def test_https_enforcement_is_not_turned_off_by_the_example_settings():
    lines = [
        line.split("#", 1)[0].strip() for line in (REPO / ".env.example").read_text().splitlines()
    ]
    settings = dict(line.split("=", 1) for line in lines if "=" in line)
    assert settings.get("SECURE_TRANSPORT", "true").lower() not in {"false", "0", "no", "off"}
    assert settings["CADDY_TLS"] == "internal"
    assert settings["SITE_URL"].startswith("https://")
    assert all(o.startswith("https://") for o in settings["CSRF_TRUSTED_ORIGINS"].split(","))
    assert "mailpit" not in settings["EMAIL_URL"]


def test_images_are_pinned_and_chosen_by_variables_defaulting_to_the_official_ones():
    services = _compose()
    expected = {
        "db": ("POSTGRES_IMAGE", "postgres"),
        "redis": ("REDIS_IMAGE", "redis"),
        "proxy": ("CADDY_IMAGE", "caddy"),
    }
    for service, (variable, official) in expected.items():
        match = VARIABLE.match(services[service]["image"])
        assert match, services[service]["image"]
        assert match["name"] == variable
        pinned, name = _pinned(match["default"])
        assert pinned and name == official, match["default"]
    build = services["web"]["build"]["args"]
    for variable, official in (("PYTHON_BASE", "python"), ("NODE_BASE", "node")):
        match = VARIABLE.match(build[variable])
        assert match and match["name"] == variable
        pinned, name = _pinned(match["default"])
        assert pinned and name == official, match["default"]
    dev = _compose("compose.dev.yml")
    assert _pinned(VARIABLE.match(dev["mailpit"]["image"])["default"].replace(":v", ":"))[0]


def test_dockerfile_bases_are_build_arguments_with_the_compose_defaults():
    text = (REPO / "Dockerfile").read_text()
    args = dict(re.findall(r"^ARG (PYTHON_BASE|NODE_BASE)=(\S+)$", text, re.MULTILINE))
    build = _compose()["web"]["build"]["args"]
    assert args["PYTHON_BASE"].startswith("python:3.11.")
    assert args["PYTHON_BASE"].endswith("-slim-bookworm")
    for variable in ("PYTHON_BASE", "NODE_BASE"):
        assert VARIABLE.match(build[variable])["default"] == args[variable]
    froms = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert froms and all(base in {"${PYTHON_BASE}", "${NODE_BASE}"} for base in froms), froms
    # The offline build: only the wheelhouse, and every file still checked against the lock.
    assert "--no-index --find-links /wheels" in text
    assert text.count("--require-hashes") == 1
    assert "npm ci" in text and "--offline --cache /offline/npm-cache" in text


def test_tests_and_the_bench_and_load_tooling_stay_out_of_the_image():
    ignored = {
        line.strip()
        for line in (REPO / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    assert {"tests", "perf", ".env", "certs"} <= ignored
    text = (REPO / "Dockerfile").read_text()
    assert not re.search(r"^COPY\b.*\b(tests|perf|bench|loadgen)\b", text, re.MULTILINE)
    # offline/ (wheels, npm cache) is in the build context but left out of /app.
    assert "COPY --from=source /src /app" in text
    assert "rm -rf /src/offline" in text


def test_beat_runs_once_and_web_never_migrates():
    services = _compose()
    assert "replicas" not in str(services["beat"].get("deploy", {}))
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "beat"):
        assert "migrate" not in " ".join(services[name].get("command", []) or [])
        assert services[name]["depends_on"]["migrate"]["condition"] == (
            "service_completed_successfully"
        )
    entrypoint = (REPO / "docker" / "entrypoint.sh").read_text()
    assert "manage.py migrate" not in entrypoint
