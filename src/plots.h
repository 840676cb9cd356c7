// plots.h: the pictures of `--plots DIR`, drawn as standalone SVG files with svg.h.
//
//   loss.svg        training and validation loss by epoch       (the seed tutorial's first chart)
//   accuracy.svg    training and validation accuracy by epoch   (its second)
//   confusion.svg   the test set's confusion matrix as a heatmap, the count in every cell
//   mistakes.svg    the test digits the network got wrong while being surest of itself
//   weights.svg     what the first layer learned: each hidden unit's 784 weights as a 28x28 image
//
// Each picture is a function from numbers to the text of an SVG file, so a test can read the
// numbers back out of the drawing (tests/test_plots.cpp does: the counts in the cells, the
// curves' points through the axis ticks). write_plots() saves all five. They open in any
// browser, and docs/ shows the ones the default run made.
//
// How to read the weights picture. Hidden unit h computes Z[h] = sum_p x[p] W[p][h] + b[h]
// over the pixels p, so column h of W, laid out as an image, is the pattern of ink that
// excites the unit most: red where ink raises Z, blue where ink lowers it, white where the
// pixel hardly matters. The border stays speckled: those pixels are blank in (nearly) every
// training image, so their weights get (almost) no gradient (dW = X^T dZ, and X is 0 there) and
// keep their random starting values.
//
// Read next: docs/07-training-curves.md, which reads the pictures of the default run.
#pragma once

#include <string>
#include <vector>

#include "confusion.h"
#include "mistakes.h"
#include "svg.h"
#include "terminal.h"
#include "train.h"

// A line chart of one value by epoch, one curve per series (terminal.h's Series; the mark
// character is not used, each series gets a colour instead), with axes, ticks, grid lines
// and a legend. If marked_epoch > 0, a dashed vertical line marks that epoch, labelled with
// `marked_text`. `caption` is one line under the title (how the run was made).
std::string curves_svg(const std::string& title, const std::string& caption,
                       const std::string& y_label, const std::vector<Series>& series,
                       int marked_epoch, const std::string& marked_text);

// The confusion matrix as a grid of cells, true label by row, predicted label by column, each
// with its count; the diagonal in greens, mistakes in reds (darker = a larger share of the
// row), the recall of each row on the right and the precision of each column below.
std::string confusion_svg(const ConfusionMatrix& m, const std::string& caption);

// The mistakes as a grid of the images of d they refer to, each captioned
// "4 read as 9" / "99.8%  #1234" (confidence and image index) / "p(4) = 0.0012" (the
// probability the network gave the true label). Pixel value v is drawn in
// grey level v * 16 / 256, i.e. in colour 255 - 17 * level for each channel: level 0 (values
// below 16) is the white paper and is not drawn, level 15 is black.
std::string mistakes_svg(const Dataset& d, const std::vector<Mistake>& mistakes,
                         const std::string& caption);

// The first layer's weights W (rows * cols inputs x H units) as H images of rows x cols
// pixels, at most kMaxWeightImages of them, each on its own symmetric scale: weight w of a
// unit whose largest |w| is s gets level k = round(8 w / s), from -8 to 8, drawn in
// mix(white, blue, -k/8) for k < 0 and mix(white, red, k/8) for k > 0 (svg.h's mix()). Level
// 0, a weight under 1/16 of the unit's largest, is white and not drawn.
std::string weights_svg(const Matrix<float>& W, int rows, int cols, const std::string& caption);

// The two ends of the weights' colour scale: a blue and a red of the same depth, which stay
// apart for readers with red-green colour blindness (ColorBrewer's RdBu scale).
inline constexpr Rgb kWeightNegative{33, 102, 172};
inline constexpr Rgb kWeightPositive{178, 24, 43};

constexpr int kMaxWeightImages = 256;  // a wider first layer shows its first 256 units
constexpr int kMistakesShown = 24;     // the size of the mistakes grid

// The paths of the five files write_plots(dir, ...) writes, so that main() can check them all
// (files.h's RunFiles) before training: each must be a regular file or not exist, be no input
// of the run, and be writable.
std::vector<std::string> plot_paths(const std::string& dir);

// The run's two charts, loss and accuracy by epoch, as series: the training values, then the
// validation values when there is a validation set. The terminal's charts (run_output.h) and
// loss.svg and accuracy.svg draw the same series.
struct TrainingCurves {
    std::vector<Series> loss, accuracy;
};
TrainingCurves training_curves(const std::vector<EpochResult>& history, bool has_validation);

// Everything the five pictures are drawn from.
struct PlotInputs {
    std::string caption;                 // e.g. "784-128-128-10, RMSProp lr 0.001, ..., seed 42"
    std::vector<EpochResult> history;
    bool has_validation = false;
    ConfusionMatrix confusion;           // on the test set
    const Dataset* test = nullptr;       // for the images of the mistakes
    std::vector<Mistake> mistakes;       // on the test set, the most confident first
    const Matrix<float>* first_weights = nullptr;  // layers[0].W
};

// One picture: its file name ("loss.svg"), a title for it, and the SVG document.
struct Picture {
    std::string name, title, svg;
};

// The five pictures (four without first_weights, three without test), in the order above.
std::vector<Picture> plot_pictures(const PlotInputs& in);

// Writes the pictures of plot_pictures() into dir, each atomically (files.h), and returns their
// paths. Throws DataError naming the file that could not be written; the files already written
// stay.
std::vector<std::string> write_plots(const std::string& dir, const PlotInputs& in);
