// plots.cpp: the five pictures of plots.h. Each is laid out on a fixed page, in pixels: a
// title and a caption at the top, the drawing below, and its labels around it.
#include "plots.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "files.h"
#include "svg.h"

namespace {

const Rgb kWhite{255, 255, 255};
const Rgb kGreen{0, 109, 44};   // the darkest green of the diagonal
const Rgb kRed{165, 15, 21};    // the darkest red of the mistakes

// One colour per curve: blue for the first (training), orange for the second (validation),
// the two first colours of matplotlib's palette, so the charts look like the seed's.
const char* const kSeriesColours[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"};

std::string format(const char* pattern, double x) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, x);
    return text;
}

// The title and the caption line at the top of every picture.
void heading(Svg& svg, double width, const std::string& title, const std::string& caption) {
    svg.text(width / 2, 26, title, 18, "middle", "font-weight=\"bold\"");
    svg.text(width / 2, 46, caption, 12, "middle", "fill=\"#555555\"");
}

// ---- Line charts ------------------------------------------------------------------------------

// A "nice" distance between ticks: 1, 2 or 5 times a power of ten, giving about `target`
// intervals over `range`. (0.0137 over 5 intervals is 0.00274, which becomes 0.005.)
double nice_step(double range, int target) {
    const double raw = range / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / magnitude;  // in [1, 10)
    const double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * magnitude;
}

// Enough decimals to tell ticks `step` apart: 0.05 -> 2, 0.1 -> 1, 5 -> 0.
int decimals_for(double step) {
    return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

}  // namespace

