# The project's single entry point. `make help` lists the targets.
#
# Every experiment in experiments/NAME.toml flows through the stage binaries
# in bin/, each output a real file whose prerequisites are the files it is
# made from, the stage binary and, where the stage reads it, the experiment
# file:
#
#   data/raw/FILE ─ ingest ─> data/processed/NAME/{data.csv,schema.json}
#                 ─ split ──> data/processed/NAME/split.csv
#                 ─ normalize > data/processed/NAME/{normalizer.json,train.csv,validation.csv,test.csv}
#                 ─ train ──> artifacts/NAME/{network.finf,train_log.csv,folds.csv,seeds.csv}
#                 ─ evaluate > reports/NAME/{metrics.json,README.md,loss.svg,accuracy.svg,confusion.svg,regions.svg,gradcheck.json}
#                 ─ package ─> artifacts/NAME/{model.finf,site/}
#   artifacts/PUBLISH/site ─ site ─> web/dist (the folder to publish)
#   every experiment's {metrics.json,train_log.csv,schema.json} ─ report ─> reports/{README.md,compare_DATASET.svg}
#
# So touching one experiment file re-runs that experiment only, editing a
# stage's source rebuilds its binary and re-runs that stage and the ones
# after it, adding or removing an experiment file rewrites the index,
# publishing another experiment replaces web/dist, and a second `make all`
# does nothing.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
# A recipe that fails must not leave a half-written target that a later run
# would take as up to date. (The stages also write atomically; this covers
# anything a recipe writes itself.)
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

# Overridable: the Go command, one experiment to run (EXP=baseline), where
# binaries and outputs go (reproduce-check points these at a temporary
# folder), and V=1 to show every command.
GO ?= go
EXP ?=
BIN ?= bin
PROCESSED ?= data/processed
ARTIFACTS ?= artifacts
REPORTS ?= reports
# The site folder to publish (any static host serves it as it is), and the
# experiment whose site goes there.
DIST ?= web/dist
PUBLISH ?= $(or $(EXP),baseline)
V ?= 0

.DEFAULT_GOAL := all

ifeq ($(V),1)
Q :=
say :=
STAGE := -v
else
Q := @
say = @printf '  %-9s %s\n' '$(1)' '$(2)';
endif

