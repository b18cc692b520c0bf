"""The wheel installs and works where no Rust is, on every CPython from 3.9 on
that pyenv holds here; the sdist builds from source where Rust is."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run, venv

PYENV = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
# The shared cases, values, errors, lists, async and every resource: what a
# user touches first, and nothing that needs pandas or pyarrow. One list, which
# release/qemu.py and the release workflow run too.
SUBSET = (ROOT / "tests" / "dist" / "subset.txt").read_text().split()


def interpreters() -> list[Path]:
    """Every CPython from 3.9 on, oldest first: pyenv's, else `python3.X` on
    PATH (where CI installs several), else this one."""
    found: dict[int, Path] = {}
    for version in PYENV.glob("3.*"):
        minor = int(version.name.split(".")[1])
        if minor >= 9 and (version / "bin" / "python3").exists():
            found.setdefault(minor, version / "bin" / "python3")
    for minor in range(9, 20):
        on_path = shutil.which(f"python3.{minor}")
        if on_path and minor not in found:
            found[minor] = Path(on_path)
    return [found[minor] for minor in sorted(found)] or [Path(sys.executable)]


def quickstart_and_subset(python: Path, env: dict[str, str], tmp: Path) -> None:
    """The installed package (not this checkout's sources) runs the quickstart
    and the subset."""
    where = run([python, "-c", "import pigello; print(pigello.__file__)"], env, cwd=tmp)
    assert where.startswith(str(python.parent.parent)), where
    out = run([python, ROOT / "examples" / "python" / "quickstart.py"], env, cwd=tmp)
    assert "refused before sending:" in out
    out = run([python, "-m", "pytest", "-q", *SUBSET], env)
    assert " passed" in out and "failed" not in out, out[-500:]


@pytest.mark.parametrize("python", interpreters(), ids=lambda path: path.parent.parent.name)
def test_the_wheel_installs_and_runs_without_rust(
    python: Path, wheel: Path, without_rust: dict[str, str], tmp_path: Path
) -> None:
    installed = venv(python, tmp_path / "venv", without_rust)
    run(
        [installed, "-m", "pip", "install", "--quiet", "--only-binary", ":all:", wheel, "pytest"],
        without_rust,
    )
    quickstart_and_subset(installed, without_rust, tmp_path)


def test_the_sdist_builds_from_source_and_runs(
    sdist: Path, without_rust: dict[str, str], tmp_path: Path
) -> None:
    # Rust is on PATH here: building from source is what this tests. It is a
    # dev build in the checkout's target directory, so it reuses what
    # `make test` compiled instead of compiling everything again for release.
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    env["CARGO_TARGET_DIR"] = str(ROOT / "target")
    env["MATURIN_PEP517_ARGS"] = "--profile dev"
    installed = venv(Path(sys.executable), tmp_path / "venv", env)
    run([installed, "-m", "pip", "install", "--quiet", sdist, "pytest"], env)
    quickstart_and_subset(installed, without_rust, tmp_path)


def test_the_pytest_plugin_is_there_in_a_fresh_environment(
    wheel: Path, without_rust: dict[str, str], tmp_path: Path
) -> None:
    """Only pigello and pytest installed: the fixtures are there with no
    `pytest_plugins` line, next to `-p pigello.testing`, and its import loads
    nothing heavy (the plugin's tests that need pytest-asyncio, anyio or
    pytest-xdist are skipped here)."""
    installed = venv(Path(sys.executable), tmp_path / "venv", without_rust)
    run(
        [installed, "-m", "pip", "install", "--quiet", "--only-binary", ":all:", wheel, "pytest"],
        without_rust,
    )
    listed = run([installed, "-m", "pip", "list", "--format=freeze"], without_rust)
    names = {line.split("==")[0].lower() for line in listed.splitlines()}
    assert {"pandas", "pyarrow", "pytest-asyncio", "anyio"}.isdisjoint(names), names
    out = run(
        [installed, "-m", "pytest", "-q", "-rs", "tests/python/test_pytest_plugin.py"], without_rust
    )
    assert " passed" in out and "failed" not in out, out[-1500:]
    assert "pytest-asyncio and anyio are not installed" in out, out[-1500:]
