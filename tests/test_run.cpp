// test_run: a whole run of ./mnist, replayed epoch by epoch through the library, number for
// number.
//
// main.cpp's loop is short, but what it wires together is not checked anywhere else: that one
// optimizer and one shuffled order live across the epochs (each epoch shuffles the previous
// epoch's order, so a fresh order every epoch gives a different run), that the random numbers
// of the dropout masks follow the shuffle in the same generator, that val_loss is the
// validation set's own loss, that the learning rate follows --lr-decay, and that with --save
// the network tested and saved is the epoch of the lowest validation loss. The test runs the
// real program with --report on a tiny data set, then does the same run here, written out from
// train.h, optimizers.h and network.h with the options parse_command_line() reads from the
// same arguments, and requires every number of every epoch, the test result and the weights
// fingerprint to be the report's, digit for digit (the report writes 9 significant digits).
#include <cmath>
#include <cstdio>
#include <regex>
#include <string>
#include <vector>

#include "check.h"
#include "cli.h"
#include "errors.h"
#include "idx.h"
#include "model_file.h"
#include "process.h"
#include "run_output.h"
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

// Runs ./mnist with `arguments` and --report on the tiny data set in `data`, then the same run
// here, and requires the report's numbers. With --save among the arguments the tested network
// is the one of the lowest validation loss, kept here by copying the whole network.
void run_and_replay(const std::filesystem::path& scratch, const std::vector<std::string>& arguments,
                    const std::string& what) {
    std::string command;
    for (const std::string& a : arguments) command += "'" + a + "' ";
    const ProgramRun run = run_mnist(command + "--report '" + (scratch / "r.json").string() + "'", scratch);
    check::equal(run.exit_code, 0, what + ": exit code (stderr: " + run.err + ")");
    const std::string report = read_text(scratch / "r.json");

    // The same run, written out.
    std::vector<const char*> argv = {"mnist"};
    for (const std::string& a : arguments) argv.push_back(a.c_str());
    const Options o = parse_command_line(static_cast<int>(argv.size()), argv.data());
    const Split split = split_validation(load_mnist(o.data_dir), o.valid_count);
    Rng rng(o.seed);
    std::vector<int> sizes = {split.train.pixels_per_image()};
    sizes.insert(sizes.end(), o.hidden.begin(), o.hidden.end());
    sizes.push_back(kClasses);
    Network<float> net = make_network<float>(sizes, rng);
    Optimizer optimizer(net, o.optimizer);  // one optimizer: RMSProp's v lives across epochs
    std::vector<int> order = identity_order(split.train.count);  // reshuffled by every epoch
    Network<float> best = net;
    int best_epoch = 0;
    double best_loss = 0;
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        optimizer.settings.learning_rate = learning_rate_for_epoch(o.optimizer.learning_rate, o.lr_decay, epoch);
        EpochResult e = train_epoch(net, optimizer, o.regularization, split.train, order, o.batch_size, epoch,
                                    rng, StepCallback());
        const Evaluation valid = evaluate(net, split.valid);
        e.val_loss = valid.loss;
        e.val_accuracy = valid.accuracy;
        check::contains(report, history_line(e), what + ": epoch " + std::to_string(epoch) + " as the report has it");
        if (best_epoch == 0 || e.val_loss < best_loss) {
            best = net;
            best_epoch = epoch;
            best_loss = e.val_loss;
        }
    }
    Network<float>& tested = o.save_path.empty() ? net : best;
    if (!o.save_path.empty()) {
        check::expect(best_epoch != o.epochs, what + ": the best epoch (" + std::to_string(best_epoch) +
                                                  ") is not the last, so keeping it is seen");
        check::contains(report, "\"best_epoch\": " + std::to_string(best_epoch) + ",", what + ": the best epoch");
    }
    const Evaluation test = evaluate(tested, split.test);
    check::contains(report, "\"test_loss\": " + digits(test.loss) + ",", what + ": the test loss");
    check::contains(report, "\"test_accuracy\": " + digits(test.accuracy) + ",", what + ": the test accuracy");
    check::contains(report, "\"weights_fingerprint\": \"" + fingerprint_text(weights_fingerprint(tested)) + "\"",
                    what + ": the weights fingerprint, every weight of the tested network bit for bit");
}

// The test set's result stops the run when it is not a number: NaN, or an infinity either way.
void test_result_not_a_number() {
    for (const double loss : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
        Options o;
        Evaluation e;
        e.loss = loss;
        std::string error;
        try {
            print_test(o, e);
        } catch (const TrainingError& t) {
            error = t.what();
        }
        check::contains(error, "the test loss is", "print_test refuses a test loss of " + digits(loss));
    }
}

}  // namespace

int main() {
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-run");
    std::filesystem::create_directories(scratch / "data");
    write_tiny_dataset(scratch / "data", 300, 60);
    const std::string data = (scratch / "data").string();
    const std::vector<std::string> common = {"--data", data, "--valid", "50", "--batch", "16", "--hidden", "8",
                                             "--seed", "5"};
    // Dropout and a schedule: the masks' random numbers and the learning rate of every epoch.
    std::vector<std::string> recipe = common;
    recipe.insert(recipe.end(), {"--epochs", "3", "--dropout", "0.1", "--lr-decay", "0.5"});
    run_and_replay(scratch, recipe, "dropout and --lr-decay");
    // --save: a learning rate large enough that the validation loss goes up and down (it is
    // lowest at epoch 7 of 8), so the network tested and saved must be epoch 7's, not the last.
    std::vector<std::string> saving = common;
    saving.insert(saving.end(), {"--epochs", "8", "--lr", "0.3", "--save", (scratch / "m.bin").string()});
    run_and_replay(scratch, saving, "--save");
    test_result_not_a_number();

    std::filesystem::remove_all(scratch);
    return check::summary("test_run");
}
