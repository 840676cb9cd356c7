// prepare_digit.cpp: the five steps of prepare_digit.h, one function each.
//
// The image is held as a grid of doubles in [0, 1] (1 = ink once step 1 is done) while it is
// cropped, scaled and moved, and rounded to bytes only at the end, so no step loses precision
// to the next.
#include "prepare_digit.h"

#include <algorithm>
#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

// A grey image of doubles, row-major: value(r, c) = v[r * cols + c].
struct Grid {
    int rows = 0, cols = 0;
    std::vector<double> v;
    double& at(int r, int c) { return v[std::size_t(r) * cols + c]; }
    double at(int r, int c) const { return v[std::size_t(r) * cols + c]; }
};

// The file's pixels scaled to [0, 1]: 0 black, 1 white (maxval), as the PGM shows them.
Grid to_grid(const PgmImage& image) {
    Grid g{image.height, image.width, std::vector<double>(image.pixels.size())};
    for (std::size_t i = 0; i < image.pixels.size(); ++i) g.v[i] = double(image.pixels[i]) / image.maxval;
    return g;
}

// Step 1. The mean of the outermost ring of pixels: a digit rarely touches the border, so the
// border is the paper. Above one half, the paper is light and the ink dark: flip it, so that
// ink is bright, as in MNIST.
bool needs_inversion(const Grid& g) {
    double sum = 0;
    long count = 0;
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            if (r == 0 || c == 0 || r == g.rows - 1 || c == g.cols - 1) {
                sum += g.at(r, c);
                ++count;
            }
    return sum / count > 0.5;
}

void invert(Grid& g) {
    for (double& x : g.v) x = 1 - x;
}

// Step 2a. Stretch the darkest value to 0 and the brightest to 1. Paper that is grey rather
// than black (a photo, a scan) would otherwise count as faint ink everywhere. Returns false if
// the image is one flat value: there is no ink to find.
bool stretch_contrast(Grid& g) {
    const auto [lowest, highest] = std::minmax_element(g.v.begin(), g.v.end());
    const double low = *lowest, high = *highest;
    if (!(high > low)) return false;
    for (double& x : g.v) x = (x - low) / (high - low);
    return true;
}

// Step 2b. The smallest rectangle holding every pixel above a quarter of full ink. A quarter,
// not zero: the faint halo of anti-aliasing or a smudge should not decide the digit's size.
// (The rectangle keeps the faint pixels inside it; only the empty margin is cut.)
Grid crop_to_ink(const Grid& g) {
    int top = g.rows, bottom = -1, left = g.cols, right = -1;
    for (int r = 0; r < g.rows; ++r)
        for (int c = 0; c < g.cols; ++c)
            if (g.at(r, c) > 0.25) {
                top = std::min(top, r);
                bottom = std::max(bottom, r);
                left = std::min(left, c);
                right = std::max(right, c);
            }
    Grid box{bottom - top + 1, right - left + 1, {}};
    box.v.resize(std::size_t(box.rows) * box.cols);
    for (int r = 0; r < box.rows; ++r)
        for (int c = 0; c < box.cols; ++c) box.at(r, c) = g.at(top + r, left + c);
    return box;
}

// The length of the overlap of the intervals [a0, a1) and [b0, b1), or 0.
double overlap(double a0, double a1, double b0, double b1) {
    return std::max(0.0, std::min(a1, b1) - std::max(a0, b0));
}

// Step 3. Resample g to rows x cols by area averaging. Output pixel (i, j) covers the source
// rectangle [i / s_r, (i + 1) / s_r) x [j / s_c, (j + 1) / s_c), where s_r = rows / g.rows is
// the scale factor (and s_c likewise); its value is the mean of the source pixels under that
// rectangle, each weighted by the area it shares with it:
//
//     out(i, j) = sum_{r, c} g(r, c) * overlap_rows(i, r) * overlap_cols(j, c) / area
//
// Shrinking, an output pixel covers several source pixels and averages them (a stroke edge
// half inside it comes out half grey); enlarging, it covers part of one or two, and copies or
// blends them. The overlap is separable (rows times columns), so only the source rows and
// columns that touch the rectangle are visited.
Grid resample(const Grid& g, int rows, int cols) {
    Grid out{rows, cols, std::vector<double>(std::size_t(rows) * cols, 0.0)};
    const double row_step = double(g.rows) / rows, col_step = double(g.cols) / cols;  // source pixels per output pixel
    for (int i = 0; i < rows; ++i) {
        const double r0 = i * row_step, r1 = (i + 1) * row_step;
        for (int j = 0; j < cols; ++j) {
            const double c0 = j * col_step, c1 = (j + 1) * col_step;
            double sum = 0;
            for (int r = int(r0); r < g.rows && r < r1; ++r) {
                const double h = overlap(r0, r1, r, r + 1);
                for (int c = int(c0); c < g.cols && c < c1; ++c) sum += g.at(r, c) * h * overlap(c0, c1, c, c + 1);
            }
            out.at(i, j) = sum / (row_step * col_step);
        }
    }
    return out;
}

