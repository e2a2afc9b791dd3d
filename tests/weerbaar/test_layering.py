"""Layers point down: the core (``weerbaar/``) imports no app and not the performance tools
(``perf/``). The apps register what the core shows or runs on their AppConfig (navigation,
search, demo data, the URLconfs to mount) or in files the core discovers
(``<app>/schedule.py``); tools that need every app live beside the apps.

What the core still imports of an app is listed in ``ALLOWED``, each with its reason. The
list only shrinks: an entry that no longer matches an import fails too, so it is removed
with the import it allowed."""

import ast
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "weerbaar"

# Calls that import the module named by their first argument.
LOADERS = {"import_module", "import_string", "include", "__import__"}

# (file under weerbaar/, module imported) -> why it is still there, and how it will go. Empty
# since the URLconf mounts what the apps' AppConfig.url_mounts give: add an entry only with
# its reason.
ALLOWED: dict[tuple[str, str], str] = {}


def app_packages():
    """Every top-level package beside the core that is a Django app (has apps.py)."""
    return {path.parent.name for path in ROOT.glob("*/apps.py") if path.parent.name != "weerbaar"}


def imports_in(source):
    """(line, module) for every import in ``source``: statements at any depth (also inside
    functions) and loader calls with a literal module name."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if name in LOADERS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def app_imports(apps):
    """{(file, module): [lines]} of the core's imports of ``apps``."""
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        for line, module in imports_in(path.read_text(encoding="utf-8")):
            if module.split(".")[0] in apps:
                found.setdefault((relative, module), []).append(line)
    return found


def test_every_app_and_the_performance_tools_are_checked():
    assert {"incidents", "veiligwonen", "otwb", "monitor", "api", "perf"} <= app_packages()


def test_the_core_imports_no_app_beyond_the_allow_list():
    found = app_imports(app_packages())
    unexpected = [
        f"{file}:{line} imports {module}"
        for (file, module), lines in sorted(found.items())
        if (file, module) not in ALLOWED
        for line in lines
    ]
    assert not unexpected, (
        "the core (weerbaar/) must not import an app; register on the app's AppConfig, "
        "or move the code to the app or to perf/:\n" + "\n".join(unexpected)
    )


def test_the_allow_list_has_no_stale_entries():
    found = app_imports(app_packages())
    stale = sorted(f"{file}: {module}" for file, module in ALLOWED if (file, module) not in found)
    assert not stale, "remove these entries from ALLOWED, their import is gone:\n" + "\n".join(
        stale
    )


def test_imports_inside_functions_and_loader_calls_are_found():
    source = """
import os
from weerbaar.models import User

def view():
    from incidents.models import Melding
    import otwb.tasks
    include("monitor.urls")
    importlib.import_module("api.schema")
    import_string("perf.bench.pages.SCENARIOS")
    import_module(f"{name}.demo")
"""
    found = [module for _line, module in imports_in(source)]
    assert found == [
        "os",
        "weerbaar.models",
        "incidents.models",
        "otwb.tasks",
        "monitor.urls",
        "api.schema",
        "perf.bench.pages.SCENARIOS",
    ]


def test_where_the_perf_package_is_its_commands_are():
    from django.conf import settings
    from django.core.management import get_commands

    assert "perf" in settings.INSTALLED_APPS
    assert get_commands()["bench"] == get_commands()["seed_load"] == "perf"


def test_without_the_perf_package_the_portal_starts_without_its_commands(tmp_path):
    """The production image leaves perf/ out: settings then leave the app out, and the
    portal starts without ``bench`` and ``seed_load``. A tree with everything but perf/."""
    for entry in ROOT.iterdir():
        if entry.name not in {"perf", ".git", ".venv", "node_modules", "var"}:
            (tmp_path / entry.name).symlink_to(entry)
    script = """
import sys
# The image has no editable install of the project; this machine's would map perf/.
sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in repr(f)]
import django
django.setup()
from django.conf import settings
from django.core.management import get_commands
from django.urls import reverse
commands = get_commands()
print("perf" in settings.INSTALLED_APPS, "bench" in commands, "seed_load" in commands,
      "seed_demo" in commands, len(settings.CELERY_BEAT_SCHEDULE),
      reverse("incidents:dashboard"), reverse("api:meldingen"))
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    perf, bench, seed_load, seed_demo, sweeps, dashboard, api = done.stdout.split()
    assert (perf, bench, seed_load, seed_demo) == ("False", "False", "False", "True")
    # The apps' schedules and URLconfs are found without perf too.
    assert int(sweeps) >= 15
    assert (dashboard, api) == ("/meldingen/triage/", "/api/v1/meldingen")
