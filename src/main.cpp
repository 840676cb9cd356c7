// main.cpp: the tutorial's table of contents.
//
//   1. load the data and split off a validation set          (idx.h, dataset.h)
//   2. build the network                                     (network.h)
//   3. train it, one epoch at a time, printing each epoch    (train.h, optimizers.h)
//   4. draw the training curves                              (terminal.h)
//   5. evaluate on the test set                              (train.h)
//   6. show one test image and the ten class scores          (terminal.h)
//   7. print the confusion matrix                            (confusion.h)
//   8. print each class's precision, recall and F1, and the
//      most common mistakes in words                        (confusion.h)
//   9. with --plots DIR, draw it all as SVG pictures, and a
//      web page to draw digits on (DIR/index.html)          (plots.h, mistakes.h, page.h)
//
// With --verbose, step 3 also prints a training-health line after every epoch (health.h).
// With --load FILE, step 2 reads the network from a model file instead of drawing it at random;
// with --save FILE, step 3 keeps the weights of the epoch with the lowest validation loss, and
// those are tested and saved (model_file.h).
// `./mnist trace` is a different program altogether: one training step of a tiny network
// with every number printed (trace_command.h). So are `./mnist predict`, which classifies your
// own image, and `./mnist export-pgm`, which writes a test image as one (predict_command.h), and
// `./mnist page`, which writes a model as a web page to draw on (page.h).
//
// Each step is one function call in run() below; the functions above run() print, check the
// options against the data, or keep, save and draw what training produced.
// Errors are exceptions (errors.h), caught once at the bottom of main() and turned into one
// line on stderr and an exit code.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "cli.h"
#include "errors.h"
#include "gradcheck_command.h"
#include "health.h"
#include "model_file.h"
#include "page.h"
#include "plots.h"
#include "predict_command.h"
#include "report.h"
#include "terminal.h"
#include "trace_command.h"
#include "train.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string layer_sizes_text(const std::vector<int>& sizes) {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

// The checks on options that need the data: done before any training starts, so a bad value
// fails in a second rather than after an hour.
void check_options_against_data(const Options& o, const std::vector<int>& sizes,
                                const MnistData& data) {
    if (o.valid_count >= data.train.count)
        throw UsageError("--valid: " + std::to_string(o.valid_count) +
                         " validation images would leave none to train on; the training set has " +
                         std::to_string(data.train.count) + " images");
    if (o.index >= data.test.count)
        throw UsageError("--index: " + std::to_string(o.index) + " is past the end of the test set (" +
                         std::to_string(data.test.count) + " images, so 0 to " +
                         std::to_string(data.test.count - 1) + ")");
    // Training batches, and evaluation batches of up to kEvalBatch images, reuse the same matrices.
    check_network_fits(sizes, std::max(std::min(o.batch_size, data.train.count - o.valid_count), kEvalBatch));
}

// The sizes {inputs, hidden..., classes} of the network to train: from --hidden, or from the
// --load model (already read, as `loaded`), which must fit the data and agree with --hidden
// if that was given too.
std::vector<int> network_sizes(const Options& o, const Network<float>& loaded, const Dataset& train) {
    if (o.load_path.empty()) {
        std::vector<int> sizes = {train.pixels_per_image()};
        sizes.insert(sizes.end(), o.hidden.begin(), o.hidden.end());
        sizes.push_back(kClasses);
        return sizes;
    }
    const std::vector<int> sizes = loaded.sizes();
    if (sizes.front() != train.pixels_per_image())
        throw DataError(o.load_path + ": the model takes " + std::to_string(sizes.front()) +
                        " inputs, but the images in " + o.data_dir + "/ have " +
                        std::to_string(train.pixels_per_image()) + " pixels (" + std::to_string(train.rows) +
                        "x" + std::to_string(train.cols) + ")");
    const std::vector<int> hidden(sizes.begin() + 1, sizes.end() - 1);
    if (o.hidden_given && o.hidden != hidden)
        throw UsageError("--hidden: the model in " + o.load_path + " is " + layer_sizes_text(sizes) +
                         "; leave --hidden out to use its sizes");
    return sizes;
}

