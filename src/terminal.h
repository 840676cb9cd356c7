// terminal.h: pictures made of text: a digit, a bar, a line chart and a progress line.
//
// A terminal can draw more than it seems. Every function here returns a std::string and prints
// nothing, so main() decides where the text goes and a test can compare it character by
// character. Three tools do all the drawing:
//   - characters as ink: " .:-=+*#%@" runs from light to dark, and Unicode's block elements
//     (U+2588 full block down to U+258F, one eighth of a block) draw bars eight times finer
//     than whole characters;
//   - ANSI escape sequences, which the terminal reads as commands instead of printing:
//     ESC[48;5;Nm paints the background in colour N of a 256-colour palette, ESC[0m resets,
//     ESC[K erases to the end of the line, and a plain "\r" returns to the line's start;
//   - is_terminal() and use_colour(), which decide whether those commands should be sent at
//     all: written to a file or a pipe they are just noise.
//
// What this is not: a terminal library (curses). There is no cursor addressing, no reading of
// the window size and no terminfo database: the few escape sequences used are the ANSI ones
// that every common terminal understands, and use_colour() keeps them out of files and pipes.
//
// Read next: main.cpp, which calls each of these once, or confusion.h, the other table printer.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

// True when `stream` (stdout or stderr) is a terminal rather than a file or a pipe.
bool is_terminal(std::FILE* stream);

// Whether to print ANSI colour on that stream: it is a terminal, NO_COLOR is unset or empty
// (the convention of https://no-color.org), and TERM is not "dumb" (the value that terminals
// without escape sequences, such as Emacs' shell buffer, set).
bool use_colour(std::FILE* stream);

// A grey-scale image (bytes 0-255, rows x cols, row-major) drawn with two characters per pixel,
// because a character cell is about twice as tall as it is wide: two of them make a square.
// Without colour, pixel value v becomes ramp[v * 10 / 256] of " .:-=+*#%@" (0 is blank, 255
// is '@'). With colour, two spaces on the grey background 232 + v * 24 / 256 (232 is nearly
// black, 255 nearly white). Each image row ends with "\n", preceded by a reset with colour.
std::string draw_image(const std::uint8_t* pixels, int rows, int cols, bool colour);

// The network's ten (K) class probabilities, one line each, with a bar and a marker:
//   "  7  0.9731    <a bar of 30 cells, as bar(0.9731, 30)>  <- predicted, correct"
// Probabilities of at least 1e-4 (and 0) are shown with four decimals, smaller ones in
// scientific notation, so a student sees 3.2e-09 (unlikely, but not impossible) rather than
// 0.0000. `truth` is the true label, or -1 when there is none (your own image): then the
// predicted class is marked "<- predicted" alone.
std::string class_scores_text(const float* probs, int classes, int predicted, int truth);

// A horizontal bar for a value in [0, 1], `width` cells wide: full blocks, then one eighth-block
// (U+2589..U+258F) for the rest rounded to the nearest eighth, then spaces up to `width`.
// bar(0.5, 4) is two full blocks and two spaces. Values outside [0, 1] are clamped; NaN draws
// an empty bar (all spaces).
std::string bar(double fraction, int width);

// One line of a line chart: its name, its values (one per epoch), and the character that marks
// its points.
struct Series {
    std::string name;
    std::vector<double> values;
    char mark;
};

// A line chart of `width` x `height` character cells for the plot area:
//
//   Loss by epoch
//     0.31 |*
//     0.17 |    o   *   *
//     0.04 |            o   o
//          +-----------------
//           1     epoch    5
//           * training loss   o validation loss
//
// The y axis is labelled at its top, middle and bottom rows with the value each row stands for;
// the x axis with the first and last epoch. Point i of n goes to column i (width-1) / (n-1),
// rounded, with n the longest series' length. All series share one y range, from the smallest
// to the largest finite value of any of them (a flat series gets a small range around its
// value); values that are not finite are skipped. Where two points fall in one cell, the later
// series' mark is the one shown. The result has height + 4 lines, each ending in "\n".
// With no finite value to plot, or a plot area smaller than 2 x 2, the result is the title and
// one line saying so, never a crash.
std::string line_chart(const std::string& title, const std::vector<Series>& series, int width,
                       int height);

// The live progress line shown during an epoch, in the style of Keras:
//   "\r 312/782 [==========>...................] 0.4s - loss: 0.2841 - accuracy: 0.9163\x1b[K"
// It starts with "\r", so the next call overwrites it, ends with ESC[K (erase to the end of the
// line) so a shorter line leaves no tail of the longer one before it, and has no "\n". The bar
// is `bar_width` characters: '=' for the share done, with '>' at its head until step == total.
std::string progress_line(int step, int total, double elapsed_seconds, double loss,
                          double accuracy, int bar_width);
