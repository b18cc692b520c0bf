"""The stubs: a typed sample passes `mypy --strict`, and wrong uses are caught."""

import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).parent


def mypy(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--no-incremental", "--cache-dir", "/dev/null", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_typed_sample_passes_mypy_strict():
    result = mypy("--strict", str(HERE / "typed_sample.py"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_catches_wrong_fields_filters_and_types():
    result = mypy(str(HERE / "typed_errors.py"))
    out = result.stdout
    assert result.returncode == 1, out
    for needle in [
        '"shoe_size"',
        'Argument "first_name" to "create" of "TenantResource" has incompatible type "int"',
        'Unexpected keyword argument "tenantt"',
        'Missing named argument "name"',
        # mypy on 3.9 spells `str | None` as `Optional[str]`.
        'Incompatible types in assignment (expression has type "',
        'variable has type "int")',
        'Argument 1 to "counts" has incompatible type "AsyncClient"; expected "Client"',
        'Unexpected keyword argument "timout" for "get" of "TenantResource"',
        'Dict entry 0 has incompatible type "str": "int"; expected "str": "str"',
        'Unexpected keyword argument "max_retry" for "with_options" of "Client"',
        'Unexpected keyword argument "timout" for "get" of "TenantRawResource"',
    ]:
        assert needle in out, out


def test_the_generated_stubs_need_no_type_ignore():
    package = HERE.parent.parent / "bindings-python" / "python" / "pigello"
    for stub in [package / "_native.pyi", package / "types.py"]:
        assert "type: ignore" not in stub.read_text(encoding="utf-8"), stub
