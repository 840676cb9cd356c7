// report.h: the run as a JSON file (--report FILE), for a grader or a plotting script.
//
// Everything the program prints about a run, as numbers rather than text:
//   { "train_size": 50000, "valid_size": 10000, "test_size": 10000, "hidden": [128, 128],
//     "seed": 42, "optimizer": "rmsprop", "learning_rate": 0.001, "lr_decay": 1,
//     "dropout": 0, "input_dropout": 0, "l2": 0, "history": [ {"epoch": 1, "loss": ..., "accuracy": ..., "val_loss": ...,
//     "val_accuracy": ..., "seconds": ...}, ... ], "test_loss": ..., "test_accuracy": ...,
//     "confusion_matrix": [[...10 counts...], ... 10 rows, true label by row ...],
//     "index": 0, "scores": [...10 probabilities...] }
// With --save, one more field after "scores": "best_epoch": the epoch whose weights were kept
// and tested (written only when an epoch was chosen by its validation loss). Last comes
// "weights_fingerprint": "1a2b3c4d", the tested network's fingerprint (model_file.h).
// A number that is not finite (there should be none) is written as null, since JSON has no NaN.
//
// Read next: nothing; this is the last step of main().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train.h"

struct RunSummary {
    int train_size = 0, valid_size = 0, test_size = 0;
    std::vector<int> hidden;
    std::uint64_t seed = 0;
    std::string optimizer;          // "rmsprop", "adam", ...: what --optimizer takes
    double learning_rate = 0;       // the initial one, before any --lr-decay
    double lr_decay = 1;
    RegularizationSettings regularization;
    std::vector<EpochResult> history;
    Evaluation test;
    int index = 0;
    std::vector<float> scores;  // the class probabilities of test image `index`
    int best_epoch = 0;         // with --save, the epoch kept (lowest val_loss); 0: none
    std::string fingerprint;    // weights_fingerprint() of the tested network, as printed
};

std::string report_json(const RunSummary& run);

// Writes report_json(run) to path; throws DataError naming the path if it cannot.
void write_report(const std::string& path, const RunSummary& run);

// Throws the same DataError now if path cannot be written (no such directory, a directory, no
// permission), so that a typo fails before training rather than after it. Leaves no file
// behind, and an existing file as it was.
void check_report_writable(const std::string& path);
