# The two commands a newcomer needs: `make demo` and `make test`.
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: demo test lint fmt generate check-generated setup sandbox bench

## Builds and runs the demo: sample payloads through the validator, then a tour
## of the embedded sandbox over HTTP.
demo:
	$(CARGO) run --quiet -p pigello --example validate_payloads
	@echo
	$(CARGO) run --quiet -p pigello --example sandbox_tour

## Runs the sandbox on a free port until Ctrl-C (ARGS="--port 8080 --tenants 500").
sandbox:
	$(CARGO) run --quiet -p pigello-sandbox -- $(ARGS)

## Benchmarks, each beside a baseline (release build): the sandbox's throughput
## beside a bare axum server, and the peak memory of exporting 100 000 tenants.
bench:
	$(CARGO) run --quiet --release -p pigello-bench --bin sandbox_throughput
	$(CARGO) run --quiet --release -p pigello-bench --bin export_memory

## Everything that tests the project: formatting, lints, freshness of the
## generated code, and every test.
test: setup lint
	$(CARGO) test --workspace --doc
	$(CARGO) test --workspace --all-targets

## Installs what the checks need beyond the toolchain: rustfmt and clippy.
setup:
	@command -v rustup >/dev/null && rustup component add rustfmt clippy >/dev/null 2>&1 || true

lint: setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

## Regenerates core/src/resources/ and core/tests/rules.rs from spec/.
generate:
	$(CARGO) run --quiet -p pigello-codegen

check-generated:
	$(CARGO) run --quiet -p pigello-codegen -- --check
