// report.cpp: JSON written by hand; the format is small enough not to need a library.
#include "report.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "errors.h"

namespace {

std::string number(double x) {
    if (!std::isfinite(x)) return "null";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", x);
    return buf;
}

// A setting read from the command line: those are floats (cli.h), so 7 significant digits
// say all there is, and --lr 0.001 is written 0.001 rather than 0.00100000005.
std::string setting(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", x);
    return buf;
}

template <typename T>
std::string list(const std::vector<T>& values) {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) s += ", ";
        s += number(static_cast<double>(values[i]));
    }
    return s + "]";
}

}  // namespace

std::string report_json(const RunSummary& run) {
    std::ostringstream out;
    out << "{\n";
    out << "  \"train_size\": " << run.train_size << ",\n";
    out << "  \"valid_size\": " << run.valid_size << ",\n";
    out << "  \"test_size\": " << run.test_size << ",\n";
    out << "  \"hidden\": " << list(run.hidden) << ",\n";
    out << "  \"seed\": " << run.seed << ",\n";
    out << "  \"optimizer\": \"" << run.optimizer << "\",\n";
    out << "  \"learning_rate\": " << setting(run.learning_rate) << ",\n";
    out << "  \"lr_decay\": " << setting(run.lr_decay) << ",\n";
    out << "  \"dropout\": " << setting(run.regularization.dropout) << ",\n";
    out << "  \"input_dropout\": " << setting(run.regularization.input_dropout) << ",\n";
    out << "  \"l2\": " << setting(run.regularization.l2) << ",\n";
    out << "  \"history\": [";
    for (std::size_t i = 0; i < run.history.size(); ++i) {
        const EpochResult& e = run.history[i];
        out << (i ? ",\n    " : "\n    ") << "{\"epoch\": " << e.epoch
            << ", \"loss\": " << number(e.loss) << ", \"accuracy\": " << number(e.accuracy)
            << ", \"val_loss\": " << number(e.val_loss)
            << ", \"val_accuracy\": " << number(e.val_accuracy)
            << ", \"seconds\": " << number(e.seconds) << "}";
    }
    out << (run.history.empty() ? "],\n" : "\n  ],\n");
    out << "  \"test_loss\": " << number(run.test.loss) << ",\n";
    out << "  \"test_accuracy\": " << number(run.test.accuracy) << ",\n";
    out << "  \"confusion_matrix\": [";
    const ConfusionMatrix& m = run.test.confusion;
    for (int t = 0; t < m.classes; ++t) {
        std::vector<long> row(m.counts.begin() + t * m.classes, m.counts.begin() + (t + 1) * m.classes);
        out << (t ? ",\n    " : "\n    ") << list(row);
    }
    out << "\n  ],\n";
    out << "  \"index\": " << run.index << ",\n";
    out << "  \"scores\": " << list(run.scores) << ",\n";
    if (run.best_epoch > 0) out << "  \"best_epoch\": " << run.best_epoch << ",\n";
    out << "  \"weights_fingerprint\": \"" << run.fingerprint << "\"\n";
    out << "}\n";
    return out.str();
}

void write_report(const std::string& path, const RunSummary& run) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    if (!file) throw DataError(path + ": cannot open the report file for writing");
    file << report_json(run);
    file.close();
    if (!file) throw DataError(path + ": writing the report failed (disk full?)");
}

void check_report_writable(const std::string& path) {
    std::error_code error;
    if (std::filesystem::is_directory(path, error))
        throw DataError(path + ": is a directory; --report names the file to write");
    const bool existed = std::filesystem::exists(path, error);
    {
        // Appending opens the file for writing without truncating what may be there.
        std::ofstream file(path, std::ios::binary | std::ios::app);
        if (!file) throw DataError(path + ": cannot open the report file for writing");
    }
    if (!existed) std::filesystem::remove(path, error);
}
