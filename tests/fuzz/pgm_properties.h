// pgm_properties.h: what must hold for ANY bytes handed to the PGM reader, as one function.
//
// The fuzzer (fuzz_pgm.cpp) calls check_pgm_input() on millions of generated inputs, and
// test_fuzz_corpus.cpp calls it on every file of tests/fuzz/corpus-pgm/, so a finding, once
// saved there, is replayed by `make test` forever after. Same pattern as idx_properties.h.
//
// The input is one PGM file, handed to parse_pgm(). The properties:
//   - the only exception that may come out is DataError, and its message is one line that
//     starts with the file's name;
//   - an accepted image is what pgm.h promises: width and height at least 1, width * height
//     pixels, maxval 1 to 255, and every pixel at most maxval;
//   - writing the image back with encode_pgm() and reading that gives the same image (the
//     writer and the reader agree on the format);
//   - prepare_digit() on the image (it never throws) gives a 28x28 digit of bytes 0..255, so
//     pixels / 255 (what the network sees) lie in [0, 1]; an image with every pixel equal is
//     reported blank, and only such an image (predict refuses a blank digit with a one-line
//     message, "has no digit in it"); a blank digit is one flat value; the ink box lies
//     inside the image and the scaled box inside 20x20.
// Crashes, sanitizer reports and huge allocations are caught by the fuzzer itself (it runs
// with AddressSanitizer, UBSan and a malloc limit; see tools/fuzz-idx).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "errors.h"
#include "fuzz_message.h"
#include "pgm.h"
#include "prepare_digit.h"

namespace fuzz {

// "" if `image` is what parse_pgm() may return, else what is wrong with it.
inline std::string check_pgm_image(const PgmImage& image) {
    if (image.width < 1 || image.height < 1) return "accepted an image without pixels";
    if (image.maxval < 1 || image.maxval > 255) return "accepted maxval " + std::to_string(image.maxval);
    if (image.pixels.size() != std::size_t(image.width) * std::size_t(image.height))
        return "pixel count differs from width * height";
    for (std::uint8_t p : image.pixels)
        if (p > image.maxval) return "accepted a pixel above maxval";
    return "";
}

// "" if `digit` is a proper result of prepare_digit(image), else what is wrong with it.
inline std::string check_prepared_digit(const PgmImage& image, const PreparedDigit& digit) {
    if (digit.pixels.size() != std::size_t(kDigitSide) * kDigitSide) return "the digit is not 28x28";
    const bool flat_digit = std::all_of(digit.pixels.begin(), digit.pixels.end(),
                                        [&](std::uint8_t p) { return p == digit.pixels[0]; });
    const bool flat_image = std::all_of(image.pixels.begin(), image.pixels.end(),
                                        [&](std::uint8_t p) { return p == image.pixels[0]; });
    if (flat_image && !digit.blank) return "an image of one flat grey is not reported blank";
    if (digit.blank && !flat_image) return "an image with ink in it is reported blank";
    if (digit.blank && !flat_digit) return "a digit reported blank has ink in it";
    const bool square = image.width == kDigitSide && image.height == kDigitSide;
    if (digit.reboxed == square) return square ? "a 28x28 image was re-boxed" : "an image was not re-boxed";
    if (digit.reboxed && !digit.blank) {
        if (digit.ink_width < 1 || digit.ink_width > image.width || digit.ink_height < 1 ||
            digit.ink_height > image.height)
            return "the ink box is not inside the image";
        if (digit.box_width < 1 || digit.box_width > kDigitBox || digit.box_height < 1 || digit.box_height > kDigitBox)
            return "the scaled box is not inside 20x20";
    }
    return "";
}

inline std::string check_pgm_input(const std::uint8_t* data, std::size_t size) {
    const std::string name = "input.pgm";
    const std::vector<std::uint8_t> bytes(data, data + size);
    PgmImage image;
    try {
        image = parse_pgm(bytes, name);
    } catch (const DataError& e) {
        const std::string problem = check_message(e.what(), name);
        return problem.empty() ? "" : "parse_pgm: " + problem;
    } catch (const std::exception& e) {
        return std::string("parse_pgm: an exception other than DataError: ") + e.what();
    }
    std::string problem = check_pgm_image(image);
    if (!problem.empty()) return "parse_pgm: " + problem;

    // The writer's bytes read back as the same image.
    try {
        const PgmImage again = parse_pgm(encode_pgm(image, "fuzz"), "again.pgm");
        if (again.width != image.width || again.height != image.height || again.maxval != image.maxval ||
            again.pixels != image.pixels)
            return "encode_pgm then parse_pgm gives a different image";
    } catch (const std::exception& e) {
        return std::string("parse_pgm refuses what encode_pgm wrote: ") + e.what();
    }

    problem = check_prepared_digit(image, prepare_digit(image));
    return problem.empty() ? "" : "prepare_digit: " + problem;
}

}  // namespace fuzz
