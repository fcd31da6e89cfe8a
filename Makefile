# mwan: build, check and test. `npm ci` first (it brings bun itself).

BUN      := node_modules/.bin/bun
DIST     := build/dist
VERSION  := $(shell node -p "require('./package.json').version")+$(shell git rev-parse --short=10 HEAD 2>/dev/null || echo unknown)
SOURCES  := $(shell find src -name '*.ts') package.json
HOSTARCH := $(shell uname -m)

# Release flags: production mode, bytecode for a faster start, the version
# baked in, and no .env or bunfig.toml read from the directory the binary
# happens to start in (a root daemon must not).
BUILD_FLAGS := --compile --production --bytecode --format=esm --sourcemap \
  --no-compile-autoload-dotenv --no-compile-autoload-bunfig \
  --define MWAN_VERSION='"$(VERSION)"'

.PHONY: deps build test check typecheck fmt fmt-check clean demo bench

build: $(DIST)/mwan-x86_64 $(DIST)/mwan-aarch64

# npm packages and the Debian tools the tests use, only what is missing.
deps:
	bash build/deps.sh

$(DIST)/mwan-x86_64: $(SOURCES)
	$(BUN) build src/cli.ts $(BUILD_FLAGS) --target=bun-linux-x64 --outfile $@
	rm -f $@.map

$(DIST)/mwan-aarch64: $(SOURCES)
	$(BUN) build src/cli.ts $(BUILD_FLAGS) --target=bun-linux-arm64 --outfile $@
	rm -f $@.map

check: typecheck fmt-check

typecheck:
	$(BUN) check -p build/tsconfig.json --pretty=false

fmt-check:
	$(BUN) fmt --check src test build

fmt:
	$(BUN) fmt src test build

# The tests run the compiled binaries, so they are built first. The timeout is
# per test: the CLI and network tests start real processes (bunfig.toml's
# [test] timeout is not honoured by bun 1.4.5, measured).
test: deps check build
	MWAN_BIN=$(DIST)/mwan-$(HOSTARCH) $(BUN) test --timeout 60000

clean:
	rm -rf $(DIST)

# The demo on a virtual IPFire site in network namespaces (test/site/README.md):
# as root, on a fresh Debian machine too: installs what is missing, builds,
# and tears the site down at the end.
demo: deps build
	$(BUN) test/site/demo.ts $(DIST)/mwan-$(HOSTARCH)

# Benchmarks print tables and write JSON next to the binaries: the engine in
# simulation, then the failover benchmark on the virtual site (~35 min with the side watch run, root).
# The hook, daemon soak and switch benchmarks run on their own:
#   bun test/bench/hook-latency.ts, bun test/bench/daemon-soak.ts 10,
#   bun test/bench/switch-overhead.ts
bench: deps build
	$(BUN) test/bench/failover-sim.ts $(DIST)/bench-failover.json
	$(BUN) test/bench/site-bench.ts $(DIST)/mwan-$(HOSTARCH) $(DIST)/bench-site.json
