// fuzz_pgm.cpp: the libFuzzer entry point for the PGM reader and prepare_digit(). Build and run it with
// `tools/fuzz-idx --target pgm SECONDS`; the properties it checks are in pgm_properties.h.
//
// As for fuzz_idx.cpp: libFuzzer starts from the seed corpus in tests/fuzz/corpus-pgm/ and
// mutates whatever reaches new code. A broken property aborts, and libFuzzer saves the input
// that did it; copy that file into tests/fuzz/corpus-pgm/ and test_fuzz_corpus replays it in
// every `make test`.
#include <cstdio>
#include <cstdlib>

#include "pgm_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string problem = fuzz::check_pgm_input(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_pgm: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
