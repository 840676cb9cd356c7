// test_terminal: each drawing on an input small enough to write its expected text out in full,
// plus the edge cases (empty, NaN, flat, tiny) that must draw something rather than crash.
//
// The colour checks run on a pseudo-terminal: the device pair a terminal window opens for its
// shell, here opened by the test itself, so that is_terminal() has a real terminal to say yes to.
#include <fcntl.h>   // open, O_RDWR, O_NOCTTY (POSIX)
#include <stdlib.h>  // posix_openpt, grantpt, unlockpt, ptsname, setenv, unsetenv (POSIX)

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "check.h"
#include "terminal.h"

namespace {

int count(const std::string& text, char c) {
    int n = 0;
    for (char t : text) n += t == c;
    return n;
}

int line_count(const std::string& text) { return count(text, '\n'); }

// Opens a new pseudo-terminal and returns a stream writing to its terminal side, or nullptr
// where the system has none to give (some containers).
std::FILE* open_pseudo_terminal() {
    const int controller = posix_openpt(O_RDWR | O_NOCTTY);
    if (controller < 0 || grantpt(controller) != 0 || unlockpt(controller) != 0) return nullptr;
    const int terminal = open(ptsname(controller), O_RDWR | O_NOCTTY);
    return terminal < 0 ? nullptr : fdopen(terminal, "w");
}

}  // namespace

