// test_model_file: the model format of model_file.h. First as a library: the CRC-32 check
// value, a round trip that must give back every weight bit for bit, and each kind of damage a
// file can suffer, with the message it must produce. Then through the real ./mnist, as a user
// meets it: --save and --load on MNIST give the same test result to the last digit, and a
// damaged, missing or mismatched model is one line and exit code 1 (or 2 for a command line
// that contradicts the file).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <regex>

#include "check.h"
#include "errors.h"
#include "model_file.h"
#include "process.h"

namespace {

// decode_model() on these bytes must throw a DataError whose message contains `part`.
void expect_refused(const std::vector<std::uint8_t>& bytes, const std::string& part, const std::string& what) {
    try {
        decode_model(bytes, "model.bin");
        check::expect(false, what + ": expected a DataError containing \"" + part + "\", nothing was thrown");
    } catch (const DataError& e) {
        check::contains(e.what(), "model.bin: ", what + ": message starts with the file name");
        check::contains(e.what(), part, what + ": message");
    }
}

void put_u32(std::vector<std::uint8_t>& bytes, std::size_t at, std::uint32_t x) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<std::uint8_t>(x >> (8 * i));
}

// A data error from the real program: exit code 1, exactly one line on stderr containing `part`.
void expect_data_error(const ProgramRun& run, const std::string& part, const std::string& what) {
    check::equal(run.exit_code, 1, what + ": exit code");
    check::contains(run.err, part, what + ": message");
    check::equal(static_cast<long long>(std::count(run.err.begin(), run.err.end(), '\n')), 1, what + ": one line");
}

std::string line_starting(const std::string& text, const std::string& start) {
    const std::size_t at = text.find(start);
    if (at == std::string::npos) return "(no line starting with '" + start + "')";
    return text.substr(at, text.find('\n', at) - at);
}

std::string json_field(const std::string& json, const std::string& key) {
    std::smatch m;
    if (!std::regex_search(json, m, std::regex("\"" + key + "\": ([^,\\n]+)"))) return "(no " + key + ")";
    return m[1];
}

}  // namespace

