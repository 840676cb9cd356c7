# Makefile: `make` builds ./mnist with the system's C++ compiler and nothing else.
#
#   make            build ./mnist (optimized)
#   make test       build and run the test suite through CMake and CTest: a short summary
#                   first (tests/summarize: which exercise fails, and its first message), then
#                   the details
#   make exercise1  rebuild and run only the tests of one classroom exercise (1 to 4, see
#                   docs/assignments.md); always rebuilds first, so a result is never stale
#   make sanitize   the test suite again, under AddressSanitizer and UBSan
#   make memcheck   the test suite again, under valgrind's memcheck (slow: minutes)
#   make mutate     plant every bug of tools/mutants.txt, one at a time, and report which the
#                   tests catch (tools/mutate; MUTATE_FLAGS="--sample 6" for a few). Slow: ~20 min.
#   make bench      build build/bench (tools/bench.cpp) and measure the default and a wide
#                   network: see docs/performance.md. Not part of `make test`.
#   make check-docs re-run the commands README.md and docs/ show, compare the output (the fast
#                   ones: tools/check-docs); make check-docs-long runs the training runs too
#   make clean      remove what the builds made
#
# CI adds EXTRA_CXXFLAGS=-Werror (and CMAKE_FLAGS=-DMNIST_WERROR=ON for the tests).
#
# CMake is only needed for the tests; this file alone builds the program.

CXX      ?= g++
# -march=native lets the compiler use the vector units of this machine (AVX2, AVX-512...).
# Not every compiler or target knows it, so we ask the compiler first and go without it if not.
NATIVE   := $(shell $(CXX) -march=native -x c++ -E /dev/null >/dev/null 2>&1 && echo -march=native)
# -fno-math-errno: std::sqrt must otherwise set errno for a negative argument, a side effect
# that keeps the compiler from vectorizing any loop that calls it (RMSProp's update). This
# changes no result: it is not -ffast-math, which we do not use.
CXXFLAGS ?= -O3 $(NATIVE) -fno-math-errno
# -ffp-contract=off: never fuse a * b + c into one fused multiply-add (FMA) instruction, which
# rounds once where the source rounds twice. With it, every build (native or generic, g++ or
# clang++, x86-64 or ARM) prints the same numbers; docs/02-matrix.md explains. It is kept out of
# CXXFLAGS so that `make CXXFLAGS=...` cannot drop it by accident.
WARNINGS := -std=c++17 -ffp-contract=off -Wall -Wextra -Wpedantic $(EXTRA_CXXFLAGS)
LDLIBS   := -pthread

# tools/portability builds the program several ways side by side, each with its own
# BUILD_DIR and PROGRAM (and CXX, CXXFLAGS); a plain `make` uses these.
BUILD_DIR ?= build/make
PROGRAM  ?= mnist

