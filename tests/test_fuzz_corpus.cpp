// test_fuzz_corpus: replays every file of the fuzzer's corpus (tests/fuzz/corpus/) through the
// same property checks the fuzzer applies (tests/fuzz/idx_properties.h). The corpus holds valid
// and broken IDX files, and every input a fuzzing run ever found to break something, so each
// finding stays fixed. No clang or libFuzzer needed: this is an ordinary test program.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "check.h"
#include "fuzz/idx_properties.h"

namespace fs = std::filesystem;

int main() {
    const fs::path corpus = fs::path(__FILE__).parent_path() / "fuzz" / "corpus";
    std::vector<fs::path> files;
    for (const fs::directory_entry& entry : fs::directory_iterator(corpus))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    // The seed corpus has 27 files; a missing directory must not pass as "nothing failed".
    check::expect(files.size() >= 27, "the corpus in " + corpus.string() + " has at least 27 files (saw " +
                                          std::to_string(files.size()) + ")");

    for (const fs::path& path : files) {
        std::ifstream file(path, std::ios::binary);
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(file)),
                                              std::istreambuf_iterator<char>());
        const std::string problem = fuzz::check_idx_input(bytes.data(), bytes.size());
        check::expect(problem.empty(), path.filename().string() + ": " + problem);
    }

    // The property checks themselves can fail: a message that does not name its file, or that
    // runs over two lines, is reported.
    check::expect(!fuzz::check_message("truncated", "a.idx").empty(), "a message without the name is caught");
    check::expect(!fuzz::check_message("a.idx: one\ntwo", "a.idx").empty(), "a two-line message is caught");
    check::equal(fuzz::check_message("a.idx: is empty (0 bytes)", "a.idx"), "", "a good message passes");

    // parse_idx() accepts any byte values; judging whether they are digits is the loader's job,
    // which is why the properties also read each input as an images + labels pair.
    IdxArray array;
    bool parsed = false;
    const std::vector<std::uint8_t> labels_with_12 = {0, 0, 8, 1, 0, 0, 0, 2, 3, 12};
    check::equal(fuzz::check_one_file(labels_with_12, "l.idx", array, parsed), "", "labels parse");
    check::expect(parsed && array.data[1] == 12, "parse_idx does not judge label values; the loader does");

    return check::summary("test_fuzz_corpus");
}
