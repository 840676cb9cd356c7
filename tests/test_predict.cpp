// test_predict: `./mnist predict` and `./mnist export-pgm`, through the real program, as a user
// runs them. A small model is trained on MNIST and saved; test digits are exported to PGM and
// predicted; the answers must be those the training program gives the same digits: the very
// same probabilities for an exported 28x28 digit (P5, and P2 drawn dark on light), and the
// same label for a digit redrawn twice as large on white paper. Then every way a user can get
// the command wrong, with its exit code and its one line.
#include <algorithm>
#include <regex>

#include "check.h"
#include "pgm.h"
#include "process.h"

namespace {

// The ten lines under "Class scores", reduced to "k probability" (the bars and the markers,
// which differ between the two programs, removed).
std::string scores_of(const std::string& out) {
    const std::size_t start = out.find("Class scores (softmax probabilities):\n");
    if (start == std::string::npos) return "(no class scores)";
    std::istringstream lines(out.substr(start));
    std::string line, scores;
    std::getline(lines, line);
    for (int k = 0; k < 10 && std::getline(lines, line); ++k) {
        std::istringstream words(line);
        std::string digit, probability;
        words >> digit >> probability;
        scores += digit + " " + probability + "\n";
    }
    return scores;
}

int predicted_by_predict(const std::string& out) {
    std::smatch m;
    return std::regex_search(out, m, std::regex("Predicted digit: ([0-9])")) ? std::stoi(m[1]) : -1;
}

// The training program's answer for its shown test image: the line marked "<- predicted".
int predicted_by_training_run(const std::string& out) {
    std::smatch m;
    return std::regex_search(out, m, std::regex("\n  ([0-9])  [^\n]*<- predicted")) ? std::stoi(m[1]) : -1;
}

void expect_failure(const ProgramRun& run, int code, const std::string& part, const std::string& what) {
    check::equal(run.exit_code, code, what + ": exit code");
    check::contains(run.err, part, what + ": message");
    check::equal(static_cast<long long>(std::count(run.err.begin(), run.err.end(), '\n')), 1, what + ": one line");
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

int main() {
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-predict");
    const std::string data = std::string("--data '") + MNIST_DATA_DIR + "' ";
    const std::string model = (scratch / "model.bin").string();
    auto quoted = [](const std::filesystem::path& p) { return "'" + p.string() + "'"; };

    const ProgramRun trained = run_mnist(data + "--epochs 1 --hidden 16 --valid 1000 --save '" + model + "'", scratch);
    check::equal(trained.exit_code, 0, "training the model (stderr: " + trained.err + ")");

    for (int index : {0, 1, 8}) {
        const std::string i = std::to_string(index);
        const std::filesystem::path pgm = scratch / ("test" + i + ".pgm");
        const ProgramRun exported = run_mnist("export-pgm " + i + " " + quoted(pgm) + " " + data, scratch);
        check::equal(exported.exit_code, 0, "export-pgm " + i + " (stderr: " + exported.err + ")");
        check::contains(exported.out, "Wrote test image " + i + " (label ", "export-pgm " + i + " says what it wrote");

        // What the program itself says about test image i, from the saved model.
        const ProgramRun reference = run_mnist(data + "--load '" + model + "' --epochs 0 --index " + i, scratch);
        check::equal(reference.exit_code, 0, "--load --index " + i);
        const int expected = predicted_by_training_run(reference.out);
        check::expect(expected >= 0, "the training program marks a predicted digit for image " + i);

        const ProgramRun predicted = run_mnist("predict '" + model + "' " + quoted(pgm), scratch);
        check::equal(predicted.exit_code, 0, "predict test image " + i + " (stderr: " + predicted.err + ")");
        check::contains(predicted.out, "already 28x28, so taken as it is", "a 28x28 image is not re-boxed");
        check::equal(predicted_by_predict(predicted.out), expected, "predict's digit for test image " + i);
        check::equal(scores_of(predicted.out), scores_of(reference.out),
                     "predict's probabilities for test image " + i + " equal the training program's");

        // The same digit as a P2 text file, dark ink on light paper: inverted back, same answer.
        std::ifstream in(pgm, std::ios::binary);
        const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const PgmImage image = parse_pgm(bytes, pgm.string());
        std::string p2 = "P2\n# test image " + i + ", dark on light\n28 28\n255\n";
        for (std::size_t p = 0; p < image.pixels.size(); ++p)
            p2 += std::to_string(255 - image.pixels[p]) + (p % 28 == 27 ? "\n" : " ");
        const std::filesystem::path paper = scratch / ("paper" + i + ".pgm");
        write_text(paper, p2);
        const ProgramRun on_paper = run_mnist("predict '" + model + "' " + quoted(paper), scratch);
        check::equal(on_paper.exit_code, 0, "predict P2 image " + i);
        check::contains(on_paper.out, "Prepared as MNIST's digits were: inverted", "dark on light is inverted");
        check::equal(scores_of(on_paper.out), scores_of(reference.out), "P2 dark-on-light probabilities, image " + i);

        // Drawn larger and not square: each pixel doubled (56x56), 8 empty columns cut from
        // each side (40 wide, 56 tall), dark on light. Re-boxed, it must still read the same.
        PgmImage large;
        large.width = 40;
        large.height = 56;
        for (int r = 0; r < 56; ++r)
            for (int c = 8; c < 48; ++c) large.pixels.push_back(static_cast<std::uint8_t>(255 - image.pixels[(r / 2) * 28 + c / 2]));
        const std::filesystem::path drawn = scratch / ("drawn" + i + ".pgm");
        write_pgm(drawn.string(), large, "");
        const ProgramRun redrawn = run_mnist("predict '" + model + "' " + quoted(drawn), scratch);
        check::equal(redrawn.exit_code, 0, "predict 40x56 image " + i);
        check::contains(redrawn.out, "Image: " + drawn.string() + ", 40x56 pixels", "the image line");
        check::contains(redrawn.out, "and centred by mass in 28x28", "a 40x56 image is re-boxed");
        check::equal(predicted_by_predict(redrawn.out), expected, "predict's digit for the redrawn image " + i);
    }

    // ---- Mistakes a user can make. --------------------------------------------------------------
    const std::string predict = "predict '" + model + "' ";
    expect_failure(run_mnist("predict", scratch), 2, "predict: expected MODEL IMAGE (two file names), got 0 arguments", "no arguments");
    expect_failure(run_mnist(predict, scratch), 2, "got 1 argument", "one argument");
    expect_failure(run_mnist(predict + "a.pgm b.pgm", scratch), 2, "got 3 arguments", "three arguments");
    expect_failure(run_mnist(predict + "--colour x.pgm", scratch), 2, "predict: unknown option '--colour'", "unknown option");
    const ProgramRun help = run_mnist("predict --help", scratch);
    check::equal(help.exit_code, 0, "predict --help");
    check::contains(help.out, "usage: ./mnist predict MODEL IMAGE", "predict --help text");

    const std::filesystem::path bad = scratch / "bad.pgm";
    expect_failure(run_mnist(predict + quoted(scratch / "none.pgm"), scratch), 1, "none.pgm: no such file", "missing image");
    expect_failure(run_mnist("predict " + quoted(scratch / "none.bin") + " " + quoted(bad), scratch), 1,
                   "none.bin: no such file", "missing model");
    write_text(bad, "BM not a pgm");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, bad.string() + ": is not a PGM image", "bad magic");
    write_text(bad, "P5\n28 28\n255\n" + std::string(100, 'x'));
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "is truncated", "truncated image");
    write_text(bad, "P5\n2 2\n0\nxxxx");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "has maxval 0", "maxval 0");
    write_text(bad, "P5\n2 2\n65535\nxxxxxxxx");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "is a 16-bit PGM (maxval 65535)", "16-bit image");
    write_text(bad, "P5\n-28 28\n255\n");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "the width should be a whole number, found '-'", "negative width");
    write_text(bad, "P5\n123456 654321\n255\nxx");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "is 123456x654321 pixels, more than the 16777216 (4096x4096)",
                   "absurd size");
    write_text(bad, "P5\n4096 4096\n255\nxx");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "is truncated: its header says 4096x4096", "size beyond the file");
    write_text(bad, "P5\n2 2\n255\nxxxx and more");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "has 9 bytes after its 4 pixels", "trailing garbage");
    write_text(bad, "P2\n3 3\n255\n9 9 9 9 9 9 9 9 9\n");
    expect_failure(run_mnist(predict + quoted(bad), scratch), 1, "has no digit in it", "a blank image");
    expect_failure(run_mnist(predict + quoted(scratch), scratch), 1, "is a directory, not a PGM image", "a directory");

    // A model of 8x8 images cannot read a 28x28 digit.
    const std::filesystem::path tiny = scratch / "tiny";
    std::filesystem::create_directories(tiny);
    write_tiny_dataset(tiny, 300, 50);
    const std::string tiny_model = (scratch / "tiny.bin").string();
    run_mnist("--data '" + tiny.string() + "' --valid 50 --epochs 1 --hidden 8 --save '" + tiny_model + "'", scratch);
    expect_failure(run_mnist("predict '" + tiny_model + "' " + quoted(scratch / "test0.pgm"), scratch), 1,
                   "the model takes 64 inputs; predict prepares 28x28 images", "an 8x8 model");

    const std::string out_pgm = quoted(scratch / "out.pgm");
    expect_failure(run_mnist("export-pgm 10000 " + out_pgm + " " + data, scratch), 2,
                   "export-pgm: INDEX: 10000 is past the end of the test set (10000 images, so 0 to 9999)", "index past the end");
    expect_failure(run_mnist("export-pgm -1 " + out_pgm, scratch), 2, "INDEX: expected a whole number from 0, got '-1'", "negative index");
    expect_failure(run_mnist("export-pgm 3", scratch), 2, "export-pgm: expected INDEX FILE, got 1 argument", "no file");
    expect_failure(run_mnist("export-pgm 3 " + out_pgm + " --data", scratch), 2, "--data: missing value", "--data without value");
    expect_failure(run_mnist("export-pgm 3 " + out_pgm + " --data " + quoted(scratch / "nowhere"), scratch), 1,
                   "nowhere: no such directory", "missing data directory");

    std::filesystem::remove_all(scratch);
    return check::summary("test_predict");
}
