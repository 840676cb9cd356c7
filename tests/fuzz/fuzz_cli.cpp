// fuzz_cli.cpp: the libFuzzer entry point for the option parser (cli.h). Build and run it with
// `tools/fuzz-idx --target cli SECONDS`; the properties it checks are in cli_properties.h. An
// input is a list of arguments separated by zero bytes.
#include <cstdio>
#include <cstdlib>

#include "cli_properties.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string problem = fuzz::check_cli_input(data, size);
    if (!problem.empty()) {
        std::fprintf(stderr, "fuzz_cli: %s\n", problem.c_str());
        std::abort();
    }
    return 0;
}
