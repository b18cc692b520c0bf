"""Each artifact is what its name says (release/artifacts.py), the checks catch
one that is not, and `make release-check` catches a version that differs."""

from __future__ import annotations

import json
import shutil
import tarfile
import zipfile
from pathlib import Path

import artifacts
import check
import pytest
from conftest import ROOT


def test_every_artifact_is_what_its_name_says(dist: Path) -> None:
    lines = artifacts.check_all(dist)
    kinds = {line.split("  ")[0].split("/")[0] for line in lines}
    assert kinds == {"python", "node"}
    assert any(
        "manylinux_2_17_x86_64" in line and "glibc symbols up to 2.1" in line for line in lines
    )
    assert any(line.startswith("node/pigello-linux-x64-gnu-") for line in lines)


def test_a_wheel_claiming_an_older_glibc_than_it_needs_is_caught(
    wheel: Path, tmp_path: Path
) -> None:
    claimed = tmp_path / wheel.name.replace("manylinux_2_17_x86_64", "manylinux_2_5_x86_64")
    shutil.copy(wheel, claimed)
    with pytest.raises(artifacts.ArtifactError, match=r"needs glibc 2\.\d+, newer than 2\.5"):
        artifacts.check_wheel(claimed)


def test_an_addon_package_for_the_wrong_machine_is_caught(
    npm_linux_x64_gnu: Path, tmp_path: Path
) -> None:
    with tarfile.open(npm_linux_x64_gnu) as tgz:
        tgz.extractall(tmp_path, filter="data")
    manifest = tmp_path / "package" / "package.json"
    manifest.write_text(manifest.read_text().replace('"x64"', '"arm64"'))
    wrong = tmp_path / "wrong.tgz"
    with tarfile.open(wrong, "w:gz") as tgz:
        tgz.add(tmp_path / "package", arcname="package")
    with pytest.raises(artifacts.ArtifactError, match="not aarch64"):
        artifacts.check_npm(wrong)


def test_the_wheel_holds_one_library_and_the_typing_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert [n for n in names if n.endswith(".so")] == ["pigello/_native.abi3.so"]
    assert {"pigello/py.typed", "pigello/_native.pyi", "pigello/types.py"} <= set(names)


def release_tree(tmp_path: Path) -> Path:
    """The files `make release-check` reads, copied."""
    for name in ("Cargo.toml", "Cargo.lock", "package.json", "CHANGELOG.md"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "npm", tmp_path / "npm")
    return tmp_path


def test_release_check_passes_here_and_on_the_artifacts(dist: Path) -> None:
    assert check.problems(ROOT, dist) == []


def test_release_check_names_every_place_a_version_differs(tmp_path: Path) -> None:
    root = release_tree(tmp_path)
    version = check.workspace_version(root)
    musl = root / "npm" / "linux-x64-musl" / "package.json"
    musl.write_text(musl.read_text().replace(f'"version": "{version}"', '"version": "9.9.9"'))
    main = json.loads((root / "package.json").read_text())
    main["optionalDependencies"]["pigello-darwin-arm64"] = "0.0.1"
    (root / "package.json").write_text(json.dumps(main))
    changelog = root / "CHANGELOG.md"
    changelog.write_text(changelog.read_text().replace(f"## {version}", "## 0.0.0"))
    assert check.problems(root, None) == [
        f"version {version}: package.json optionalDependencies.pigello-darwin-arm64 says 0.0.1",
        f"version {version}: npm/linux-x64-musl/package.json says 9.9.9",
        f"version {version}: CHANGELOG.md has no '## {version}' entry",
    ]


def test_release_check_catches_a_platform_without_its_package(tmp_path: Path) -> None:
    root = release_tree(tmp_path)
    shutil.rmtree(root / "npm" / "win32-x64-msvc")
    found = check.problems(root, None)
    assert (
        len(found) == 2
        and "optionalDependencies" in found[0]
        and "6 napi targets for 5" in found[1]
    )
