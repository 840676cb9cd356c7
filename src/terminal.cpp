// terminal.cpp: each drawing is built into a std::string, row by row, left to right.
#include "terminal.h"

// Whether a stream is a terminal is the one question here that standard C++ cannot answer: POSIX
// asks isatty(), Windows' C runtime _isatty().
#ifdef _WIN32
#include <io.h>
#else
#include <unistd.h>
#endif

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

bool is_terminal(std::FILE* stream) {
#ifdef _WIN32
    return stream != nullptr && _isatty(_fileno(stream)) != 0;
#else
    return stream != nullptr && isatty(fileno(stream)) == 1;
#endif
}

bool use_colour(std::FILE* stream) {
    const char* no_color = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    const bool asked_for_none = no_color != nullptr && no_color[0] != '\0';
    const bool dumb = term != nullptr && std::strcmp(term, "dumb") == 0;
#ifdef _WIN32
    // The classic Windows console prints colour codes as text unless a program switches it to
    // "virtual terminal" mode; Windows Terminal (which sets WT_SESSION) and the Unix-like
    // terminals of MSYS2 and Cygwin (which set TERM) understand them. Colour only there.
    const bool understands_codes = std::getenv("WT_SESSION") != nullptr || term != nullptr;
    if (!understands_codes) return false;
#endif
    return is_terminal(stream) && !asked_for_none && !dumb;
}

std::string draw_image(const std::uint8_t* pixels, int rows, int cols, bool colour) {
    const char ramp[] = " .:-=+*#%@";  // 10 characters, from no ink to the most
    std::string out;
    if (pixels == nullptr) return out;
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            const int v = pixels[r * cols + c];
            if (colour) {
                // 24 greys, codes 232 (darkest) to 255 (lightest); 256 / 24 values per grey.
                out += "\x1b[48;5;" + std::to_string(232 + v * 24 / 256) + "m  ";
            } else {
                out += std::string(2, ramp[v * 10 / 256]);
            }
        }
        out += colour ? "\x1b[0m\n" : "\n";
    }
    return out;
}

std::string class_scores_text(const float* probs, int classes, int predicted, int truth) {
    std::string out;
    for (int k = 0; k < classes; ++k) {
        char score[32], line[96];
        const float p = probs[k];
        std::snprintf(score, sizeof score, p >= 1e-4f || p == 0 ? "%.4f" : "%.1e", p);
        const char* marker = "";
        if (k == predicted)
            marker = truth < 0 ? "  <- predicted" : k == truth ? "  <- predicted, correct" : "  <- predicted, wrong";
        else if (k == truth)
            marker = "  <- true label";
        std::snprintf(line, sizeof line, "  %d  %-8s  ", k, score);
        out += line + bar(p, 30) + marker + "\n";
    }
    return out;
}

std::string bar(double fraction, int width) {
    // U+2588 is a full block, U+2589 seven eighths of one, ..., U+258F one eighth: the code
    // point goes down as the block gets narrower. partial[k] is the block of k eighths.
    const char* partial[8] = {"",       "\u258F", "\u258E", "\u258D",
                              "\u258C", "\u258B", "\u258A", "\u2589"};
    if (width <= 0) return "";
    if (std::isnan(fraction)) fraction = 0;
    fraction = std::min(1.0, std::max(0.0, fraction));

    const long eighths = std::lround(fraction * width * 8);  // in 0 .. 8 * width
    const long full = eighths / 8;
    std::string out;
    for (long i = 0; i < full; ++i) out += "\u2588";
    long used = full;
    if (eighths % 8 != 0) {
        out += partial[eighths % 8];
        ++used;
    }
    return out + std::string(width - used, ' ');
}

namespace {

// `text` right-aligned in `width` columns.
std::string right(const std::string& text, int width) {
    const int pad = std::max(0, width - static_cast<int>(text.size()));
    return std::string(pad, ' ') + text;
}

// `line` without the spaces at its end, and a newline.
std::string finish(std::string line) {
    line.erase(line.find_last_not_of(' ') + 1);
    return line + "\n";
}

// Writes `text` into `line` at column `at` if it fits there on blanks only, so that one
// label never overwrites another. Returns whether it did.
bool place(std::string& line, int at, const std::string& text) {
    const int end = at + static_cast<int>(text.size());
    if (at < 0 || end > static_cast<int>(line.size())) return false;
    if (line.find_first_not_of(' ', at) < static_cast<std::size_t>(end)) return false;
    line.replace(at, text.size(), text);
    return true;
}

// A y-axis label: enough decimals to tell the rows of a chart spanning `range` apart, i.e.
// about three significant digits of the range (0.27 -> 3 decimals, 0.012 -> 4, 85 -> 1).
// From a million on, scientific notation ("1.5e+07"), so a diverging loss cannot widen the
// labels to dozens of digits.
std::string axis_number(double value, double range) {
    char buf[64];
    if (std::fabs(value) >= 1e6) {
        std::snprintf(buf, sizeof buf, "%.3g", value);
        return buf;
    }
    int decimals = 2;
    if (std::isfinite(range) && range > 0)
        decimals = std::min(6, std::max(0, 2 - static_cast<int>(std::floor(std::log10(range)))));
    std::snprintf(buf, sizeof buf, "%.*f", decimals, value);
    return buf;
}

}  // namespace

