// predict_command.cpp: the two commands of predict_command.h.
#include "predict_command.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "errors.h"
#include "idx.h"
#include "model_file.h"
#include "pgm.h"
#include "prepare_digit.h"
#include "terminal.h"

namespace {

const char kPredictUsage[] =
    "usage: ./mnist predict MODEL IMAGE [--exact]\n"
    "\n"
    "Classifies the digit in IMAGE, a grey-scale PGM file (P2 or P5, any size, dark ink on light\n"
    "paper or the reverse), with the network in MODEL, a file written by ./mnist --save MODEL.\n"
    "The image is prepared as MNIST's digits were (scaled into a 20x20 box, centred by its\n"
    "centre of mass in 28x28; a 28x28 image is taken as it is) and shown before the answer.\n"
    "--exact also prints each probability to 9 significant digits, enough to tell any two\n"
    "floats apart (to compare with another program, such as the page of ./mnist page).\n"
    "See docs/predict.md.\n";

const char kExportUsage[] =
    "usage: ./mnist export-pgm INDEX FILE [--data DIR]\n"
    "\n"
    "Writes test image INDEX (0 to 9999 for MNIST) of the data in DIR (default: data) to FILE\n"
    "as a binary PGM image, light digit on a dark ground as MNIST stores it. ./mnist predict\n"
    "reads it back.\n";

bool is_help(const std::string& arg) {
    return arg == "--help" || arg == "-h";
}

// The words for what prepare_digit() did, e.g. "inverted (dark ink on light paper); ink
// 31x45 scaled to 14x20 and centred by mass in 28x28".
std::string preparation_text(const PreparedDigit& d) {
    std::string text = d.inverted ? "inverted (dark ink on light paper)" : "not inverted (light ink on a dark ground)";
    if (!d.reboxed)
        return text + "; already 28x28, so taken as it is";
    return text + "; ink " + std::to_string(d.ink_width) + "x" + std::to_string(d.ink_height) + " scaled to " +
           std::to_string(d.box_width) + "x" + std::to_string(d.box_height) + " and centred by mass in 28x28";
}

}  // namespace

int predict_command(int argc, char** argv) {
    std::vector<std::string> paths;
    bool exact = false;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (is_help(arg)) {
            std::printf("%s", kPredictUsage);
            return 0;
        }
        if (arg == "--exact") {
            exact = true;
            continue;
        }
        if (arg.rfind("--", 0) == 0) throw UsageError("predict: unknown option '" + arg + "'");
        paths.push_back(arg);
    }
    if (paths.size() != 2)
        throw UsageError("predict: expected MODEL IMAGE (two file names), got " + std::to_string(paths.size()) +
                         " argument" + (paths.size() == 1 ? "" : "s"));
    const std::string& model_path = paths[0];
    const std::string& image_path = paths[1];

    Network<float> net = load_model(model_path);
    const std::vector<int> sizes = net.sizes();
    if (sizes.front() != kDigitSide * kDigitSide)
        throw DataError(model_path + ": the model takes " + std::to_string(sizes.front()) + " inputs; predict prepares " +
                        std::to_string(kDigitSide) + "x" + std::to_string(kDigitSide) + " images (" +
                        std::to_string(kDigitSide * kDigitSide) + " inputs), as for MNIST");
    const PgmImage image = read_pgm(image_path);
    const PreparedDigit digit = prepare_digit(image);
    if (digit.blank) throw DataError(image_path + ": has no digit in it: every pixel is the same grey");

    // One image is a batch of N = 1: X is 1 x 784, pixels / 255 as in dataset.h's gather_batch.
    Matrix<float> X(1, kDigitSide * kDigitSide);
    for (int p = 0; p < X.cols; ++p) X(0, p) = digit.pixels[p] / 255.0f;
    const Matrix<float>& probs = forward(net, X);
    const int predicted = predicted_class(probs, 0);

    std::printf("Model: %s (%ld parameters)\n", model_path.c_str(), net.parameter_count());
    std::printf("Image: %s, %dx%d pixels, maxval %d\n", image_path.c_str(), image.width, image.height, image.maxval);
    std::printf("Prepared as MNIST's digits were: %s\n", preparation_text(digit).c_str());
    std::printf("%s", draw_image(digit.pixels.data(), kDigitSide, kDigitSide, use_colour(stdout)).c_str());
    std::printf("Class scores (softmax probabilities):\n%s",
                class_scores_text(probs.row(0), probs.cols, predicted, -1).c_str());
    std::printf("Predicted digit: %d\n", predicted);
    // 9 significant digits single out one float: a float's 24-bit significand needs
    // 1 + ceil(24 log10(2)) = 9 decimal digits to survive a trip to text and back, so reading
    // these numbers and rounding them to float gives the very bits computed.
    if (exact) {
        std::printf("Exact probabilities (float32, 9 significant digits):\n");
        for (int k = 0; k < probs.cols; ++k) std::printf("  %d  %.9g\n", k, double(probs(0, k)));
    }
    return 0;
}

int export_pgm_command(int argc, char** argv) {
    std::vector<std::string> positional;
    std::string data_dir = "data";
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (is_help(arg)) {
            std::printf("%s", kExportUsage);
            return 0;
        }
        if (arg == "--data" || arg.rfind("--data=", 0) == 0) {
            if (arg == "--data" && i + 1 >= argc) throw UsageError("export-pgm: --data: missing value");
            data_dir = arg == "--data" ? argv[++i] : arg.substr(7);
            if (data_dir.empty()) throw UsageError("export-pgm: --data: expected a directory, got ''");
        } else if (arg.rfind("--", 0) == 0) {
            throw UsageError("export-pgm: unknown option '" + arg + "'");
        } else {
            positional.push_back(arg);
        }
    }
    if (positional.size() != 2)
        throw UsageError("export-pgm: expected INDEX FILE, got " + std::to_string(positional.size()) + " argument" +
                         (positional.size() == 1 ? "" : "s"));
    const std::string& index_text = positional[0];
    const std::string& path = positional[1];
    if (index_text.empty() || index_text.size() > 9 || index_text.find_first_not_of("0123456789") != std::string::npos)
        throw UsageError("export-pgm: INDEX: expected a whole number from 0, got '" + index_text + "'");
    const int index = std::atoi(index_text.c_str());

    const MnistData data = load_mnist(data_dir);
    const Dataset& test = data.test;
    if (index >= test.count)
        throw UsageError("export-pgm: INDEX: " + index_text + " is past the end of the test set (" +
                         std::to_string(test.count) + " images, so 0 to " + std::to_string(test.count - 1) + ")");
    PgmImage image;
    image.width = test.cols;
    image.height = test.rows;
    image.maxval = 255;
    const std::size_t P = static_cast<std::size_t>(test.pixels_per_image());
    image.pixels.assign(test.pixels.begin() + index * P, test.pixels.begin() + (index + 1) * P);
    const int label = test.labels[index];
    write_pgm(path, image, "MNIST test image " + index_text + ", label " + std::to_string(label));
    std::printf("Wrote test image %d (label %d, %dx%d) to %s\n", index, label, image.width, image.height, path.c_str());
    return 0;
}
