"""`make release-check`: one version everywhere, and a changelog entry for it.

    python release/check.py [--root .] [--dist dist]

The version is Cargo.toml's `[workspace.package] version`; every crate takes
it from there and the wheel from the crate. This fails, naming each place,
when package.json, an npm/<platform>/package.json, the main package's
optionalDependencies, Cargo.lock's own crates or an artifact in dist/ says
another version, when package.json's napi targets and npm/ disagree, or when
CHANGELOG.md has no `## <version>` heading.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tarfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import artifacts

OWN_CRATES = ("pigello", "pigello-sandbox", "pigello-python", "pigello-node")


def workspace_version(root: Path) -> str:
    cargo = (root / "Cargo.toml").read_text()
    found = re.search(r'\[workspace\.package\][^\[]*?\nversion = "([^"]+)"', cargo)
    if found is None:
        raise SystemExit("Cargo.toml has no [workspace.package] version")
    return found.group(1)


def lock_versions(root: Path) -> dict[str, str]:
    lock = (root / "Cargo.lock").read_text()
    pairs = re.findall(r'\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"', lock)
    return {name: ver for name, ver in pairs if name in OWN_CRATES}


def npm_versions(root: Path) -> dict[str, str]:
    """Every version the npm packages state, by where it is stated."""
    main = json.loads((root / "package.json").read_text())
    found = {"package.json": main["version"]}
    for dep, ver in main.get("optionalDependencies", {}).items():
        found[f"package.json optionalDependencies.{dep}"] = ver
    for manifest in sorted((root / "npm").glob("*/package.json")):
        found[str(manifest.relative_to(root))] = json.loads(manifest.read_text())["version"]
    return found


def platform_mismatch(root: Path) -> list[str]:
    """The platform packages, the napi targets and the optional dependencies
    name the same platforms."""
    main = json.loads((root / "package.json").read_text())
    folders = {path.parent.name for path in (root / "npm").glob("*/package.json")}
    optional = {
        dep.removeprefix(f"{main['name']}-") for dep in main.get("optionalDependencies", {})
    }
    problems = []
    if folders != optional:
        problems.append(f"npm/ holds {sorted(folders)}, optionalDependencies {sorted(optional)}")
    if len(main["napi"]["targets"]) != len(folders):
        problems.append(f"{len(main['napi']['targets'])} napi targets for {len(folders)} packages")
    for folder in folders:
        manifest = json.loads((root / "npm" / folder / "package.json").read_text())
        if manifest["name"] != f"{main['name']}-{folder}":
            problems.append(f"npm/{folder}/package.json is named {manifest['name']}")
    return problems


def dist_versions(dist: Path) -> dict[str, str]:
    found = {}
    for path in sorted(dist.rglob("*")):
        if path.name.endswith(".whl"):
            found[path.name] = path.name.split("-")[1]
        elif path.name.endswith(".tar.gz"):
            with tarfile.open(path) as sdist:
                info = next(m for m in sdist.getmembers() if m.name.endswith("/PKG-INFO"))
                text = sdist.extractfile(info).read().decode()  # type: ignore[union-attr]
            found[path.name] = re.search(r"^Version: (.+)$", text, re.MULTILINE).group(1)  # type: ignore[union-attr]
        elif path.name.endswith(".tgz"):
            manifest, _ = artifacts.read_npm(path)
            found[path.name] = str(manifest["version"])
    return found


def problems(root: Path, dist: Path | None) -> list[str]:
    version = workspace_version(root)
    stated = {f"Cargo.lock {name}": ver for name, ver in lock_versions(root).items()}
    stated |= npm_versions(root)
    if dist is not None and dist.is_dir():
        stated |= {f"dist: {name}": ver for name, ver in dist_versions(dist).items()}
    found = [f"{where} says {ver}" for where, ver in stated.items() if ver != version]
    found += platform_mismatch(root)
    changelog = (root / "CHANGELOG.md").read_text()
    if not re.search(rf"^## {re.escape(version)}\b", changelog, re.MULTILINE):
        found.append(f"CHANGELOG.md has no '## {version}' entry")
    return [f"version {version}: {problem}" for problem in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--dist", type=Path, default=None, help="also check these artifacts")
    args = parser.parse_args()
    found = problems(args.root, args.dist)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        raise SystemExit(1)
    print(f"release {workspace_version(args.root)}: one version everywhere, and a changelog entry")


if __name__ == "__main__":
    main()