// The schedule and the regularization, for the "Training:" line; empty when all are off, so
// that the default run prints the tutorial's line.
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
}

// Keras' epoch line: "Epoch 3/21 - 1.2s - loss: 0.0801 - accuracy: 0.9751 - val_loss: ...".
// With a learning-rate schedule (or --verbose), the epoch's learning rate at the end.
void print_epoch(const EpochResult& e, int epochs, bool has_validation, bool show_lr) {
    std::printf("Epoch %d/%d - %.1fs - loss: %.4f - accuracy: %.4f", e.epoch, epochs, e.seconds,
                e.loss, e.accuracy);
    if (has_validation)
        std::printf(" - val_loss: %.4f - val_accuracy: %.4f", e.val_loss, e.val_accuracy);
    if (show_lr) std::printf(" - lr: %.4g", e.learning_rate);
    std::printf("\n");
    std::fflush(stdout);
}

void print_curves(const std::vector<EpochResult>& history, bool has_validation) {
    if (history.empty()) return;
    std::vector<double> loss, val_loss, accuracy, val_accuracy;
    for (const EpochResult& e : history) {
        loss.push_back(e.loss);
        val_loss.push_back(e.val_loss);
        accuracy.push_back(e.accuracy);
        val_accuracy.push_back(e.val_accuracy);
    }
    std::vector<Series> loss_series = {{"training loss", loss, '*'}};
    std::vector<Series> accuracy_series = {{"training accuracy", accuracy, '*'}};
    if (has_validation) {
        loss_series.push_back({"validation loss", val_loss, 'o'});
        accuracy_series.push_back({"validation accuracy", val_accuracy, 'o'});
    }
    std::printf("\n%s\n%s", line_chart("Loss by epoch", loss_series, 60, 12).c_str(),
                line_chart("Accuracy by epoch", accuracy_series, 60, 12).c_str());
}

