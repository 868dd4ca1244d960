# kennel: the back office of a pet-care business, as small commands.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
SHAREDIR ?= $(PREFIX)/share
DESTDIR ?=

CC ?= cc
PKGS = sqlite3 jansson libcurl libsodium libmicrohttpd libcmark
DEB_PACKAGES = build-essential pkg-config libsqlite3-dev libjansson-dev \
	libcurl4-openssl-dev libsodium-dev sqlite3 jq bats bats-support bats-assert \
	mandoc python3-aiosmtpd openssl valgrind clang libclang-rt-14-dev \
	libmicrohttpd-dev libcmark-dev curl chromium chromium-driver python3-selenium

AXE_VERSION = 4.11.0

WARN = -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wconversion \
	-Wstrict-prototypes -Wmissing-prototypes -Wvla -Wwrite-strings -Wno-sign-conversion
CFLAGS ?= -O2 -g
ALL_CFLAGS = $(WARN) -Ilib -D_DEFAULT_SOURCE -D_GNU_SOURCE $(CFLAGS) \
	$(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -pthread

LIB_SRC = $(wildcard lib/*/*.c)
HEADERS = $(wildcard lib/*.h lib/*/*.h cmd/*.h)
CMD_SRC = $(wildcard cmd/*.c)
BUILD ?= build
TEMPLATES = $(wildcard share/kennel/templates/*.txt)
PORTAL_FILES = $(wildcard share/kennel/portal/*)
GEN_OBJ = $(BUILD)/gen/templates.o $(BUILD)/gen/portal.o $(BUILD)/gen/passwords.o
LIB_OBJ = $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_OBJ)
CMD_OBJ = $(CMD_SRC:%.c=$(BUILD)/%.o)
KENNEL = $(BUILD)/kennel

.PHONY: all deps demo test check bench fuzz install clean completions unit

UNIT_SRC = $(wildcard tests/unit/*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

all: $(KENNEL)

$(BUILD)/%.o: %.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# the shipped templates, compiled in (KENNEL_TEMPLATES overrides at run time)
$(BUILD)/gen/templates.c: $(TEMPLATES) tools/embed_templates.sh
	@mkdir -p $(dir $@)
	sh tools/embed_templates.sh kn_shipped_templates .txt $(TEMPLATES) > $@

# the portal's pages and stylesheet ($KENNEL_PORTAL_TEMPLATES overrides)
$(BUILD)/gen/portal.c: $(PORTAL_FILES) tools/embed_templates.sh
	@mkdir -p $(dir $@)
	sh tools/embed_templates.sh kn_shipped_portal "" $(PORTAL_FILES) > $@

# the common passwords that no password may be (PORTAL.md 2)
$(BUILD)/gen/passwords.c: share/kennel/common-passwords.txt tools/embed_lines.sh
	@mkdir -p $(dir $@)
	sh tools/embed_lines.sh kn_common_passwords $< > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-prototypes -c $< -o $@

$(BUILD)/libkennel.a: $(LIB_OBJ)
	ar rcs $@ $^

$(KENNEL): $(CMD_OBJ) $(BUILD)/libkennel.a
	@pkg-config --exists $(PKGS) || { \
	  echo "missing libraries: run 'make deps' (Debian: $(DEB_PACKAGES))" >&2; exit 1; }
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(BUILD)/libkennel.a $(LIBS)

unit: $(UNIT_BIN)

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libkennel.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libkennel.a $(LIBS)

# Installs what is missing with apt-get (as root); names the packages otherwise.
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	  | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "kennel needs these Debian packages; run as root: apt-get install $$missing" >&2; exit 1; \
	  fi; \
	fi
	@# axe-core, for the browser tests' accessibility check (npm, pinned)
	@if [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then \
	  echo "installing axe-core $(AXE_VERSION) from npm"; \
	  npm install --silent --no-audit --no-fund --no-save --prefix tests/browser \
	    axe-core@$(AXE_VERSION) >/dev/null; \
	fi

DEMO_DIR ?= demo
demo: deps all
	@rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	@sh share/kennel/demo.sh $(KENNEL) $(DEMO_DIR)

test: deps all
	@BUILD=$(BUILD) KENNEL=$(abspath $(KENNEL)) sh tests/run

SAN_CFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SAN_LDFLAGS = -fsanitize=address,undefined
check: deps
	$(MAKE) BUILD=build-san CFLAGS="$(SAN_CFLAGS)" LDFLAGS="$(SAN_LDFLAGS)"
	@CFLAGS="$(SAN_CFLAGS)" LDFLAGS="$(SAN_LDFLAGS)" BUILD=build-san KENNEL_SANITIZED=1 \
	  KENNEL=$(abspath build-san/kennel) ASAN_OPTIONS=detect_leaks=1 sh tests/run

# what only the benchmarks compare against: msmtp, as a naive cron script
# would send, once per message
BENCH_PACKAGES = msmtp wrk
bench: all
	@$(MAKE) -s deps DEB_PACKAGES="$(DEB_PACKAGES) $(BENCH_PACKAGES)"
	@KENNEL=$(abspath $(KENNEL)) sh tests/bench/run

# libFuzzer targets (clang): each runs FUZZ_SECONDS from the committed seed
# corpus; what they find goes to build-fuzz/, never into the seeds.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = csv values template opts form html
FUZZ_CFLAGS = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
fuzz: deps
	$(MAKE) BUILD=build-fuzz CC=clang CFLAGS="$(FUZZ_CFLAGS)" build-fuzz/libkennel.a
	@for t in $(FUZZ_TARGETS); do \
	  clang $(ALL_CFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o build-fuzz/fuzz_$$t \
	    tests/fuzz/fuzz_$$t.c build-fuzz/libkennel.a $(LIBS) || exit 1; \
	  mkdir -p build-fuzz/corpus-$$t; \
	  echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
	  build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 \
	    -artifact_prefix=build-fuzz/crash-$$t- build-fuzz/corpus-$$t tests/fuzz/corpus/$$t \
	    2>build-fuzz/fuzz-$$t.log || { tail -30 build-fuzz/fuzz-$$t.log; exit 1; }; \
	done

completions: all
	$(KENNEL) --completion-script bash > completions/kennel.bash
	$(KENNEL) --completion-script zsh > completions/_kennel

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	  $(DESTDIR)$(SHAREDIR)/kennel/templates $(DESTDIR)$(SHAREDIR)/kennel/sample \
	  $(DESTDIR)$(SHAREDIR)/bash-completion/completions $(DESTDIR)$(SHAREDIR)/zsh/vendor-completions
	install -m 755 $(KENNEL) $(DESTDIR)$(BINDIR)/kennel
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -d $(DESTDIR)$(MANDIR)/man5 && install -m 644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 share/kennel/sample/* $(DESTDIR)$(SHAREDIR)/kennel/sample/
	install -m 644 share/kennel/templates/* $(DESTDIR)$(SHAREDIR)/kennel/templates/
	install -d $(DESTDIR)$(SHAREDIR)/kennel/portal
	install -m 644 share/kennel/portal/* $(DESTDIR)$(SHAREDIR)/kennel/portal/
	install -m 644 share/kennel/common-passwords.txt share/kennel/kennel-serve.service \
	  $(DESTDIR)$(SHAREDIR)/kennel/
	install -m 644 completions/kennel.bash $(DESTDIR)$(SHAREDIR)/bash-completion/completions/kennel
	install -m 644 completions/_kennel $(DESTDIR)$(SHAREDIR)/zsh/vendor-completions/_kennel

clean:
	rm -rf build build-san build-fuzz demo
