// test_cli: the real ./mnist, run as a user runs it: --help, every kind of bad command line,
// missing data, a whole (tiny) training run with its report, and the same numbers twice.
#include <algorithm>
#include <regex>

#include "check.h"
#include "cli.h"
#include "errors.h"
#include "process.h"

namespace {

// A usage error: exit code 2 and exactly one line on stderr, naming what was wrong.
void expect_usage_error(const std::string& arguments, const std::string& message_part,
                        const std::filesystem::path& scratch) {
    const ProgramRun run = run_mnist(arguments, scratch);
    check::equal(run.exit_code, 2, "'" + arguments + "' exit code");
    check::contains(run.err, message_part, "'" + arguments + "' message");
    check::contains(run.err, "--help", "'" + arguments + "' points to --help");
    check::equal(static_cast<long long>(std::count(run.err.begin(), run.err.end(), '\n')), 1,
                 "'" + arguments + "' prints one line");
}

std::string without_timings(const std::string& report) {
    return std::regex_replace(report, std::regex("\"seconds\": [0-9.e+-]+"), "\"seconds\": _");
}

// The parser itself, without the program: --hidden takes 1 to 32 widths (a model file holds up
// to 34 sizes: inputs, 32 hidden layers, classes; model_file.h).
void hidden_layer_count() {
    for (const int layers : {32, 33}) {
        std::string widths;
        for (int i = 0; i < layers; ++i) widths += (i ? "," : "") + std::string("4");
        const char* argv[] = {"mnist", "--hidden", widths.c_str()};
        std::string error;
        std::size_t parsed = 0;
        try {
            parsed = parse_command_line(3, argv).hidden.size();
        } catch (const UsageError& e) {
            error = e.what();
        }
        if (layers == 32)
            check::equal(static_cast<long long>(parsed), 32, "--hidden with 32 widths is accepted (" + error + ")");
        else
            check::contains(error, "at most 32 hidden layers", "--hidden with 33 widths is refused");
    }
}

}  // namespace