STAGES := ingest split normalize train evaluate package
# Tools that are not stages: report writes the cross-experiment index and
# compares two experiments.
TOOLS := report
EXPERIMENTS := $(sort $(basename $(notdir $(wildcard experiments/*.toml))))
ifneq ($(EXP),)
ifeq ($(filter $(EXP),$(EXPERIMENTS)),)
$(error EXP=$(EXP): no experiments/$(EXP).toml; the experiments are: $(EXPERIMENTS))
endif
endif
SELECTED := $(if $(EXP),$(EXP),$(EXPERIMENTS))
ifneq ($(filter compare,$(MAKECMDGOALS)),)
ifeq ($(filter $(A),$(EXPERIMENTS))$(filter $(B),$(EXPERIMENTS)),)
$(error compare: set A=name B=name, two of: $(EXPERIMENTS))
endif
ifneq ($(words $(filter $(A),$(EXPERIMENTS)) $(filter $(B),$(EXPERIMENTS))),2)
$(error compare: set A=name B=name, two of: $(EXPERIMENTS))
endif
endif

# Raw data is never changed, so every ingest may depend on every raw file.
RAW := $(filter-out data/raw/README.md,$(wildcard data/raw/*))
# What every stage binary is built from besides its own package.
# The assembly kernels count too: a change there must re-run training.
LIB_SRC := $(shell find nn finf pipeline/internal \( -name '*.go' -o -name '*.s' \) ! -name '*_test.go' 2>/dev/null) go.mod go.sum

# What the package stage embeds in the site (Go sources and the page's
# static files), and what the Go engine for the browser is built from.
SITE_SRC := $(shell find web/site web/wasmgen -type f ! -name '*_test.go' ! -path '*/testdata/*' 2>/dev/null)
ENGINE_SRC := $(shell find web/wasm nn finf -name '*.go' ! -name '*_test.go' 2>/dev/null) go.mod go.sum
# wasm_exec.js must come from the toolchain that builds engine.wasm.
WASM_EXEC := $(shell $(GO) env GOROOT 2>/dev/null)/lib/wasm/wasm_exec.js

# The files one experiment produces, in stage order; site/site.json stands
# for the whole site folder, which package writes in one piece.
outputs = $(addprefix $(PROCESSED)/$(1)/,data.csv schema.json split.csv normalizer.json train.csv validation.csv test.csv) \
	$(addprefix $(ARTIFACTS)/$(1)/,network.finf train_log.csv folds.csv seeds.csv model.finf site/site.json) \
	$(addprefix $(REPORTS)/$(1)/,$(REPORT_FILES))
# What evaluate writes into reports/NAME, all in one run.
REPORT_FILES := metrics.json README.md loss.svg accuracy.svg confusion.svg regions.svg gradcheck.json
# The cross-experiment index; its plots (reports/compare_DATASET.svg) are
# written with it in one piece.
INDEX := $(REPORTS)/README.md

# Two inputs are names, not files: which experiments exist (the index lists
# them all, so removing one must rewrite it) and which experiment's site is
# published. Each is kept in a state file that is rewritten only when the
# name changes: its new date then re-runs what depends on it, and an
# unchanged name leaves it alone, so a second `make all` does nothing (and
# `make --question all` exits 0, which an always-run rule would break). The
# contents are compared here, when the Makefile is read; a file that differs
# or is missing gets the prerequisite FORCE, so its recipe runs.
EXPERIMENT_LIST := $(ARTIFACTS)/experiments.list
PUBLISH_NAME := $(ARTIFACTS)/publish.name
ifneq ($(strip $(file <$(EXPERIMENT_LIST))),$(EXPERIMENTS))
$(EXPERIMENT_LIST): FORCE
endif
ifneq ($(strip $(file <$(PUBLISH_NAME))),$(PUBLISH))
$(PUBLISH_NAME): FORCE
endif
.PHONY: FORCE
FORCE:

$(EXPERIMENT_LIST):
	$(Q)mkdir -p $(@D); printf '%s\n' $(EXPERIMENTS) > $@
$(PUBLISH_NAME):
	$(Q)mkdir -p $(@D); printf '%s\n' '$(PUBLISH)' > $@

# Folders of experiments whose file is gone: reports/NAME is committed, so
# they are not removed behind anyone's back; every run warns, reproduce-check
# fails on them, and `make prune` removes them.
# (artifacts/bench is make bench's log.)
ORPHANS := $(filter-out $(EXPERIMENTS) bench,$(sort $(notdir $(patsubst %/,%,$(wildcard \
	$(REPORTS)/*/ $(ARTIFACTS)/*/ $(PROCESSED)/*/)))))
ifneq ($(ORPHANS),)
ifeq ($(filter prune clean,$(MAKECMDGOALS)),)
$(warning outputs of removed experiments (no experiments/NAME.toml): $(ORPHANS); make prune removes them)
endif
endif

## all: run every experiment through every stage, write the index reports/README.md (EXP=name: just that one, no index) and publish the site to web/dist
.PHONY: all
all: experiments site $(if $(EXP),,index)

## experiments: run the selected experiments (all, or EXP=name) through every stage
.PHONY: experiments
experiments: $(foreach e,$(SELECTED),$(call outputs,$(e)))

## list: list the experiments with the question each answers
.PHONY: list
list:
	@for f in $(addprefix experiments/,$(addsuffix .toml,$(EXPERIMENTS))); do \
		printf '%-22s %s\n' "$$(basename $$f .toml)" "$$(sed -n 's/^description *= *"\(.*\)"/\1/p' $$f)"; \
	done

## bins: build the stage binaries and the browser engine into bin/ (or BIN=dir)
.PHONY: bins
bins: $(addprefix $(BIN)/,$(STAGES) $(TOOLS)) $(BIN)/engine.wasm

