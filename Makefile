# Pathway - non-recursive Makefile. `make help` lists the targets.
#
# Variants build into their own directories: build/ (default), build/asan.
# Every dependency comes through pkg-config; missing Debian packages are
# installed first (tools/deps.sh).

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
MANDIR = $(PREFIX)/share/man/man1
PCDIR = $(LIBDIR)/pkgconfig

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = sqlite3 jansson libpcre2-8 libmicrohttpd gnutls cmocka
DEBS = pkg-config libsqlite3-dev libjansson-dev libpcre2-dev \
       libmicrohttpd-dev libgnutls28-dev libcmocka-dev sqlite3

WARN = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wformat=2 -Wvla
# Front ends see only the public header; the engine and its unit tests see
# the private one too.
INC = -Iengine/include -Iengine/src -Itests/support -Iapi
BASE_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -pthread $(WARN) $(INC) -MMD -MP
OPT = -O2 -g

VARIANT ?= default
BUILD ?= build
ifeq ($(VARIANT),asan)
B = $(BUILD)/asan
OPT = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
      -fno-sanitize-recover=all
LDSAN = -fsanitize=address,undefined
else
B = $(BUILD)
LDSAN =
endif

# Expanded when a recipe runs, after the packages are known to be there.
PKG_CFLAGS = $(shell $(PKG_CONFIG) --cflags $(PKGS))
PKG_LIBS = $(shell $(PKG_CONFIG) --libs sqlite3 jansson libpcre2-8 gnutls) -lm -pthread
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka)
MHD_LIBS = $(shell $(PKG_CONFIG) --libs libmicrohttpd)
ALL_CFLAGS = $(BASE_CFLAGS) $(OPT) $(PKG_CFLAGS) $(CFLAGS)

ifeq ($(V),1)
Q =
else
Q = @
endif

