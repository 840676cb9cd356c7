// test_fuzz_corpus: replays every file of the fuzzers' corpora through the same property checks
// the fuzzers apply: tests/fuzz/corpus/ (IDX files) through idx_properties.h,
// tests/fuzz/corpus-pgm/ through pgm_properties.h, tests/fuzz/corpus-model/ through
// model_properties.h, and tests/fuzz/corpus-cli/ (command lines) through cli_properties.h. Each corpus holds valid and broken files, and every input a fuzzing run
// ever found to break something, so each finding stays fixed. No clang or libFuzzer needed:
// this is an ordinary test program.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>

#include "check.h"
#include "fuzz/cli_properties.h"
#include "fuzz/idx_properties.h"
#include "fuzz/model_properties.h"
#include "fuzz/pgm_properties.h"
#include "random.h"

namespace fs = std::filesystem;

namespace {

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

// Every file of tests/fuzz/<directory> through `check`; returns the files. A corpus with fewer
// than `at_least` files fails: a missing or emptied directory must not pass as "nothing failed".
std::vector<fs::path> replay(const std::string& directory, std::size_t at_least,
                             const std::function<std::string(const std::uint8_t*, std::size_t)>& check) {
    const fs::path corpus = fs::path(__FILE__).parent_path() / "fuzz" / directory;
    std::vector<fs::path> files;
    if (fs::is_directory(corpus))
        for (const fs::directory_entry& entry : fs::directory_iterator(corpus))
            if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    check::expect(files.size() >= at_least, "the corpus in " + corpus.string() + " has at least " +
                                                std::to_string(at_least) + " files (saw " +
                                                std::to_string(files.size()) + ")");
    for (const fs::path& path : files) {
        const std::vector<std::uint8_t> bytes = read_bytes(path);
        const std::string problem = check(bytes.data(), bytes.size());
        check::expect(problem.empty(), directory + "/" + path.filename().string() + ": " + problem);
    }
    return files;
}

// How many of `files` `accepts` takes: a corpus of nothing but broken files would leave the
// properties of an accepted file unchecked.
template <typename Accepts>
int accepted(const std::vector<fs::path>& files, Accepts accepts) {
    int count = 0;
    for (const fs::path& path : files) {
        try {
            accepts(read_bytes(path), path.string());
            ++count;
        } catch (const DataError&) {
        }
    }
    return count;
}

}  // namespace

