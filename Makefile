# The two commands of the README. Each runs the idempotent setup first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup up test lint typecheck kafka-start kafka-stop

help:
	@echo "make up    run the appliance on this machine"
	@echo "make test  run lint, typecheck and every test suite"

setup:
	@bash scripts/setup.sh

up: setup
	@bash scripts/up.sh

test: setup
	@bash scripts/test.sh
