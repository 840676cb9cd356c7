// pgm.h: grey-scale images as PGM files, the simplest image format there is.
//
// To classify a digit you drew yourself, the program has to read a picture. PGM ("portable
// grey map", from the Netpbm tools) is the picture format that fits in a paragraph, and GIMP,
// Krita, ImageMagick (`convert digit.png digit.pgm`) and most paint programs write it:
//
//   P5                 the magic: "P5" for binary pixels, "P2" for pixels written as text
//   # a comment        any number of comment lines, from '#' to the end of the line
//   40 56              width and height, in decimal, separated by white space
//   255                maxval, the value of white (1 to 65535; we read 1 to 255)
//   <pixels>           height rows of width pixels, top row first, left to right:
//                        P5: one byte each, after exactly one white-space character
//                        P2: decimal numbers separated by white space
//
// Unlike MNIST's files, 0 is black and maxval is white: a PGM shows the picture as it looks.
// An MNIST digit (ink 255 on background 0) written as PGM is therefore a light digit on a dark
// ground, and a digit drawn in a paint program is usually the reverse; prepare_digit.h sorts
// that out.
//
// The reader is as strict as the IDX reader (idx.h): every number in the header is checked,
// the size is checked against the file's real length before the pixels are allocated, pixels
// above maxval are refused, and so is anything after the last pixel (Netpbm allows several
// images in one file; a digit is one image, so more is a mistake worth reporting). 16-bit PGMs
// (maxval above 255) are refused with a line saying how to convert them. Every fault is a
// DataError whose message starts with the file's path.
//
// Read next: prepare_digit.h, which turns any such image into a 28x28 digit the way MNIST's
// were made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The largest image read: 4096 x 4096 pixels (or any other shape with as many), 16 MB of
// pixels. A phone photo (4032 x 3024) fits; predict needs about 10 bytes of memory per pixel
// while it prepares the digit (prepare_digit.cpp), so this bounds it near 170 MB. A larger
// image is refused with a line saying to scale it down.
constexpr long kMaxImagePixels = 4096L * 4096L;

// The largest PGM file read, checked before it is read: a P2 file spells each pixel in at
// most 4 bytes ("255 "), plus room for a header with comments.
constexpr std::uint64_t kMaxPgmFileBytes = 4ULL * kMaxImagePixels + (1ULL << 20);

// A grey-scale image as the file holds it: 0 is black, maxval is white.
struct PgmImage {
    int width = 0, height = 0;
    int maxval = 255;                  // 1 to 255
    std::vector<std::uint8_t> pixels;  // height rows of width values, each 0 to maxval
};

// Decodes the bytes of a P2 or P5 file; `name` (the path) starts every message. Throws DataError.
PgmImage parse_pgm(const std::vector<std::uint8_t>& file, const std::string& name);

// Reads and decodes a PGM file. Throws DataError if it is missing or not a well-formed PGM.
PgmImage read_pgm(const std::string& path);

// The bytes of a binary (P5) PGM file of the image, with one comment line in the header
// (no comment if it is empty; a comment must not contain a line break).
std::vector<std::uint8_t> encode_pgm(const PgmImage& image, const std::string& comment);

// Writes encode_pgm(image, comment) to path (atomically, see files.h). Throws DataError.
void write_pgm(const std::string& path, const PgmImage& image, const std::string& comment);