int main() {
    // The seed corpora have 27 (IDX), 39 (PGM) and 23 (model) files.
    replay("corpus", 27, fuzz::check_idx_input);
    const std::vector<fs::path> pgm_files = replay("corpus-pgm", 39, fuzz::check_pgm_input);
    const std::vector<fs::path> model_files = replay("corpus-model", 23, fuzz::check_model_input);
    replay("corpus-cli", 30, fuzz::check_cli_input);
    const int pgm_accepted = accepted(pgm_files, [](const auto& bytes, const auto& name) { parse_pgm(bytes, name); });
    const int models_accepted = accepted(model_files, [](const auto& bytes, const auto& name) { decode_model(bytes, name); });
    check::expect(pgm_accepted >= 13, "at least 13 valid PGM images in the corpus (saw " + std::to_string(pgm_accepted) + ")");
    check::expect(models_accepted >= 4, "at least 4 valid models in the corpus (saw " + std::to_string(models_accepted) + ")");

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

    // The PGM properties can fail: an image with a pixel above maxval, or with fewer pixels than
    // width * height, is reported; so is a digit of the wrong size, a flat image that is not
    // reported blank, and an inked image that is.
    PgmImage image;
    image.width = 2;
    image.height = 1;
    image.maxval = 100;
    image.pixels = {0, 100};
    check::equal(fuzz::check_pgm_image(image), "", "a good image passes");
    image.pixels = {0, 101};
    check::expect(!fuzz::check_pgm_image(image).empty(), "a pixel above maxval is caught");
    image.pixels = {0};
    check::expect(!fuzz::check_pgm_image(image).empty(), "a missing pixel is caught");
    image.pixels = {0, 100};
    PreparedDigit digit = prepare_digit(image);
    check::equal(fuzz::check_prepared_digit(image, digit), "", "a good digit passes");
    digit.blank = true;
    check::expect(!fuzz::check_prepared_digit(image, digit).empty(), "an inked image reported blank is caught");
    digit = prepare_digit(image);
    digit.pixels.pop_back();
    check::expect(!fuzz::check_prepared_digit(image, digit).empty(), "a digit that is not 28x28 is caught");
    image.pixels = {7, 7};
    digit = prepare_digit(image);
    check::expect(digit.blank, "prepare_digit reports a flat image blank");
    check::equal(fuzz::check_prepared_digit(image, digit), "", "a flat image, blank, passes");
    digit.blank = false;
    check::expect(!fuzz::check_prepared_digit(image, digit).empty(), "a flat image not reported blank is caught");

    // The command-line properties can fail: a value outside its range, and a number spelled in
    // hexadecimal, with a space or a '+', are each reported when a parser lets them through.
    Options options;
    check::equal(fuzz::check_option_ranges(options), "", "the default options are in range");
    options.optimizer.momentum = 1.0f;
    check::expect(!fuzz::check_option_ranges(options).empty(), "a momentum of 1 is caught");
    options = Options();
    options.regularization.dropout = std::nanf("");
    check::expect(!fuzz::check_option_ranges(options).empty(), "a NaN dropout is caught");
    for (const char* text : {"0x10", " 1", "1 ", "+1", "inf", "nan", "1e", ".", ""})
        check::expect(!fuzz::plain_number_text(text), std::string("'") + text + "' is not a plain number");
    for (const char* text : {"0", "-3", "0.5", ".5", "5.", "1e-7", "2.5E+3"})
        check::expect(fuzz::plain_number_text(text), std::string("'") + text + "' is a plain number");
    check::expect(!fuzz::check_number_syntax({"mnist", "--lr", "0x10"}).empty(), "an accepted '--lr 0x10' is caught");
    check::expect(!fuzz::check_number_syntax({"mnist", "--epochs=+3"}).empty(), "an accepted '--epochs=+3' is caught");
    check::equal(fuzz::check_number_syntax({"mnist", "--data", "0x10", "--lr", "0.5"}), "", "a directory named 0x10 is no number");
    const std::uint8_t two_args[] = {'-', '-', 'l', 'r', 0, '1'};
    check::equal(static_cast<long long>(fuzz::cli_arguments(two_args, sizeof two_args).size()), 3,
                 "an input splits into the program name and its arguments at zero bytes");

    // The model properties can fail: a network that does not match its bytes (another size, or
    // one weight changed, so that the round trip differs) is reported.
    Rng rng(1);
    const Network<float> net = make_network<float>({4, 3, 10}, rng);
    const std::vector<std::uint8_t> bytes = encode_model(net);
    check::equal(fuzz::check_decoded_model(bytes, net), "", "a network and its own bytes pass");
    check::equal(fuzz::check_model_input(bytes.data(), bytes.size()), "", "encode_model's bytes pass");
    Network<float> changed = net;
    changed.layers[0].W.data[5] += 1;
    check::expect(!fuzz::check_decoded_model(bytes, changed).empty(), "a weight that did not round-trip is caught");
    const Network<float> other = make_network<float>({4, 2, 10}, rng);
    check::expect(!fuzz::check_decoded_model(bytes, other).empty(), "sizes that differ from the header are caught");
    // The second reading fixes the checksum, so a file that is corrupt only in its CRC decodes.
    std::vector<std::uint8_t> bad_crc = bytes;
    bad_crc.back() ^= 1;
    bool refused = false;
    try {
        decode_model(bad_crc, "m.bin");
    } catch (const DataError&) {
        refused = true;
    }
    check::expect(refused, "a wrong checksum is refused");
    check::equal(fuzz::check_model_input(bad_crc.data(), bad_crc.size()), "", "and its fixed reading passes");

    return check::summary("test_fuzz_corpus");
}
