// idx_properties.h: what must hold for ANY bytes handed to the IDX parser, as one function.
//
// The fuzzer (fuzz_idx.cpp) calls check_idx_input() on millions of generated inputs, and
// test_fuzz_corpus.cpp calls it on every file of the checked-in corpus, so a finding, once
// saved into tests/fuzz/corpus/, is replayed by `make test` forever after.
//
// The input is read two ways:
//   1. as one IDX file, handed to parse_idx();
//   2. as two files, images then labels: the first two bytes give the length L of the images
//      file (big-endian), the next L bytes are that file and the rest is the labels file. Both
//      go through parse_idx() and, if both parse, through labelled_images(), the loader's
//      checks that images and labels belong together.
// The properties:
//   - the only exception that may come out is DataError, and its message is one line that
//     starts with the file's name;
//   - what parse_idx() returns is exactly what the header describes: as many dimensions as
//     byte 3 says, and product(dims) data bytes, which is everything after the header;
//   - what labelled_images() returns is consistent: count * rows * cols pixels, count labels,
//     every label a digit 0-9.
// Crashes, sanitizer reports and huge allocations are caught by the fuzzer itself (it runs
// with AddressSanitizer, UBSan and a malloc limit; see tools/fuzz-idx).
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "errors.h"
#include "fuzz_message.h"
#include "idx.h"

namespace fuzz {

// parse_idx() on one file. Returns "" if every property held; `parsed` says whether the file
// was accepted (then `array` holds it).
inline std::string check_one_file(const std::vector<std::uint8_t>& bytes, const std::string& name,
                                  IdxArray& array, bool& parsed) {
    parsed = false;
    try {
        array = parse_idx(bytes, name);
    } catch (const DataError& e) {
        return check_message(e.what(), name);
    } catch (const std::exception& e) {
        return std::string("an exception other than DataError: ") + e.what();
    }
    parsed = true;
    if (bytes.size() < 4 || array.dims.size() != bytes[3]) return "accepted with the wrong dimension count";
    std::uint64_t product = 1;
    for (std::uint32_t d : array.dims) product *= d;  // cannot wrap: the data is in memory
    const std::uint64_t header = 4 + 4 * std::uint64_t(array.dims.size());
    if (array.data.size() != product) return "data length differs from the product of the dimensions";
    if (bytes.size() != header + product) return "accepted a file with bytes the header does not describe";
    return "";
}

inline std::string check_idx_input(const std::uint8_t* data, std::size_t size) {
    const std::vector<std::uint8_t> whole(data, data + size);

    // 1. One file.
    IdxArray array;
    bool parsed = false;
    std::string problem = check_one_file(whole, "input.idx", array, parsed);
    if (!problem.empty()) return "parse_idx(whole input): " + problem;

    // 2. Images and labels.
    if (size < 2) return "";
    const std::size_t images_length = (std::size_t(data[0]) << 8) | data[1];
    if (images_length > size - 2) return "";
    const std::vector<std::uint8_t> images_bytes(data + 2, data + 2 + images_length);
    const std::vector<std::uint8_t> labels_bytes(data + 2 + images_length, data + size);
    IdxArray images, labels;
    bool images_parsed = false, labels_parsed = false;
    problem = check_one_file(images_bytes, "images.idx", images, images_parsed);
    if (!problem.empty()) return "parse_idx(images): " + problem;
    problem = check_one_file(labels_bytes, "labels.idx", labels, labels_parsed);
    if (!problem.empty()) return "parse_idx(labels): " + problem;
    if (!images_parsed || !labels_parsed) return "";

    Dataset d;
    try {
        d = labelled_images(images, "images.idx", labels, "labels.idx");
    } catch (const DataError& e) {
        const std::string message = e.what();
        const std::string name = message.rfind("labels.idx", 0) == 0 ? "labels.idx" : "images.idx";
        problem = check_message(message, name);
        return problem.empty() ? "" : "labelled_images: " + problem;
    } catch (const std::exception& e) {
        return std::string("labelled_images: an exception other than DataError: ") + e.what();
    }
    if (d.count <= 0 || d.rows <= 0 || d.cols <= 0) return "labelled_images: accepted an empty shape";
    if (d.pixels.size() != std::size_t(d.count) * d.rows * d.cols) return "labelled_images: pixel count is wrong";
    if (d.labels.size() != std::size_t(d.count)) return "labelled_images: label count is wrong";
    for (std::uint8_t label : d.labels)
        if (label >= kClasses) return "labelled_images: accepted a label that is not a digit";
    return "";
}

}  // namespace fuzz
