"""Runs each fuzz target for a set time (or, given 0, once over each input)
over its corpus (the checked-in seeds
and what earlier runs found) and reports, per target, the inputs run, the
coverage reached, and the crashes, timeouts and out-of-memory cases: all must
be 0. A failing input is kept in target/fuzz/artifacts/<target>/.

    python fuzz/run.py BIN_DIR SECONDS TARGET...
"""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(bin_dir: Path, seconds: int, target: str) -> bool:
    corpus = ROOT / "target" / "fuzz" / "corpus" / target
    artifacts = ROOT / "target" / "fuzz" / "artifacts" / target
    corpus.mkdir(parents=True, exist_ok=True)
    artifacts.mkdir(parents=True, exist_ok=True)
    command = [
        str(bin_dir / target),
        # 0 seconds replays the corpus once, the same inputs every time: what
        # `make test` runs, so that it cannot fail on a new random input.
        f"-max_total_time={seconds}" if seconds else "-runs=0",
        "-rss_limit_mb=2048",
        "-timeout=10",
        "-print_final_stats=1",
        f"-artifact_prefix={artifacts}/",
        str(corpus),
        str(ROOT / "fuzz" / "seeds" / target),
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True, errors="replace")
    log = done.stderr
    kinds = {
        "crashes": len(
            re.findall(r"ERROR: libFuzzer: deadly signal|panicked at|==\d+== ERROR", log)
        ),
        "timeouts": len(re.findall(r"ERROR: libFuzzer: timeout", log)),
        "ooms": len(re.findall(r"ERROR: libFuzzer: out-of-memory", log)),
    }
    runs = re.search(r"stat::number_of_executed_units: (\d+)", log)
    coverage = re.findall(r"cov: (\d+)", log)
    failed = done.returncode != 0 or any(kinds.values())
    if failed and not any(kinds.values()):
        kinds["crashes"] = 1
    counts = ", ".join(f"{n} {k}" for k, n in kinds.items())
    print(
        f"fuzz {target}: {runs.group(1) if runs else '?'} runs in {seconds} s, "
        f"coverage {coverage[-1] if coverage else '?'}, {counts}"
    )
    if failed:
        print(log[-4000:], file=sys.stderr)
    return not failed


def main() -> int:
    bin_dir, seconds, *targets = sys.argv[1:]
    results = [run(Path(bin_dir), int(seconds), t) for t in targets]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
