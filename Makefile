# The two commands of the README. Each runs the idempotent setup first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help setup up demo test lint typecheck kafka-start kafka-stop

help:
	@echo "make up    run the appliance on this machine"
	@echo "make demo  run the demo promo-video job against it (make up in another terminal)"
	@echo "make test  run lint, typecheck and every test suite"

setup:
	@bash scripts/setup.sh

up: setup
	@bash scripts/up.sh

demo:
	@bash scripts/demo-job.sh

test: setup
	@bash scripts/test.sh
