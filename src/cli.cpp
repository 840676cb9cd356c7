// cli.cpp: parsing and checking the options of cli.h.
#include "cli.h"

// How much memory the machine has: a question for the operating system, not for standard C++.
// POSIX answers through sysconf(), Windows through GlobalMemoryStatusEx().
#ifdef _WIN32
#ifndef NOMINMAX
#define NOMINMAX  // or windows.h defines min and max as macros, breaking std::min and std::max
#endif
#define WIN32_LEAN_AND_MEAN
#include <windows.h>
#else
#include <unistd.h>
#endif

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "errors.h"

namespace {

// True if a and b name the same file, even when spelled differently ("m.bin", "./m.bin").
// Neither needs to exist yet.
bool same_file_name(const std::string& a, const std::string& b) {
    namespace fs = std::filesystem;
    std::error_code error_a, error_b;
    // absolute() puts the current directory in front; weakly_canonical() then resolves "." and
    // ".." and any symbolic links in the part of the path that exists.
    const fs::path pa = fs::weakly_canonical(fs::absolute(a, error_a), error_a);
    const fs::path pb = fs::weakly_canonical(fs::absolute(b, error_b), error_b);
    if (error_a || error_b) return a == b;
    return pa == pb;
}

[[noreturn]] void bad_value(const std::string& flag, const std::string& value,
                            const std::string& expected) {
    throw UsageError(flag + ": expected " + expected + ", got '" + value + "'");
}

// A whole number in [low, high], written in plain decimal digits and nothing else.
// strtoll alone would accept " 12", "12abc" (as 12) and "+12", and clamp "99999999999999999999"
// to LLONG_MAX; we refuse all of those.
long long parse_integer(const std::string& flag, const std::string& value, long long low,
                        long long high) {
    const std::string expected =
        "a whole number from " + std::to_string(low) + " to " + std::to_string(high);
    if (value.empty()) bad_value(flag, value, expected);
    for (std::size_t i = 0; i < value.size(); ++i) {
        const bool sign = (i == 0 && value[i] == '-');
        if (!sign && (value[i] < '0' || value[i] > '9')) bad_value(flag, value, expected);
    }
    errno = 0;
    const long long n = std::strtoll(value.c_str(), nullptr, 10);
    if (errno == ERANGE || n < low || n > high) bad_value(flag, value, expected);
    return n;
}

// The seed takes any 64-bit unsigned value, so it has its own parser.
std::uint64_t parse_seed(const std::string& value) {
    const std::string expected = "a whole number from 0 to 18446744073709551615";
    if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        bad_value("--seed", value, expected);
    errno = 0;
    const unsigned long long n = std::strtoull(value.c_str(), nullptr, 10);
    if (errno == ERANGE) bad_value("--seed", value, expected);
    return n;
}

// A finite number, strictly inside (low, high) or, when low_inclusive, in [low, high).
float parse_real(const std::string& flag, const std::string& value, double low,
                 bool low_inclusive, double high, const std::string& expected) {
    if (value.empty()) bad_value(flag, value, expected);
    char* end = nullptr;
    errno = 0;
    const double x = std::strtod(value.c_str(), &end);
    if (*end != '\0' || errno == ERANGE || !std::isfinite(x)) bad_value(flag, value, expected);
    const bool above_low = low_inclusive ? x >= low : x > low;
    // The value is stored as a float: it must not round to 0 or to infinity on the way.
    const float f = static_cast<float>(x);
    if (!above_low || !(x < high) || !std::isfinite(f) || (x != 0 && f == 0))
        bad_value(flag, value, expected);
    return f;
}

// "128,128" -> {128, 128}. "none" -> {}: no hidden layer at all, i.e. softmax regression.
std::vector<int> parse_hidden(const std::string& value) {
    const std::string expected =
        "comma-separated layer widths from 1 to 100000 such as 128,128, or 'none'";
    if (value == "none") return {};
    std::vector<int> widths;
    std::size_t start = 0;
    for (;;) {
        const std::size_t comma = value.find(',', start);
        const std::string part = value.substr(start, comma == std::string::npos ? std::string::npos
                                                                                : comma - start);
        if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos)
            bad_value("--hidden", value, expected);
        errno = 0;
        const long long width = std::strtoll(part.c_str(), nullptr, 10);
        if (errno == ERANGE || width < 1 || width > 100000) bad_value("--hidden", value, expected);
        widths.push_back(static_cast<int>(width));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    if (widths.size() > 32) bad_value("--hidden", value, "at most 32 hidden layers");
    return widths;
}

}  // namespace

