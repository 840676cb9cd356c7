// run_setup.h: everything a run does before its first epoch, one function per check or load.
//
// main.cpp's run() calls these in this order:
//   check_run_files            every file the run will read or write, named and checked (files.h)
//   load_model_if_asked        --load's model, read before the data so that a bad file fails at once
//   load_data                  the four MNIST files (idx.h)
//   network_sizes              {pixels, hidden..., classes}: from --hidden or from the loaded model
//   check_options_against_data --valid and --index against the data's size, the network against memory
//   build_network              random weights (network.h), or the loaded model
//
// Every check here runs before training: a bad value fails in a second rather than after an
// hour of training. Each failure is an exception of errors.h, which main() turns into one line.
//
// Read next: run_output.h, what the run prints and writes after that.
#pragma once

#include <string>
#include <vector>

#include "cli.h"
#include "dataset.h"
#include "network.h"
#include "random.h"

// Every file of the run (files.h): the four data files and --load are inputs; --save, --report,
// the five pictures of --plots and its index.html are outputs. An output that is an input or
// another output is a UsageError (exit 2); the --plots directory is created, and each output is
// checked to be writable (DataError with the system's reason).
void check_run_files(const Options& o);

// --load's model, or an empty network without it.
Network<float> load_model_if_asked(const Options& o);

MnistData load_data(const Options& o);

// The sizes {inputs, hidden..., classes} of the network to train: from --hidden, or from the
// --load model (`loaded`), which must fit the data and agree with --hidden if that was given too.
std::vector<int> network_sizes(const Options& o, const Network<float>& loaded, const Dataset& train);

// --valid must leave images to train on, --index must be a test image, and the matrices of a
// batch must fit in memory (check_network_fits, cli.h).
void check_options_against_data(const Options& o, const std::vector<int>& sizes, const MnistData& data);

// The network to train: random, of the given sizes, or the --load one.
Network<float> build_network(const Options& o, const std::vector<int>& sizes, Network<float> loaded, Rng& rng);

// "784-128-128-10": the sizes as the program prints them.
std::string layer_sizes_text(const std::vector<int>& sizes);

// The advice for running out of memory while training: the sizes that decide how much it needs.
std::string training_memory_note(const Options& o, const std::vector<int>& sizes);
