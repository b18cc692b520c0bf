"""What each artifact in dist/ is, checked from its bytes: the platform tag a
wheel claims against the machine and C library its native library needs, and
the entry point each library exports.

    python release/artifacts.py [dist]

Prints one line per artifact (name, size, what was checked) and exits non-zero
at the first artifact that is not what its name says. `make dist` ends with it,
and tests/dist runs it on what CI builds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

# ELF e_machine, as readelf names it, per architecture word of a tag.
MACHINES = {"x86_64": "Advanced Micro Devices X86-64", "aarch64": "AArch64"}
NPM_ARCH = {"x64": "x86_64", "arm64": "aarch64"}
# The symbol each kind of library must export for its host to load it.
PYTHON_ENTRY = "PyInit__native"
NODE_ENTRY = "napi_register_module_v1"


class ArtifactError(Exception):
    pass


@dataclass(frozen=True)
class Library:
    """What readelf says of one shared library."""

    machine: str
    newest_glibc: tuple[int, int] | None
    exports: frozenset[str]
    needed: tuple[str, ...]

    @classmethod
    def read(cls, data: bytes) -> Library:
        with tempfile.NamedTemporaryFile(suffix=".so") as file:
            file.write(data)
            file.flush()
            header = readelf("--file-header", file.name)
            symbols = readelf("--dyn-syms", "--wide", file.name)
            dynamic = readelf("--dynamic", file.name)
        machine = re.search(r"Machine:\s+(.+)", header)
        if machine is None:
            raise ArtifactError("not an ELF library")
        versions = [
            (int(major), int(minor)) for major, minor in re.findall(r"@GLIBC_(\d+)\.(\d+)", symbols)
        ]
        exports = frozenset(
            fields[7].split("@")[0]
            for fields in (line.split() for line in symbols.splitlines())
            if len(fields) >= 8 and fields[0].endswith(":") and fields[6] != "UND"
        )
        return cls(
            machine=machine.group(1).strip(),
            newest_glibc=max(versions) if versions else None,
            exports=exports,
            needed=tuple(re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)),
        )

    def check(self, arch: str, libc: str, glibc_floor: tuple[int, int] | None, entry: str) -> str:
        """Raises unless this library runs where (arch, libc, floor) says."""
        if self.machine != MACHINES[arch]:
            raise ArtifactError(f"built for {self.machine}, not {arch}")
        if entry not in self.exports:
            raise ArtifactError(f"does not export {entry}")
        if libc == "glibc":
            assert glibc_floor is not None
            if self.newest_glibc is None or self.newest_glibc > glibc_floor:
                raise ArtifactError(
                    f"needs glibc {version(self.newest_glibc)}, newer than {version(glibc_floor)}"
                )
            return f"{arch}, glibc symbols up to {version(self.newest_glibc)}, exports {entry}"
        if self.newest_glibc is not None:
            raise ArtifactError(f"a musl library that needs glibc {version(self.newest_glibc)}")
        # musl's loader answers for libc.so itself; anything else (libgcc_s,
        # libstdc++) may be missing from a musl system.
        if [lib for lib in self.needed if not lib.startswith("libc.")]:
            raise ArtifactError(f"needs {self.needed}, which musl systems may lack")
        return f"{arch}, musl, needs only {', '.join(self.needed)}, exports {entry}"


def readelf(*args: str) -> str:
    return subprocess.run(["readelf", *args], capture_output=True, text=True, check=True).stdout


def version(pair: tuple[int, int] | None) -> str:
    return "none" if pair is None else f"{pair[0]}.{pair[1]}"


def check_wheel(path: Path) -> str:
    # pigello-0.1.0-cp39-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
    name, ver, python, abi, platforms = path.stem.split("-")
    if (python, abi) != ("cp39", "abi3"):
        raise ArtifactError(f"tagged {python}-{abi}, not cp39-abi3")
    tags = platforms.split(".")
    # The PEP 600 / 656 tag says which C library, how old, and which machine.
    pep600 = [re.fullmatch(r"(manylinux|musllinux)_(\d+)_(\d+)_(x86_64|aarch64)", t) for t in tags]
    matched = [m for m in pep600 if m is not None]
    if len(matched) != 1:
        raise ArtifactError(f"platform tags {tags}: expected one manylinux_X_Y or musllinux_X_Y")
    family, major, minor, arch = matched[0].groups()
    with zipfile.ZipFile(path) as wheel:
        libraries = [n for n in wheel.namelist() if n.endswith(".so")]
        if libraries != ["pigello/_native.abi3.so"]:
            raise ArtifactError(f"native libraries {libraries}")
        library = Library.read(wheel.read(libraries[0]))
        metadata = wheel.read(f"{name}-{ver}.dist-info/METADATA").decode()
    if f"\nVersion: {ver}\n" not in metadata:
        raise ArtifactError("METADATA's version differs from the file name's")
    libc = "glibc" if family == "manylinux" else "musl"
    floor = (int(major), int(minor)) if libc == "glibc" else None
    checked = library.check(arch, libc, floor, PYTHON_ENTRY)
    return f"{'.'.join(tags)}: {checked}{auditwheel(path, tags) if libc == 'glibc' else ''}"


def auditwheel(path: Path, tags: list[str]) -> str:
    """auditwheel's own verdict, where it is installed beside this Python. It
    reads a musllinux wheel only on a musl system: it looks the wheel's libc
    up among this system's libraries, so the checks above are all there is
    for those here."""
    tool = Path(sys.executable).parent / "auditwheel"
    if not tool.exists():
        return ""
    shown = subprocess.run([tool, "show", path], check=False, capture_output=True, text=True).stdout
    said = re.search(r'consistent with the\s+following platform tag:\s+"([^"]+)"', shown)
    if said is None or said.group(1) not in tags:
        raise ArtifactError(f"auditwheel show says: {' '.join(shown.split())}")
    return f"; auditwheel: {said.group(1)}"


def check_sdist(path: Path) -> str:
    stem = path.name.removesuffix(".tar.gz")
    with tarfile.open(path) as sdist:
        names = set(sdist.getnames())
        needed = {
            f"{stem}/pyproject.toml",
            f"{stem}/Cargo.toml",
            f"{stem}/Cargo.lock",
            f"{stem}/PKG-INFO",
            f"{stem}/core/Cargo.toml",
            f"{stem}/bindings-python/Cargo.toml",
        }
        if not needed <= names:
            raise ArtifactError(f"lacks {sorted(needed - names)}")
    return f"source, {len(names)} entries, the crates and Cargo.lock included"


def read_npm(path: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    with tarfile.open(path) as tgz:
        files = {
            member.name.removeprefix("package/"): tgz.extractfile(member).read()  # type: ignore[union-attr]
            for member in tgz.getmembers()
            if member.isfile()
        }
    return json.loads(files["package.json"]), files


def check_npm(path: Path) -> str:
    manifest, files = read_npm(path)
    addons = [name for name in files if name.endswith(".node")]
    if "os" not in manifest:  # the main package: JavaScript and types only
        if addons:
            raise ArtifactError(f"the main package carries addons {addons}")
        platforms = sorted(manifest.get("optionalDependencies", {}))  # type: ignore[arg-type]
        return f"main package, {len(files)} files, optional: {', '.join(platforms)}"
    if addons != [manifest["main"]]:
        raise ArtifactError(f"addons {addons}, main {manifest['main']}")
    arch = NPM_ARCH[manifest["cpu"][0]]  # type: ignore[index]
    libc = manifest["libc"][0]  # type: ignore[index]
    floor = (2, 17) if libc == "glibc" else None
    library = Library.read(files[addons[0]])
    return f"{manifest['name']}: {library.check(arch, libc, floor, NODE_ENTRY)}"


def check_all(dist: Path) -> list[str]:
    """One line per artifact; raises SystemExit naming the first bad one."""
    checks = {".whl": check_wheel, ".tar.gz": check_sdist, ".tgz": check_npm}
    lines = []
    for path in sorted(dist.rglob("*")):
        check = next((c for suffix, c in checks.items() if path.name.endswith(suffix)), None)
        if check is None:
            continue
        try:
            what = check(path)
        except ArtifactError as error:
            raise SystemExit(f"{path.name}: {error}") from None
        lines.append(f"{path.relative_to(dist)}  {path.stat().st_size / 2**20:.1f} MiB  {what}")
    if not lines:
        raise SystemExit(f"no artifacts in {dist}")
    return lines


if __name__ == "__main__":
    for line in check_all(Path(sys.argv[1] if len(sys.argv) > 1 else "dist")):
        print(line)