SOURCES  := $(wildcard src/*.cpp)
HEADERS  := $(wildcard src/*.h)
OBJECTS  := $(SOURCES:src/%.cpp=$(BUILD_DIR)/%.o)

.PHONY: all test sanitize memcheck bench mutate check-docs check-docs-long clean exercise1 exercise2 exercise3 exercise4

all: $(PROGRAM)

$(PROGRAM): $(OBJECTS)
	$(CXX) $(CXXFLAGS) $(WARNINGS) -o $@ $^ $(LDLIBS)

$(BUILD_DIR)/%.o: src/%.cpp $(HEADERS) | $(BUILD_DIR)
	$(CXX) $(CXXFLAGS) $(WARNINGS) -pthread -c -o $@ $<

$(BUILD_DIR):
	mkdir -p $@

# (The products must add their terms exactly as written, so that the fast kernels give the naive
# loops' bits (fast_matrix.h): -ffp-contract=off, in WARNINGS above, applies to every file.)

# The benchmark: its own main() in tools/, linked with every module but ./mnist's main().
# Each configuration runs in a fresh process, so each gets its own peak-memory figure.
# BENCH_EPOCHS timed epochs per configuration; BENCH_FLAGS adds options (e.g. --threads 1).
BENCH_EPOCHS ?= 5
BENCH_FLAGS  ?=
LIBRARY_OBJECTS := $(filter-out $(BUILD_DIR)/main.o,$(OBJECTS))

build/bench: tools/bench.cpp $(LIBRARY_OBJECTS) $(HEADERS) | $(BUILD_DIR)
	$(CXX) $(CXXFLAGS) $(WARNINGS) -pthread -Isrc -o $@ tools/bench.cpp $(LIBRARY_OBJECTS) $(LDLIBS)

build/loop-order: tools/loop_order.cpp $(LIBRARY_OBJECTS) $(HEADERS) | $(BUILD_DIR)
	$(CXX) $(CXXFLAGS) $(WARNINGS) -pthread -Isrc -o $@ tools/loop_order.cpp $(LIBRARY_OBJECTS) $(LDLIBS)

bench: build/bench build/loop-order
	build/loop-order
	@echo
	build/bench --epochs $(BENCH_EPOCHS) $(BENCH_FLAGS)
	@echo
	build/bench --epochs $(BENCH_EPOCHS) --hidden 512,512 $(BENCH_FLAGS)

# The test suite: every tests/test_*.cpp is a program that CTest runs.
# CTest's output goes to build/test/ctest.log, shown below the summary; the exit status is
# CTest's.
test: $(PROGRAM)
	cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/test -j 2
	@status=0; ctest --test-dir build/test --output-on-failure -j 2 >build/test/ctest.log 2>&1 || status=$$?; \
	  tests/summarize build/test; echo "== details (also in build/test/ctest.log)"; cat build/test/ctest.log; \
	  exit $$status

# One exercise's tests: exercise 4 is also checked by test_rmsprop (two steps by hand).
EXERCISE_TESTS_1 := test_exercise1_relu_backward
EXERCISE_TESTS_2 := test_exercise2_dense_backward
EXERCISE_TESTS_3 := test_exercise3_softmax_cross_entropy
EXERCISE_TESTS_4 := test_exercise4_rmsprop_update test_rmsprop
exercise1 exercise2 exercise3 exercise4: exercise%:
	cmake -S . -B build/test -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	cmake --build build/test -j 2 $(addprefix --target ,$(EXERCISE_TESTS_$*))
	ctest --test-dir build/test --output-on-failure -R '^($(subst $() ,|,$(EXERCISE_TESTS_$*)))$$'

sanitize:
	cmake -S . -B build/sanitize -DCMAKE_BUILD_TYPE=Debug -DMNIST_SANITIZE=ON $(CMAKE_FLAGS) >/dev/null
	cmake --build build/sanitize -j 2
	ctest --test-dir build/sanitize --output-on-failure -j 2

# Every test program under valgrind, and every ./mnist a test starts (--trace-children). Built
# without -march=native, because valgrind stops at AVX-512 instructions it does not know.
# --error-exitcode=99: a test that expects ./mnist to exit 1 (a data error) must not mistake a
# memory error for the failure it wanted.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --trace-children=yes
memcheck:
	cmake -S . -B build/memcheck -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMNIST_NATIVE=OFF $(CMAKE_FLAGS) >/dev/null
	cmake --build build/memcheck -j 2
	@failed=0; for t in build/memcheck/test_*; do \
	  [ -f "$$t" ] && [ -x "$$t" ] || continue; \
	  echo "== valgrind $$t"; \
	  $(VALGRIND) "$$t" >/dev/null || { echo "memcheck: $$t failed"; failed=1; }; \
	done; \
	if [ $$failed = 0 ]; then echo "memcheck: every test clean"; else exit 1; fi

# The book checks itself: every command it shows with its output is run again and compared.
check-docs: mnist
	tools/check-docs

check-docs-long: mnist
	tools/check-docs --long

# Mutation testing: tools/mutate builds its own scratch copy under build/mutate/.
MUTATE_FLAGS ?=
mutate:
	tools/mutate $(MUTATE_FLAGS)

clean:
	rm -rf build mnist
