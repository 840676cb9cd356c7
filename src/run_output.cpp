// run_output.cpp: the printing and writing of run_output.h.
#include "run_output.h"

#include <cmath>
#include <cstdio>

#include "errors.h"
#include "health.h"
#include "page.h"
#include "plots.h"
#include "report.h"
#include "run_setup.h"
#include "terminal.h"

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

namespace {

// The schedule and the regularization, for the "Training:" line and the plots' caption; empty
// when all are off, so that the default run prints the tutorial's line.
std::string recipe_text(const Options& o) {
    std::string text;
    char part[64];
    if (o.lr_decay != 1) {
        std::snprintf(part, sizeof part, ", lr x%g per epoch", o.lr_decay);
        text += part;
    }
    if (o.regularization.input_dropout > 0) {
        std::snprintf(part, sizeof part, ", input dropout %g", o.regularization.input_dropout);
        text += part;
    }
    if (o.regularization.dropout > 0) {
        std::snprintf(part, sizeof part, ", dropout %g", o.regularization.dropout);
        text += part;
    }
    if (o.regularization.l2 > 0) {
        std::snprintf(part, sizeof part, ", L2 %g", o.regularization.l2);
        text += part;
    }
    return text;
}

}  // namespace

void print_setup(const Options& o, const Split& s, const Network<float>& net, int threads) {
    std::printf("Data: %d training, %d validation, %d test images of %dx%d pixels (from %s/)\n",
                s.train.count, s.valid.count, s.test.count, s.train.rows, s.train.cols,
                o.data_dir.c_str());
    std::printf("Network: %s, ReLU hidden layers, softmax output, %ld parameters\n",
                layer_sizes_text(net.sizes()).c_str(), net.parameter_count());
    std::printf("Training: %s%s, batch %d, %d epochs, seed %llu, %d thread%s%s\n\n",
                describe_optimizer(o.optimizer).c_str(), recipe_text(o).c_str(), o.batch_size,
                o.epochs, static_cast<unsigned long long>(o.seed), threads, threads == 1 ? "" : "s",
                o.kernels == Kernels::naive ? ", naive products" : "");
    if (!o.load_path.empty()) std::printf("Starting from the model in %s\n\n", o.load_path.c_str());
}

StepCallback progress_bar(Clock::time_point epoch_start) {
    if (!is_terminal(stdout)) return StepCallback();
    return [epoch_start](int step, int steps, double loss, double accuracy) {
        if (step % 20 == 0 || step == steps) {
            std::printf("%s", progress_line(step, steps, seconds_since(epoch_start), loss, accuracy, 30).c_str());
            std::fflush(stdout);
        }
    };
}

void print_epoch(const Options& o, const EpochResult& e, bool has_validation, const Network<float>& net,
                 const Optimizer& optimizer, const Dataset& train) {
    if (is_terminal(stdout)) std::printf("\r\x1b[K");  // clear the progress line
    std::printf("Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f", e.epoch, o.epochs, e.seconds, e.loss,
                e.accuracy);
    if (has_validation) std::printf(" - val_loss: %.4f - val_accuracy: %.4f", e.val_loss, e.val_accuracy);
    if (o.lr_decay != 1 || o.verbose) std::printf(" - lr: %.4g", e.learning_rate);
    std::printf("\n");
    if (o.verbose) std::printf("%s", format_health(measure_health(net, optimizer, train, o.batch_size)).c_str());
    std::fflush(stdout);
}

void print_curves(const std::vector<EpochResult>& history, bool has_validation) {
    if (history.empty()) return;
    const TrainingCurves curves = training_curves(history, has_validation);  // plots.h
    std::printf("\n%s\n%s", line_chart("Loss by epoch", curves.loss, 60, 12).c_str(),
                line_chart("Accuracy by epoch", curves.accuracy, 60, 12).c_str());
}

void keep_best_and_save(const Options& o, const BestWeights& best, Network<float>& net) {
    std::printf("\n");
    if (best.epoch > 0) restore_weights(net, best);
    save_model(o.save_path, net);
    if (best.epoch > 0)
        std::printf("Best epoch: %d (val_loss %.4f); its weights are kept and saved to %s\n", best.epoch,
                    best.val_loss, o.save_path.c_str());
    else
        std::printf("Model saved to %s (%s)\n", o.save_path.c_str(),
                    o.epochs == 0 ? "no training" : "no validation set to pick an epoch by: the last epoch");
}

