# pager_lab — the two commands a newcomer needs are `make lab` and `make test`.
# Both build .venv from nothing with the versions pinned in requirements.lock,
# and reinstall only when pyproject.toml or requirements.lock change.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# JupyterLab refuses to run as root unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# Scripts, the CLI and the tests draw off-screen (Agg); JupyterLab and notebook execution must
# not: there the figures are inline PNGs (JUPYTER below drops MPLBACKEND even if your shell sets it).
AGG := MPLBACKEND=Agg
JUPYTER := env -u MPLBACKEND
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help install lab lab-instructor student test lint typecheck unit notebooks drill bench lock \
	clean execute-notebooks play

help:
	@echo "make install - create .venv and install pager_lab with its pinned dependencies"
	@echo "make lab    - install into .venv and open the course (student edition) in JupyterLab"
	@echo "make lab-instructor - open the authored notebooks, answers in (notebooks/)"
	@echo "make student - build the student edition into student/ (never overwrites your work)"
	@echo "make test   - install into .venv and run every test (lint, types, unit, property,"
	@echo "              CLI, notebooks under strict nbval, the browser test)"
	@echo "make drill  - answer a page in the terminal (the seed's pager.py)"
	@echo "make play   - play the drill library in the browser, no code shown (Voila, 127.0.0.1)"
	@echo "make bench  - run the benchmarks in benchmarks/"
	@echo "make lock   - refresh requirements.lock from the newest allowed versions"

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,dask]'
	# nbgrader is here only to make the student edition: keep its grading UI out of JupyterLab.
	$(BIN)/jupyter labextension disable --level=sys_prefix @jupyter/nbgrader >/dev/null 2>&1
	for e in formgrader validate_assignment assignment_list course_list; do \
	  $(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$e \
	    >/dev/null 2>&1 || exit 1; done
	touch $(STAMP)

install: $(STAMP)

# The student edition: answers removed, outputs cleared (pager_lab/course/editions.py, nbgrader).
student: $(STAMP)
	$(BIN)/python -m pager_lab.course.editions student --from notebooks --to student

lab: student
	$(JUPYTER) $(BIN)/jupyter lab $(ROOT_FLAG) student/00_start_here.ipynb

lab-instructor: $(STAMP)
	$(JUPYTER) $(BIN)/jupyter lab $(ROOT_FLAG) notebooks/00_start_here.ipynb

drill: $(STAMP)
	$(AGG) $(BIN)/pager-lab drill

# The drill library as a web page without code: Voila runs pager_lab/course/play.ipynb and shows
# only its widgets (scenario, seed, the console), on this machine only. PLAY_PORT=... to move it.
PLAY_PORT ?= 8866
play: $(STAMP)
	$(JUPYTER) $(BIN)/voila --Voila.ip=127.0.0.1 --port=$(PLAY_PORT) --Voila.port_retries=0 \
	  pager_lab/course/play.ipynb

lint: $(STAMP)
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check pager_lab tests benchmarks
	$(BIN)/ruff format --check pager_lab tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy pager_lab benchmarks

unit: $(STAMP)
	$(AGG) $(BIN)/pytest --cov=pager_lab --cov-report=term --cov-fail-under=85 tests

notebooks: $(STAMP)
	env -u PAGER_LAB_SLACK_WEBHOOK_URL -u MPLBACKEND $(BIN)/pytest -p no:cacheprovider --nbval --nbval-current-env \
	  --nbval-sanitize-with notebooks/sanitize.cfg notebooks

test: lint typecheck unit notebooks

bench: $(STAMP)
	$(AGG) $(BIN)/python benchmarks/run.py
	$(AGG) $(BIN)/python benchmarks/what_if.py
	$(BIN)/python benchmarks/startup.py

lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[dev,dask]'
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^pager.lab' > requirements.lock
	rm -rf .lock-venv
	@echo "requirements.lock refreshed: update environment.yml to match (tests check it)"

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage htmlcov

# Re-execute every notebook in place (after editing one), so the stored outputs
# that strict nbval compares are the current ones.
execute-notebooks: $(STAMP)
	$(JUPYTER) $(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --NotebookClient.record_timing=False notebooks/[0-9]*.ipynb
