// run_setup.cpp: the checks and loads of run_setup.h.
#include "run_setup.h"

#include <algorithm>
#include <filesystem>
#include <new>

#include "errors.h"
#include "files.h"
#include "idx.h"
#include "model_file.h"
#include "plots.h"
#include "train.h"

void check_run_files(const Options& o) {
    RunFiles files;
    if (!o.load_path.empty()) files.add_input("--load", o.load_path);
    if (!o.save_path.empty()) files.add_output("--save", o.save_path);
    if (!o.report_path.empty()) files.add_output("--report", o.report_path);
    if (!o.plots_dir.empty()) {
        files.add_output_directory("--plots", o.plots_dir);
        for (const std::string& path : plot_paths(o.plots_dir)) files.add_output("--plots", path);
        files.add_output("--plots", (std::filesystem::path(o.plots_dir) / "index.html").string());  // page.h
    }
    // Outputs that collide are the command line's fault whatever the data: said first, before
    // a missing data directory could hide it.
    files.check_conflicts();
    for (const std::string& path : mnist_file_paths(o.data_dir)) files.add_input("--data", path);
    files.check();
}

Network<float> load_model_if_asked(const Options& o) {
    if (o.load_path.empty()) return Network<float>();
    try {
        return load_model(o.load_path);
    } catch (const std::bad_alloc&) {
        throw OutOfMemory("reading the model in " + o.load_path + " (it takes about as much memory as the file's size)");
    }
}

MnistData load_data(const Options& o) {
    try {
        return load_mnist(o.data_dir);
    } catch (const std::bad_alloc&) {
        throw OutOfMemory("reading the data in " + o.data_dir + "/ (MNIST's four files take 55 MB)");
    }
}

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

void check_options_against_data(const Options& o, const std::vector<int>& sizes, const MnistData& data) {
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

Network<float> build_network(const Options& o, const std::vector<int>& sizes, Network<float> loaded, Rng& rng) {
    if (!o.load_path.empty()) return loaded;
    return make_network<float>(sizes, rng);
}

std::string layer_sizes_text(const std::vector<int>& sizes) {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

std::string training_memory_note(const Options& o, const std::vector<int>& sizes) {
    return "training the " + layer_sizes_text(sizes) + " network in batches of " + std::to_string(o.batch_size) +
           " (a smaller --hidden or --batch needs less)";
}
