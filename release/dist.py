"""`make dist`: every artifact of a release, built into dist/ on this machine.

    python release/dist.py [--out dist] [--targets TRIPLE,...]

- dist/python: one abi3 wheel (CPython 3.9+) per Linux target, cross-built
  with maturin's `--zig` for the oldest C library its tag promises, and the
  sdist;
- dist/node: the main npm package and one package per Linux target, the
  napi-rs layout (npm/<platform>/), each addon cross-built with
  `napi build --cross-compile` (cargo-zigbuild) against the same C library.

The macOS and Windows artifacts come from the release workflow
(.github/workflows/release.yml), on machines of those systems. Every artifact
is checked (release/artifacts.py) before this ends: its tag, its machine, the
newest glibc symbol it needs and the entry point it exports.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import artifacts

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    triple: str
    # The napi-rs platform name: the npm/<platform> folder and package suffix.
    platform: str
    # maturin's --compatibility: the wheel's platform tag.
    wheel_tag: str
    # What cargo-zigbuild links against: `.2.17` pins glibc 2.17, which
    # manylinux2014 promises; musl is linked statically into the library.
    zig_target: str


LINUX = [
    Target(
        "x86_64-unknown-linux-gnu",
        "linux-x64-gnu",
        "manylinux2014",
        "x86_64-unknown-linux-gnu.2.17",
    ),
    Target(
        "aarch64-unknown-linux-gnu",
        "linux-arm64-gnu",
        "manylinux2014",
        "aarch64-unknown-linux-gnu.2.17",
    ),
    Target(
        "x86_64-unknown-linux-musl", "linux-x64-musl", "musllinux_1_2", "x86_64-unknown-linux-musl"
    ),
]


def run(*command: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    """Shows the command, then runs it; a failure ends the build."""
    print("+", " ".join(str(part) for part in command), flush=True)
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def tool(name: str) -> str:
    """A tool of the environment this runs in (the venv's maturin), else PATH's."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def build_wheel(target: Target, profile: str, out: Path) -> None:
    run(
        tool("maturin"),
        "build",
        "--quiet",
        "--profile",
        profile,
        "--zig",
        "--target",
        target.triple,
        "--compatibility",
        target.wheel_tag,
        "--out",
        out,
    )


def build_sdist(out: Path) -> None:
    run(tool("maturin"), "sdist", "--out", out)


def build_addon_package(target: Target, profile: str, out: Path) -> None:
    """npm/<platform> with the addon built for it (`profile`: release or dev),
    packed into `out`."""
    with tempfile.TemporaryDirectory() as tmp:
        staging = Path(tmp) / target.platform
        shutil.copytree(ROOT / "npm" / target.platform, staging)
        run(
            "npx",
            "napi",
            "build",
            "--platform",
            # napi looks for a `--profile dev` build under dev/, where cargo
            # puts it under debug/: its own flag for each of the two.
            *(["--release"] if profile == "release" else []),
            "--no-js",
            "--cross-compile",
            "--target",
            target.zig_target,
            "--manifest-path",
            "bindings-node/Cargo.toml",
            "--output-dir",
            staging,
        )
        # napi names the file after the triple it was given; the package
        # expects the platform's name, whatever pin the build used.
        built = list(staging.glob("*.node"))
        if len(built) != 1:
            raise SystemExit(f"expected one addon in {staging}, found {built}")
        manifest = json.loads((staging / "package.json").read_text())
        built[0].rename(staging / manifest["main"])
        run("npm", "pack", "--silent", "--pack-destination", out, cwd=staging)


def build_main_package(out: Path) -> None:
    run("npm", "pack", "--silent", "--pack-destination", out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument(
        "--profile",
        default="release",
        choices=["release", "dev"],
        help="cargo's profile; `make test-dist` builds `dev` ones, quicker to build",
    )
    parser.add_argument(
        "--targets",
        default=",".join(target.triple for target in LINUX),
        help="the Linux targets to build, comma-separated (default: all of them)",
    )
    args = parser.parse_args()
    wanted = args.targets.split(",")
    unknown = set(wanted) - {target.triple for target in LINUX}
    if unknown:
        raise SystemExit(f"no such target here: {', '.join(sorted(unknown))}")
    targets = [target for target in LINUX if target.triple in wanted]

    out: Path = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    python, node = out / "python", out / "node"
    python.mkdir(parents=True)
    node.mkdir(parents=True)
    # cargo-zigbuild and maturin find zig as `python -m ziglang`: this venv's.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    started = time.monotonic()
    for target in targets:
        build_wheel(target, args.profile, python)
        build_addon_package(target, args.profile, node)
    build_sdist(python)
    build_main_package(node)

    print(f"\nbuilt in {time.monotonic() - started:.0f} s:")
    for line in artifacts.check_all(out):
        print(" ", line)


if __name__ == "__main__":
    main()
