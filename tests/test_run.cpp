// test_run: a whole run of ./mnist, replayed epoch by epoch through the library, number for
// number.
//
// main.cpp's loop is short, but what it wires together is not checked anywhere else: that one
// optimizer and one shuffled order live across the epochs (each epoch shuffles the previous
// epoch's order, so a fresh order every epoch gives a different run), that the random numbers
// of the dropout masks follow the shuffle in the same generator, that val_loss is the
// validation set's own loss, and that the learning rate follows --lr-decay. The test runs the
// real program with --report on a tiny data set, then does the same run here, written out from
// train.h, optimizers.h and network.h with the options parse_command_line() reads from the
// same arguments, and requires every number of every epoch, the test result and the weights
// fingerprint to be the report's, digit for digit (the report writes 9 significant digits).
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "check.h"
#include "cli.h"
#include "idx.h"
#include "model_file.h"
#include "process.h"
#include "train.h"

namespace {

std::string digits(double x) {  // as report.cpp writes a number
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", x);
    return text;
}

// One line of the report's history, as report.cpp writes it, without the seconds.
std::string history_line(const EpochResult& e) {
    return "{\"epoch\": " + std::to_string(e.epoch) + ", \"loss\": " + digits(e.loss) +
           ", \"accuracy\": " + digits(e.accuracy) + ", \"val_loss\": " + digits(e.val_loss) +
           ", \"val_accuracy\": " + digits(e.val_accuracy) + ", \"seconds\": ";
}

}  // namespace

int main() {
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-run");
    std::filesystem::create_directories(scratch / "data");
    write_tiny_dataset(scratch / "data", 300, 60);
    const std::string data = (scratch / "data").string();
    const std::vector<std::string> arguments = {"--data", data, "--valid", "50", "--epochs", "3",
                                                "--batch", "16", "--hidden", "8", "--seed", "5",
                                                "--dropout", "0.1", "--lr-decay", "0.5"};
    std::string command;
    for (const std::string& a : arguments) command += "'" + a + "' ";
    const ProgramRun run = run_mnist(command + "--report '" + (scratch / "r.json").string() + "'", scratch);
    check::equal(run.exit_code, 0, "the run's exit code (stderr: " + run.err + ")");
    const std::string report = read_text(scratch / "r.json");

    // The same run, written out.
    std::vector<const char*> argv = {"mnist"};
    for (const std::string& a : arguments) argv.push_back(a.c_str());
    const Options o = parse_command_line(static_cast<int>(argv.size()), argv.data());
    const Split split = split_validation(load_mnist(o.data_dir), o.valid_count);
    Rng rng(o.seed);
    Network<float> net = make_network<float>({64, 8, 10}, rng);
    Optimizer optimizer(net, o.optimizer);  // one optimizer: RMSProp's v lives across epochs
    std::vector<int> order = identity_order(split.train.count);  // reshuffled by every epoch
    for (int epoch = 1; epoch <= 3; ++epoch) {
        optimizer.settings.learning_rate = learning_rate_for_epoch(o.optimizer.learning_rate, o.lr_decay, epoch);
        EpochResult e = train_epoch(net, optimizer, o.regularization, split.train, order, o.batch_size, epoch,
                                    rng, StepCallback());
        const Evaluation valid = evaluate(net, split.valid);
        e.val_loss = valid.loss;
        e.val_accuracy = valid.accuracy;
        check::contains(report, history_line(e), "epoch " + std::to_string(epoch) + " as the report has it");
    }
    const Evaluation test = evaluate(net, split.test);
    check::contains(report, "\"test_loss\": " + digits(test.loss) + ",", "the test loss");
    check::contains(report, "\"test_accuracy\": " + digits(test.accuracy) + ",", "the test accuracy");
    check::contains(report, "\"weights_fingerprint\": \"" + fingerprint_text(weights_fingerprint(net)) + "\"",
                    "the weights fingerprint: every weight of the run, bit for bit");

    std::filesystem::remove_all(scratch);
    return check::summary("test_run");
}
