# The two commands a newcomer needs: `make demo` and `make test`.
CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: demo test lint fmt generate check-generated setup

## Builds and runs the demo: sample payloads, good and bad, through the validator.
demo:
	$(CARGO) run --quiet -p pigello --example validate_payloads

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
