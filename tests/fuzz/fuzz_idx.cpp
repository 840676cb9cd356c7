// fuzz_idx.cpp: the libFuzzer entry point for the IDX parser. Build and run it with
// `tools/fuzz-idx SECONDS`; the properties it checks are in idx_properties.h.
//
// libFuzzer calls LLVMFuzzerTestOneInput() with generated inputs, starting from the seed corpus
// in tests/fuzz/corpus/ and mutating whatever reaches new code. A broken property aborts, and
// libFuzzer saves the input that did it; copy that file into tests/fuzz/corpus/ and
// test_fuzz_corpus replays it in every `make test`.
#include <cstdio>
#include <cstdlib>

#include "idx_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string problem = fuzz::check_idx_input(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_idx: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
