"""What the pytest plugin adds to a pytest run where pigello is installed.

Each measure is a median over fresh pytest runs of a one-test project that uses
none of the fixtures:

- the time the run spends importing `pigello.testing` (the package, its
  native module and the plugin), read from `-X importtime` inside the run,
  with bytecode cached as users run pytest (pytest rewrites the asserts of a
  plugin's package once and keeps the result in `__pycache__`; with
  `PYTHONDONTWRITEBYTECODE=1` and no cache it would rewrite them every run);
- the whole run's wall time, alternately with the plugin and without it
  (`-p no:pigello.testing`): what a user waits, though a pytest run varies by
  more than the plugin costs.

    python bench/python/pytest_plugin_cost.py [--runs 31]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PYTEST = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]


def wall_time(project: Path, env: dict[str, str], *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([*PYTEST, *extra], cwd=project, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def import_time(project: Path, env: dict[str, str]) -> float:
    """Seconds the run spent importing pigello's modules: the top-level
    entries of `-X importtime` (each counts what it imported in turn)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *PYTEST[1:]],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    micros = 0
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            _, cumulative, name = line.split("|")
            if name.startswith(" pigello"):  # one space: imported by pytest itself
                micros += int(cumulative)
    assert micros, "pigello was not imported: is the plugin installed?"
    return micros / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    runs = parser.parse_args().runs
    cached = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "pytest.ini").write_text("[pytest]\n")
        (project / "test_one.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
        wall_time(project, cached)  # writes the rewritten modules' cache, as a first run does
        imports = [import_time(project, cached) for _ in range(runs)]
        with_plugin, without = [], []
        for _ in range(runs):
            with_plugin.append(wall_time(project, cached))
            without.append(wall_time(project, cached, "-p", "no:pigello.testing"))
    print(
        f"importing the plugin in a pytest run, median of {runs}: "
        f"{statistics.median(imports) * 1000:.1f} ms"
    )
    a, b = statistics.median(with_plugin), statistics.median(without)
    print(
        f"a pytest run, median of {runs}: with the plugin {a * 1000:.1f} ms, "
        f"without {b * 1000:.1f} ms, difference {(a - b) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
