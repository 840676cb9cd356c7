// test_hostile_input: every kind of bad input a user can give the real ./mnist, and what it must
// do: one line on stderr naming the file or flag and the fault, and exit code 1 (data, training)
// or 2 (command line); never a crash, never a run on garbage. Each case builds a small data
// directory (8x8 images, tests/process.h), breaks one thing, and runs the program.
// (tests/test_cli.cpp has the first command-line cases; this file is the full catalogue.)
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include <unistd.h>

#include "check.h"
#include "divergence.h"
#include "errors.h"
#include "process.h"
#include "train.h"

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

namespace {

fs::path scratch;
int directories = 0;

// A fresh data directory (600 training, 100 test images), after `damage` has been done to it.
fs::path data_dir(const std::function<void(const fs::path&)>& damage) {
    const fs::path dir = scratch / ("data" + std::to_string(++directories));
    fs::create_directories(dir);
    write_tiny_dataset(dir, 600, 100);
    damage(dir);
    return dir;
}

std::string quoted(const fs::path& p) { return "'" + p.string() + "'"; }

long long non_empty_lines(const std::string& text) {
    long long lines = 0;
    bool in_line = false;
    for (char c : text) {
        if (c == '\n') {
            lines += in_line;
            in_line = false;
        } else {
            in_line = true;
        }
    }
    return lines + in_line;
}

// Runs the program and checks: the exit code, one line on stderr, and every expected part of it.
ProgramRun expect_failure(const std::string& arguments, int exit_code,
                          const std::vector<std::string>& message_parts, const std::string& label) {
    const ProgramRun run = run_mnist(arguments, scratch);
    check::equal(run.exit_code, exit_code, label + ": exit code (stderr: " + run.err + ")");
    check::equal(non_empty_lines(run.err), 1, label + ": one line on stderr");
    check::contains(run.err, "mnist: ", label + ": the line starts with the program's name");
    for (const std::string& part : message_parts) check::contains(run.err, part, label + ": message");
    return run;
}

// A data fault: exit 1, and the message starts with the file's path.
void expect_data_error(const fs::path& dir, const std::string& file, const std::string& fault,
                       const std::string& label) {
    expect_failure("--data " + quoted(dir) + " --valid 100 --epochs 1", 1,
                   {"mnist: " + (dir / file).string() + ": " + fault}, label);
}

void expect_usage_error(const std::string& arguments, const std::string& message_part) {
    const ProgramRun run = expect_failure(arguments, 2, {message_part, "(see ./mnist --help)"}, "'" + arguments + "'");
    check::equal(run.out, "", "'" + arguments + "': nothing on stdout");
}

void idx_files() {
    const std::string images = "train-images-idx3-ubyte";

    // The mistakes people make.
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3}); }),
                      images, "is gzip-compressed: run gunzip on it first", "a gzip file under the IDX name");
    expect_data_error(data_dir([&](const fs::path& d) {
                          fs::remove(d / images);
                          write_bytes(d / (images + ".gz"), {0x1f, 0x8b, 8, 0});
                      }),
                      images + ".gz", "is gzip-compressed: run gunzip on it first", "only the .gz is there");
    expect_data_error(data_dir([&](const fs::path& d) {
                          fs::remove(d / images);
                          fs::create_directory(d / images);
                      }),
                      images, "is a directory, not an IDX file", "a directory where the file should be");
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {}); }), images,
                      "is empty (0 bytes)", "an empty file");
    expect_data_error(data_dir([&](const fs::path& d) { fs::remove(d / "t10k-labels-idx1-ubyte"); }),
                      "t10k-labels-idx1-ubyte", "no such file (nor t10k-labels.idx1-ubyte)", "a missing file");

    // The dotted names some mirrors use are accepted, as they are.
    const fs::path dotted = data_dir([](const fs::path& d) {
        for (const char* stem : {"train-images", "train-labels", "t10k-images", "t10k-labels"}) {
            const std::string ext = std::string(stem).find("images") != std::string::npos ? "idx3-ubyte" : "idx1-ubyte";
            fs::rename(d / (std::string(stem) + "-" + ext), d / (std::string(stem) + "." + ext));
        }
    });
    const ProgramRun ok = run_mnist("--data " + quoted(dotted) + " --valid 100 --epochs 1", scratch);
    check::equal(ok.exit_code, 0, "dotted file names: exit code (stderr: " + ok.err + ")");
    check::contains(ok.out, "Data: 500 training, 100 validation, 100 test images of 8x8", "dotted file names load");

    // Damaged files.
    expect_data_error(data_dir([&](const fs::path& d) {
                          Bytes b = read_bytes(d / images);
                          b.resize(b.size() - 10);
                          write_bytes(d / images, b);
                      }),
                      images, "is truncated: its header (600x8x8) promises 38400 bytes of data, the file holds 38390",
                      "a file cut short");
    expect_data_error(data_dir([&](const fs::path& d) {
                          Bytes b = read_bytes(d / images);
                          b.insert(b.end(), {1, 2, 3});
                          write_bytes(d / images, b);
                      }),
                      images, "has 3 trailing bytes after the 38400 bytes its header (600x8x8) describes",
                      "bytes after the data");
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {0, 0, 8}); }), images,
                      "is only 3 bytes, too short for an IDX header", "a 3-byte file");
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {'P', '5', '\n', '8', ' ', '8'}); }),
                      images, "is not an IDX file: it starts with bytes 50 35", "another format (PGM)");
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}); }),
                      images, "holds 32-bit floats (IDX type 0x0d); only unsigned bytes", "floats, not bytes");
    expect_data_error(data_dir([&](const fs::path& d) { write_bytes(d / images, {0, 0, 8, 3, 0, 0, 0, 2, 0, 0}); }),
                      images, "is truncated: its header needs 16 bytes for 3 dimensions, the file has 10",
                      "a header cut short");
    // A header claiming 4294967295 images of 28x28 (3.4 TB) in a file of 16 bytes: reported from
    // the header and the real size alone, before anything is allocated.
    expect_data_error(data_dir([&](const fs::path& d) { write_idx(d / images, {0xffffffffu, 28, 28}, {}); }),
                      images, "is truncated: its header (4294967295x28x28) promises 3367254359280 bytes",
                      "a header that lies about the size");

    // Files that are well formed but do not fit together.
    expect_data_error(data_dir([&](const fs::path& d) { write_idx(d / images, {600, 64}, Bytes(600 * 64, 0)); }),
                      images, "has 2 dimensions; images need 3", "images that are not images");
    expect_data_error(data_dir([&](const fs::path& d) { write_idx(d / images, {0, 8, 8}, {}); }), images,
                      "holds no images", "no images at all");
    expect_data_error(data_dir([&](const fs::path& d) {
                          Bytes labels(600, 1);
                          labels[3] = 12;
                          write_idx(d / "train-labels-idx1-ubyte", {600}, labels);
                      }),
                      "train-labels-idx1-ubyte", "label 3 is 12, not a digit 0-9", "a label that is not a digit");
    expect_data_error(data_dir([&](const fs::path& d) { write_idx(d / "train-labels-idx1-ubyte", {599}, Bytes(599, 1)); }),
                      "train-labels-idx1-ubyte", "holds 599 labels but", "fewer labels than images");
    expect_data_error(data_dir([&](const fs::path& d) { write_idx(d / "t10k-images-idx3-ubyte", {100, 4, 4}, Bytes(1600, 0)); }),
                      "t10k-images-idx3-ubyte", "holds 4x4 images but the training images are 8x8",
                      "test images of another size");

    // A file we may not read. (root reads everything, so this case needs an ordinary user.)
    if (geteuid() != 0) {
        expect_data_error(data_dir([&](const fs::path& d) { fs::permissions(d / images, fs::perms::none); }),
                          images, "cannot be opened: Permission denied", "an unreadable file");
    }

    // --data itself.
    expect_failure("--data " + quoted(scratch / "no-such-dir"), 1,
                   {(scratch / "no-such-dir").string() + ": no such directory"}, "--data names nothing");
    write_bytes(scratch / "a-file", {1, 2, 3});
    expect_failure("--data " + quoted(scratch / "a-file"), 1,
                   {(scratch / "a-file").string() + ": is a file; --data names the directory"}, "--data names a file");
}