std::string curves_svg(const std::string& title, const std::string& caption,
                       const std::string& y_label, const std::vector<Series>& series,
                       int marked_epoch, const std::string& marked_text) {
    const double width = 720, height = 460;
    // The plot area, in page pixels: values are mapped into this rectangle.
    const double left = 80, right = width - 30, top = 80, bottom = height - 100;
    Svg svg(width, height, title);
    heading(svg, width, title, caption);

    // The value range over every finite point, and the number of epochs.
    double lo = INFINITY, hi = -INFINITY;
    std::size_t epochs = 0;
    for (const Series& s : series) {
        epochs = std::max(epochs, s.values.size());
        for (double v : s.values)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    }
    if (!(lo <= hi)) {
        svg.text(width / 2, height / 2, "no data to plot (no epoch was trained)", 14, "middle");
        return svg.finish();
    }
    if (lo == hi) {  // a flat curve: give it some room so the range is not zero
        const double pad = lo != 0 ? 0.05 * std::fabs(lo) : 1.0;
        lo -= pad;
        hi += pad;
    }

    // The y axis runs from a tick below the smallest value to a tick above the largest.
    const double step = nice_step(hi - lo, 6);
    const double y_lo = std::floor(lo / step) * step, y_hi = std::ceil(hi / step) * step;
    auto y_of = [&](double v) { return bottom - (v - y_lo) / (y_hi - y_lo) * (bottom - top); };
    // Epoch e (1-based) of n: the first at the left edge, the last at the right.
    auto x_of = [&](double e) {
        return epochs <= 1 ? (left + right) / 2 : left + (e - 1) / (epochs - 1) * (right - left);
    };

    // Grid lines and y ticks. The class attributes are for tests/test_plots.cpp, which finds
    // the ticks by them and reads the curves' values back through the axes.
    const int y_ticks = static_cast<int>(std::lround((y_hi - y_lo) / step));
    const std::string y_format = "%." + std::to_string(decimals_for(step)) + "f";
    for (int i = 0; i <= y_ticks; ++i) {
        const double v = y_lo + i * step, y = y_of(v);
        svg.line(left, y, right, y, "#e5e5e5", 1);
        svg.line(left - 5, y, left, y, "#333333", 1, "class=\"ytick\"");
        svg.text(left - 8, y + 4, format(y_format.c_str(), v), 12, "end", "class=\"ytick-label\"");
    }
    // x ticks: every epoch when there are few, otherwise every 2nd, 5th, 10th... counted from
    // the first (1, 3, 5, ... for 21 epochs, which ends on the last one).
    const int x_step = std::max(1, static_cast<int>(nice_step(std::max<double>(epochs - 1, 1), 10)));
    for (int e = 1; e <= static_cast<int>(epochs); ++e) {
        if ((e - 1) % x_step != 0) continue;
        const double x = x_of(e);
        svg.line(x, bottom, x, bottom + 5, "#333333", 1, "class=\"xtick\"");
        svg.text(x, bottom + 20, std::to_string(e), 12, "middle", "class=\"xtick-label\"");
    }
    svg.line(left, top, left, bottom, "#333333", 1);      // the y axis
    svg.line(left, bottom, right, bottom, "#333333", 1);  // the x axis
    svg.text((left + right) / 2, bottom + 42, "epoch", 13, "middle");
    svg.begin_group(20, (top + bottom) / 2, 1, "");
    svg.text(0, 0, y_label, 13, "middle", "transform=\"rotate(-90)\"");
    svg.end_group();

    if (marked_epoch >= 1 && marked_epoch <= static_cast<int>(epochs)) {
        const double x = x_of(marked_epoch);
        svg.line(x, top, x, bottom, "#888888", 1, "stroke-dasharray=\"5,4\"");
        // The label sits just above the plot area, where no curve can cross it, on the side of
        // the line with more room.
        const bool right_half = marked_epoch * 2 > static_cast<int>(epochs);
        svg.text(x + (right_half ? 4 : -4), top - 9, marked_text, 12, right_half ? "end" : "start",
                 "class=\"marker\" fill=\"#555555\"");
    }

    // The curves, each a polyline through its points, with a dot and a tooltip at each point.
    for (std::size_t k = 0; k < series.size(); ++k) {
        const std::string colour = kSeriesColours[k % 4];
        std::vector<double> xs, ys;
        for (std::size_t i = 0; i < series[k].values.size(); ++i) {
            if (!std::isfinite(series[k].values[i])) continue;
            xs.push_back(x_of(static_cast<double>(i + 1)));
            ys.push_back(y_of(series[k].values[i]));
        }
        svg.polyline(xs, ys, colour, 2, "class=\"curve\"");
        for (std::size_t i = 0, j = 0; i < series[k].values.size(); ++i) {
            if (!std::isfinite(series[k].values[i])) continue;
            svg.circle(xs[j], ys[j], 3, colour,
                       series[k].name + ", epoch " + std::to_string(i + 1) + ": " +
                           format("%.4f", series[k].values[i]));
            ++j;
        }
    }

    // The legend, below the chart: a short line in each series' colour, then its name.
    double x = left;
    for (std::size_t k = 0; k < series.size(); ++k) {
        const double y = height - 22;
        svg.line(x, y - 4, x + 24, y - 4, kSeriesColours[k % 4], 3);
        svg.text(x + 30, y, series[k].name, 13, "start", "class=\"legend\"");
        x += 40 + 8.0 * series[k].name.size();
    }
    return svg.finish();
}

// ---- Confusion matrix ---------------------------------------------------------------------------