Options parse_command_line(int argc, const char* const argv[]) {
    Options o;
    // Which optimizer flags were given: their meaning depends on --optimizer, which may come
    // after them on the line, so they are checked once every flag has been read.
    bool lr_given = false, momentum_given = false, rho_given = false, eps_given = false;
    for (int i = 1; i < argc; ++i) {
        std::string flag = argv[i];
        if (flag == "-h") {
            o.help = true;
            continue;
        }
        if (flag.rfind("--", 0) != 0) throw UsageError("unexpected argument '" + flag + "'");

        // Both "--epochs 5" and "--epochs=5" are accepted.
        std::string value;
        bool has_value = false;
        const std::size_t equals = flag.find('=');
        if (equals != std::string::npos) {
            value = flag.substr(equals + 1);
            flag = flag.substr(0, equals);
            has_value = true;
        }
        auto next_value = [&]() -> std::string {
            if (has_value) return value;
            if (i + 1 >= argc) throw UsageError(flag + ": missing value");
            return argv[++i];
        };

        if (flag == "--help") {
            if (has_value) throw UsageError("--help takes no value");
            o.help = true;
        } else if (flag == "--data") {
            o.data_dir = next_value();
            if (o.data_dir.empty()) bad_value(flag, o.data_dir, "a directory");
        } else if (flag == "--epochs") {
            o.epochs = static_cast<int>(parse_integer(flag, next_value(), 0, 100000));
        } else if (flag == "--batch") {
            o.batch_size = static_cast<int>(parse_integer(flag, next_value(), 1, 1000000));
        } else if (flag == "--hidden") {
            o.hidden = parse_hidden(next_value());
            o.hidden_given = true;
        } else if (flag == "--optimizer") {
            const std::string name = next_value();
            if (!optimizer_kind_from_name(name, o.optimizer.kind))
                bad_value(flag, name, "one of sgd, momentum, rmsprop, adam");
        } else if (flag == "--lr") {
            o.optimizer.learning_rate =
                parse_real(flag, next_value(), 0, false, 1e30, "a number above 0, such as 0.001");
            lr_given = true;
        } else if (flag == "--momentum") {
            o.optimizer.momentum = parse_real(flag, next_value(), 0, true, 1, "a number from 0 up to (not including) 1, such as 0.9");
            momentum_given = true;
        } else if (flag == "--rho") {
            o.optimizer.rho = parse_real(flag, next_value(), 0, true, 1, "a number from 0 up to (not including) 1, such as 0.9");
            rho_given = true;
        } else if (flag == "--eps") {
            o.optimizer.epsilon = parse_real(flag, next_value(), 0, false, 1, "a number above 0 and below 1, such as 1e-07");
            eps_given = true;
        } else if (flag == "--lr-decay") {
            const std::string expected = "a number above 0 and at most 1, such as 0.9";
            const std::string text = next_value();
            o.lr_decay = parse_real(flag, text, 0, false, 2, expected);
            if (o.lr_decay > 1) bad_value(flag, text, expected);
        } else if (flag == "--dropout") {
            o.regularization.dropout = parse_real(flag, next_value(), 0, true, 1, "a rate from 0 up to (not including) 1, such as 0.2");
        } else if (flag == "--input-dropout") {
            o.regularization.input_dropout = parse_real(flag, next_value(), 0, true, 1, "a rate from 0 up to (not including) 1, such as 0.2");
        } else if (flag == "--l2") {
            o.regularization.l2 = parse_real(flag, next_value(), 0, true, 1e30, "a number from 0 up, such as 1e-4");
        } else if (flag == "--valid") {
            o.valid_count = static_cast<int>(parse_integer(flag, next_value(), 0, 1000000000));
        } else if (flag == "--seed") {
            o.seed = parse_seed(next_value());
        } else if (flag == "--index") {
            o.index = static_cast<int>(parse_integer(flag, next_value(), 0, 1000000000));
        } else if (flag == "--threads") {
            o.threads = static_cast<int>(parse_integer(flag, next_value(), 1, 256));
        } else if (flag == "--kernels") {
            const std::string value = next_value();
            if (value == "fast")
                o.kernels = Kernels::fast;
            else if (value == "naive")
                o.kernels = Kernels::naive;
            else
                bad_value(flag, value, "fast or naive");
        } else if (flag == "--report") {
            o.report_path = next_value();
            if (o.report_path.empty()) bad_value(flag, o.report_path, "a file name");
        } else if (flag == "--plots") {
            o.plots_dir = next_value();
            if (o.plots_dir.empty()) bad_value(flag, o.plots_dir, "a directory");
        } else if (flag == "--verbose") {
            if (has_value) throw UsageError("--verbose takes no value");
            o.verbose = true;
        } else if (flag == "--save") {
            o.save_path = next_value();
            if (o.save_path.empty()) bad_value(flag, o.save_path, "a file name");
        } else if (flag == "--load") {
            o.load_path = next_value();
            if (o.load_path.empty()) bad_value(flag, o.load_path, "a file name");
        } else {
            throw UsageError("unknown option '" + flag + "'");
        }
    }
    // A flag the chosen rule would ignore is refused: "--optimizer sgd --momentum 0.9" must not
    // quietly train without momentum.
    const OptimizerKind kind = o.optimizer.kind;
    const std::string chosen = " (the optimizer is " + optimizer_name(kind) + ")";
    if (momentum_given && kind != OptimizerKind::momentum)
        throw UsageError("--momentum: only --optimizer momentum uses it" + chosen);
    if (rho_given && kind != OptimizerKind::rmsprop)
        throw UsageError("--rho: only --optimizer rmsprop uses it" + chosen);
    if (eps_given && kind != OptimizerKind::rmsprop && kind != OptimizerKind::adam)
        throw UsageError("--eps: only --optimizer rmsprop and adam use it" + chosen);
    if (!lr_given) o.optimizer.learning_rate = default_learning_rate(kind);
    // The report is written last: given the model's own file name, it would silently replace
    // the model just saved.
    if (!o.save_path.empty() && !o.report_path.empty() && same_file_name(o.save_path, o.report_path))
        throw UsageError("--save and --report name the same file, '" + o.save_path +
                         "': the report would overwrite the model");
    return o;
}