ENGINE_SRC = $(wildcard engine/src/*.c)
# The synthetic generator lives with the datasets and is built into the CLI.
CLI_SRC = $(wildcard cli/*.c) $(wildcard datasets/gen/*.c)
API_SRC = $(wildcard api/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
BENCH_SRC = $(wildcard tests/bench/bench_*.c)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
CLI_TEST_SRC = $(wildcard tests/cli/test_*.c)
API_TEST_SRC = $(wildcard tests/api/test_*.c)
TEST_SUPPORT = tests/support/fixture.c tests/support/sandbox.c

ENGINE_OBJ = $(ENGINE_SRC:%.c=$(B)/obj/%.o)
CLI_OBJ = $(CLI_SRC:%.c=$(B)/obj/%.o)
API_OBJ = $(API_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/openapi.o
$(CLI_OBJ) $(API_OBJ): INC = -Iengine/include -Iapi -Idatasets/gen
LIB = $(B)/libpathway.a
SOLIB = $(B)/libpathway.so.0
BIN = $(B)/pathway
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
CLI_TEST_BIN = $(CLI_TEST_SRC:tests/cli/%.c=$(B)/tests/%)
API_TEST_BIN = $(API_TEST_SRC:tests/api/%.c=$(B)/tests/%)
SUPPORT_OBJ = $(TEST_SUPPORT:%.c=$(B)/obj/%.o)
BENCH_BIN = $(BENCH_SRC:tests/bench/%.c=$(B)/bench/%)
REPLAY_BIN = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(B)/tests/replay_%)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/fuzz_%.c=$(BUILD)/fuzz/fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_RUN = $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz_%)
CLANG ?= clang-14
SYNTHETIC_PLANS ?= 100
DEPS_STAMP = build/.deps-ok

DB ?= pathway.db
# Public reference data, read by eval and bench, never copied in here.
SHARED_DATA ?= ../shared/data
DEMO_LEARNER ?= l-001-dana

.PHONY: all check run asan valgrind bench bench-check bench-baseline bench-api eval fuzz install uninstall clean help deps format format-check
.DEFAULT_GOAL := all

all: $(BIN) $(SOLIB)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): tools/deps.sh
	$(Q)sh tools/deps.sh $(DEBS)
	$(Q)mkdir -p build && touch $@

$(B)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -fPIC -c -o $@ $<

# api/openapi.json, embedded as bytes (a string literal would pass the
# 4,095-character limit of ISO C).
$(B)/gen/openapi.c: api/openapi.json
	@mkdir -p $(dir $@)
	$(Q){ echo '/* generated from api/openapi.json by make */'; \
	  echo 'const unsigned char api_openapi_json[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '0x00};'; \
	  echo 'const unsigned long api_openapi_json_len = sizeof api_openapi_json - 1;'; \
	} > $@

$(B)/obj/gen/openapi.o: $(B)/gen/openapi.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(OPT) -c -o $@ $<

$(LIB): $(ENGINE_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(SOLIB): $(ENGINE_OBJ)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) -shared -Wl,-soname,libpathway.so.0 $(LDSAN) -o $@ $^ $(PKG_LIBS)

$(BIN): $(CLI_OBJ) $(API_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $(CLI_OBJ) $(API_OBJ) $(LIB) $(PKG_LIBS) $(MHD_LIBS)

$(UNIT_BIN): $(B)/tests/%: $(B)/obj/tests/unit/%.o $(SUPPORT_OBJ) $(API_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(MHD_LIBS) $(CMOCKA_LIBS)

# The allocation-failure test sees every allocation of the engine and API
# objects (linked statically) through its own malloc (tests/unit/test_alloc_fail.c).
$(B)/tests/test_alloc_fail: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc \
	-Wl,--wrap=realloc,--wrap=free,--wrap=strdup,--wrap=strndup

$(CLI_TEST_BIN): $(B)/tests/%: $(B)/obj/tests/cli/%.o $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

$(BENCH_BIN): $(B)/bench/%: $(B)/obj/tests/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The synthetic dataset bench_state measures on: generated and loaded once
# into $(BUILD)/bench-data (again when the generator changes), with the
# load's time and rate in $(BENCH_DB).load. BENCH_SCALE=small for a quick run.
BENCH_SCALE ?= state
BENCH_SEED ?= 1
BENCH_N ?= 200
BENCH_PYTHON ?= /usr/bin/python3
BENCH_DB = $(BUILD)/bench-data/$(BENCH_SCALE).db
BENCH_STAMP = $(BUILD)/bench-data/$(BENCH_SCALE).stamp
$(BENCH_STAMP): $(wildcard datasets/gen/*.c datasets/gen/*.h) cli/cmd_gen.c \
		tests/bench/bench_data.sh | $(BIN)
	$(Q)sh tests/bench/bench_data.sh $(BIN) $(BENCH_SCALE) $(BENCH_SEED) \
		$(BUILD)/bench-data/$(BENCH_SCALE) $(BENCH_DB)
	$(Q)touch $@

# Figures, not tests: in-process engine timings and whole-command timings;
# bench_state last, its final line the one-line summary.
bench: $(BIN) $(BENCH_BIN) $(BENCH_STAMP)
	$(Q)sh tools/deps.sh python3-scipy
	$(Q)$(B)/bench/bench_engine datasets/rural-sample $(SYNTHETIC_PLANS)
	@echo
	$(Q)$(B)/bench/bench_extract $(SHARED_DATA)
	@echo
	$(Q)sh tests/bench/cli_timing.sh $(BIN)
	@echo
	$(Q)$(B)/bench/bench_state $(BENCH_DB) $(BENCH_SEED) $(BENCH_N) \
		--cli $(BIN) --python $(BENCH_PYTHON) --peer tests/bench/peer_scipy.py

$(API_TEST_BIN): $(B)/tests/%: $(B)/obj/tests/api/%.o $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(CMOCKA_LIBS)

# gcc builds of the fuzz targets that replay the committed corpus.
$(REPLAY_BIN): $(B)/tests/replay_%: $(B)/obj/tests/fuzz/fuzz_%.o $(B)/obj/tests/fuzz/replay.o $(API_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDSAN) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) $(MHD_LIBS)

# libFuzzer builds (clang, ASan + UBSan); `make fuzz` runs each target for
# FUZZ_SECONDS and merges what it finds into tests/fuzz/corpus/NAME;
# FUZZ_TARGETS="badges ctdl" narrows it to some targets.
$(FUZZ_BIN): $(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(ENGINE_SRC) $(API_SRC) $(BUILD)/gen/openapi.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 \
		-D_POSIX_C_SOURCE=200809L -pthread -Iengine/include -Iengine/src -Iapi \
		$(PKG_CFLAGS) -o $@ $< $(ENGINE_SRC) $(API_SRC) $(BUILD)/gen/openapi.c \
		$(PKG_LIBS) $(MHD_LIBS)

$(BUILD)/.fuzz-deps-ok: tools/deps.sh
	$(Q)sh tools/deps.sh clang-14 libclang-rt-14-dev
	$(Q)mkdir -p $(BUILD) && touch $@

$(FUZZ_BIN): | $(BUILD)/.fuzz-deps-ok

fuzz: $(FUZZ_RUN)
	$(Q)set -e; for f in $(FUZZ_RUN); do \
		name=$${f##*/fuzz_}; work=$(BUILD)/fuzz/corpus-$$name; \
		mkdir -p $$work tests/fuzz/corpus/$$name; \
		cp tests/fuzz/corpus/$$name/* $$work/ 2>/dev/null || true; \
		echo "fuzzing $$name for $(FUZZ_SECONDS) s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -max_len=16384 -timeout=10 \
			-print_final_stats=1 -artifact_prefix=$(BUILD)/fuzz/$$name- $$work \
			2>$(BUILD)/fuzz/$$name.log || { tail -40 $(BUILD)/fuzz/$$name.log; exit 1; }; \
		grep -E "^#[0-9]+[[:space:]]+DONE|^stat::" $(BUILD)/fuzz/$$name.log; \
		$$f -merge=1 tests/fuzz/corpus/$$name $$work 2>/dev/null; \
	done

# Skill extraction against ground truth (Decorte et al.'s ESCO-linked
# spans) over the ESCO skills; skipped plainly without the reference data.
EVAL_DB = $(B)/eval/esco.db
DECORTE = $(SHARED_DATA)/decorte_esco_skill_extraction/data
eval: $(BIN) $(B)/bench/bench_eval_extract
	$(Q)if [ ! -d $(SHARED_DATA)/esco_1_2_0 ] || [ ! -d $(DECORTE) ]; then \
		echo "eval: skipped: $(SHARED_DATA)/esco_1_2_0 or $(DECORTE) is absent"; \
		exit 0; fi; \
	mkdir -p $(B)/eval && rm -f $(EVAL_DB) $(EVAL_DB)-wal $(EVAL_DB)-shm $(EVAL_DB)-snap && \
	$(BIN) --db $(EVAL_DB) import esco $(SHARED_DATA)/esco_1_2_0 \
		--labels $(DECORTE)/skills_en_label.txt && \
	$(B)/bench/bench_eval_extract $(EVAL_DB) $(DECORTE)

# The API under load and abuse on loopback, on a copy of the state-scale
# store `make bench` keeps (BENCH_DB): BENCH_SECONDS of wrk at 64
# connections, then slowloris, oversized requests and ReDoS-shaped texts
# (tests/bench/bench_abuse.c, about 45 s more). PASS or FAIL per criterion.
BENCH_SECONDS ?= 60
bench-api: $(BIN) $(B)/bench/bench_abuse $(BENCH_STAMP)
	$(Q)sh tools/deps.sh wrk sqlite3
	$(Q)sh tests/bench/api.sh $(BIN) $(BENCH_DB) $(B)/bench/bench_abuse \
		$(BENCH_SECONDS) 64 2

# The instruction-count guard: bench_replay's match and candidates loops
# under callgrind against $(BENCH_BASELINE), on the small synthetic scale
# generated and loaded once into $(BUILD)/bench-data/small-check (again when
# the generator changes). The committed baseline belongs to the default build
# (-O2 -g) with Debian's gcc 12; `make bench-baseline` rewrites it.
BENCH_BASELINE ?= tests/bench/callgrind-baseline.txt
BENCH_CHECK_DIR = $(BUILD)/bench-data/small-check
BENCH_CHECK_DB = $(BENCH_CHECK_DIR)/store.db
BENCH_CHECK_ARGS = --build "$(VARIANT): $(strip $(OPT) $(CFLAGS))" \
	$(B)/bench/bench_replay $(BENCH_CHECK_DB) $(BENCH_BASELINE)

$(BENCH_CHECK_DIR)/data/.done: $(wildcard datasets/gen/*.c datasets/gen/*.h) cli/cmd_gen.c | $(BIN)
	$(Q)rm -rf $(BENCH_CHECK_DIR) && mkdir -p $(BENCH_CHECK_DIR)
	@echo "  GEN     $(BENCH_CHECK_DIR) (small, seed 1)"
	$(Q)$(BIN) gen --scale small --seed 1 --out $(BENCH_CHECK_DIR)/data >/dev/null
	$(Q)touch $@

# Loaded under a temporary name, so an interrupted load is never taken for
# a finished store.
$(BENCH_CHECK_DB): $(BENCH_CHECK_DIR)/data/.done
	$(Q)rm -f $@ $@-* $@.tmp $@.tmp-*
	$(Q)$(BIN) --db $@.tmp init >/dev/null
	$(Q)$(BIN) --db $@.tmp load $(BENCH_CHECK_DIR)/data/*.json >/dev/null
	$(Q)mv $@.tmp $@ && rm -f $@.tmp-*

# valgrind is a dependency of these two targets only. bench_replay compiles
# callgrind's client requests in when <valgrind/callgrind.h> is there, so for
# them its object waits for (and is rebuilt after) the package's install.
$(BUILD)/.valgrind-deps-ok: tools/deps.sh
	$(Q)sh tools/deps.sh valgrind
	$(Q)mkdir -p $(BUILD) && touch $@
ifneq ($(filter bench-check bench-baseline,$(MAKECMDGOALS)),)
$(B)/obj/tests/bench/bench_replay.o: $(BUILD)/.valgrind-deps-ok
endif

bench-check: $(B)/bench/bench_replay $(BENCH_CHECK_DB)
	$(Q)sh tests/bench/callgrind_check.sh $(BENCH_CHECK_ARGS)

bench-baseline: $(B)/bench/bench_replay $(BENCH_CHECK_DB)
	$(Q)sh tests/bench/callgrind_check.sh --record $(BENCH_CHECK_ARGS)

# The suite: every unit binary, the corpus replays, then the CLI tests
# against the built binary.
check: $(BIN) $(UNIT_BIN) $(REPLAY_BIN) $(CLI_TEST_BIN) $(API_TEST_BIN)
	$(Q)PATHWAY_BIN=$(abspath $(BIN)) PATHWAY_SRC=$(CURDIR) \
		sh tests/run.sh $(UNIT_BIN) $(REPLAY_BIN) $(CLI_TEST_BIN) $(API_TEST_BIN)

asan:
	$(Q)ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		$(MAKE) --no-print-directory VARIANT=asan check

# The suite under valgrind memcheck: every test binary, and every command
# the CLI tests start (tools/vg-pathway); an error or a leak fails it.
# Every command runs 20 to 50 times slower, so the CLI tests' timeout is
# scaled, and the tests whose point is volume rather than memory (kill -9
# rounds, a full disk's levels) do less of it (PATHWAY_TEST_QUICK=1).
# PCRE2's JIT reads past a subject's end in 16-byte steps, which memcheck
# reports: patterns run in its interpreter here (PATHWAY_PCRE2_JIT=0).
VALGRIND_RUN = valgrind --quiet --error-exitcode=99 --leak-check=full \
	--errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect
valgrind: $(BIN) $(UNIT_BIN) $(REPLAY_BIN) $(CLI_TEST_BIN) $(API_TEST_BIN)
	$(Q)sh tools/deps.sh valgrind
	$(Q)PATHWAY_BIN=$(abspath tools/vg-pathway) PATHWAY_VG_BIN=$(abspath $(BIN)) \
		PATHWAY_SRC=$(CURDIR) PATHWAY_RUNNER="$(VALGRIND_RUN)" \
		PATHWAY_TIMEOUT_SCALE=30 PATHWAY_TEST_QUICK=1 PATHWAY_PCRE2_JIT=0 \
		PATHWAY_CRASH_ROUNDS=3 PATHWAY_CRASH_LEARNERS=2000 \
		sh tests/run.sh $(UNIT_BIN) $(REPLAY_BIN) $(CLI_TEST_BIN) $(API_TEST_BIN)

run: $(BIN)
	$(Q)if [ ! -f "$(DB)" ]; then \
		$(BIN) --db "$(DB)" init >/dev/null && \
		$(BIN) --db "$(DB)" load datasets/rural-sample/*.json; \
	fi
	$(Q)sh tools/demo.sh "$(BIN)" "$(DB)" "$(DEMO_LEARNER)"

install: $(BIN) $(LIB) $(SOLIB)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
		$(DESTDIR)$(MANDIR) $(DESTDIR)$(PCDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/pathway
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libpathway.a
	install -m 755 $(SOLIB) $(DESTDIR)$(LIBDIR)/libpathway.so.0
	ln -sf libpathway.so.0 $(DESTDIR)$(LIBDIR)/libpathway.so
	install -m 644 engine/include/pathway.h $(DESTDIR)$(INCDIR)/pathway.h
	install -m 644 doc/pathway.1 $(DESTDIR)$(MANDIR)/pathway.1
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define PW_VERSION "\(.*\)"/\1/p' engine/include/pathway.h)|g' \
		pathway.pc.in > $(DESTDIR)$(PCDIR)/pathway.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/pathway $(DESTDIR)$(LIBDIR)/libpathway.a \
		$(DESTDIR)$(LIBDIR)/libpathway.so.0 $(DESTDIR)$(LIBDIR)/libpathway.so \
		$(DESTDIR)$(INCDIR)/pathway.h $(DESTDIR)$(MANDIR)/pathway.1 \
		$(DESTDIR)$(PCDIR)/pathway.pc

format:
	clang-format -i $(ENGINE_SRC) $(CLI_SRC) engine/include/pathway.h engine/src/*.h

format-check:
	clang-format --dry-run --Werror $(ENGINE_SRC) $(CLI_SRC) engine/include/pathway.h engine/src/*.h

clean:
	rm -rf build

help:
	@echo "Pathway make targets:"
	@echo "  all           build build/pathway and the engine library (default)"
	@echo "  run           build, create $(DB) from datasets/rural-sample when absent, show the demo, serve the API"
	@echo "  check         build and run every test (unit, CLI, API end to end, fuzz corpus replay)"
	@echo "  asan          the whole suite under AddressSanitizer and UBSan (build/asan)"
	@echo "  valgrind      the whole suite under valgrind memcheck (slow)"
	@echo "  bench-api     the API on the state-scale store: wrk on GET /v1/learners/{id}/matches at 64"
	@echo "                connections for BENCH_SECONDS=$(BENCH_SECONDS), slowloris, oversized requests, ReDoS texts"
	@echo "  fuzz          libFuzzer on each tests/fuzz target (FUZZ_TARGETS), FUZZ_SECONDS=$(FUZZ_SECONDS) each (clang-14)"
	@echo "  eval          skill extraction: precision, recall, F1 and MB/s on Decorte et al.'s ESCO benchmark"
	@echo "  bench         engine and CLI timings on the bundled and synthetic data (SYNTHETIC_PLANS=$(SYNTHETIC_PLANS)),"
	@echo "                then state scale against the SQLite and scipy peers (BENCH_SCALE=$(BENCH_SCALE), small for a quick run)"
	@echo "  bench-check   match and candidates instruction counts (callgrind, small scale) against"
	@echo "                $(BENCH_BASELINE); fails above +10%"
	@echo "  bench-baseline rewrite that baseline from a run (default build, Debian gcc 12)"
	@echo "  install       install binary, library, header, pathway.pc, man page (PREFIX, DESTDIR)"
	@echo "  uninstall     remove what install installed"
	@echo "  format-check  clang-format in check mode"
	@echo "  clean         remove build/"
	@echo "Variables: V=1 verbose, PREFIX=$(PREFIX), DESTDIR, DB=$(DB), CC=$(CC)"

-include $(shell find $(B) -name '*.d' 2>/dev/null)
