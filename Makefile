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
#                 ─ train ──> artifacts/NAME/{network.finf,train_log.csv,folds.csv}
#                 ─ evaluate > reports/NAME/metrics.json
#                 ─ package ─> artifacts/NAME/model.finf
#
# So touching one experiment file re-runs that experiment only, editing a
# stage's source rebuilds its binary and re-runs that stage and the ones
# after it, and a second `make all` does nothing.
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
EXPERIMENTS := $(sort $(basename $(notdir $(wildcard experiments/*.toml))))
ifneq ($(EXP),)
ifeq ($(filter $(EXP),$(EXPERIMENTS)),)
$(error EXP=$(EXP): no experiments/$(EXP).toml; the experiments are: $(EXPERIMENTS))
endif
endif
SELECTED := $(if $(EXP),$(EXP),$(EXPERIMENTS))

# Raw data is never changed, so every ingest may depend on every raw file.
RAW := $(filter-out data/raw/README.md,$(wildcard data/raw/*))
# What every stage binary is built from besides its own package.
LIB_SRC := $(shell find nn finf pipeline/internal -name '*.go' ! -name '*_test.go' 2>/dev/null) go.mod go.sum

# The files one experiment produces, in stage order.
outputs = $(addprefix $(PROCESSED)/$(1)/,data.csv schema.json split.csv normalizer.json train.csv validation.csv test.csv) \
	$(addprefix $(ARTIFACTS)/$(1)/,network.finf train_log.csv folds.csv model.finf) \
	$(REPORTS)/$(1)/metrics.json

## all: run every experiment through every stage (EXP=name: just that one)
.PHONY: all
all: experiments

## experiments: run the selected experiments (all, or EXP=name) through every stage
.PHONY: experiments
experiments: $(foreach e,$(SELECTED),$(call outputs,$(e)))

## list: list the experiments with the question each answers
.PHONY: list
list:
	@for f in $(addprefix experiments/,$(addsuffix .toml,$(EXPERIMENTS))); do \
		printf '%-22s %s\n' "$$(basename $$f .toml)" "$$(sed -n 's/^description *= *"\(.*\)"/\1/p' $$f)"; \
	done

## bins: build the stage binaries into bin/ (or BIN=dir)
.PHONY: bins
bins: $(addprefix $(BIN)/,$(STAGES))

define stage_binary
$(BIN)/$(1): $(filter-out %_test.go,$(wildcard pipeline/$(1)/*.go)) $(LIB_SRC)
	$$(call say,GO,$$@)
	$(Q)$(GO) build -trimpath -o $$@ ./pipeline/$(1)
endef
$(foreach s,$(STAGES),$(eval $(call stage_binary,$(s))))

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

$(ARTIFACTS)/%/network.finf $(ARTIFACTS)/%/train_log.csv $(ARTIFACTS)/%/folds.csv: experiments/%.toml $(BIN)/train \
		$(PROCESSED)/%/schema.json $(PROCESSED)/%/train.csv $(PROCESSED)/%/validation.csv \
		$(PROCESSED)/%/data.csv $(PROCESSED)/%/split.csv
	$(call say,TRAIN,$*)
	$(Q)$(BIN)/train $(STAGE) -config $< -schema $(PROCESSED)/$*/schema.json -train $(PROCESSED)/$*/train.csv \
		-validation $(PROCESSED)/$*/validation.csv -data $(PROCESSED)/$*/data.csv -split $(PROCESSED)/$*/split.csv \
		-out-network $(ARTIFACTS)/$*/network.finf -out-log $(ARTIFACTS)/$*/train_log.csv \
		-out-folds $(ARTIFACTS)/$*/folds.csv

$(REPORTS)/%/metrics.json: experiments/%.toml $(BIN)/evaluate $(PROCESSED)/%/schema.json \
		$(ARTIFACTS)/%/network.finf $(ARTIFACTS)/%/train_log.csv \
		$(PROCESSED)/%/train.csv $(PROCESSED)/%/validation.csv $(PROCESSED)/%/test.csv
	$(call say,EVALUATE,$*)
	$(Q)$(BIN)/evaluate $(STAGE) -config $< -schema $(PROCESSED)/$*/schema.json -network $(ARTIFACTS)/$*/network.finf \
		-log $(ARTIFACTS)/$*/train_log.csv -train $(PROCESSED)/$*/train.csv \
		-validation $(PROCESSED)/$*/validation.csv -test $(PROCESSED)/$*/test.csv -out $@

$(ARTIFACTS)/%/model.finf: $(BIN)/package $(PROCESSED)/%/schema.json $(ARTIFACTS)/%/network.finf \
		$(PROCESSED)/%/normalizer.json $(PROCESSED)/%/data.csv $(PROCESSED)/%/split.csv
	$(call say,PACKAGE,$*)
	$(Q)$(BIN)/package $(STAGE) -schema $(PROCESSED)/$*/schema.json -network $(ARTIFACTS)/$*/network.finf \
		-normalizer $(PROCESSED)/$*/normalizer.json -data $(PROCESSED)/$*/data.csv \
		-split $(PROCESSED)/$*/split.csv -out $@

# The manifest lists the SHA-256 of every file the pipeline writes under
# data/processed, artifacts and reports (except itself), sorted by path.
MANIFEST := reports/MANIFEST.sha256
manifest_of = (cd $(1) && find data/processed artifacts reports -type f ! -name MANIFEST.sha256 -print0 \
	| LC_ALL=C sort -z | xargs -0 sha256sum)
# regenerate runs every experiment from nothing in the temporary folder $$tmp
# (its output is shown only if it fails) and writes $$tmp/MANIFEST.sha256.
regenerate = tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	if ! $(MAKE) --no-print-directory experiments EXP= BIN=$(abspath $(BIN)) PROCESSED=$$tmp/data/processed \
		ARTIFACTS=$$tmp/artifacts REPORTS=$$tmp/reports > $$tmp/run.log 2>&1; then \
		cat $$tmp/run.log >&2; exit 1; fi; \
	$(call manifest_of,$$tmp) > $$tmp/MANIFEST.sha256

## reproduce-check: rerun every experiment from scratch in a temporary folder; compare with reports/MANIFEST.sha256
.PHONY: reproduce-check
reproduce-check: bins
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
	$(GO) test ./...
	@# The engine's tests again, built for WebAssembly and run under Node: the
	@# golden prediction bits prove native and browser builds agree.
	GOOS=js GOARCH=wasm $(GO) test -exec="$$($(GO) env GOROOT)/lib/wasm/go_js_wasm_exec" ./nn/... ./finf/...
	$(MAKE) --no-print-directory reproduce-check

## clean: remove bin/, data/processed/ and artifacts/ (never data/raw or the committed reports)
.PHONY: clean
clean:
	rm -rf $(BIN) $(PROCESSED) $(ARTIFACTS)

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'