std::string usage_text() {
    return
        "usage: ./mnist [options]\n"
        "       ./mnist gradcheck [--bug NAME | --list-bugs]   check every gradient (docs/06)\n"
        "       ./mnist trace                                  one training step of a tiny network,\n"
        "                                                      every number printed (docs/04)\n"
        "       ./mnist predict MODEL IMAGE                    classify your own digit, a PGM image\n"
        "                                                      (docs/predict.md)\n"
        "       ./mnist export-pgm INDEX FILE [--data DIR]     write test image INDEX as a PGM image\n"
        "       ./mnist page MODEL OUT.html                    the model as a web page: draw a digit\n"
        "                                                      and watch the network read it\n"
        "\n"
        "Trains a 784-128-128-10 multilayer perceptron on MNIST with RMSProp, as the Keras\n"
        "tutorial does, then evaluates it on the test set. With no options: the tutorial.\n"
        "Recipes that do better: docs/recipes.md.\n"
        "\n"
        "options:\n"
        "  --data DIR       directory with the four MNIST IDX files         (default: data)\n"
        "  --epochs N       passes over the training set                    (default: 21)\n"
        "  --batch N        images per gradient step                        (default: 64)\n"
        "  --hidden W,W     hidden layer widths, or 'none'                  (default: 128,128)\n"
        "  --optimizer O    sgd, momentum, rmsprop or adam (docs/05)        (default: rmsprop)\n"
        "  --lr X           learning rate; default: Keras' for the optimizer, 0.01 for\n"
        "                   sgd and momentum, 0.001 for rmsprop and adam\n"
        "  --momentum X     momentum's decay of the velocity                (default: 0.9)\n"
        "  --rho X          RMSProp decay of the squared-gradient average   (default: 0.9)\n"
        "  --eps X          RMSProp and Adam epsilon                        (default: 1e-07)\n"
        "  --lr-decay X     the learning rate's factor after each epoch     (default: 1, off)\n"
        "  --dropout X      share of hidden units dropped in training       (default: 0)\n"
        "  --input-dropout X  share of input pixels dropped in training     (default: 0)\n"
        "  --l2 X           add X * sum(W^2) over all weights to the loss   (default: 0)\n"
        "  --valid N        training images held out for validation         (default: 10000)\n"
        "  --seed N         seed for weights, shuffling and dropout         (default: 42)\n"
        "  --index I        test image whose class scores are shown         (default: 0)\n"
        "  --threads N      threads for the matrix products         (default: one per core)\n"
        "  --kernels K      fast, or naive: the plain loops of matrix.cpp, one thread,\n"
        "                   the same numbers, slower (docs/performance.md)   (default: fast)\n"
        "  --report FILE    also write a JSON summary of the run to FILE\n"
        "  --plots DIR      also draw the run as SVG pictures in DIR (created if needed),\n"
        "                   with DIR/index.html, a page to draw digits on\n"
        "  --verbose        print a training-health line (and the learning rate) every epoch\n"
        "  --save FILE      keep the epoch with the lowest validation loss, use it for the test,\n"
        "                   and save it to FILE (docs/model-format.md)\n"
        "  --load FILE      start from the model in FILE; --epochs 0 only evaluates it\n"
        "  --help           this text\n"
        "\n"
        "Exit status: 0 on success, 1 for a data or training error, 2 for a bad command line.\n"
        "Set NO_COLOR=1 to turn colours off.\n";
}

