"""The README's Install section, run as written from a new project folder:
the commands for a clone (on this checkout) and those for the packages of
`make dist` (on the ones `make test-dist` built), each followed by the
quickstarts. Only the commands for after the first release are not run: no
registry has the packages yet, which the section says."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

from conftest import ROOT, run, venv

CLONE = "/path/to/pigello"

# What the section says before each of its command blocks, in order.
FROM_A_CLONE = "From a clone"
FROM_THE_PACKAGES = "From the packages `make dist` writes"
AFTER_THE_RELEASE = "After the first release"


def install_blocks() -> dict[str, str]:
    """The shell blocks of the README's Install section, by the sentence that
    leads into each."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    # Text and code alternate: the paragraph right before a block leads into it.
    parts = re.split(r"```sh\n(.*?)```", section, flags=re.DOTALL)
    blocks: dict[str, str] = {}
    for text, code in zip(parts[0::2], parts[1::2]):
        blocks[text.strip().split("\n\n")[-1]] = code
    return blocks


def block(lead: str) -> str:
    found = [code for said, code in install_blocks().items() if said.startswith(lead)]
    assert len(found) == 1, f"the Install section has no block after {lead!r}"
    return found[0]


def test_the_section_has_these_three_blocks_and_no_other() -> None:
    # A block added to the section is a block this file must run.
    leads = list(install_blocks())
    assert len(leads) == 3, leads
    for lead, expected in zip(leads, (FROM_A_CLONE, FROM_THE_PACKAGES, AFTER_THE_RELEASE)):
        assert lead.startswith(expected), (lead, expected)
    assert block(AFTER_THE_RELEASE).split() == [
        *("pip", "install", "pigello", "#", "extras:", "pigello[pandas],"),
        *("pigello[polars],", "pigello[dask]"),
        *("npm", "install", "pigello", "#", "the", "addon", "for", "your", "platform"),
        *("comes", "as", "an", "optional", "dependency"),
    ]


def new_project(where: Path, env: dict[str, str]) -> tuple[Path, dict[str, str]]:
    """A folder with a package.json, as a user's project has, and a fresh
    virtual environment first on PATH (so the README's `pip` is its pip)."""
    where.mkdir()
    (where / "package.json").write_text('{"name": "app", "version": "1.0.0", "private": true}\n')
    python = venv(Path(sys.executable), where / ".venv", env)
    env = {**env, "PATH": f"{python.parent}{os.pathsep}{env['PATH']}"}
    return where, env


def run_as_written(commands: str, project: Path, env: dict[str, str]) -> None:
    run(["bash", "-euo", "pipefail", "-c", commands], env, project)


def quickstarts_run(project: Path, env: dict[str, str]) -> None:
    """Both quickstarts, copied into the project, find the installed packages
    (not this checkout's sources); `require` works too."""
    python = project / ".venv" / "bin" / "python"
    where = run([python, "-c", "import pigello; print(pigello.__file__)"], env, project)
    assert where.startswith(str(project / ".venv")), where
    shutil.copy(ROOT / "examples" / "python" / "quickstart.py", project)
    assert "refused before sending:\n  ssn: " in run([python, "quickstart.py"], env, project)

    shutil.copy(ROOT / "examples" / "node" / "quickstart.mjs", project)
    assert "refused before sending:\n  ssn: " in run(["node", "quickstart.mjs"], env, project)
    typeof = "const p = require('pigello'); console.log(typeof p.Client, typeof p.Sandbox)"
    assert run(["node", "-e", typeof], env, project).strip() == "function function"


def test_from_a_clone(tmp_path: Path) -> None:
    commands = block(FROM_A_CLONE)
    assert CLONE in commands
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PIGELLO_", "VIRTUAL_ENV"))
    }
    # The commands build release code; here they build with the settings of
    # cargo's dev profile into the checkout's target directory, so that pip's
    # build reuses what `make test` compiled (as the sdist's test does) and
    # `npm run build` does not spend minutes optimising. The commands are
    # still the README's, letter for letter.
    env["CARGO_TARGET_DIR"] = os.environ.get("CARGO_TARGET_DIR", str(ROOT / "target"))
    env["MATURIN_PEP517_ARGS"] = "--profile dev"
    env |= {
        "CARGO_PROFILE_RELEASE_OPT_LEVEL": "0",
        "CARGO_PROFILE_RELEASE_DEBUG": "false",
        "CARGO_PROFILE_RELEASE_CODEGEN_UNITS": "256",
        "CARGO_PROFILE_RELEASE_INCREMENTAL": "false",
    }
    project, env = new_project(tmp_path / "app", env)
    run_as_written(commands.replace(CLONE, str(ROOT)), project, env)
    assert (project / "node_modules" / "pigello").resolve() == ROOT
    quickstarts_run(project, env)


def test_from_the_packages_make_dist_writes(
    dist: Path, without_rust: dict[str, str], tmp_path: Path
) -> None:
    commands = block(FROM_THE_PACKAGES)
    named = re.findall(rf"{CLONE}/dist/(\S+)", commands)
    assert len(named) == 3, named  # the wheel, the npm main package and its Linux addon
    for name in named:
        assert (dist / name).is_file(), f"the README names {name}, which is not in {dist}"
    project, env = new_project(tmp_path / "app", without_rust)
    run_as_written(commands.replace(f"{CLONE}/dist", str(dist)), project, env)
    assert not (project / "node_modules" / "pigello").is_symlink()
    quickstarts_run(project, env)