std::string confusion_svg(const ConfusionMatrix& m, const std::string& caption) {
    const int K = m.classes;
    const double cell = 46, left = 90, top = 110;
    const double width = left + K * cell + 90, height = top + K * cell + 80;
    const std::string title = "Confusion matrix on the test set";
    Svg svg(width, height, title);
    heading(svg, width, title, caption);

    svg.text(left + K * cell / 2, top - 32, "predicted label", 13, "middle");
    svg.begin_group(left - 48, top + K * cell / 2, 1, "");
    svg.text(0, 0, "true label", 13, "middle", "transform=\"rotate(-90)\"");
    svg.end_group();
    svg.text(left + K * cell + 45, top - 10, "recall", 12, "middle");
    svg.text(left - 10, top + K * cell + 28, "precision", 12, "end");

    for (int k = 0; k < K; ++k) {
        svg.text(left + (k + 0.5) * cell, top - 10, std::to_string(k), 13, "middle");
        svg.text(left - 12, top + (k + 0.5) * cell + 5, std::to_string(k), 13, "end");
    }
    for (int t = 0; t < K; ++t) {
        const long row = m.row_total(t);
        for (int p = 0; p < K; ++p) {
            const long count = m.at(t, p);
            const double share = row > 0 ? static_cast<double>(count) / row : 0;
            // The shading, as in the terminal's table (confusion.cpp): right answers in green on
            // the scale of the whole row, mistakes in red on a scale that is darkest at 2% of
            // the row, so that 14 fours read as nines stand out from a single slip.
            const double depth = t == p ? share : std::min(1.0, share / 0.02);
            const Rgb fill = mix(kWhite, t == p ? kGreen : kRed, depth);
            const double x = left + p * cell, y = top + t * cell;
            svg.rect(x, y, cell, cell, hex(fill), "stroke=\"#ffffff\"");
            const std::string ink = count == 0 ? "#bbbbbb" : depth > 0.55 ? "#ffffff" : "#000000";
            svg.text(x + cell / 2, y + cell / 2 + 5, std::to_string(count), 13, "middle",
                     "class=\"count\" fill=\"" + ink + "\"");
        }
        svg.text(left + K * cell + 45, top + (t + 0.5) * cell + 5,
                 format("%.1f%%", 100 * m.recall(t)), 12, "middle", "class=\"recall\"");
    }
    for (int p = 0; p < K; ++p)
        svg.text(left + (p + 0.5) * cell, top + K * cell + 28, format("%.1f%%", 100 * m.precision(p)),
                 11, "middle", "class=\"precision\"");
    char total[96];
    std::snprintf(total, sizeof total, "%ld of %ld right (%.2f%%)", m.correct(), m.total(),
                  100 * m.accuracy());
    svg.text(left + K * cell / 2, top + K * cell + 60, total, 13, "middle");
    return svg.finish();
}

// ---- Images: the mistakes and the weights ----------------------------------------------------

namespace {

// 16 greys from white (level 0, not drawn: the paper) to black (level 15): pixel value v
// becomes level v * 16 / 256. Ink is dark on white, as the digits were written.
PixelImage digit_image(const Dataset& d, int index) {
    PixelImage image;
    image.rows = d.rows;
    image.cols = d.cols;
    for (int level = 0; level < 16; ++level) {
        const int grey = 255 - level * 17;
        image.palette.push_back(hex({grey, grey, grey}));
    }
    const std::uint8_t* pixels = d.pixels.data() + static_cast<std::size_t>(index) * d.pixels_per_image();
    for (int p = 0; p < d.pixels_per_image(); ++p) image.levels.push_back(pixels[p] * 16 / 256);
    return image;
}

// 17 colours for weights: level 8 is 0 (white, not drawn), levels 9..16 go from pale to full
// red, levels 7..0 from pale to full blue. A weight w of a unit whose largest |w| is `scale`
// gets level 8 + round(8 w / scale).
constexpr int kWeightSteps = 8;

PixelImage weight_image(const Matrix<float>& W, int unit, int rows, int cols) {
    PixelImage image;
    image.rows = rows;
    image.cols = cols;
    image.background = kWeightSteps;
    for (int level = 0; level <= 2 * kWeightSteps; ++level) {
        const int k = level - kWeightSteps;  // -8..8
        const double depth = std::abs(k) / static_cast<double>(kWeightSteps);
        image.palette.push_back(hex(mix(kWhite, k < 0 ? kWeightNegative : kWeightPositive, depth)));
    }
    double scale = 0;
    for (int p = 0; p < rows * cols; ++p) scale = std::max(scale, std::fabs(static_cast<double>(W(p, unit))));
    for (int p = 0; p < rows * cols; ++p) {
        const double w = scale > 0 ? W(p, unit) / scale : 0;  // in [-1, 1]
        image.levels.push_back(kWeightSteps + static_cast<int>(std::lround(w * kWeightSteps)));
    }
    return image;
}

}  // namespace