void print_test(const Options& o, const Evaluation& test) {
    if (!std::isfinite(test.loss)) {
        const std::string what = std::isnan(test.loss) ? "NaN (not a number)" : "infinite";
        if (!o.load_path.empty() && o.epochs == 0)
            throw DataError(o.load_path + ": the model's test loss is " + what +
                            ": its weights are so large that its outputs overflow; it cannot be evaluated");
        throw TrainingError("the test loss is " + what + ": the network's outputs overflow");
    }
    std::printf("\nTest: loss %.4f - accuracy %.4f (%ld of %ld right)\n", test.loss, test.accuracy,
                test.confusion.correct(), test.confusion.total());
}

std::vector<float> show_one_prediction(Network<float>& net, const Dataset& test, int index, bool colour) {
    const std::vector<int> order = {index};
    Matrix<float> X, Y;
    gather_batch(test, order, 0, 1, X, Y);
    const Matrix<float>& probs = forward(net, X);
    const int predicted = predicted_class(probs, 0);
    const int truth = test.labels[index];

    std::printf("\nTest image %d (true label %d):\n", index, truth);
    const std::size_t P = static_cast<std::size_t>(test.pixels_per_image());
    std::printf("%s", draw_image(test.pixels.data() + index * P, test.rows, test.cols, colour).c_str());
    std::printf("Class scores (softmax probabilities):\n%s",
                class_scores_text(probs.row(0), probs.cols, predicted, truth).c_str());
    return std::vector<float>(probs.row(0), probs.row(0) + probs.cols);
}

void print_confusion(const Evaluation& test, bool colour) {
    std::printf("\n%s", format_confusion(test.confusion, colour).c_str());
    std::printf("\n%s\n%s", format_class_scores(test.confusion).c_str(),
                format_confusions(most_common_confusions(test.confusion, 10)).c_str());
}

void draw_plots(const Options& o, const Split& s, Network<float>& net, const std::vector<EpochResult>& history,
                const Evaluation& test) {
    char caption[256];
    const std::string optimizer = describe_optimizer(o.optimizer);  // "RMSProp (lr ...)"
    std::snprintf(caption, sizeof caption, "%s, %s lr %g%s, batch %d, %d epochs, seed %llu",
                  layer_sizes_text(net.sizes()).c_str(), optimizer.substr(0, optimizer.find(" (")).c_str(),
                  o.optimizer.learning_rate, recipe_text(o).c_str(), o.batch_size, o.epochs,
                  static_cast<unsigned long long>(o.seed));
    PlotInputs in;
    in.caption = caption;
    in.history = history;
    in.has_validation = s.valid.count > 0;
    in.confusion = test.confusion;
    in.test = &s.test;
    in.mistakes = most_confident_mistakes(net, s.test, kMistakesShown);
    in.first_weights = &net.layers[0].W;
    std::printf("\nPictures written:");
    for (const std::string& path : write_plots(o.plots_dir, in)) std::printf(" %s", path.c_str());
    const std::string page = write_run_page(o.plots_dir, net, in);
    std::printf("%s%s\n", page.empty() ? "" : " ", page.c_str());
}

void write_run_report(const Options& o, const Split& split, const std::vector<int>& sizes,
                      const std::vector<EpochResult>& history, int best_epoch, const Network<float>& net,
                      const Evaluation& test, const std::vector<float>& scores) {
    RunSummary summary;
    summary.train_size = split.train.count;
    summary.valid_size = split.valid.count;
    summary.test_size = split.test.count;
    summary.hidden = std::vector<int>(sizes.begin() + 1, sizes.end() - 1);
    summary.seed = o.seed;
    summary.optimizer = optimizer_name(o.optimizer.kind);
    summary.learning_rate = o.optimizer.learning_rate;
    summary.lr_decay = o.lr_decay;
    summary.regularization = o.regularization;
    summary.history = history;
    summary.test = test;
    summary.index = o.index;
    summary.scores = scores;
    summary.best_epoch = best_epoch;
    summary.fingerprint = fingerprint_text(weights_fingerprint(net));
    write_report(o.report_path, summary);
    std::printf("Report written to %s\n", o.report_path.c_str());
}
