# The project's single entry point. `make help` lists the targets.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
# A recipe that fails must not leave a half-written target that a later run
# would take as up to date.
.DELETE_ON_ERROR:
.SUFFIXES:
MAKEFLAGS += --no-builtin-rules

GO ?= go

.DEFAULT_GOAL := all

## all: run every experiment through every stage (the pipeline lands with issue 3)
.PHONY: all
all:
	@echo "nothing to build yet"

## test: run every test, natively and under WebAssembly
.PHONY: test
test:
	$(GO) vet ./...
	$(GO) test ./...

## help: list the targets
.PHONY: help
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'
