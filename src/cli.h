// cli.h: the command line, read into one plain struct.
//
// Every option has a default that reproduces the seed tutorial, so `./mnist` with no
// arguments is the tutorial. Values are checked here, strictly: "12abc", "-3", "1e99" and ""
// are all refused with one line naming the flag, the value and what was expected (thrown as a
// UsageError, which main() turns into exit code 2). Limits that depend on the data (a
// validation set smaller than the training set, an --index inside the test set) are checked
// in main() once the data is loaded.
//
// Read next: main.cpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "fast_matrix.h"
#include "optimizer_choice.h"
#include "regularization.h"

struct Options {
    bool help = false;
    std::string data_dir = "data";
    int epochs = 21;
    int batch_size = 64;
    std::vector<int> hidden = {128, 128};  // widths of the hidden layers
    OptimizerSettings optimizer;           // --optimizer, --lr, --momentum, --rho, --eps
    RegularizationSettings regularization; // --dropout, --input-dropout, --l2
    double lr_decay = 1;                   // --lr-decay: the learning rate's factor per epoch
    int valid_count = 10000;               // the first this many training images validate
    std::uint64_t seed = 42;
    int index = 0;                         // the test image whose class scores are shown
    int threads = 0;                       // 0: one per core
    Kernels kernels = Kernels::fast;       // --kernels: the products' loops (fast_matrix.h)
    std::string report_path;               // --report: where to write the JSON summary
    std::string plots_dir;                 // --plots: where to write the SVG pictures
    bool verbose = false;                  // --verbose: a training-health line per epoch
    std::string save_path;                 // --save: where to write the best epoch's model
    std::string load_path;                 // --load: a model file to start from
    bool hidden_given = false;             // --hidden was on the command line (--load checks it)
};

// Reads argv[1..argc-1]. Throws UsageError on anything it does not understand.
Options parse_command_line(int argc, const char* const argv[]);

// The text --help prints.
std::string usage_text();

// Checks, before anything is allocated, that a network of these sizes ({inputs, hidden...,
// classes}) can be trained in batches of `batch_rows` examples: no layer with more weights than
// an int counts (the loops index with int), and weights, gradients, RMSProp state and one
// batch of activations within this machine's memory. Otherwise the allocation would fail late or,
// worse, succeed and have the system kill the program. Throws UsageError naming --hidden.
void check_network_fits(const std::vector<int>& sizes, int batch_rows);
