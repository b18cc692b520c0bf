"""The npm packages install into a new project where no Rust is and work
through `require`, `import` and TypeScript (`tsc --strict` under the node16
and bundler resolutions). When the addon is missing or cannot load, the error
says which platform this is and what to do."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, run

TSC = ROOT / "node_modules" / "typescript" / "bin" / "tsc"

CJS = """\
const { Sandbox, ValidationError, version } = require('pigello');
(async () => {
  const sandbox = await Sandbox.start({ seed: 1, tenants: 12 });
  try {
    const page = await sandbox.client().tenants.list({ pageSize: 5 });
    console.log(`pigello ${version}: ${page.data.length} tenants, ${typeof ValidationError}`);
  } finally {
    await sandbox.stop();
  }
})();
"""

TS = """\
import { Sandbox, ValidationError, type Tenant } from 'pigello';

async function main(): Promise<void> {
  const sandbox = await Sandbox.start({ seed: 1, tenants: 12 });
  try {
    const client = sandbox.client();
    const page = await client.tenants.list({ pageSize: 3 });
    const first: Tenant = await client.tenants.get(page.data[0].id);
    try {
      await client.protectedIdentities.create({ tenant: first.id, ssn: '19811218-9875' });
    } catch (error) {
      if (error instanceof ValidationError) console.log(`typed: refused ${error.errors.length}`);
    }
  } finally {
    await sandbox.stop();
  }
}

void main();
"""


def version() -> str:
    """The version the packages carry (package.json's, which release-check ties to Cargo's)."""
    return str(json.loads((ROOT / "package.json").read_text())["version"])


def project(where: Path, tarballs: list[Path], env: dict[str, str]) -> Path:
    """A new npm project with these packages installed, as a user installs them."""
    where.mkdir()
    (where / "package.json").write_text(
        json.dumps({"name": "consumer", "version": "1.0.0", "private": True})
    )
    # Offline: the tarballs are all there is to install, and the other
    # platforms' packages, optional, are skipped without asking the registry.
    run(
        ["npm", "install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", *tarballs],
        env,
        where,
    )
    return where


@pytest.fixture(scope="module")
def installed(
    tmp_path_factory: pytest.TempPathFactory,
    npm_main: Path,
    npm_linux_x64_gnu: Path,
    without_rust: dict[str, str],
) -> Path:
    return project(
        tmp_path_factory.mktemp("npm") / "app", [npm_main, npm_linux_x64_gnu], without_rust
    )


def test_the_addon_comes_from_its_platform_package(
    installed: Path, without_rust: dict[str, str]
) -> None:
    where = run(["node", "-p", "require.resolve('pigello-linux-x64-gnu')"], without_rust, installed)
    assert where.strip() == str(
        installed / "node_modules" / "pigello-linux-x64-gnu" / "pigello.linux-x64-gnu.node"
    )
    shipped = {path.name for path in (installed / "node_modules" / "pigello").rglob("*.node")}
    assert shipped == set(), "the main package carries no addon"


def test_the_quickstart_runs_through_import(installed: Path, without_rust: dict[str, str]) -> None:
    shutil.copy(ROOT / "examples" / "node" / "quickstart.mjs", installed)
    out = run(["node", "quickstart.mjs"], without_rust, installed)
    assert "refused before sending:\n  ssn: " in out
    assert " companies, fetched 10 a page" in out


def test_require_works(installed: Path, without_rust: dict[str, str]) -> None:
    (installed / "app.cjs").write_text(CJS)
    assert run(["node", "app.cjs"], without_rust, installed).strip() == (
        f"pigello {version()}: 5 tenants, function"
    )


@pytest.mark.parametrize(
    "options",
    [
        {"module": "node16", "moduleResolution": "node16", "outDir": "out"},
        {"module": "esnext", "moduleResolution": "bundler", "noEmit": True},
    ],
    ids=["node16", "bundler"],
)
def test_a_typescript_consumer_compiles_strict(
    installed: Path, without_rust: dict[str, str], options: dict[str, object]
) -> None:
    name = f"{options['moduleResolution']}"
    (installed / f"{name}.ts").write_text(TS)
    config = {
        "compilerOptions": {
            "strict": True,
            "target": "ES2022",
            "skipLibCheck": False,
            "types": ["node"],
            "typeRoots": [str(ROOT / "node_modules" / "@types")],
            **options,
        },
        "files": [f"{name}.ts"],
    }
    (installed / f"tsconfig.{name}.json").write_text(json.dumps(config))
    run(["node", TSC, "-p", f"tsconfig.{name}.json"], without_rust, installed)
    if not options.get("noEmit"):
        assert (
            run(["node", f"out/{name}.js"], without_rust, installed).strip() == "typed: refused 1"
        )


@pytest.fixture(scope="module")
def main_only(
    tmp_path_factory: pytest.TempPathFactory, npm_main: Path, without_rust: dict[str, str]
) -> Path:
    """A project with the main package and no platform package."""
    return project(tmp_path_factory.mktemp("npm") / "app", [npm_main], without_rust)


def failed_require(app: Path, env: dict[str, str], before: str = "") -> str:
    """What `require('pigello')` prints as it fails, after running `before`."""
    done = subprocess.run(
        ["node", "-e", f"{before}require('pigello')"],
        check=False,
        cwd=app,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0, done.stdout
    assert "Cannot find native binding" not in done.stderr
    return done.stderr


def test_without_its_platform_package_the_error_says_what_to_do(
    main_only: Path, without_rust: dict[str, str]
) -> None:
    stderr = failed_require(main_only, without_rust)
    assert f"pigello {version()} has a prebuilt addon for linux-x64-gnu" in stderr
    assert "but pigello-linux-x64-gnu is not installed" in stderr
    assert "--omit=optional" in stderr and "package-lock.json" in stderr
    assert f"npm install pigello-linux-x64-gnu@{version()}" in stderr


def test_a_platform_without_a_package_is_named_with_the_ones_there_are(
    main_only: Path, without_rust: dict[str, str]
) -> None:
    stderr = failed_require(
        main_only, without_rust, "Object.defineProperty(process, 'arch', { value: 'riscv64' });"
    )
    assert f"pigello {version()} has no prebuilt addon for linux-riscv64-gnu" in stderr
    assert (
        "(there are: darwin-arm64, darwin-x64, linux-arm64-gnu, linux-x64-gnu, linux-x64-musl, "
        "win32-x64-msvc)" in stderr
    )
    assert "Build it from source with a Rust toolchain" in stderr


def test_an_addon_that_cannot_load_keeps_the_loaders_reason(
    tmp_path: Path, main_only: Path, without_rust: dict[str, str]
) -> None:
    # A platform package whose addon the loader refuses, as one built for a
    # newer glibc would be; found through NODE_PATH so the project is unchanged.
    broken = tmp_path / "pigello-linux-x64-gnu"
    broken.mkdir()
    (broken / "package.json").write_text(
        json.dumps({"name": broken.name, "version": version(), "main": "pigello.node"})
    )
    (broken / "pigello.node").write_bytes(b"not an ELF file, " * 64)
    stderr = failed_require(main_only, {**without_rust, "NODE_PATH": str(tmp_path)})
    assert "pigello-linux-x64-gnu is installed but its addon could not be loaded: " in stderr
    assert "pigello.node: invalid ELF header" in stderr