std::string mistakes_svg(const Dataset& d, const std::vector<Mistake>& mistakes,
                         const std::string& caption) {
    const int columns = 8;
    const double scale = 3, tile_w = 100, tile_h = d.rows * scale + 58, left = 20, top = 70;
    const int shown = static_cast<int>(mistakes.size());
    const int rows = std::max(1, (shown + columns - 1) / columns);
    const double width = left * 2 + columns * tile_w, height = top + rows * tile_h + 20;
    const std::string title = shown == 0 ? "No mistakes on the test set"
                                         : "The " + std::to_string(shown) +
                                               " most confident mistakes on the test set";
    Svg svg(width, height, title);
    heading(svg, width, title, caption);
    for (int i = 0; i < shown; ++i) {
        const Mistake& m = mistakes[i];
        const double x = left + (i % columns) * tile_w, y = top + (i / columns) * tile_h;
        const double image_x = x + (tile_w - d.cols * scale) / 2;
        svg.rect(image_x - 1, y - 1, d.cols * scale + 2, d.rows * scale + 2, "none",
                 "stroke=\"#cccccc\"");
        svg.begin_group(image_x, y, scale, "class=\"digit\"");
        svg.tooltip("test image " + std::to_string(m.index) + ": a " + std::to_string(m.truth) +
                    ", read as " + std::to_string(m.predicted) + " with probability " +
                    format("%.4f", m.confidence));
        svg.pixels(digit_image(d, m.index));
        svg.end_group();
        svg.text(x + tile_w / 2, y + d.rows * scale + 17,
                 std::to_string(m.truth) + " read as " + std::to_string(m.predicted), 13, "middle",
                 "class=\"verdict\"");
        svg.text(x + tile_w / 2, y + d.rows * scale + 33,
                 format("%.1f%%", 100 * m.confidence) + "  #" + std::to_string(m.index), 11, "middle",
                 "class=\"detail\" fill=\"#555555\"");
        svg.text(x + tile_w / 2, y + d.rows * scale + 47,
                 "p(" + std::to_string(m.truth) + ") = " + format("%.2g", m.truth_probability), 11,
                 "middle", "class=\"truth\" fill=\"#555555\"");
    }
    return svg.finish();
}

std::string weights_svg(const Matrix<float>& W, int rows, int cols, const std::string& caption) {
    const int units = std::min(W.cols, kMaxWeightImages);
    const int columns = 16;
    const double scale = 2, gap = 6, left = 20, top = 70;
    const double tile_w = cols * scale + gap, tile_h = rows * scale + gap;
    const int grid_rows = std::max(1, (units + columns - 1) / columns);
    const double width = std::max(left * 2 + columns * tile_w, 560.0);
    const double height = top + grid_rows * tile_h + 50;
    std::string title = "First layer weights: one image per unit";
    if (units < W.cols)
        title += " (the first " + std::to_string(units) + " of " + std::to_string(W.cols) + ")";
    Svg svg(width, height, title);
    heading(svg, width, title, caption);
    for (int h = 0; h < units; ++h) {
        const double x = left + (h % columns) * tile_w, y = top + (h / columns) * tile_h;
        svg.rect(x - 0.5, y - 0.5, cols * scale + 1, rows * scale + 1, "none", "stroke=\"#dddddd\"");
        svg.begin_group(x, y, scale, "class=\"unit\"");
        svg.tooltip("unit " + std::to_string(h));
        svg.pixels(weight_image(W, h, rows, cols));
        svg.end_group();
    }
    // The colour key: the 17 shades, from the unit's most negative weight to its most positive.
    const double key_y = top + grid_rows * tile_h + 12;
    const double key_x = width / 2 - (2 * kWeightSteps + 1) * 7;
    for (int level = 0; level <= 2 * kWeightSteps; ++level) {
        const int k = level - kWeightSteps;
        const double depth = std::abs(k) / static_cast<double>(kWeightSteps);
        svg.rect(key_x + level * 14, key_y, 14, 12, hex(mix(kWhite, k < 0 ? kWeightNegative : kWeightPositive, depth)),
                 "stroke=\"#dddddd\"");
    }
    svg.text(key_x - 8, key_y + 10, "-max |w|", 12, "end");
    svg.text(key_x + (2 * kWeightSteps + 1) * 14 + 8, key_y + 10, "+max |w|  (each unit on its own scale)", 12);
    svg.text(width / 2, key_y + 32, "red: ink there excites the unit; blue: ink there inhibits it", 12, "middle",
             "fill=\"#555555\"");
    return svg.finish();
}