// Step 3's target size: the longer side becomes 20, the shorter one keeps the aspect ratio
// (rounded, and at least 1 pixel: a "1" drawn as a thin line stays thin).
void fit_box(int rows, int cols, int& fit_rows, int& fit_cols) {
    const double scale = double(kDigitBox) / std::max(rows, cols);
    fit_rows = std::max(1, std::min(kDigitBox, int(std::lround(rows * scale))));
    fit_cols = std::max(1, std::min(kDigitBox, int(std::lround(cols * scale))));
}

// Step 4. The centre of mass of the ink, (sum of v * r / sum of v, likewise for c), in pixel
// indices, is placed on (14, 14) of the 28x28 field: the box goes at offset round(14 - centre).
// The offset is then clamped to [0, 28 - size], so that a lopsided digit (a "7" with a heavy
// bar) moves as far as it can without losing ink off the edge.
Grid centre_by_mass(const Grid& box) {
    double mass = 0, row_moment = 0, col_moment = 0;
    for (int r = 0; r < box.rows; ++r)
        for (int c = 0; c < box.cols; ++c) {
            mass += box.at(r, c);
            row_moment += box.at(r, c) * r;
            col_moment += box.at(r, c) * c;
        }
    const double centre_r = mass > 0 ? row_moment / mass : (box.rows - 1) / 2.0;
    const double centre_c = mass > 0 ? col_moment / mass : (box.cols - 1) / 2.0;
    const int half = kDigitSide / 2;
    const int top = std::clamp(int(std::lround(half - centre_r)), 0, kDigitSide - box.rows);
    const int left = std::clamp(int(std::lround(half - centre_c)), 0, kDigitSide - box.cols);
    Grid field{kDigitSide, kDigitSide, std::vector<double>(kDigitSide * kDigitSide, 0.0)};
    for (int r = 0; r < box.rows; ++r)
        for (int c = 0; c < box.cols; ++c) field.at(top + r, left + c) = box.at(r, c);
    return field;
}

// Step 5: [0, 1] to the bytes 0..255, rounded to the nearest.
std::vector<std::uint8_t> to_bytes(const Grid& g) {
    std::vector<std::uint8_t> bytes(g.v.size());
    for (std::size_t i = 0; i < g.v.size(); ++i)
        bytes[i] = static_cast<std::uint8_t>(std::lround(std::clamp(g.v[i], 0.0, 1.0) * 255));
    return bytes;
}

}  // namespace

PreparedDigit prepare_digit(const PgmImage& image) {
    PreparedDigit out;
    Grid g = to_grid(image);
    out.inverted = needs_inversion(g);
    if (out.inverted) invert(g);

    // Already MNIST's size: taken as prepared (see prepare_digit.h for why it is not re-boxed).
    // An MNIST byte p with maxval 255 comes back as round(p / 255 * 255) = p, exactly.
    if (image.width == kDigitSide && image.height == kDigitSide) {
        out.pixels = to_bytes(g);
        out.blank = std::all_of(out.pixels.begin(), out.pixels.end(), [&](std::uint8_t p) { return p == out.pixels[0]; });
        return out;
    }

    out.reboxed = true;
    if (!stretch_contrast(g)) {
        out.blank = true;
        out.pixels.assign(kDigitSide * kDigitSide, 0);
        return out;
    }
    const Grid ink = crop_to_ink(g);
    out.ink_width = ink.cols;
    out.ink_height = ink.rows;
    fit_box(ink.rows, ink.cols, out.box_height, out.box_width);
    const Grid box = resample(ink, out.box_height, out.box_width);
    out.pixels = to_bytes(centre_by_mass(box));
    return out;
}
