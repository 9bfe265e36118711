# jupyterlab-trusted-identity: `make demo` runs JupyterLab in an emulated
# SageMaker Studio space; `make test` runs every check CI runs.

PYTHON ?= python3
VENV = .venv
SCENARIO ?= happy
PORT ?= 8888
COMPAT_ENVS ?=

BIN := $(CURDIR)/$(VENV)/bin
VPY := $(BIN)/python
JLPM := $(BIN)/jlpm
STAMPS := $(VENV)/.stamps
LABEXT := jupyterlab_trusted_identity/labextension
# Where `jupyter-builder develop` links LABEXT into the venv.
LABEXT_LINK := $(VENV)/share/jupyter/labextensions/jupyterlab-trusted-identity
DEMO_URL := http://127.0.0.1:$(PORT)/jupyterlab/default/lab

# The venv first on PATH: jlpm scripts call `jupyter-builder` and `jupyter`.
export PATH := $(BIN):$(PATH)
# Playwright must not download browsers: the system Chromium is used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = 1
# Yarn turns immutable installs on under CI; let it refresh a stale lockfile
# instead of failing (the committed yarn.lock files still pin the versions).
export YARN_ENABLE_IMMUTABLE_INSTALLS = false

# Every file the build reads, in subfolders too (src/components/, style/icons/).
LAB_SOURCES := $(shell find src style schema -type f -not -path 'src/__tests__/*') package.json tsconfig.json

.DEFAULT_GOAL := help

.PHONY: help install build dist models chromium ui-deps lint pytest jest galata test bench demo clean clean-all

help:
	@echo "make demo    run JupyterLab in an emulated Studio space (SCENARIO=$(SCENARIO), PORT=$(PORT))"
	@echo "make test    install everything, then lint, pytest, jest, the Galata UI tests and make compat"
	@echo "make compat  the wheel in SageMaker Distribution-like venvs: .compat/results.md (COMPAT_ENVS=...)"
	@echo "make bench   run the benchmarks (real processes, ~15 min): bench/results.md"
	@echo "make models  regenerate the engine's trimmed AWS service models from the dev botocore"
	@echo "other targets: install build dist chromium ui-deps lint pytest jest galata compat clean clean-all"

# --- install -----------------------------------------------------------------

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --upgrade pip

# The editable install also runs the hatch build hook (jlpm install + jlpm build)
# when the labextension is older than src/. The develop link goes first: pip
# would otherwise uninstall and install the shared data through it, into LABEXT.
$(STAMPS)/pip: $(VPY) pyproject.toml package.json
	@if [ -L $(LABEXT_LINK) ]; then rm -f $(LABEXT_LINK); fi
	rm -f $(LABEXT)/install.json
	$(VPY) -m pip install -e ".[dev,test]"
	@mkdir -p $(STAMPS) && touch $@

node_modules/.stamp: $(STAMPS)/pip package.json $(wildcard yarn.lock) .yarnrc.yml
	$(JLPM) install
	@touch $@

$(LABEXT)/package.json: $(LAB_SOURCES) | node_modules/.stamp
	$(JLPM) build
	@touch $@

build: $(LABEXT)/package.json

# Point JupyterLab at the labextension of this checkout (a symlink), and enable
# the server extension in the venv.
$(STAMPS)/develop: $(STAMPS)/pip | $(LABEXT)/package.json
	$(BIN)/jupyter-builder develop --overwrite .
	$(BIN)/jupyter server extension enable --sys-prefix jupyterlab_trusted_identity
	@touch $@

install: $(LABEXT)/package.json $(STAMPS)/develop

# A production wheel and sdist in dist/; the wheel embeds the prebuilt
# labextension, so installing it needs no Node.js.
dist: $(STAMPS)/pip node_modules/.stamp
	$(JLPM) clean:labextension
	$(JLPM) build:prod
	rm -rf dist
	$(VPY) -m build

# The current AWS service models the engine ships, trimmed to the operations it calls, from the
# botocore pinned in the dev extra (jupyterlab_trusted_identity/engine/service_models.py). Run it
# after bumping that pin or changing OPERATIONS; a test fails while the committed files differ.
models: $(STAMPS)/pip
	$(VPY) scripts/generate_service_models.py

# --- test dependencies ---------------------------------------------------------

chromium:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: /usr/bin/chromium"; \
	else \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium; \
	fi

ui-tests/node_modules/.stamp: $(STAMPS)/pip ui-tests/package.json $(wildcard ui-tests/yarn.lock)
	cd ui-tests && $(JLPM) install
	@touch $@