int main() {
    hidden_layer_count();
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-cli");
    const std::filesystem::path tiny = scratch / "tiny";
    std::filesystem::create_directories(tiny);
    write_tiny_dataset(tiny, 600, 100);
    const std::string data = "--data '" + tiny.string() + "' ";

    const ProgramRun help = run_mnist("--help", scratch);
    check::equal(help.exit_code, 0, "--help exit code");
    check::contains(help.out, "usage: ./mnist", "--help text");
    check::contains(help.out, "--epochs", "--help lists the options");

    expect_usage_error("--frobnicate", "unknown option '--frobnicate'", scratch);
    expect_usage_error("stray", "unexpected argument 'stray'", scratch);
    expect_usage_error("--epochs", "--epochs: missing value", scratch);
    expect_usage_error("--save m.bin --report ./m.bin", "--report './m.bin' is the same file as --save 'm.bin': one output would overwrite the other", scratch);
    expect_usage_error("--epochs -1", "--epochs: expected a whole number", scratch);
    expect_usage_error("--epochs 1e99", "--epochs: expected a whole number", scratch);
    expect_usage_error("--epochs 99999999999999999999", "--epochs", scratch);
    expect_usage_error("--epochs 12abc", "got '12abc'", scratch);
    expect_usage_error("--batch 0", "--batch: expected a whole number from 1", scratch);
    expect_usage_error("--batch=", "--batch", scratch);
    expect_usage_error("--hidden 128,,10", "--hidden", scratch);
    expect_usage_error("--hidden 0", "--hidden", scratch);
    expect_usage_error("--lr 0", "--lr: expected a number above 0", scratch);
    expect_usage_error("--lr nan", "--lr", scratch);
    expect_usage_error("--lr -0.1", "--lr", scratch);
    expect_usage_error("--rho 1", "--rho", scratch);
    expect_usage_error("--eps 0", "--eps", scratch);
    expect_usage_error("--optimizer adagrad", "--optimizer: expected one of sgd, momentum, rmsprop, adam", scratch);
    expect_usage_error("--optimizer sgd --momentum 0.9", "--momentum: only --optimizer momentum uses it", scratch);
    expect_usage_error("--rho 0.8 --optimizer adam", "--rho: only --optimizer rmsprop uses it", scratch);
    expect_usage_error("--optimizer momentum --eps 1e-8", "--eps: only --optimizer rmsprop and adam", scratch);
    expect_usage_error("--optimizer momentum --momentum 1", "--momentum: expected a number from 0", scratch);
    expect_usage_error("--lr-decay 0", "--lr-decay: expected a number above 0 and at most 1", scratch);
    expect_usage_error("--lr-decay 1.5", "--lr-decay: expected a number above 0 and at most 1", scratch);
    expect_usage_error("--dropout 1", "--dropout: expected a rate from 0", scratch);
    expect_usage_error("--input-dropout -0.1", "--input-dropout", scratch);
    expect_usage_error("--l2 -1", "--l2", scratch);
    expect_usage_error("--seed -5", "--seed", scratch);
    expect_usage_error("--index -1", "--index", scratch);
    expect_usage_error("--threads 0", "--threads", scratch);
    expect_usage_error(data + "--valid 600", "--valid: 600 validation images would leave none", scratch);
    expect_usage_error(data + "--valid 100 --index 100", "--index: 100 is past the end of the test set", scratch);

    // A data directory that is not there: a data error, exit 1, naming the file.
    const ProgramRun missing = run_mnist("--data '" + (scratch / "nowhere").string() + "'", scratch);
    check::equal(missing.exit_code, 1, "missing data exit code");
    check::contains(missing.err, "nowhere", "missing data message names the directory");

    // A whole run on the tiny data set, as a user would make it, with a report.
    const std::string run_args = data + "--valid 100 --epochs 4 --batch 16 --hidden 32 --seed 7 ";
    const std::filesystem::path report1 = scratch / "run1.json", report2 = scratch / "run2.json";
    const ProgramRun run = run_mnist(run_args + "--report '" + report1.string() + "'", scratch);
    check::equal(run.exit_code, 0, "training run exit code (stderr: " + run.err + ")");
    check::contains(run.out, "Data: 500 training, 100 validation, 100 test images of 8x8", "setup line");
    check::contains(run.out, "Network: 64-32-10", "network line");
    check::contains(run.out, "Epoch 1/4 - ", "first epoch line");
    check::contains(run.out, "Epoch 4/4 - ", "last epoch line");
    check::contains(run.out, " - val_accuracy: ", "epoch lines carry validation accuracy");
    check::contains(run.out, "Loss by epoch", "loss chart");
    check::contains(run.out, "Test: loss ", "test line");
    check::contains(run.out, "Test image 0 (true label 0)", "the shown test image");
    check::expect(run.out.find("\x1b") == std::string::npos, "no escape codes when not a terminal");

    const std::string report = read_text(report1);
    for (const char* key : {"\"train_size\": 500", "\"valid_size\": 100", "\"test_size\": 100",
                            "\"hidden\": [32]", "\"seed\": 7", "\"history\"", "\"val_accuracy\"",
                            "\"test_loss\"", "\"test_accuracy\"", "\"confusion_matrix\"",
                            "\"index\": 0", "\"scores\""})
        check::contains(report, key, "report field");
    // The tiny set is easy: the network must learn it (chance is 10%).
    std::smatch m;
    const bool found = std::regex_search(report, m, std::regex("\"test_accuracy\": ([0-9.]+)"));
    check::expect(found && std::stod(m[1]) >= 0.9, "tiny data set learned: test accuracy >= 0.9");

    // Determinism: the same seed gives the same report, to the last digit (timings aside).
    run_mnist(run_args + "--report '" + report2.string() + "'", scratch);
    check::equal(without_timings(read_text(report2)), without_timings(report),
                 "two runs with one seed give identical reports");

    // And another seed gives a different run.
    const std::filesystem::path report3 = scratch / "run3.json";
    run_mnist(data + "--valid 100 --epochs 4 --batch 16 --hidden 32 --seed 8 --report '" +
                  report3.string() + "'", scratch);
    check::expect(without_timings(read_text(report3)) != without_timings(report),
                  "a different seed gives a different run");

    // The recipe options (docs/recipes.md): each optimizer with its own Keras learning rate,
    // dropout, L2 and a schedule, whose learning rate the epoch lines then show; the report
    // says what was used; and a run with them is still the same twice.
    check::contains(report, "\"optimizer\": \"rmsprop\"", "report: the default optimizer");
    check::contains(report, "\"learning_rate\": 0.001,", "report: the default learning rate");
    check::contains(report, "\"lr_decay\": 1,", "report: no schedule");
    check::contains(report, "\"dropout\": 0,", "report: no dropout");
    check::contains(report, "\"l2\": 0,", "report: no L2");
    check::expect(run.out.find(" - lr: ") == std::string::npos, "no learning rate in the epoch lines by default");
    const struct {
        const char* flag;
        const char* training;
    } optimizers[] = {{"--optimizer sgd", "Training: SGD (lr 0.01), batch 16"},
                      {"--optimizer momentum", "Training: SGD with momentum (lr 0.01, momentum 0.9)"},
                      {"--optimizer adam --lr 0.002", "Training: Adam (lr 0.002, beta_1 0.9, beta_2 0.999, eps 1e-07)"},
                      {"--optimizer momentum --momentum 0.5", "momentum 0.5)"}};
    for (const auto& o : optimizers) {
        const ProgramRun r = run_mnist(run_args + o.flag, scratch);
        check::equal(r.exit_code, 0, std::string(o.flag) + " exit code (stderr: " + r.err + ")");
        check::contains(r.out, o.training, std::string(o.flag) + " setup line");
    }
    const std::string recipe = run_args + "--optimizer adam --dropout 0.2 --input-dropout 0.1 --l2 1e-4 --lr-decay 0.5 ";
    const std::filesystem::path report4 = scratch / "run4.json", report5 = scratch / "run5.json";
    const ProgramRun regularized = run_mnist(recipe + "--report '" + report4.string() + "'", scratch);
    check::equal(regularized.exit_code, 0, "recipe run exit code (stderr: " + regularized.err + ")");
    check::contains(regularized.out, ", lr x0.5 per epoch, input dropout 0.1, dropout 0.2, L2 0.0001, batch 16",
                    "recipe setup line");
    check::contains(regularized.out, " - lr: 0.001\n", "epoch 1 at the initial learning rate");
    check::contains(regularized.out, " - lr: 0.000125\n", "epoch 4 at 0.001 * 0.5^3");
    const std::string report_recipe = read_text(report4);
    for (const char* key : {"\"optimizer\": \"adam\"", "\"learning_rate\": 0.001,", "\"lr_decay\": 0.5,",
                            "\"dropout\": 0.2,", "\"input_dropout\": 0.1,", "\"l2\": 0.0001,"})
        check::contains(report_recipe, key, "recipe report field");
    run_mnist(recipe + "--report '" + report5.string() + "'", scratch);
    check::equal(without_timings(read_text(report5)), without_timings(report_recipe),
                 "two recipe runs with one seed give identical reports");
    check::contains(run_mnist(run_args + "--verbose", scratch).out, " - lr: 0.001\n",
                    "--verbose shows the learning rate");

    // A learning rate far too large: the loss overflows; one line, exit 1, advice.
    const ProgramRun diverged = run_mnist(data + "--valid 100 --epochs 2 --lr 1e12", scratch);
    check::equal(diverged.exit_code, 1, "diverging run exit code");
    check::contains(diverged.err, "diverged at epoch 1", "diverging run names the epoch");
    check::contains(diverged.err, "smaller learning rate", "diverging run gives advice");

    std::filesystem::remove_all(scratch);
    return check::summary("test_cli");
}
