"""`make dist-qemu`: the aarch64 artifacts of dist/ run under qemu-user.

    python release/qemu.py [dist]

Debian's arm64 Python 3.11 and Node 18 are unpacked into target/arm64-root
(debootstrap's first stage, then the packages it fetched, unpacked as they
are: nothing is configured, and nothing runs as root there), and
qemu-aarch64-static runs them against that tree:

- the manylinux2014_aarch64 wheel, unpacked onto PYTHONPATH: the Python
  quickstart and the test subset tests/dist runs on every CPython;
- pigello-linux-arm64-gnu with the main package, installed into a new
  project: the Node quickstart, through `import`.

The musl artifacts are checked from their bytes only (release/artifacts.py):
Debian has no musl Python or Node to run them with.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from dist import ROOT, run

TREE = ROOT / "target" / "arm64-root"
SUBSET = (ROOT / "tests" / "dist" / "subset.txt").read_text().split()
CLEAN_ENV = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home())}


def debian_tree() -> None:
    if (TREE / "usr" / "bin" / "node").exists():
        return
    shutil.rmtree(TREE, ignore_errors=True)
    run(
        "debootstrap", "--arch=arm64", "--foreign", "--variant=minbase",
        "--include=python3,nodejs", "bookworm", TREE, "http://deb.debian.org/debian",
    )  # fmt: skip
    for package in sorted((TREE / "var" / "cache" / "apt" / "archives").glob("*.deb")):
        subprocess.run(["dpkg", "-x", package, TREE], check=True)


def emulated(program: str) -> list[str | Path]:
    return ["qemu-aarch64-static", "-L", TREE, TREE / "usr" / "bin" / program]


def python(dist: Path, tmp: Path) -> None:
    wheel = next(dist.glob("python/*manylinux_2_17_aarch64*.whl"))
    site = tmp / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # pytest is pure Python: the host's pip puts it where the emulated one looks.
    run(sys.executable, "-m", "pip", "install", "--quiet", "--target", site, "pytest")
    env = {**CLEAN_ENV, "PYTHONPATH": str(site)}
    run(*emulated("python3.11"), ROOT / "examples" / "python" / "quickstart.py", env=env)
    run(*emulated("python3.11"), "-m", "pytest", "-q", *SUBSET, env=env)


def node(dist: Path, tmp: Path) -> None:
    app = tmp / "app"
    app.mkdir()
    (app / "package.json").write_text('{"name": "consumer", "version": "1.0.0", "private": true}')
    packages = [
        next(dist.glob("node/pigello-[0-9]*.tgz")),
        next(dist.glob("node/pigello-linux-arm64-gnu-*.tgz")),
    ]
    # --force: npm on this x64 machine would refuse an arm64 package.
    npm = ["npm", "install", "--offline", "--force", "--no-audit", "--no-fund", "--loglevel=error"]
    run(*npm, *packages, cwd=app)
    shutil.copy(ROOT / "examples" / "node" / "quickstart.mjs", app)
    run(*emulated("node"), "quickstart.mjs", cwd=app, env=CLEAN_ENV)


def main() -> None:
    dist = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist").resolve()
    debian_tree()
    with tempfile.TemporaryDirectory() as tmp:
        python(dist, Path(tmp))
        node(dist, Path(tmp))
    print("the aarch64 wheel and addon ran under qemu-user")


if __name__ == "__main__":
    main()
