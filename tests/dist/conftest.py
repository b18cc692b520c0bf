"""The artifacts under test (`make test-dist` builds them; `--dist-dir dist`
tests what `make dist` built) and an environment where no Rust is."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "release"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--dist-dir", default=str(ROOT / "dist"), help="the artifacts to test")


@pytest.fixture(scope="session")
def dist(request: pytest.FixtureRequest) -> Path:
    path = Path(request.config.getoption("--dist-dir")).resolve()
    assert path.is_dir(), f"{path} does not exist: run `make test-dist` or `make dist`"
    return path


def one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}, found {found}"
    return found[0]


@pytest.fixture(scope="session")
def wheel(dist: Path) -> Path:
    return one(dist, "python/pigello-*-cp39-abi3-*manylinux_2_17_x86_64*.whl")


@pytest.fixture(scope="session")
def sdist(dist: Path) -> Path:
    return one(dist, "python/pigello-*.tar.gz")


@pytest.fixture(scope="session")
def npm_main(dist: Path) -> Path:
    return one(dist, "node/pigello-[0-9]*.tgz")


@pytest.fixture(scope="session")
def npm_linux_x64_gnu(dist: Path) -> Path:
    return one(dist, "node/pigello-linux-x64-gnu-*.tgz")


@pytest.fixture(scope="session")
def without_rust() -> dict[str, str]:
    """This process's environment with no cargo or rustc on PATH, no Rust
    variables, and no PIGELLO_* credentials (the examples use the sandbox)."""
    folders = [
        folder
        for folder in os.environ["PATH"].split(os.pathsep)
        if not any((Path(folder) / tool).exists() for tool in ("cargo", "rustc", "rustup"))
    ]
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("CARGO", "RUSTUP", "RUSTC", "RUST_", "PIGELLO_", "VIRTUAL_ENV"))
    }
    env["PATH"] = os.pathsep.join(folders)
    for tool in ("cargo", "rustc", "rustup"):
        assert shutil.which(tool, path=env["PATH"]) is None
    return env


def run(command: list[str | Path], env: dict[str, str], cwd: Path = ROOT) -> str:
    """Runs a command to its end; its stdout, or a failure showing its output."""
    done = subprocess.run(
        [str(part) for part in command],
        check=False,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, (
        f"{command[:3]} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )
    return done.stdout


def venv(python: Path, where: Path, env: dict[str, str]) -> Path:
    """A new virtual environment of this interpreter; its python."""
    run([python, "-m", "venv", where], env)
    return where / "bin" / "python"
