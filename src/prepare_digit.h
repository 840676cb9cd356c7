// prepare_digit.h: turning your own picture of a digit into one the network can read.
//
// The network has only ever seen MNIST digits, and MNIST digits are not raw scans. LeCun,
// Cortes and Burges describe how they were made (yann.lecun.com/exdb/mnist): "The original
// black and white images from NIST were size normalized to fit in a 20x20 pixel box while
// preserving their aspect ratio. The resulting images contain grey levels as a result of the
// anti-aliasing technique used by the normalization algorithm. The images were centered in a
// 28x28 image by computing the center of mass of the pixels, and translating the image so as
// to position this point at the center of the 28x28 field."
//
// A network trained on such digits knows nothing else: a digit drawn in the top corner, or
// filling the whole frame, or dark on light, is a pattern it never met, and it will answer
// with confidence all the same. So prepare_digit() repeats the recipe on any image:
//
//   1. polarity   MNIST stores ink as bright (255) on a dark (0) ground. If the border of the
//                 picture is mostly bright, it is dark ink on light paper: invert it.
//   2. crop       to the bounding box of the ink (pixels above a quarter of the brightest,
//                 after stretching the picture's darkest..brightest to 0..1), so that empty
//                 paper around the digit does not count towards its size.
//   3. scale      the box to fit 20x20, keeping its aspect ratio, by area averaging: each new
//                 pixel is the mean of the old pixels it covers (weighted by how much of each
//                 it covers). That is the anti-aliasing LeCun mentions: stroke edges become
//                 grey, as in MNIST.
//   4. centre     paste into a 28x28 field so that the centre of mass of the ink lands on
//                 pixel (14, 14), rounded; moved less if that would push ink off the field.
//   5. bytes      0 to 255, as MNIST's files hold them; the network sees them divided by 255,
//                 exactly as it saw the training images (dataset.h).
//
// An image that is already 28x28 is taken to be prepared already (an MNIST digit exported with
// `./mnist export-pgm`, or one prepared by another program): only step 1 and the scaling to
// 0..255 are applied. Re-boxing it would crop and resample a digit that was boxed once, and its
// pixels, and so the network's answer, would drift from those of the original for no benefit.
//
// What this is not: a general document-image pipeline. There is no deskewing, no noise removal
// and no segmentation of several digits: one digit per picture, on a plain ground.
//
// Read next: predict_command.h, which reads the picture, prepares it and asks the network.
#pragma once

#include <cstdint>
#include <vector>

#include "pgm.h"

constexpr int kDigitSide = 28;  // MNIST's field: 28 x 28 pixels
constexpr int kDigitBox = 20;   // the box the digit is scaled into

// The prepared digit and what was done to get it, for the program to tell the user.
struct PreparedDigit {
    std::vector<std::uint8_t> pixels;  // 28 x 28, row-major, 0 (ground) to 255 (ink), like MNIST
    bool inverted = false;             // step 1 found dark ink on light paper
    bool reboxed = false;              // steps 2-4 ran (the image was not 28x28)
    int ink_width = 0, ink_height = 0; // step 2: the bounding box of the ink, in the original
    int box_width = 0, box_height = 0; // step 3: its size once scaled to fit 20x20
    bool blank = false;                // no ink at all: every pixel the same value
};

// Steps 1-5 above. Never fails: a blank image (all pixels equal) comes out as an empty field,
// marked blank, and the caller decides what to say.
PreparedDigit prepare_digit(const PgmImage& image);