// ---- Files ------------------------------------------------------------------------------------

namespace {

const char* const kPlotNames[] = {"loss.svg", "accuracy.svg", "confusion.svg", "mistakes.svg", "weights.svg"};

// The epoch (1-based) whose value is the best: the smallest, or with `largest`, the largest.
int best_epoch(const std::vector<double>& values, bool largest) {
    int best = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        if (best == 0 || (largest ? values[i] > values[best - 1] : values[i] < values[best - 1]))
            best = static_cast<int>(i) + 1;
    return best;
}

}  // namespace

std::vector<std::string> plot_paths(const std::string& dir) {
    std::vector<std::string> paths;
    for (const char* name : kPlotNames) paths.push_back((std::filesystem::path(dir) / name).string());
    return paths;
}

TrainingCurves training_curves(const std::vector<EpochResult>& history, bool has_validation) {
    std::vector<double> loss, val_loss, accuracy, val_accuracy;
    for (const EpochResult& e : history) {
        loss.push_back(e.loss);
        val_loss.push_back(e.val_loss);
        accuracy.push_back(e.accuracy);
        val_accuracy.push_back(e.val_accuracy);
    }
    TrainingCurves curves;
    curves.loss = {{"training loss", loss, '*'}};
    curves.accuracy = {{"training accuracy", accuracy, '*'}};
    if (has_validation) {
        curves.loss.push_back({"validation loss", val_loss, 'o'});
        curves.accuracy.push_back({"validation accuracy", val_accuracy, 'o'});
    }
    return curves;
}

std::vector<Picture> plot_pictures(const PlotInputs& in) {
    const TrainingCurves curves = training_curves(in.history, in.has_validation);
    const std::vector<Series>& loss_series = curves.loss;
    const std::vector<Series>& accuracy_series = curves.accuracy;
    int lowest = 0, highest = 0;
    if (in.has_validation) {
        lowest = best_epoch(loss_series[1].values, false);
        highest = best_epoch(accuracy_series[1].values, true);
    }

    std::vector<Picture> pictures;
    pictures.push_back({"loss.svg", "Loss by epoch",
                        curves_svg("Loss by epoch", in.caption, "loss (cross-entropy)", loss_series, lowest,
                                   lowest ? "lowest validation loss: epoch " + std::to_string(lowest) : "")});
    pictures.push_back({"accuracy.svg", "Accuracy by epoch",
                        curves_svg("Accuracy by epoch", in.caption, "accuracy", accuracy_series, highest,
                                   highest ? "highest validation accuracy: epoch " + std::to_string(highest) : "")});
    pictures.push_back({"confusion.svg", "Confusion matrix", confusion_svg(in.confusion, in.caption)});
    if (in.test != nullptr)
        pictures.push_back({"mistakes.svg", "The surest mistakes", mistakes_svg(*in.test, in.mistakes, in.caption)});
    if (in.first_weights != nullptr && in.test != nullptr)
        pictures.push_back({"weights.svg", "First-layer weights",
                            weights_svg(*in.first_weights, in.test->rows, in.test->cols, in.caption)});
    return pictures;
}

std::vector<std::string> write_plots(const std::string& dir, const PlotInputs& in) {
    const std::string base = (std::filesystem::path(dir) / "").string();
    std::vector<std::string> written;
    for (const Picture& picture : plot_pictures(in)) {
        write_file_atomically(base + picture.name, picture.svg);
        written.push_back(base + picture.name);
    }
    return written;
}