ui-deps: ui-tests/node_modules/.stamp

# --- checks --------------------------------------------------------------------

# After `install`, never before: a pip re-install drops the develop link that install restores.
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(JLPM) lint:check

pytest: install
	$(VPY) -m pytest

jest: install
	$(JLPM) test

galata: install chromium ui-deps
	cd ui-tests && $(JLPM) playwright test

# The compatibility matrix: the production wheel (built once, by dist) installed without Node into
# fresh Python 3.12 venvs made like SageMaker Distribution images (compat/envs/), each checked with
# pip freeze, the extension lists, browser_check, the scenario suite and a browser smoke test.
# Table: .compat/results.md. COMPAT_ENVS picks environments (default: all of compat/envs/).
compat: dist chromium ui-deps
	$(VPY) compat/matrix.py --wheel $$(ls dist/*.whl) $(COMPAT_ENVS)

# Runs every suite even when one fails, then exits non-zero if any failed.
test: install chromium ui-deps
	@failed=""; \
	for target in lint pytest jest galata compat; do \
		echo "==> make $$target"; \
		$(MAKE) --no-print-directory $$target || failed="$$failed $$target"; \
	done; \
	if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi; \
	echo "All checks passed: lint pytest jest galata compat"

# --- benchmarks ----------------------------------------------------------------

# The figures of issue 4 against real processes (the Studio emulator, `jupyter server`, 200
# kernels); writes bench/results.json and bench/results.md. BENCH_ARGS=--quick for a short run.
# The browser figures (3, 4, 6) need Chromium and the UI test packages.
bench: install chromium ui-deps
	$(VPY) -m bench $(BENCH_ARGS)

# --- demo ----------------------------------------------------------------------

# Studio runs JupyterLab below /jupyterlab/default/ with an empty token. Ctrl-C
# stops the emulator and JupyterLab (one process group; stdin is not a terminal,
# so JupyterLab stops at once instead of asking for confirmation).
# The TrustedIdentity traits go in a Jupyter config file on JUPYTER_CONFIG_PATH, which
# JupyterLab's terminals inherit: `jupyter trusted-identity check` there reads the same file as
# the server (the emulator writes the metadata to STATE_DIR/metadata/resource-metadata.json).
# Terminals start bash without -l: a login shell's /etc/profile would drop the venv from PATH.
DEMO_CONFIG := $(CURDIR)/.demo/config
demo: install
	@mkdir -p .demo $(DEMO_CONFIG)
	@$(VPY) -c 'import json, sys; d = sys.argv[1]; json.dump({"ServerApp": {"terminado_settings": {"shell_command": ["/bin/bash"]}}, "TrustedIdentity": {"metadata_path": d + "/state/metadata/resource-metadata.json", "audit_path": d + "/audit.sqlite3", "state_path": d + "/state.json"}}, open(d + "/config/jupyter_server_config.json", "w"), indent=2)' "$(CURDIR)/.demo"
	@echo ""
	@echo "  Emulated SageMaker Studio space, scenario '$(SCENARIO)'."
	@echo "  Open $(DEMO_URL) once JupyterLab is up. Ctrl-C stops everything."
	@echo ""
	@( $(VPY) -c 'import sys, time, urllib.request as u; exec("for _ in range(180):\n try:\n  u.urlopen(sys.argv[1], timeout=2); break\n except Exception:\n  time.sleep(1)")' "$(DEMO_URL)" \
		&& printf '\n  ==> JupyterLab is ready: %s\n\n' "$(DEMO_URL)" ) &
	JUPYTER_CONFIG_PATH="$(DEMO_CONFIG)$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
		$(VPY) -m studio_emulator run --scenario $(SCENARIO) --state-dir .demo/state -- \
		$(BIN)/jupyter lab --no-browser --allow-root --port=$(PORT) \
		--ServerApp.base_url=/jupyterlab/default/ --IdentityProvider.token= < /dev/null

# --- cleaning --------------------------------------------------------------------

clean:
	rm -rf lib tsconfig.tsbuildinfo $(LABEXT) jupyterlab_trusted_identity/_version.py \
		coverage junit.xml dist .eslintcache .stylelintcache .pytest_cache .ruff_cache \
		ui-tests/test-results ui-tests/playwright-report ui-tests/compat/test-results .demo .compat \
		$(STAMPS)/develop

clean-all: clean
	rm -rf $(VENV) node_modules ui-tests/node_modules .yarn ui-tests/.yarn