// The test image, its label, and the network's probability for each class, as bars.
std::vector<float> show_one_prediction(Network<float>& net, const Dataset& test, int index,
                                       bool colour) {
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

// --save: go back to the best epoch's weights, if an epoch was kept, and write the model. They
// are what the test evaluates next, so the saved file reproduces the test result printed.
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

// The pictures of --plots (plots.h). The mistakes take one more pass over the test set.
void draw_plots(const Options& o, const Split& s, Network<float>& net,
                const std::vector<EpochResult>& history, const Evaluation& test) {
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
    const std::string page = write_run_page(o.plots_dir, net, in);  // the page to draw on (page.h)
    std::printf("%s%s\n", page.empty() ? "" : " ", page.c_str());
}

int run(const Options& o) {
    const Clock::time_point start = Clock::now();
    const bool live = is_terminal(stdout);
    const bool colour = use_colour(stdout);

    // 1. Data (and the --load model first, so that a bad model file fails at once).
    Network<float> loaded;
    if (!o.load_path.empty()) loaded = load_model(o.load_path);
    MnistData data = load_mnist(o.data_dir);
    const std::vector<int> sizes = network_sizes(o, loaded, data.train);
    check_options_against_data(o, sizes, data);
    if (!o.report_path.empty()) check_report_writable(o.report_path);
    if (!o.save_path.empty()) check_model_writable(o.save_path);
    if (!o.plots_dir.empty()) prepare_plot_directory(o.plots_dir);
    const Split split = split_validation(std::move(data), o.valid_count);
    const bool has_validation = split.valid.count > 0;

    // 2. The network: sizes {pixels, hidden..., classes}, random, or as --load read it.
    Rng rng(o.seed);
    Network<float> net = o.load_path.empty() ? make_network<float>(sizes, rng) : std::move(loaded);
    Optimizer optimizer(net, o.optimizer);
    Workers workers(o.threads > 0 ? o.threads : default_thread_count());
    use_kernels(o.kernels, &workers);  // the products of matrix.h: fast (shared by the threads) or naive
    print_setup(o, split, net, o.kernels == Kernels::fast ? workers.size() : 1);
    if (!o.load_path.empty()) std::printf("Starting from the model in %s\n\n", o.load_path.c_str());

    // 3. Training. With --save, `best` keeps the weights of the lowest validation loss.
    std::vector<EpochResult> history;
    BestWeights best;
    std::vector<int> order = identity_order(split.train.count);
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const Clock::time_point epoch_start = Clock::now();
        StepCallback progress;
        if (live) {
            progress = [&](int step, int steps, double loss, double accuracy) {
                if (step % 20 == 0 || step == steps) {
                    std::printf("%s", progress_line(step, steps, seconds_since(epoch_start), loss,
                                                    accuracy, 30).c_str());
                    std::fflush(stdout);
                }
            };
        }
        optimizer.settings.learning_rate = learning_rate_for_epoch(o.optimizer.learning_rate, o.lr_decay, epoch);
        EpochResult e = train_epoch(net, optimizer, o.regularization, split.train, order,
                                    o.batch_size, epoch, rng, progress);
        if (has_validation) {
            const Evaluation v = evaluate(net, split.valid);
            e.val_loss = v.loss;
            e.val_accuracy = v.accuracy;
        }
        e.seconds = seconds_since(epoch_start);
        if (live) std::printf("\r\x1b[K");  // clear the progress line
        print_epoch(e, o.epochs, has_validation, o.lr_decay != 1 || o.verbose);
        if (o.verbose)
            std::printf("%s", format_health(measure_health(net, optimizer, split.train,
                                                           o.batch_size)).c_str());
        history.push_back(e);
        if (!o.save_path.empty() && has_validation) keep_if_best(best, net, e.epoch, e.val_loss);
    }

    // 4. Curves.
    print_curves(history, has_validation);
    if (!o.save_path.empty()) keep_best_and_save(o, best, net);

    // 5. Test.
    const Evaluation test = evaluate(net, split.test);
    std::printf("\nTest: loss %.4f - accuracy %.4f (%ld of %ld right)\n", test.loss, test.accuracy,
                test.confusion.correct(), test.confusion.total());

    // 6. One prediction.
    const std::vector<float> scores = show_one_prediction(net, split.test, o.index, colour);

    // 7. Confusion matrix.
    std::printf("\n%s", format_confusion(test.confusion, colour).c_str());

    // 8. Scores per class, and the mistakes in words.
    std::printf("\n%s\n%s", format_class_scores(test.confusion).c_str(),
                format_confusions(most_common_confusions(test.confusion, 10)).c_str());

    // 9. Pictures.
    if (!o.plots_dir.empty()) draw_plots(o, split, net, history, test);

    // 10. The whole run in one line: the same on every machine (docs/portability.md).
    const std::string fingerprint = fingerprint_text(weights_fingerprint(net));
    std::printf("\nWeights fingerprint: %s\n", fingerprint.c_str());
    std::printf("\nTotal time: %.1fs\n", seconds_since(start));

    if (!o.report_path.empty()) {
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
        summary.best_epoch = o.save_path.empty() ? 0 : best.epoch;
        summary.fingerprint = fingerprint;
        write_report(o.report_path, summary);
        std::printf("Report written to %s\n", o.report_path.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc > 1 && std::string(argv[1]) == "gradcheck") return gradcheck_command(argc - 2, argv + 2);
        if (argc > 1 && std::string(argv[1]) == "trace") return trace_command(argc - 2, argv + 2);
        if (argc > 1 && std::string(argv[1]) == "predict") return predict_command(argc - 2, argv + 2);
        if (argc > 1 && std::string(argv[1]) == "export-pgm") return export_pgm_command(argc - 2, argv + 2);
        if (argc > 1 && std::string(argv[1]) == "page") return page_command(argc - 2, argv + 2);
        const Options options = parse_command_line(argc, argv);
        if (options.help) {
            std::printf("%s", usage_text().c_str());
            return 0;
        }
        return run(options);
    } catch (const UsageError& e) {
        std::fprintf(stderr, "mnist: %s (see ./mnist --help)\n", e.what());
        return 2;
    } catch (const DataError& e) {
        std::fprintf(stderr, "mnist: %s\n", e.what());
        return 1;
    } catch (const TrainingError& e) {
        std::fprintf(stderr, "\nmnist: %s\n", e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mnist: out of memory (a smaller --hidden or --batch may fit)\n");
        return 1;
    }
}