define stage_binary
$(BIN)/$(1): $(filter-out %_test.go,$(wildcard pipeline/$(1)/*.go)) $(LIB_SRC)
	$$(call say,GO,$$@)
	$(Q)$(GO) build -trimpath -o $$@ ./pipeline/$(1)
endef
$(foreach s,$(STAGES) $(TOOLS),$(eval $(call stage_binary,$(s))))
# package embeds the site builder's page and the compiled model's loader.
$(BIN)/package: $(SITE_SRC)

# The Go engine for the browser ("try your own model" on the site): stripped,
# no paths or VCS stamps, so its bytes depend only on sources and toolchain.
$(BIN)/engine.wasm: $(ENGINE_SRC)
	$(call say,GO,$@)
	$(Q)GOOS=js GOARCH=wasm CGO_ENABLED=0 $(GO) build -trimpath -buildvcs=false -ldflags="-s -w" -o $@ ./web/wasm

$(BIN)/serve: $(filter-out %_test.go,$(wildcard web/serve/*.go)) $(SITE_SRC) go.mod go.sum
	$(call say,GO,$@)
	$(Q)$(GO) build -trimpath -o $@ ./web/serve

# The stages, as pattern rules: a rule with several targets makes them all
# in one run of its recipe.
$(PROCESSED)/%/data.csv $(PROCESSED)/%/schema.json: experiments/%.toml $(BIN)/ingest $(RAW)
	$(call say,INGEST,$*)
	$(Q)$(BIN)/ingest $(STAGE) -config $< -out-data $(PROCESSED)/$*/data.csv -out-schema $(PROCESSED)/$*/schema.json

$(PROCESSED)/%/split.csv: experiments/%.toml $(BIN)/split $(PROCESSED)/%/schema.json $(PROCESSED)/%/data.csv
	$(call say,SPLIT,$*)
	$(Q)$(BIN)/split $(STAGE) -config $< -schema $(PROCESSED)/$*/schema.json -data $(PROCESSED)/$*/data.csv -out $@

$(PROCESSED)/%/normalizer.json $(PROCESSED)/%/train.csv $(PROCESSED)/%/validation.csv $(PROCESSED)/%/test.csv: \
		$(BIN)/normalize $(PROCESSED)/%/schema.json $(PROCESSED)/%/data.csv $(PROCESSED)/%/split.csv
	$(call say,NORMALIZE,$*)
	$(Q)$(BIN)/normalize $(STAGE) -schema $(PROCESSED)/$*/schema.json -data $(PROCESSED)/$*/data.csv \
		-split $(PROCESSED)/$*/split.csv -out-stats $(PROCESSED)/$*/normalizer.json \
		-out-train $(PROCESSED)/$*/train.csv -out-validation $(PROCESSED)/$*/validation.csv \
		-out-test $(PROCESSED)/$*/test.csv

$(ARTIFACTS)/%/network.finf $(ARTIFACTS)/%/train_log.csv $(ARTIFACTS)/%/folds.csv $(ARTIFACTS)/%/seeds.csv: \
		experiments/%.toml $(BIN)/train \
		$(PROCESSED)/%/schema.json $(PROCESSED)/%/train.csv $(PROCESSED)/%/validation.csv $(PROCESSED)/%/test.csv \
		$(PROCESSED)/%/data.csv $(PROCESSED)/%/split.csv
	$(call say,TRAIN,$*)
	$(Q)$(BIN)/train $(STAGE) -config $< -schema $(PROCESSED)/$*/schema.json -train $(PROCESSED)/$*/train.csv \
		-validation $(PROCESSED)/$*/validation.csv -test $(PROCESSED)/$*/test.csv \
		-data $(PROCESSED)/$*/data.csv -split $(PROCESSED)/$*/split.csv \
		-out-network $(ARTIFACTS)/$*/network.finf -out-log $(ARTIFACTS)/$*/train_log.csv \
		-out-folds $(ARTIFACTS)/$*/folds.csv -out-seeds $(ARTIFACTS)/$*/seeds.csv

$(addprefix $(REPORTS)/%/,$(REPORT_FILES)): experiments/%.toml $(BIN)/evaluate $(PROCESSED)/%/schema.json \
		$(PROCESSED)/%/data.csv $(PROCESSED)/%/normalizer.json \
		$(PROCESSED)/%/train.csv $(PROCESSED)/%/validation.csv $(PROCESSED)/%/test.csv \
		$(ARTIFACTS)/%/network.finf $(ARTIFACTS)/%/train_log.csv $(ARTIFACTS)/%/folds.csv $(ARTIFACTS)/%/seeds.csv
	$(call say,EVALUATE,$*)
	$(Q)$(BIN)/evaluate $(STAGE) -config $< -schema $(PROCESSED)/$*/schema.json -data $(PROCESSED)/$*/data.csv \
		-normalizer $(PROCESSED)/$*/normalizer.json -train $(PROCESSED)/$*/train.csv \
		-validation $(PROCESSED)/$*/validation.csv -test $(PROCESSED)/$*/test.csv \
		-network $(ARTIFACTS)/$*/network.finf -log $(ARTIFACTS)/$*/train_log.csv \
		-folds $(ARTIFACTS)/$*/folds.csv -seeds $(ARTIFACTS)/$*/seeds.csv -out-dir $(REPORTS)/$*

## index: write reports/README.md, every experiment in one table, and the validation curves per data set
.PHONY: index
index: $(INDEX)

# report writes into a temporary folder; its files then replace the old
# ones, and a compare_DATASET.svg it did not write (the data set's last
# experiment was removed) goes.
$(INDEX): $(BIN)/report $(EXPERIMENT_LIST) $(foreach e,$(EXPERIMENTS),experiments/$(e).toml $(PROCESSED)/$(e)/schema.json \
		$(REPORTS)/$(e)/metrics.json $(ARTIFACTS)/$(e)/train_log.csv)
	$(call say,INDEX,$@)
	$(Q)shopt -s nullglob; mkdir -p '$(REPORTS)'; tmp=$$(mktemp -d '$(REPORTS)/.index-XXXXXX'); trap 'rm -rf "$$tmp"' EXIT; \
		$(BIN)/report $(STAGE) -out "$$tmp/README.md" $(foreach e,$(EXPERIMENTS),-config experiments/$(e).toml \
		-schema $(PROCESSED)/$(e)/schema.json -metrics $(REPORTS)/$(e)/metrics.json -log $(ARTIFACTS)/$(e)/train_log.csv); \
		for f in '$(REPORTS)'/compare_*.svg; do if [ ! -e "$$tmp/$${f##*/}" ]; then rm -f "$$f"; fi; done; \
		for f in "$$tmp"/compare_*.svg; do mv "$$f" '$(REPORTS)'/; done; mv "$$tmp/README.md" $@

## compare: print experiments A and B side by side, differences marked (make compare A=baseline B=iris_adam; ALL=1: every row)
.PHONY: compare
compare: $(BIN)/report $(REPORTS)/$(A)/metrics.json $(REPORTS)/$(B)/metrics.json
	@$(BIN)/report -compare $(if $(ALL),-all) -config experiments/$(A).toml -metrics $(REPORTS)/$(A)/metrics.json \
		-config experiments/$(B).toml -metrics $(REPORTS)/$(B)/metrics.json

$(ARTIFACTS)/%/model.finf $(ARTIFACTS)/%/site/site.json: $(BIN)/package $(PROCESSED)/%/schema.json \
		$(ARTIFACTS)/%/network.finf $(PROCESSED)/%/normalizer.json $(PROCESSED)/%/data.csv $(PROCESSED)/%/split.csv \
		$(BIN)/engine.wasm $(WASM_EXEC)
	$(call say,PACKAGE,$*)
	$(Q)$(BIN)/package $(STAGE) -schema $(PROCESSED)/$*/schema.json -network $(ARTIFACTS)/$*/network.finf \
		-normalizer $(PROCESSED)/$*/normalizer.json -data $(PROCESSED)/$*/data.csv \
		-split $(PROCESSED)/$*/split.csv -engine $(BIN)/engine.wasm -wasm-exec $(WASM_EXEC) \
		-out $(ARTIFACTS)/$*/model.finf -site $(ARTIFACTS)/$*/site

## site: publish the baseline's site (or EXP's, or PUBLISH=name's) to web/dist, the folder to copy to any static host
.PHONY: site
site: $(DIST)/site.json

# Copied into a temporary folder beside DIST, then renamed into place, so
# DIST is always a whole site: the old one or the new one.
# $(PUBLISH_NAME) makes the choice of experiment a prerequisite: publishing
# another one, or going back to the default, replaces DIST.
$(DIST)/site.json: $(ARTIFACTS)/$(PUBLISH)/site/site.json $(PUBLISH_NAME)
	$(call say,SITE,$(DIST))
	$(Q)mkdir -p '$(dir $(DIST))'; tmp=$$(mktemp -d '$(DIST).tmp-XXXXXX'); trap 'rm -rf "$$tmp" "$$tmp.old"' EXIT; \
		cp $(ARTIFACTS)/$(PUBLISH)/site/* "$$tmp"/; chmod 755 "$$tmp"; \
		if [ -e '$(DIST)' ]; then mv '$(DIST)' "$$tmp.old"; fi; mv "$$tmp" '$(DIST)'

## serve: build what is needed and serve web/dist on http://127.0.0.1:8080/ (Ctrl-C stops)
.PHONY: serve
serve: site $(BIN)/serve
	$(BIN)/serve -dir $(DIST) -addr 127.0.0.1:8080

# The manifest lists the SHA-256 of every file the pipeline writes under
# data/processed, artifacts and reports (except itself), sorted by path,
# except the site's engine.wasm and wasm_exec.js: those are the Go toolchain's
# output copied as they are, so their bytes change with the Go release, not
# with the pipeline (the site's other files, site.json included, record
# nothing about them), and Make's own state files (experiments.list,
# publish.name), which record no result.
MANIFEST := reports/MANIFEST.sha256
manifest_of = (cd $(1) && find data/processed artifacts reports -type f ! -name MANIFEST.sha256 \
	! -name engine.wasm ! -name wasm_exec.js ! -path artifacts/experiments.list ! -path artifacts/publish.name -print0 \
	| LC_ALL=C sort -z | xargs -0 sha256sum)
# regenerate runs every experiment from nothing in the temporary folder $$tmp
# (its output is shown only if it fails) and writes $$tmp/MANIFEST.sha256.
regenerate = tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	if ! $(MAKE) --no-print-directory experiments index EXP= BIN=$(abspath $(BIN)) PROCESSED=$$tmp/data/processed \
		ARTIFACTS=$$tmp/artifacts REPORTS=$$tmp/reports > $$tmp/run.log 2>&1; then \
		cat $$tmp/run.log >&2; exit 1; fi; \
	$(call manifest_of,$$tmp) > $$tmp/MANIFEST.sha256

# reports_listed compares the files under reports/ with the reports/ paths
# in the manifest, first and quickly: a file the manifest does not list (a
# removed experiment's folder, a stray file) or one it lists that is missing
# fails the check, each named.
reports_listed = have=$$(find reports -type f ! -path $(MANIFEST) | LC_ALL=C sort); \
	listed=$$(sed -n 's/^[0-9a-f]\{64\}  \(reports\/.*\)$$/\1/p' $(MANIFEST) | LC_ALL=C sort); \
	extra=$$(LC_ALL=C comm -23 <(echo "$$have") <(echo "$$listed")); \
	missing=$$(LC_ALL=C comm -13 <(echo "$$have") <(echo "$$listed")); \
	if [ -n "$$extra" ]; then \
		printf 'reproduce-check: in reports/ but not in %s (from a removed experiment? make prune removes those):\n' '$(MANIFEST)' >&2; \
		printf '  %s\n' $$extra >&2; fi; \
	if [ -n "$$missing" ]; then \
		printf 'reproduce-check: in %s but missing from reports/ (run make all):\n' '$(MANIFEST)' >&2; \
		printf '  %s\n' $$missing >&2; fi; \
	if [ -n "$$extra$$missing" ]; then exit 1; fi

## reproduce-check: check reports/ holds exactly the files in reports/MANIFEST.sha256; rerun every experiment from scratch in a temporary folder and compare
.PHONY: reproduce-check
reproduce-check: bins
	$(Q)test -f $(MANIFEST) || { echo "reproduce-check: no $(MANIFEST); make manifest writes it" >&2; exit 1; }
	$(Q)$(reports_listed)
	$(Q)$(regenerate); \
	if ! diff -u $(MANIFEST) $$tmp/MANIFEST.sha256; then \
		echo "reproduce-check: the outputs differ from $(MANIFEST) (- committed, + now);" \
			"if the change is deliberate, run make manifest and commit it" >&2; exit 1; fi; \
	if ! grep '  reports/' $(MANIFEST) | sha256sum --check --quiet --strict; then \
		echo "reproduce-check: files in reports/ differ from what the pipeline writes; run make all" >&2; exit 1; fi; \
	echo "reproduce-check: $$(wc -l < $(MANIFEST)) files reproduce bit for bit"

## manifest: rerun every experiment from scratch in a temporary folder and record reports/MANIFEST.sha256
.PHONY: manifest
manifest: bins
	$(Q)$(regenerate); cp $$tmp/MANIFEST.sha256 $(MANIFEST)
	$(call say,MANIFEST,$(MANIFEST))

## test: run every test, natively and under WebAssembly, then reproduce-check
.PHONY: test
test:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./nn/... ./finf/... ./web/wasm
	@# go on PATH is the toolchain of $(GO): the browser test builds the engine with it.
	PATH="$$($(GO) env GOROOT)/bin:$$PATH" $(GO) test ./...
	@# The engine's tests again, built for WebAssembly and run under Node: the
	@# golden prediction bits prove native and browser builds agree.
	GOOS=js GOARCH=wasm $(GO) test -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./nn/... ./finf/... ./web/wasm
	@# And with the pure-Go kernels that every other architecture runs.
	$(GO) test -tags purego ./nn
	$(MAKE) --no-print-directory reproduce-check

# The issue 7 benchmark: GFLOP/s of the matrix kernels, the in-process time
# of the digits and blobs training jobs and of ingesting the blobs CSV
# (medians of BENCH_COUNT runs, by benchstat). Timings depend on the machine
# and its load: they go to an uncommitted log, never to reports/.
BENCH_COUNT ?= 6
BENCH_LOG := $(ARTIFACTS)/bench

## bench: time the kernels, issue 7's training jobs and the blobs ingest (medians of BENCH_COUNT=6 runs)
.PHONY: bench
bench:
	$(Q)mkdir -p $(BENCH_LOG)
	$(Q)$(GO) test -run '^$$' -bench 'Kernels|Jobs|Epochs|Predict$$|IrisTrain500' -benchtime=300ms -count=$(BENCH_COUNT) ./nn \
		| tee $(BENCH_LOG)/nn.txt | grep -E '^(Benchmark|ok|FAIL)'
	$(Q)$(GO) test -run '^$$' -bench 'Ingest/rows=200000|Parse|WriteTable/rows=100000' -benchtime=3x -count=$(BENCH_COUNT) \
		./pipeline/ingest ./pipeline/internal/dataset \
		| tee $(BENCH_LOG)/ingest.txt | grep -E '^(Benchmark|ok|FAIL)'
	$(Q)$(GO) run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da $(BENCH_LOG)/nn.txt $(BENCH_LOG)/ingest.txt

## clean: remove bin/, data/processed/, artifacts/ and web/dist/ (never data/raw or the committed reports)
.PHONY: clean
clean:
	rm -rf $(BIN) $(PROCESSED) $(ARTIFACTS) $(DIST)

## prune: remove the outputs of experiments whose experiments/NAME.toml is gone (reports/NAME, artifacts/NAME, data/processed/NAME)
.PHONY: prune
prune:
	$(call say,PRUNE,$(or $(ORPHANS),nothing to remove))
	$(Q)rm -rf $(foreach o,$(ORPHANS),'$(REPORTS)/$(o)' '$(ARTIFACTS)/$(o)' '$(PROCESSED)/$(o)')

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'
