// main.cpp: the tutorial's table of contents.
//
// run() below is the whole run, one numbered call per step: check the files, load the data,
// build the network, train it epoch by epoch, test it, and show the results. The checks and
// loads before training live in run_setup.h, what is printed or written in run_output.h; this
// file keeps the order of the run and its one loop, over the epochs. Errors are exceptions
// (errors.h), caught once at the bottom of main() and turned into one line and an exit code.
//
// main() also dispatches the other commands, each a program of its own: `./mnist trace`, one
// training step of a tiny network with every number printed (trace_command.h), `gradcheck`
// (gradcheck_command.h), `predict` and `export-pgm` (predict_command.h), and `page` (page.h).
#include <cstdio>
#include <new>
#include <string>
#include <vector>

#include "errors.h"
#include "files.h"
#include "gradcheck_command.h"
#include "page.h"
#include "predict_command.h"
#include "run_output.h"
#include "run_setup.h"
#include "terminal.h"
#include "trace_command.h"

namespace {

// What the epochs leave behind: what each printed, and (with --save) the best weights.
struct Training {
    std::vector<EpochResult> history;
    BestWeights best;
};

// Step 3: every epoch, with one optimizer whose state (RMSProp's v) lives across them. An
// epoch is its learning rate (--lr-decay), a pass over the training set (train.h), the
// validation set evaluated, and its line printed. With --save, `best` keeps the weights of the
// lowest validation loss.
Training train_all_epochs(const Options& o, const Split& split, Network<float>& net, Rng& rng) {
    Training t;
    Optimizer optimizer(net, o.optimizer);
    std::vector<int> order = identity_order(split.train.count);
    for (int epoch = 1; epoch <= o.epochs; ++epoch) {
        const Clock::time_point epoch_start = Clock::now();
        optimizer.settings.learning_rate = learning_rate_for_epoch(o.optimizer.learning_rate, o.lr_decay, epoch);
        EpochResult e = train_epoch(net, optimizer, o.regularization, split.train, order, o.batch_size, epoch,
                                    rng, progress_bar(epoch_start));
        if (split.valid.count > 0) {
            const Evaluation v = evaluate(net, split.valid);
            e.val_loss = v.loss;
            e.val_accuracy = v.accuracy;
        }
        e.seconds = seconds_since(epoch_start);
        print_epoch(o, e, split.valid.count > 0, net, optimizer, split.train);
        t.history.push_back(e);
        if (!o.save_path.empty() && split.valid.count > 0) keep_if_best(t.best, net, e.epoch, e.val_loss);
    }
    return t;
}

int run(const Options& o) {
    const Clock::time_point start = Clock::now();
    const bool colour = use_colour(stdout);

    // 0. The files: no output is an input, every output can be written (files.h).
    check_run_files(o);

    // 1. Data (idx.h, dataset.h), and the --load model first, so that a bad model file fails at once.
    Network<float> loaded = load_model_if_asked(o);
    MnistData data = load_data(o);
    const std::vector<int> sizes = network_sizes(o, loaded, data.train);
    check_options_against_data(o, sizes, data);
    const Split split = split_validation(std::move(data), o.valid_count);

    Training training;
    Network<float> net;
    Workers workers(o.threads > 0 ? o.threads : default_thread_count());
    use_kernels(o.kernels, &workers);  // fast products and update, shared by the threads; or naive
    try {
        // 2. The network (network.h): sizes {pixels, hidden..., classes}, random, or as --load read it.
        Rng rng(o.seed);
        net = build_network(o, sizes, std::move(loaded), rng);
        print_setup(o, split, net, o.kernels == Kernels::fast ? workers.size() : 1);

        // 3. Training, epoch by epoch (train.h, optimizers.h).
        training = train_all_epochs(o, split, net, rng);
    } catch (const std::bad_alloc&) {
        throw OutOfMemory(training_memory_note(o, sizes));
    }

    // 4. Curves (terminal.h), and with --save the best epoch's model (model_file.h).
    print_curves(training.history, split.valid.count > 0);
    if (!o.save_path.empty()) keep_best_and_save(o, training.best, net);

    // 5. Test.
    const Evaluation test = evaluate(net, split.test);
    print_test(o, test);

    // 6. One prediction.
    const std::vector<float> scores = show_one_prediction(net, split.test, o.index, colour);

    // 7. Confusion matrix, scores per class, mistakes in words (confusion.h).
    print_confusion(test, colour);

    // 8. Pictures and the web page to draw digits on (plots.h, page.h).
    if (!o.plots_dir.empty()) draw_plots(o, split, net, training.history, test);

    // The whole run in one line: the same on every machine (docs/portability.md).
    std::printf("\nWeights fingerprint: %s\n", fingerprint_text(weights_fingerprint(net)).c_str());
    std::printf("\nTotal time: %.1fs\n", seconds_since(start));

    if (!o.report_path.empty())
        write_run_report(o, split, sizes, training.history, o.save_path.empty() ? 0 : training.best.epoch, net,
                         test, scores);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    // Ctrl-C or kill during a save must not leave a temporary file behind (files.h).
    remove_temporary_files_on_signal();
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
    } catch (const OutOfMemory& e) {
        std::fprintf(stderr, "mnist: out of memory while %s\n", e.what());
        return 1;
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "mnist: out of memory\n");
        return 1;
    }
}