int main() {
    const double nan = std::numeric_limits<double>::quiet_NaN();

    // draw_image on a 2 x 3 image. Without colour, pixel v is ramp[v * 10 / 256] of
    // " .:-=+*#%@", twice:   0 -> 0 ' ',   128 -> 5 '+',   255 -> 9 '@',
    //                        30 -> 1 '.',   60 -> 2 ':',    200 -> 7 '#'.
    const std::uint8_t pixels[6] = {0, 128, 255, 30, 60, 200};
    check::equal(draw_image(pixels, 2, 3, false), "  ++@@\n..::##\n", "2x3 image, plain");
    // With colour, the grey 232 + v * 24 / 256:  0 -> 232, 128 -> 244, 255 -> 255,
    //                                            30 -> 234, 60 -> 237, 200 -> 250.
    check::equal(draw_image(pixels, 2, 3, true),
                 "\x1b[48;5;232m  \x1b[48;5;244m  \x1b[48;5;255m  \x1b[0m\n"
                 "\x1b[48;5;234m  \x1b[48;5;237m  \x1b[48;5;250m  \x1b[0m\n",
                 "2x3 image, coloured");

    // bar: width * 8 eighths of a cell, rounded. "\u2588" is a full block, "\u258B" 5/8.
    check::equal(bar(0.5, 4), "\u2588\u2588  ", "bar(0.5, 4): 16 eighths = 2 full cells");
    check::equal(bar(0.3, 2), "\u258B ", "bar(0.3, 2): 0.3 * 16 = 4.8 -> 5 eighths");
    check::equal(bar(0.97, 4), "\u2588\u2588\u2588\u2589", "bar(0.97, 4): 31.04 -> 31 eighths");
    check::equal(bar(0, 3), "   ", "bar(0, 3) is all spaces");
    check::equal(bar(1, 2), "\u2588\u2588", "bar(1, 2) is all blocks");
    check::equal(bar(1.7, 2), "\u2588\u2588", "bar above 1 is clamped to 1");
    check::equal(bar(-0.2, 2), "  ", "bar below 0 is clamped to 0");
    check::equal(bar(nan, 3), "   ", "bar(NaN) is empty");
    check::equal(bar(0.5, 0), "", "bar of width 0");

    // A line chart small enough to check cell by cell: 3 points on a 5 x 3 plot area. Point i
    // goes to column i * (5-1) / (3-1) = 0, 2, 4; value v to row (3 - v) / (3 - 1) * (3-1) =
    // 2, 1, 0 (counted from the top). The x axis says 1 and 3; "epoch" does not fit in 5 cells.
    check::equal(line_chart("Tiny", {{"a", {1, 2, 3}, '*'}}, 5, 3),
                 "Tiny\n"
                 "3.00 |    *\n"
                 "2.00 |  *\n"
                 "1.00 |*\n"
                 "     +-----\n"
                 "      1   3\n"
                 "      * a\n",
                 "3-point chart");

    // A chart the size main() draws: title, 12 plot rows, axis, x labels, legend = 16 lines.
    const std::vector<double> loss = {0.31, 0.12, 0.08, 0.06, 0.05};
    const std::vector<double> val_loss = {0.15, 0.10, nan, 0.09, 0.10};
    const std::string chart =
        line_chart("Loss by epoch", {{"training loss", loss, '*'}, {"validation loss", val_loss, '#'}},
                   60, 12);
    check::equal(line_count(chart), 16, "a 60 x 12 chart's lines");
    check::equal(chart.substr(0, 14), "Loss by epoch\n", "the chart starts with its title");
    check::contains(chart, "* training loss   # validation loss", "the legend");
    check::contains(chart, "0.310 |*", "the top label is the largest value, next to its point");
    check::contains(chart, "0.050 |", "the bottom label is the smallest value");
    check::contains(chart, "epoch", "the x axis is named");
    // Each mark appears once per point drawn plus once in the legend; the NaN is skipped.
    check::equal(count(chart, '*'), 5 + 1, "training points, plus the legend");
    check::equal(count(chart, '#'), 4 + 1, "validation points without the NaN, plus the legend");

    // A flat series gets a range around its value: with 5 rows, its value sits on the middle
    // row, labelled with it. Its 3 points go to columns 0, 9/2 = 4.5 (rounded up to 5), and 9.
    const std::string flat = line_chart("Flat", {{"a", {0.5, 0.5, 0.5}, '*'}}, 10, 5);
    check::equal(line_count(flat), 9, "flat chart lines");
    check::contains(flat, "0.5000 |*    *   *", "flat series on the middle row");

    // Nothing to draw, or nowhere to draw it: a short chart that says so, never a crash.
    check::contains(line_chart("Empty", {}, 60, 12), "(no data", "no series at all");
    check::contains(line_chart("None", {{"a", {}, '*'}}, 60, 12), "(no data", "an empty series");
    check::contains(line_chart("NaN", {{"a", {nan, nan}, '*'}}, 60, 12), "(no data", "only NaNs");
    check::contains(line_chart("Narrow", {{"a", {1, 2}, '*'}}, 0, 12), "(no room", "width 0");
    check::contains(line_chart("Short", {{"a", {1, 2}, '*'}}, 60, 1), "(no room", "height 1");
    check::contains(line_chart("Negative", {{"a", {1, 2}, '*'}}, -5, -5), "(no room", "negative size");
    const double inf = std::numeric_limits<double>::infinity();
    const std::string extreme = line_chart("Extreme", {{"a", {1e308, -1e308, inf, -inf}, '*'}}, 10, 4);
    check::equal(line_count(extreme), 8, "values so far apart that max - min overflows still plot");
    check::equal(count(extreme, '*'), 2 + 1, "the two finite extremes are drawn, the infinities skipped");
    check::contains(extreme, "-1e+308 |   *", "the smallest value is drawn on the bottom row");
    check::equal(line_count(line_chart("One", {{"a", {0.9}, '*'}}, 10, 4)), 8, "a single epoch");
    const std::string flat_extreme = line_chart("Flat extreme", {{"a", {1.7e308, 1.7e308}, '*'}}, 10, 4);
    check::equal(count(flat_extreme, '*'), 2 + 1, "a flat line near the largest double still plots");

    // progress_line, in Keras' format: 312 of 782 steps done is 30 * 312 / 782 = 11 (rounded
    // down) bar characters: 10 '=' and the '>' head, then 19 '.'.
    const std::string line = progress_line(312, 782, 0.43, 0.28412, 0.91634, 30);
    check::equal(line, "\r 312/782 [==========>...................] 0.4s - loss: 0.2841 - accuracy: 0.9163\x1b[K",
                 "progress line at step 312 of 782");
    check::expect(line.find('\n') == std::string::npos, "a progress line has no newline");
    check::contains(progress_line(7, 782, 0, 0, 0, 30), "\r   7/782 [", "the step is padded to total's width");
    check::contains(progress_line(10, 10, 1, 0.5, 0.5, 10), "[==========]", "a finished bar has no head");
    check::contains(progress_line(0, 10, 0, 2.3026, 0.1, 10), "[..........]", "an empty bar");
    check::contains(progress_line(0, 10, 0, 2.3026, 0.1, 10), "loss: 2.3026", "loss with 4 decimals");
    check::contains(progress_line(1, 0, 0, 0, 0, 5), "[.....]", "total 0 does not divide by zero");

    // is_terminal and use_colour. A temporary file is not a terminal, whatever the environment.
    std::FILE* file = std::tmpfile();
    check::expect(!is_terminal(file), "a file is not a terminal");
    check::expect(!use_colour(file), "no colour into a file");
    check::expect(!is_terminal(nullptr), "no stream is not a terminal");
    if (file) std::fclose(file);

    std::FILE* tty = open_pseudo_terminal();
    if (tty == nullptr) {
        std::fprintf(stderr, "note: no pseudo-terminal here; use_colour() checked on files only\n");
    } else {
        check::expect(is_terminal(tty), "a pseudo-terminal is a terminal");
        setenv("TERM", "xterm-256color", 1);
        unsetenv("NO_COLOR");
        check::expect(use_colour(tty), "colour on a terminal, NO_COLOR unset");
        setenv("NO_COLOR", "1", 1);
        check::expect(!use_colour(tty), "no colour when NO_COLOR=1");
        setenv("NO_COLOR", "", 1);
        check::expect(use_colour(tty), "colour when NO_COLOR is set but empty (no-color.org)");
        setenv("TERM", "dumb", 1);
        check::expect(!use_colour(tty), "no colour when TERM=dumb");
        std::fclose(tty);
    }

    return check::summary("test_terminal");
}