void command_line(const fs::path& data) {
    const std::string d = "--data " + quoted(data) + " ";
    // The cases named in the issue.
    expect_usage_error("--batch 0", "--batch: expected a whole number from 1 to 1000000, got '0'");
    expect_usage_error("--hidden 128,,10", "--hidden: expected comma-separated layer widths");
    expect_usage_error("--epochs 1e99", "--epochs: expected a whole number from 0 to 100000, got '1e99'");
    expect_usage_error(d + "--valid 600", "--valid: 600 validation images would leave none to train on; the training set has 600");
    expect_usage_error(d + "--valid 100 --index 100", "--index: 100 is past the end of the test set (100 images, so 0 to 99)");

    // Negative, overflowing, malformed, out of range, for every kind of value.
    expect_usage_error("--batch -1", "--batch: expected a whole number from 1");
    expect_usage_error("--batch 99999999999999999999", "got '99999999999999999999'");
    expect_usage_error("--batch 1.5", "--batch: expected a whole number");
    expect_usage_error("--batch ' 12'", "--batch: expected a whole number");
    expect_usage_error("--epochs +5", "--epochs: expected a whole number");
    expect_usage_error("--epochs 0x10", "--epochs: expected a whole number");
    expect_usage_error("--valid -1", "--valid: expected a whole number from 0");
    expect_usage_error("--valid 1e3", "--valid: expected a whole number");
    expect_usage_error("--index 99999999999", "--index: expected a whole number from 0 to 1000000000");
    expect_usage_error("--threads 257", "--threads: expected a whole number from 1 to 256");
    expect_usage_error("--threads -2", "--threads");
    expect_usage_error("--seed 18446744073709551616", "--seed: expected a whole number from 0 to 18446744073709551615");
    expect_usage_error("--seed 1e5", "--seed");
    expect_usage_error("--hidden ,128", "--hidden");
    expect_usage_error("--hidden 128,", "--hidden");
    expect_usage_error("--hidden -5", "--hidden");
    expect_usage_error("--hidden 100001", "--hidden");
    expect_usage_error("--hidden 99999999999999999999", "--hidden");
    expect_usage_error("--hidden abc", "--hidden");
    expect_usage_error("--lr 1e30", "--lr: expected a number above 0");
    expect_usage_error("--lr inf", "--lr");
    expect_usage_error("--lr 1e-50", "--lr");  // would round to 0 as a float
    expect_usage_error("--lr 0.001x", "--lr");
    expect_usage_error("--lr=", "--lr");
    expect_usage_error("--rho -0.1", "--rho");
    expect_usage_error("--rho 1.5", "--rho");
    expect_usage_error("--eps 1", "--eps");
    expect_usage_error("--data=", "--data: expected a directory");
    expect_usage_error("--report=", "--report: expected a file name");
    expect_usage_error("--help=yes", "--help takes no value");

    // A value is checked as the float the program will use: 0.99999999 is below 1, but rounds
    // to 1.0f, and a momentum, rho or dropout rate of exactly 1 breaks the run.
    expect_usage_error("--optimizer momentum --momentum 0.99999999", "--momentum: expected a number from 0 up to (not including) 1");
    expect_usage_error("--rho 0.99999999", "--rho: expected a number from 0 up to (not including) 1");
    expect_usage_error("--dropout 0.99999999", "--dropout: expected a rate from 0 up to (not including) 1");
    expect_usage_error("--input-dropout 0.99999999", "--input-dropout: expected a rate");
    expect_usage_error("--eps 0.999999999", "--eps: expected a number above 0 and below 1");
    expect_usage_error("--dropout 1e-60", "--dropout");  // not 0, but rounds to 0
    // One number syntax for every option: what --epochs refuses, --lr refuses too.
    for (const char* flag : {"--lr", "--l2", "--dropout", "--lr-decay"}) {
        const std::string f = flag;
        expect_usage_error(f + " 0x10", f + ": expected");
        expect_usage_error(f + " ' 0.5'", f + ": expected");
        expect_usage_error(f + " '0.5 '", f + ": expected");
        expect_usage_error(f + " +0.5", f + ": expected");
        expect_usage_error(f + " nan", f + ": expected");
        expect_usage_error(f + " infinity", f + ": expected");
        expect_usage_error(f + " 1e", f + ": expected");
        expect_usage_error(f + " .", f + ": expected");
    }
    expect_usage_error("--seed -1", "--seed: expected a whole number");
    expect_usage_error("--hidden 0x10", "--hidden");

    // Unknown flags and missing arguments.
    expect_usage_error("--epoch 3", "unknown option '--epoch'");
    expect_usage_error("-x", "unexpected argument '-x'");
    expect_usage_error("--", "unknown option '--'");
    expect_usage_error("--epochs 3 --hidden", "--hidden: missing value");
    expect_usage_error("--seed", "--seed: missing value");

    // A network too large to train: refused before anything is allocated, not killed by the
    // system halfway. (32 layers of 46000: 2.1e9 weights each, 810 GB in all.)
    expect_usage_error(d + "--valid 100 --hidden 100000,100000",
                       "--hidden 100000,100000: layer 2 would have 10000000000 weights; at most 2147483647 per layer");
    std::string huge = "46000";
    for (int i = 1; i < 32; ++i) huge += ",46000";
    expect_usage_error(d + "--valid 100 --hidden " + huge, "of memory");

    // A report that cannot be written fails before training, not after.
    expect_failure(d + "--valid 100 --report " + quoted(scratch / "no-such-dir" / "r.json"), 1,
                   {(scratch / "no-such-dir" / "r.json").string() + ": cannot be written: the directory " +
                    (scratch / "no-such-dir").string() + "/ does not exist"},
                   "--report in a missing directory");
    const ProgramRun dir = expect_failure(d + "--valid 100 --report " + quoted(scratch), 1,
                                          {scratch.string() + ": is a directory"}, "--report names a directory");
    check::expect(dir.out.find("Epoch 1/") == std::string::npos, "--report is checked before training");
}

