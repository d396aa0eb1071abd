# Balance — build, run, test.  `make run` and `make test` are the two commands
# of the README; both install missing Debian packages first (scripts/deps.sh).
# `make check` is the everyday loop: C only, no apt-get, no browser.

CC      ?= gcc
PKGS    := libcsv jansson sqlite3 gsl
WARN    := -std=c17 -Wall -Wextra -Wshadow -Wconversion -Wdouble-promotion \
           -Wstrict-prototypes -Wmissing-prototypes -Werror
CFLAGS  ?= -O2 -g
CPPFLAGS += -Iinclude -D_POSIX_C_SOURCE=200809L -MMD -MP
LDLIBS  := -pthread -lcsv $(shell pkg-config --libs jansson sqlite3 gsl libfyaml 2>/dev/null || echo -ljansson -lsqlite3 -lgsl -lgslcblas -lfyaml) -lm
# only the web server links libmicrohttpd (and with it gnutls, ~5 ms of
# start-up that every CLI run would otherwise pay)
WEBLIBS := $(shell pkg-config --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

LIB_SRC := $(wildcard src/core/*.c src/io/*.c src/model/*.c src/engine/*.c src/out/*.c)
CLI_SRC := $(wildcard src/cli/*.c)
WEB_SRC := $(wildcard src/web/*.c)
TEST_SRC := $(wildcard tests/unit/*.c)
BENCH_SRC := bench/bench_project.c

# Two build flavours: release (build/) and sanitizers (build/asan/).
B  := build
BA := build/asan
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

lib_objs = $(patsubst src/%.c,$(1)/obj/%.o,$(LIB_SRC))
cli_objs = $(patsubst src/%.c,$(1)/obj/%.o,$(CLI_SRC))
web_objs = $(patsubst src/%.c,$(1)/obj/%.o,$(WEB_SRC))

.PHONY: docs golden web-test serve all deps build run test check cppcheck test-unit test-asan data data-check bench clean params params-check

all: build

deps:
	@sh scripts/deps.sh

build: $(B)/balance $(B)/balance-serve $(B)/balance-tests

$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -Isrc/io -c $< -o $@
$(BA)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) -Isrc/io -c $< -o $@

$(B)/libbalance.a: $(call lib_objs,$(B))
	ar rcs $@ $^
$(BA)/libbalance.a: $(call lib_objs,$(BA))
	ar rcs $@ $^

$(B)/balance: $(call cli_objs,$(B)) $(B)/libbalance.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)
$(BA)/balance: $(call cli_objs,$(BA)) $(BA)/libbalance.a
	$(CC) $(SAN) $^ -o $@ $(LDLIBS)

# `balance serve` runs this program, installed next to `balance`
$(B)/balance-serve: $(call web_objs,$(B)) $(B)/libbalance.a
	$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS) $(WEBLIBS)
$(BA)/balance-serve: $(call web_objs,$(BA)) $(BA)/libbalance.a
	$(CC) $(SAN) $^ -o $@ $(LDLIBS) $(WEBLIBS)

# one object per test file, so that make -j compiles them side by side
test_objs = $(patsubst tests/unit/%.c,$(1)/tobj/%.o,$(TEST_SRC))
$(B)/tobj/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -Isrc/io -c $< -o $@
$(BA)/tobj/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(WARN) -O1 -g $(SAN) -Isrc/io -c $< -o $@

$(B)/balance-tests: $(call test_objs,$(B)) $(B)/libbalance.a
	$(CC) $(CFLAGS) $^ -o $@ -lcriterion $(LDLIBS)
$(BA)/balance-tests: $(call test_objs,$(BA)) $(BA)/libbalance.a
	$(CC) $(SAN) $^ -o $@ -lcriterion $(LDLIBS)

$(B)/bench-project: $(BENCH_SRC) $(B)/libbalance.a
	$(CC) $(CPPFLAGS) -MF /dev/null $(WARN) $(CFLAGS) $< $(B)/libbalance.a -o $@ $(LDLIBS)

# The main job: the status quo and every shipped scenario (scenarios/*.yaml) from
# mid-2025 to 2052 at municipal level, side by side; results in out/balance.db.
run: deps
	@$(MAKE) --no-print-directory $(B)/balance
	./$(B)/balance compare --data data/kr --out out scenarios/*.yaml

# The everyday check (about 20 s from clean on 2 cores, docs/performance.md):
# the release library, CLI and tests built in parallel, cppcheck if installed,
# the quick data checks, the C suite. Installs nothing (no scripts/deps.sh),
# no sanitizers, no browser.
check:
	@$(MAKE) --no-print-directory -j2 $(B)/balance $(B)/balance-tests $(B)/topo-area
	@if command -v cppcheck > /dev/null; then $(MAKE) --no-print-directory cppcheck; \
	 else echo "check: cppcheck not installed, skipped (make test installs and runs it)"; fi
	@$(MAKE) --no-print-directory data-check geo-check params-check
	BALANCE_BIN=$(B)/balance BALANCE_DATA=data/kr ./$(B)/balance-tests --jobs 2
	@echo "make check: C tests passed (release build; make test runs everything)"

# Static analysis, no findings allowed (flags explained in docs/design.md).
# One configuration, the one we build (-D_POSIX_C_SOURCE); --enable=style
# implies warning, performance and portability; false positives are
# suppressed inline (// cppcheck-suppress id) with a comment saying why.
CPPCHECK_FLAGS := --enable=style --std=c17 --error-exitcode=1 --inline-suppr -q -j2 \
                  -Iinclude -Isrc/io -D_POSIX_C_SOURCE=200809L
cppcheck:
	cppcheck $(CPPCHECK_FLAGS) src include tools
	@echo "cppcheck: no findings in src/ include/ tools/"

# The whole test suite: static analysis, the data pack is reproducible, unit +
# end-to-end tests in the release build, then the same tests under
# AddressSanitizer + UBSan, then the web API and dashboard.
test: deps
	@$(MAKE) --no-print-directory cppcheck
	@$(MAKE) --no-print-directory data-check geo-check
	@$(MAKE) --no-print-directory -j2 $(B)/balance $(B)/balance-tests $(BA)/balance $(BA)/balance-tests
	@$(MAKE) --no-print-directory params-check
	BALANCE_BIN=$(B)/balance BALANCE_DATA=data/kr ./$(B)/balance-tests --jobs 2
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	BALANCE_BIN=$(BA)/balance BALANCE_DATA=data/kr ./$(BA)/balance-tests --jobs 2
	@$(MAKE) --no-print-directory web-test
	@$(MAKE) --no-print-directory fuzz-smoke
	@echo "make test: all tests passed (release and ASan+UBSan builds, web API and dashboard, fuzz targets)"

# The dashboard's npm packages, exactly as pinned in web/package-lock.json.
web/node_modules/.installed: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# API tests and the end-to-end test in headless Chromium (playwright-core
# driving Debian's chromium) against `balance serve`; screenshot in
# build/web-test/dashboard.png.
web-test: web/node_modules/.installed $(B)/balance $(B)/balance-serve $(BA)/balance $(BA)/balance-serve
	BALANCE_BIN=$(B)/balance BALANCE_DATA=data/kr ARTIFACTS=$(B)/web-test node web/tests/run.mjs
	ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=8 UBSAN_OPTIONS=print_stacktrace=1 E2E=0 \
	BALANCE_BIN=$(BA)/balance BALANCE_DATA=data/kr ARTIFACTS=$(BA)/web-test node web/tests/run.mjs

# The dashboard on http://127.0.0.1:8080/
serve: deps web/node_modules/.installed
	@$(MAKE) --no-print-directory $(B)/balance $(B)/balance-serve
	./$(B)/balance serve --data data/kr

# Area of the region polygons (region_area.csv), d3.geoArea on the sphere.
$(B)/topo-area: tools/topo_area.c
	@mkdir -p $(B)
	$(CC) -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $< -o $@ -ljansson -lm

# Re-derive the tidy tables of the data pack from its source copies.
data: $(B)/topo-area
	TOPO_AREA=$(B)/topo-area sh data/kr/derive.sh

# The committed tidy tables must be exactly what the script derives.
data-check: $(B)/topo-area
	@rm -rf $(B)/derived && mkdir -p $(B)/derived
	@TOPO_AREA=$(B)/topo-area sh data/kr/derive.sh data/kr/source $(B)/derived
	@for f in $(B)/derived/*.csv; do cmp -s $$f data/kr/$$(basename $$f) || \
	  { echo "data-check: data/kr/$$(basename $$f) differs from what derive.sh produces (run make data)"; exit 1; }; done
	@echo "data-check: derived tables match data/kr/derive.sh"

# topo-area on lon/lat quadrangles (edges along parallels densified to 1/32
# degree) against the analytic R^2 * dlon * (sin lat2 - sin lat1), relative
# error <= 1e-6; a ring wound the wrong way must be rejected.
.PHONY: geo-check
geo-check: $(B)/topo-area
	@$(B)/topo-area -p 6 tests/fixtures/geo/square.topo.json squares code > $(B)/geo-check.out
	@awk -F, 'function quad(l1, l2, p1, p2) { return R * R * (l2 - l1) * d * (sin(p2 * d) - sin(p1 * d)) } \
	  BEGIN { R = 6371.0088; d = atan2(0, -1) / 180; e["square"] = quad(0, 1, 0, 1); \
	          e["holed"] = quad(10, 13, 0, 3) - quad(11, 12, 1, 2); e["pair"] = quad(20, 22, 0, 1) } \
	  { if (!($$1 in e) || ($$1 in seen)) { print "geo-check: unexpected line " $$0; bad = 1; next } \
	    seen[$$1] = 1; r = ($$2 - e[$$1]) / e[$$1]; if (r < 0) r = -r; if (r > 1e-6 || $$2 == "") { \
	      printf "geo-check: %s: area %s km2, analytic %.6f (relative error %.2e)\n", $$1, $$2, e[$$1], r; bad = 1 } } \
	  END { for (k in e) if (!(k in seen)) { print "geo-check: no area for " k; bad = 1 } \
	        if (bad) { print "geo-check: FAILED"; exit 1 } }' $(B)/geo-check.out
	@if $(B)/topo-area tests/fixtures/geo/square.topo.json reversed code > /dev/null 2>&1; then \
	  echo "geo-check: FAILED: topo-area accepted a counter-clockwise exterior ring"; exit 1; fi
	@echo "geo-check: topo-area matches the analytic areas of the fixture (relative error <= 1e-6)"

# The data pack's migration parameters are exactly what `balance calibrate` fits.
params-check: $(B)/balance
	@./$(B)/balance calibrate --data data/kr --write $(B)/migration_params.csv > /dev/null
	@cmp -s $(B)/migration_params.csv data/kr/migration_params.csv || \
	  { echo "params-check: data/kr/migration_params.csv differs from 'balance calibrate --write' (run make params)"; exit 1; }
	@echo "params-check: data/kr/migration_params.csv matches balance calibrate"

params: $(B)/balance
	./$(B)/balance calibrate --data data/kr --write data/kr/migration_params.csv

# Regenerate the generated parts of docs/ (the lever list of docs/scenarios.md).
docs: $(B)/balance
	BALANCE_BIN=$(B)/balance sh scripts/docs.sh

# Regenerate the golden outputs (tests/golden/CASES); review with git diff.
golden: $(B)/balance $(B)/balance-serve web/node_modules/.installed
	BALANCE_BIN=$(B)/balance sh scripts/golden.sh
	GOLDEN_UPDATE=1 E2E=0 BALANCE_BIN=$(B)/balance BALANCE_DATA=data/kr node web/tests/run.mjs

bench: deps $(B)/balance $(B)/balance-serve $(B)/bench-project
	sh bench/run.sh

# ---- fuzz targets (libFuzzer, clang; tests/fuzz/, docs/fuzzing.md) ----
# The library built again with clang, ASan and UBSan and libFuzzer's
# coverage; each target links it. `make fuzz-smoke` (part of `make test`)
# runs every target for FUZZ_SMOKE_S seconds from its committed seed corpus
# and replays every past finding in tests/fuzz/regress/<target>/; `make
# fuzz` runs them for FUZZ_S seconds each and reports the executions.
BF := build/fuzz
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_TARGETS := fuzz_csv fuzz_scenario fuzz_request
FUZZ_SMOKE_S ?= 15
FUZZ_S ?= 600
FUZZ_OPTS := -timeout=10 -rss_limit_mb=2048 -max_len=65536
$(BF)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=c17 -Wall -Wextra -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer-no-link -Isrc/io -c $< -o $@
$(BF)/libbalance.a: $(call lib_objs,$(BF)) $(BF)/obj/web/body.o
	ar rcs $@ $^
$(BF)/%: tests/fuzz/%.c tests/fuzz/fuzz_common.h $(BF)/libbalance.a
	$(FUZZ_CC) $(CPPFLAGS) -std=c17 -Wall -Wextra -O1 -g $(FUZZ_SAN) -fsanitize=fuzzer -Isrc/io -Isrc/web $< $(BF)/libbalance.a -o $@ $(LDLIBS)
.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(addprefix $(BF)/,$(FUZZ_TARGETS))
fuzz-smoke: fuzz-build
	@sh scripts/fuzz.sh $(BF) $(FUZZ_SMOKE_S) "$(FUZZ_OPTS)" $(FUZZ_TARGETS)
fuzz: fuzz-build
	@sh scripts/fuzz.sh $(BF) $(FUZZ_S) "$(FUZZ_OPTS)" $(FUZZ_TARGETS)

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