namespace {

std::string hidden_text(const std::vector<int>& sizes) {
    std::string text;
    for (std::size_t l = 1; l + 1 < sizes.size(); ++l) text += (l > 1 ? "," : "") + std::to_string(sizes[l]);
    return text.empty() ? "none" : text;
}

std::string gigabytes(double bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
    return text;
}

// The machine's physical memory in bytes, or 0 if the system does not say.
double physical_memory() {
#ifdef _WIN32
    MEMORYSTATUSEX status;
    status.dwLength = sizeof status;
    if (!GlobalMemoryStatusEx(&status)) return 0;
    return double(status.ullTotalPhys);
#else
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return 0;
    return double(pages) * page_size;
#endif
}

}  // namespace

void check_network_fits(const std::vector<int>& sizes, int batch_rows) {
    // Per layer l (D inputs, H outputs): D*H + H parameters, each stored three times in float (W,
    // dW and RMSProp's v); and for every example of a batch, H numbers in each of Z, dZ and, for
    // hidden layers, A and dA. Counted in double: the products can pass 2^63.
    double bytes = 4.0 * batch_rows * sizes[0];  // the batch X itself
    for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
        const double weights = double(sizes[l]) * sizes[l + 1];
        if (weights > INT_MAX)
            throw UsageError("--hidden " + hidden_text(sizes) + ": layer " + std::to_string(l + 1) + " would have " +
                             std::to_string(static_cast<long long>(weights)) +
                             " weights; at most " + std::to_string(INT_MAX) + " per layer");
        bytes += 3 * 4.0 * (weights + sizes[l + 1]) + 4 * 4.0 * batch_rows * sizes[l + 1];
    }
    const double memory = physical_memory();
    if (memory <= 0) return;  // the system does not say: let the allocation decide
    if (bytes > memory)
        throw UsageError("--hidden " + hidden_text(sizes) + " with batches of " + std::to_string(batch_rows) +
                         ": training would need at least " + gigabytes(bytes) +
                         " (weights, gradients, RMSProp state, activations), more than this machine's " +
                         gigabytes(memory) + " of memory");
}
