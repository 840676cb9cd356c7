// run_output.h: what a run prints and writes, one function per part, in the order of the run.
//
//   print_setup        the data, the network and the training settings, before the first epoch
//   progress_bar       the line that moves during an epoch (only on a terminal)
//   print_epoch        Keras' epoch line, and with --verbose the training-health line (health.h)
//   print_curves       loss and accuracy by epoch, drawn in the terminal (terminal.h)
//   keep_best_and_save --save: the best epoch's weights restored and written (model_file.h)
//   print_test         the test set's loss and accuracy, refused if they are not numbers
//   show_one_prediction one test image and its ten class scores
//   print_confusion    the confusion matrix, scores per class, the mistakes in words (confusion.h)
//   draw_plots         --plots: SVG pictures and the web page (plots.h, page.h)
//   write_run_report   --report: the run as JSON (report.h)
//
// None of these changes what the network learns: they read its results and show them.
//
// Read next: main.cpp, which calls them.
#pragma once

#include <chrono>
#include <vector>

#include "cli.h"
#include "model_file.h"
#include "train.h"

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start);

void print_setup(const Options& o, const Split& s, const Network<float>& net, int threads);

// The progress line's callback for train_epoch(), from the epoch's start; empty (no progress
// line) when standard output is not a terminal, so that files and pipes get the epoch lines only.
StepCallback progress_bar(Clock::time_point epoch_start);

// Keras' epoch line: "Epoch 3/21 - 1.2s - loss: 0.0801 - accuracy: 0.9751 - val_loss: ...",
// with the epoch's learning rate at the end under a schedule (--lr-decay) or --verbose, and the
// health line after it with --verbose. Clears the progress line first.
void print_epoch(const Options& o, const EpochResult& e, bool has_validation, const Network<float>& net,
                 const Optimizer& optimizer, const Dataset& train);

void print_curves(const std::vector<EpochResult>& history, bool has_validation);

// --save: go back to the best epoch's weights, if an epoch was kept, and write the model. They
// are what the test evaluates next, so the saved file reproduces the test result printed.
void keep_best_and_save(const Options& o, const BestWeights& best, Network<float>& net);

// "Test: loss ... - accuracy ...". A network whose results are not numbers stops here, whatever
// made it: a --load model with huge (but finite) weights overflows the logits to infinity, and
// softmax turns infinity minus infinity into NaN.
void print_test(const Options& o, const Evaluation& test);

// The test image, its label, and the network's probability for each class, as bars. Returns
// the ten probabilities (for the report).
std::vector<float> show_one_prediction(Network<float>& net, const Dataset& test, int index, bool colour);

void print_confusion(const Evaluation& test, bool colour);

// The pictures of --plots (plots.h) and the page to draw on (page.h). The mistakes take one
// more pass over the test set.
void draw_plots(const Options& o, const Split& s, Network<float>& net, const std::vector<EpochResult>& history,
                const Evaluation& test);

// best_epoch: the epoch whose weights were kept and saved, 0 if none.
void write_run_report(const Options& o, const Split& split, const std::vector<int>& sizes,
                      const std::vector<EpochResult>& history, int best_epoch, const Network<float>& net,
                      const Evaluation& test, const std::vector<float>& scores);