int main() {
    // ---- CRC-32: the standard check value of the zlib/PNG CRC, and the empty input. ----------
    const char* check_input = "123456789";
    check::equal(crc32(reinterpret_cast<const std::uint8_t*>(check_input), 9), 0xCBF43926,
                 "crc32(\"123456789\") is the standard check value 0xCBF43926");
    check::equal(crc32(nullptr, 0), 0, "crc32 of nothing is 0");

    // ---- Round trip: a 5-4-3-10 network with random weights and some non-zero biases. -------
    Rng rng(11);
    Network<float> net = make_network<float>({5, 4, 3, 10}, rng);
    for (DenseLayer<float>& layer : net.layers)
        for (float& b : layer.b.data) b = static_cast<float>(rng.uniform() - 0.5);
    net.layers[0].W(0, 0) = -0.0f;    // a negative zero must come back negative
    net.layers[1].b(0, 2) = 1e-42f;   // and a subnormal as itself
    const std::vector<std::uint8_t> bytes = encode_model(net);
    // 16 bytes of magic, version and count, 4 sizes, (5*4+4) + (4*3+3) + (3*10+10) floats, CRC.
    check::equal(static_cast<long long>(bytes.size()), 16 + 4 * 4 + 4 * (24 + 15 + 40) + 4, "file length");
    check::equal(std::string(bytes.begin(), bytes.begin() + 8), "MNISTMLP", "magic tag");
    check::equal(bytes[8] + 256 * bytes[9], 1, "version 1, little-endian");
    check::equal(bytes[16], 5, "first size, least significant byte first");

    // ---- The fingerprint: the file's own CRC, and one flipped bit changes it. ---------------
    {
        const std::uint32_t fingerprint = weights_fingerprint(net);
        const std::size_t n = bytes.size();
        const std::uint32_t stored = bytes[n - 4] | bytes[n - 3] << 8 | bytes[n - 2] << 16 |
                                     static_cast<std::uint32_t>(bytes[n - 1]) << 24;
        check::expect(fingerprint == stored, "the fingerprint is the CRC a model file of the network ends with");
        Network<float> nudged = net;
        float& w = nudged.layers[2].W(2, 9);  // the very last weight
        w = std::nextafter(w, 1.0f);          // one bit of one float
        check::expect(weights_fingerprint(nudged) != fingerprint, "one ulp on one weight changes the fingerprint");
        check::equal(fingerprint_text(0x1a2b3c4d), "1a2b3c4d", "fingerprint_text: 8 hex digits");
        check::equal(fingerprint_text(0xff), "000000ff", "fingerprint_text: leading zeros kept");
    }

    const Network<float> back = decode_model(bytes, "model.bin");
    check::expect(back.sizes() == net.sizes(), "sizes survive the round trip");
    bool identical = back.layers.size() == net.layers.size();
    for (std::size_t l = 0; identical && l < net.layers.size(); ++l) {
        // memcmp compares the bits: -0.0f == 0.0f as numbers, but not as bits.
        identical = std::memcmp(back.layers[l].W.data.data(), net.layers[l].W.data.data(), net.layers[l].W.size() * 4) == 0 &&
                    std::memcmp(back.layers[l].b.data.data(), net.layers[l].b.data.data(), net.layers[l].b.size() * 4) == 0;
    }
    check::expect(identical, "every weight and bias comes back with the same 32 bits");

    // ---- Damage, one kind at a time. ----------------------------------------------------------
    std::vector<std::uint8_t> flipped = bytes;
    flipped[bytes.size() / 2] ^= 0x01;  // one bit of one weight
    expect_refused(flipped, "checksum mismatch", "one flipped bit");
    expect_refused(std::vector<std::uint8_t>(bytes.begin(), bytes.end() - 1), "is truncated", "one byte short");
    std::vector<std::uint8_t> longer = bytes;
    longer.push_back(0);
    expect_refused(longer, "has 1 trailing bytes", "one byte appended");
    std::vector<std::uint8_t> version = bytes;
    put_u32(version, 8, 2);
    expect_refused(version, "format version 2; this program reads version 1", "version 2");
    std::vector<std::uint8_t> magic = bytes;
    magic[0] = 'X';
    expect_refused(magic, "not a model file", "wrong magic");
    expect_refused({}, "is empty", "empty file");
    std::vector<std::uint8_t> no_sizes = bytes;
    put_u32(no_sizes, 12, 1000000);
    expect_refused(no_sizes, "claims 1000000 layer sizes", "absurd number of sizes");
    // The bounds: one size (no layer at all) and 35 (33 hidden layers) are refused by the count
    // itself, before any size is read; 2 and 34 are the smallest and largest counts a model has.
    for (std::uint32_t count : {0u, 1u, 35u}) {
        std::vector<std::uint8_t> wrong_count = bytes;
        put_u32(wrong_count, 12, count);
        expect_refused(wrong_count, "claims " + std::to_string(count) + " layer sizes; a model has 2 to 34",
                       std::to_string(count) + " layer sizes");
    }
    std::vector<std::uint8_t> classes = bytes;
    put_u32(classes, 16 + 12, 7);
    expect_refused(classes, "has 7 outputs", "seven classes");
    // 2^30 weights (32768 x 32768) in a file of a few hundred bytes: refused from the length
    // alone, before 4 GB are allocated (under AddressSanitizer, such an allocation would fail).
    std::vector<std::uint8_t> huge = bytes;
    put_u32(huge, 16, 32768);
    put_u32(huge, 20, 32768);
    expect_refused(huge, "is truncated: sizes 32768-32768-3-10 need", "2^30 weights claimed");
    std::vector<std::uint8_t> over_int = bytes;
    put_u32(over_int, 16, 65536);
    put_u32(over_int, 20, 65536);
    expect_refused(over_int, "claims 4294967296 weights in layer 1", "2^32 weights claimed");

    // ---- Keeping the best epoch: the lowest validation loss wins, and comes back. ------------
    // Three epochs with validation losses 0.5, 0.3, 0.4 and a different weight each time: the
    // kept epoch must be 2, and restoring must bring back epoch 2's weight, not the last one.
    {
        Rng best_rng(5);
        Network<float> run = make_network<float>({3, 2, 10}, best_rng);
        BestWeights best;
        const double val_losses[3] = {0.5, 0.3, 0.4};
        const bool expected_kept[3] = {true, true, false};
        for (int epoch = 1; epoch <= 3; ++epoch) {
            run.layers[0].W(0, 0) = static_cast<float>(epoch);  // marks which epoch the weights are from
            const bool kept = keep_if_best(best, run, epoch, val_losses[epoch - 1]);
            check::equal(kept, expected_kept[epoch - 1], "keep_if_best at epoch " + std::to_string(epoch));
        }
        check::equal(best.epoch, 2, "the epoch with the lowest validation loss is kept");
        check::expect(best.val_loss == 0.3, "and its validation loss");
        restore_weights(run, best);
        check::expect(run.layers[0].W(0, 0) == 2.0f, "restore_weights brings back epoch 2's weights");
        check::expect(!keep_if_best(best, run, 4, 0.3), "a tie keeps the earlier epoch");
    }

    // ---- Every parameter comes back, not just one. ----------------------------------------------
    // Each epoch gives every weight and bias of every layer its own value, epoch * 1000 + a
    // running number, so a restore that skips a layer, the biases, or part of a matrix, or that
    // takes another epoch's copy, leaves some parameter whose value says so.
    {
        Rng best_rng(6);
        Network<float> run = make_network<float>({4, 3, 5, 10}, best_rng);
        const auto mark = [&](int epoch) {
            float n = 0;
            for (DenseLayer<float>& layer : run.layers) {
                for (float& w : layer.W.data) w = static_cast<float>(epoch * 1000) + n++;
                for (float& b : layer.b.data) b = static_cast<float>(epoch * 1000) + n++;
            }
        };
        BestWeights best;
        const double val_losses[4] = {0.9, 0.2, 0.5, 0.3};  // epoch 2 is the best
        for (int epoch = 1; epoch <= 4; ++epoch) {
            mark(epoch);
            keep_if_best(best, run, epoch, val_losses[epoch - 1]);
        }
        restore_weights(run, best);
        float n = 0;
        int wrong = 0, checked = 0;
        for (const DenseLayer<float>& layer : run.layers) {
            for (float w : layer.W.data) wrong += w != 2000 + n++, ++checked;
            for (float b : layer.b.data) wrong += b != 2000 + n++, ++checked;
        }
        check::equal(checked, static_cast<long long>(run.parameter_count()), "every parameter looked at");
        check::equal(wrong, 0, "parameters not back at epoch 2's value after restore_weights");
    }

    // ---- The real program, on MNIST. -----------------------------------------------------------
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-model");
    const std::string data = std::string("--data '") + MNIST_DATA_DIR + "' ";
    const std::string model = (scratch / "model.bin").string();
    const std::string report1 = (scratch / "saved.json").string(), report2 = (scratch / "loaded.json").string();

    // A small, fast run: 2 epochs of a 784-16-10 network.
    const ProgramRun saved = run_mnist(data + "--epochs 2 --hidden 16 --valid 5000 --save '" + model +
                                           "' --report '" + report1 + "'", scratch);
    check::equal(saved.exit_code, 0, "training with --save (stderr: " + saved.err + ")");
    check::contains(saved.out, "Best epoch: ", "the best epoch is named");
    check::contains(saved.out, "its weights are kept and saved to " + model, "and where it went");
    check::expect(std::filesystem::exists(model), "the model file exists");
    check::expect(!std::filesystem::exists(model + ".tmp"), "no temporary file is left behind");
    const std::string saved_json = read_text(report1);
    check::contains(saved_json, "\"best_epoch\": ", "the report names the best epoch");
    {
        // The fingerprint line, the report's field and the saved file's CRC: one number.
        const std::string printed = line_starting(saved.out, "Weights fingerprint: ");
        const std::string value = printed.substr(std::min(printed.size(), std::string("Weights fingerprint: ").size()));
        check::expect(std::regex_match(value, std::regex("[0-9a-f]{8}")), "the fingerprint line: " + printed);
        check::equal(json_field(saved_json, "weights_fingerprint"), "\"" + value + "\"", "the report's fingerprint");
        check::equal(fingerprint_text(weights_fingerprint(load_model(model))), value,
                     "the saved model's fingerprint is the one printed");
    }
    {
        // The epoch the report names must be the one with the lowest val_loss in its history.
        const std::regex val_loss_field("\"val_loss\": ([0-9.eE+-]+)");
        int epoch = 0, lowest_epoch = 0;
        double lowest = 0;
        for (auto it = std::sregex_iterator(saved_json.begin(), saved_json.end(), val_loss_field);
             it != std::sregex_iterator(); ++it) {
            ++epoch;
            const double v = std::stod((*it)[1]);
            if (epoch == 1 || v < lowest) { lowest = v; lowest_epoch = epoch; }
        }
        check::equal(epoch, 2, "two epochs in the report's history");
        check::equal(json_field(saved_json, "best_epoch"), std::to_string(lowest_epoch),
                     "best_epoch is the epoch of the lowest val_loss");
    }

    // The promise of --save: loading the file and evaluating it gives the same test result,
    // to the last digit, as the run that saved it printed.
    const ProgramRun loaded = run_mnist(data + "--load '" + model + "' --epochs 0 --report '" + report2 + "'", scratch);
    check::equal(loaded.exit_code, 0, "--load --epochs 0 (stderr: " + loaded.err + ")");
    check::contains(loaded.out, "Network: 784-16-10", "the sizes come from the file");
    check::equal(line_starting(loaded.out, "Test: "), line_starting(saved.out, "Test: "),
                 "the loaded model's test line equals the saving run's");
    const std::string loaded_json = read_text(report2);
    check::equal(json_field(loaded_json, "test_loss"), json_field(saved_json, "test_loss"), "test_loss to 9 digits");
    check::equal(json_field(loaded_json, "test_accuracy"), json_field(saved_json, "test_accuracy"), "test_accuracy");
    check::contains(loaded_json, "\"hidden\": [16]", "the report's hidden sizes are the file's");
    check::expect(loaded_json.find("best_epoch") == std::string::npos, "no best_epoch without --save");
    check::equal(line_starting(loaded.out, "Weights fingerprint: "), line_starting(saved.out, "Weights fingerprint: "),
                 "the loaded model prints the saving run's fingerprint");

    // --hidden that contradicts the file: a usage error, exit 2.
    const ProgramRun contradicts = run_mnist(data + "--load '" + model + "' --epochs 0 --hidden 32", scratch);
    check::equal(contradicts.exit_code, 2, "--hidden against the file: exit code");
    check::contains(contradicts.err, "--hidden: the model in " + model + " is 784-16-10", "--hidden against the file: message");
    const ProgramRun agrees = run_mnist(data + "--load '" + model + "' --epochs 0 --hidden 16", scratch);
    check::equal(agrees.exit_code, 0, "--hidden that agrees with the file is fine");

    // Damaged files, through the program: one line naming the file and the fault, exit 1.
    std::vector<std::uint8_t> file;
    {
        std::ifstream in(model, std::ios::binary);
        file.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::filesystem::path damaged = scratch / "damaged.bin";
    auto write = [&](const std::vector<std::uint8_t>& b) {
        std::ofstream out(damaged, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    };
    const std::string load_damaged = data + "--epochs 0 --load '" + damaged.string() + "'";
    std::vector<std::uint8_t> bad = file;
    bad[file.size() / 2] ^= 0x40;
    write(bad);
    expect_data_error(run_mnist(load_damaged, scratch), damaged.string() + ": checksum mismatch", "flipped byte");
    write(std::vector<std::uint8_t>(file.begin(), file.end() - 100));
    expect_data_error(run_mnist(load_damaged, scratch), damaged.string() + ": is truncated", "truncated file");
    bad = file;
    bad.push_back('x');
    write(bad);
    expect_data_error(run_mnist(load_damaged, scratch), "has 1 trailing bytes", "appended byte");
    bad = file;
    bad[8] = 9;
    write(bad);
    expect_data_error(run_mnist(load_damaged, scratch), "format version 9", "wrong version");
    write(std::vector<std::uint8_t>{'P', '5', '\n'});
    expect_data_error(run_mnist(load_damaged, scratch), "not a model file", "not a model at all");
    expect_data_error(run_mnist(data + "--load '" + (scratch / "nothing.bin").string() + "'", scratch),
                      "nothing.bin: no such file", "missing model file");

    // A model of 8x8 images does not fit MNIST's 28x28: named as such.
    const std::filesystem::path tiny = scratch / "tiny";
    std::filesystem::create_directories(tiny);
    write_tiny_dataset(tiny, 300, 50);
    const std::string tiny_model = (scratch / "tiny.bin").string();
    const ProgramRun tiny_run = run_mnist("--data '" + tiny.string() + "' --valid 50 --epochs 1 --hidden 8 --save '" +
                                              tiny_model + "'", scratch);
    check::equal(tiny_run.exit_code, 0, "tiny training run");
    expect_data_error(run_mnist(data + "--epochs 0 --load '" + tiny_model + "'", scratch),
                      tiny_model + ": the model takes 64 inputs, but the images in", "8x8 model on 28x28 data");

    // --save into a directory that does not exist fails before any training.
    const ProgramRun nowhere = run_mnist(data + "--epochs 1 --save '" + (scratch / "no/such/dir/m.bin").string() + "'", scratch);
    check::equal(nowhere.exit_code, 1, "--save into a missing directory: exit code");
    check::contains(nowhere.err, "m.bin: cannot be written", "--save into a missing directory: message");
    check::expect(nowhere.out.find("Epoch 1/1") == std::string::npos, "--save's directory is checked before training");

    std::filesystem::remove_all(scratch);
    return check::summary("test_model_file");
}
