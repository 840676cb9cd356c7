// test_report: the JSON of --report, written by hand (report.cpp), checked field by field on a
// run summary filled in here, including the values JSON has no numbers for.
#include <cmath>
#include <limits>
#include <string>

#include "check.h"
#include "report.h"

namespace {

RunSummary two_epochs() {
    RunSummary run;
    run.train_size = 50000;
    run.valid_size = 10000;
    run.test_size = 4;
    run.hidden = {128, 128};
    run.seed = 42;
    run.optimizer = "rmsprop";
    run.learning_rate = 0.001f;  // a float, as the command line reads it: written as 0.001
    EpochResult first;
    first.epoch = 1;
    first.loss = 0.25;
    first.accuracy = 0.5;
    first.val_loss = 0.125;
    first.val_accuracy = 0.75;
    first.seconds = 1.5;
    run.history = {first, first};
    run.history[1].epoch = 2;
    run.test.loss = 0.0625;
    run.test.confusion = ConfusionMatrix(2);
    run.test.confusion.add(0, 0);
    run.test.confusion.add(1, 0);
    run.test.accuracy = run.test.confusion.accuracy();
    run.scores = {0.25f, 0.75f};
    run.fingerprint = "83b5dd78";
    return run;
}

void fields() {
    const std::string json = report_json(two_epochs());
    for (const char* field : {"\"train_size\": 50000,", "\"hidden\": [128, 128],", "\"seed\": 42,",
                              "\"optimizer\": \"rmsprop\",", "\"learning_rate\": 0.001,",
                              "{\"epoch\": 1, \"loss\": 0.25, \"accuracy\": 0.5, \"val_loss\": 0.125, "
                              "\"val_accuracy\": 0.75, \"seconds\": 1.5}",
                              "\"test_loss\": 0.0625,", "\"test_accuracy\": 0.5,",
                              "\"confusion_matrix\": [\n    [1, 0],\n    [1, 0]\n  ],",
                              "\"scores\": [0.25, 0.75],", "\"weights_fingerprint\": \"83b5dd78\""})
        check::contains(json, field, std::string("report field ") + field);
    check::expect(json.find("best_epoch") == std::string::npos, "no best_epoch without --save");
    RunSummary saved = two_epochs();
    saved.best_epoch = 2;
    check::contains(report_json(saved), "\"best_epoch\": 2,", "best_epoch with --save");
}

// JSON has no NaN or infinity: a diverged value is written as null, never as "nan" or "inf",
// which no JSON reader accepts.
void not_a_number() {
    RunSummary run = two_epochs();
    run.history[0].loss = std::numeric_limits<double>::quiet_NaN();
    run.history[0].val_loss = std::numeric_limits<double>::infinity();
    run.test.loss = -std::numeric_limits<double>::infinity();
    run.scores[1] = std::numeric_limits<float>::quiet_NaN();
    const std::string json = report_json(run);
    check::contains(json, "{\"epoch\": 1, \"loss\": null, \"accuracy\": 0.5, \"val_loss\": null,", "NaN and inf as null");
    check::contains(json, "\"test_loss\": null,", "-inf as null");
    check::contains(json, "\"scores\": [0.25, null],", "a NaN score as null");
    check::expect(json.find("nan") == std::string::npos && json.find("inf") == std::string::npos,
                  "no nan or inf anywhere in the JSON");
}

}  // namespace

int main() {
    fields();
    not_a_number();
    return check::summary("test_report");
}