std::string line_chart(const std::string& title, const std::vector<Series>& series, int width,
                       int height) {
    std::string out = title + "\n";

    // The shared y range [lo, hi], and n, the number of epochs on the x axis.
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    std::size_t n = 0;
    for (const Series& s : series) {
        n = std::max(n, s.values.size());
        for (double v : s.values) {
            if (!std::isfinite(v)) continue;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    if (lo > hi) return out + "  (no data to plot)\n";
    if (width < 2 || height < 2)
        return out + "  (no room to plot: the chart needs at least 2 x 2 cells, it was given " +
               std::to_string(width) + " x " + std::to_string(height) + ")\n";
    if (lo == hi) {
        // A flat line would divide by hi - lo = 0 below; give it 5% of its value on each side,
        // short of infinity for a value near the largest double.
        const double pad = lo != 0 ? 0.05 * std::fabs(lo) : 1.0;
        const double largest = std::numeric_limits<double>::max();
        lo = std::max(lo - pad, -largest);
        hi = std::min(hi + pad, largest);
    }

    // The plot area, row 0 at the top: value hi is drawn on row 0, value lo on row height-1.
    std::vector<std::string> plot(height, std::string(width, ' '));
    for (const Series& s : series) {
        for (std::size_t i = 0; i < s.values.size(); ++i) {
            const double v = s.values[i];
            if (!std::isfinite(v)) continue;
            const double x = n == 1 ? 0.0 : static_cast<double>(i) / (n - 1);  // in [0, 1]
            // y = (hi - v) / (hi - lo), in [0, 1], with every term halved: the same number
            // (halving is exact in binary), but hi - lo can overflow to infinity when the values
            // are near the largest double, and hi/2 - lo/2 cannot.
            const double y = (hi / 2 - v / 2) / (hi / 2 - lo / 2);
            const int col = static_cast<int>(std::lround(x * (width - 1)));
            const int row = static_cast<int>(std::lround(y * (height - 1)));
            plot[row][col] = s.mark;
        }
    }

    // Labels on the top, middle and bottom rows, each the value that row stands for: row r of
    // the h rows is f = r / (h-1) of the way down, value (1 - f) hi + f lo. (Written as that
    // mix rather than hi - f (hi - lo) for the same reason: it cannot overflow.)
    std::vector<std::string> labels(height);
    for (int row : {0, (height - 1) / 2, height - 1}) {
        const double f = static_cast<double>(row) / (height - 1);
        labels[row] = axis_number((1 - f) * hi + f * lo, hi - lo);
    }
    int label_width = 0;
    for (const std::string& label : labels)
        label_width = std::max(label_width, static_cast<int>(label.size()));

    for (int row = 0; row < height; ++row)
        out += finish(right(labels[row], label_width) + " |" + plot[row]);
    out += std::string(label_width, ' ') + " +" + std::string(width, '-') + "\n";

    // The x axis: the first epoch under the first column, the last under the last column.
    std::string x_axis(width, ' ');
    const std::string last = std::to_string(n);
    place(x_axis, 0, "1");
    if (n > 1) place(x_axis, width - static_cast<int>(last.size()), last);
    place(x_axis, (width - 5) / 2, "epoch");
    out += finish(std::string(label_width + 2, ' ') + x_axis);

    std::string legend = std::string(label_width + 2, ' ');
    for (std::size_t k = 0; k < series.size(); ++k)
        legend += (k > 0 ? "   " : "") + std::string(1, series[k].mark) + " " + series[k].name;
    return out + finish(legend);
}

std::string progress_line(int step, int total, double elapsed_seconds, double loss,
                          double accuracy, int bar_width) {
    // Keras' bar: done = bar_width * step / total characters, the last of which is the arrow
    // head '>' until the epoch is over; the rest of the bar is '.'.
    std::string progress;
    if (bar_width > 0) {
        const int clamped = std::min(std::max(step, 0), std::max(total, 0));
        const int done =
            total > 0 ? static_cast<int>(static_cast<long long>(bar_width) * clamped / total) : 0;
        if (done > 0) progress += std::string(done - 1, '=') + (clamped < total ? ">" : "=");
        progress = "[" + progress + std::string(bar_width - done, '.') + "] ";
    }
    const int digits = static_cast<int>(std::to_string(total).size());
    char numbers[160];
    std::snprintf(numbers, sizeof numbers, "%.1fs - loss: %.4f - accuracy: %.4f", elapsed_seconds,
                  loss, accuracy);
    return "\r " + right(std::to_string(step), digits) + "/" + std::to_string(total) + " " +
           progress + numbers + "\x1b[K";
}