void divergence(const fs::path& data) {
    // A learning rate far too large: the logits overflow in the second step.
    // A loss that stays finite but enormous (RMSProp moves each weight by about lr per step).
    expect_failure("--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 8 --lr 1000", 1,
                   {"training diverged at epoch 1", "more than ten times the 2.30259 of guessing at random",
                    "try a smaller learning rate (--lr, now 1000)"},
                   "--lr 1000");
    expect_failure("--data " + quoted(data) + " --valid 100 --epochs 2 --lr 1e12", 1,
                   {"training diverged at epoch 1, step 2 of 8: the loss is NaN (not a number), first seen in layer 3 (dense 128->10)",
                    "try a smaller learning rate (--lr, now 1e+12)"},
                   "--lr 1e12");
    // A huge --l2: the penalty, not the step size, is at fault, and the advice says so.
    const ProgramRun l2 = expect_failure("--data " + quoted(data) + " --valid 100 --epochs 1 --hidden 8 --l2 1e10", 1,
                                         {"training diverged at epoch 1", "try a smaller --l2 (now 1e+10)"}, "--l2 1e10");
    check::expect(l2.err.find("--lr") == std::string::npos, "--l2 1e10: the advice does not blame --lr");
}

// A NaN weight the loss cannot see: its input is always 0, and products skip zero inputs, so the
// loss stays finite. The check of the weights after each update must catch it anyway.
void hidden_nan_weight() {
    Dataset d;
    d.count = 4;
    d.rows = 1;
    d.cols = 2;
    d.pixels = {200, 0, 100, 0, 50, 0, 250, 0};  // the second pixel is always 0
    d.labels = {0, 1, 0, 1};
    Rng rng(1);
    Network<float> net = make_network<float>({2, 3, 2}, rng);
    net.layers[0].W(1, 0) = NAN;  // the weight from the blank pixel to hidden unit 0
    Optimizer optimizer(net, OptimizerSettings{});
    std::vector<int> order = identity_order(d.count);
    std::string message;
    try {
        train_epoch(net, optimizer, RegularizationSettings{}, d, order, 4, 1, rng, nullptr);
    } catch (const TrainingError& e) {
        message = e.what();
    }
    check::contains(message, "training diverged at epoch 1, step 1 of 1: after the update, layer 1 (dense 2->3) weights hold a NaN",
                    "a NaN weight behind a zero input is caught");
    check::contains(message, "(the loss was 0.", "the loss itself was finite");
}

// parameters_finite() (divergence.h), the check after every update: an infinity either way, in
// a weight or a bias, is as much a divergence as a NaN.
void infinite_parameters() {
    Rng rng(1);
    const Network<float> clean = make_network<float>({2, 3, 2}, rng);
    check::expect(parameters_finite(clean), "a fresh network is finite");
    for (const float bad : {INFINITY, -INFINITY, NAN}) {
        Network<float> w = clean, b = clean;
        w.layers[1].W(2, 1) = bad;
        b.layers[0].b(0, 2) = bad;
        check::expect(!parameters_finite(w), "a weight of " + std::to_string(bad) + " is seen");
        check::expect(!parameters_finite(b), "a bias of " + std::to_string(bad) + " is seen");
    }
}

}  // namespace

int main() {
    infinite_parameters();
    scratch = make_scratch_dir("test_hostile_input");
    idx_files();
    const fs::path data = data_dir([](const fs::path&) {});
    command_line(data);
    divergence(data);
    hidden_nan_weight();
    fs::remove_all(scratch);
    return check::summary("test_hostile_input");
}
