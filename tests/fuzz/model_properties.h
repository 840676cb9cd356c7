// model_properties.h: what must hold for ANY bytes handed to the model-file loader, as one
// function.
//
// The fuzzer (fuzz_model.cpp) calls check_model_input() on millions of generated inputs, and
// test_fuzz_corpus.cpp calls it on every file of tests/fuzz/corpus-model/, so a finding, once
// saved there, is replayed by `make test` forever after. Same pattern as idx_properties.h.
//
// The input is read two ways:
//   1. as it is, handed to decode_model();
//   2. with its last 4 bytes replaced by the CRC-32 of the rest, so that the checksum holds,
//      and handed to decode_model() again. A random mutation almost never keeps the checksum
//      right, so without this second reading the fuzzer would hardly ever get past step 4 of
//      decode_model() to the weights.
// The properties, for each reading:
//   - the only exception that may come out is DataError, and its message is one line that
//     starts with the file's name;
//   - a decoded network is what the header describes: as many sizes as the count at byte 12,
//     each equal to the size stored in the header, 10 outputs, layers of sizes[l] x sizes[l+1]
//     weights and sizes[l+1] biases, all finite, and the byte count exactly
//     16 + 4 * sizes + 4 * parameters + 4;
//   - encode_model() on the decoded network gives back exactly the input bytes (round trip):
//     nothing in the file is ignored, and nothing is changed on the way in.
// Crashes, sanitizer reports and huge allocations are caught by the fuzzer itself (it runs
// with AddressSanitizer, UBSan and a malloc limit; see tools/fuzz-idx).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <string>
#include <vector>

#include "errors.h"
#include "fuzz_message.h"
#include "idx.h"
#include "model_file.h"

namespace fuzz {

// "" if `net`, decoded from `bytes`, is what the bytes describe, else what is wrong.
inline std::string check_decoded_model(const std::vector<std::uint8_t>& bytes, const Network<float>& net) {
    auto u32 = [&](std::size_t at) {
        return std::uint32_t(bytes[at]) | (std::uint32_t(bytes[at + 1]) << 8) | (std::uint32_t(bytes[at + 2]) << 16) |
               (std::uint32_t(bytes[at + 3]) << 24);
    };
    const std::vector<int> sizes = net.sizes();
    if (bytes.size() < 16 || sizes.size() != u32(12)) return "the size count differs from the header's";
    if (sizes.size() < 2 || bytes.size() < 16 + 4 * sizes.size()) return "accepted a header too short for its sizes";
    for (std::size_t i = 0; i < sizes.size(); ++i)
        if (sizes[i] < 1 || std::uint32_t(sizes[i]) != u32(16 + 4 * i)) return "a size differs from the header's";
    if (sizes.back() != kClasses) return "accepted a network without 10 outputs";
    if (net.layers.size() + 1 != sizes.size()) return "the layer count does not match the sizes";
    std::uint64_t parameters = 0;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const DenseLayer<float>& layer = net.layers[l];
        if (layer.W.rows != sizes[l] || layer.W.cols != sizes[l + 1] || layer.b.rows != 1 || layer.b.cols != sizes[l + 1] ||
            layer.W.data.size() != std::size_t(sizes[l]) * sizes[l + 1] || layer.b.data.size() != std::size_t(sizes[l + 1]))
            return "layer " + std::to_string(l + 1) + " has the wrong shape";
        for (float w : layer.W.data)
            if (!std::isfinite(w)) return "accepted a weight that is not finite";
        for (float b : layer.b.data)
            if (!std::isfinite(b)) return "accepted a bias that is not finite";
        parameters += layer.W.data.size() + layer.b.data.size();
    }
    if (bytes.size() != 16 + 4 * sizes.size() + 4 * parameters + 4) return "the byte count does not match the sizes";
    if (encode_model(net) != bytes) return "encode_model(decode_model(bytes)) differs from bytes";
    return "";
}

// decode_model() on one reading of the input; "" if every property held.
inline std::string check_model_bytes(const std::vector<std::uint8_t>& bytes, const std::string& name) {
    Network<float> net;
    try {
        net = decode_model(bytes, name);
    } catch (const DataError& e) {
        return check_message(e.what(), name);
    } catch (const std::exception& e) {
        return std::string("an exception other than DataError: ") + e.what();
    }
    return check_decoded_model(bytes, net);
}

inline std::string check_model_input(const std::uint8_t* data, std::size_t size) {
    // 1. As it is.
    std::vector<std::uint8_t> bytes(data, data + size);
    std::string problem = check_model_bytes(bytes, "input.bin");
    if (!problem.empty()) return "decode_model(input): " + problem;

    // 2. With a checksum that holds.
    if (size < 4) return "";
    const std::uint32_t crc = crc32(bytes.data(), size - 4);
    for (int i = 0; i < 4; ++i) bytes[size - 4 + i] = static_cast<std::uint8_t>(crc >> (8 * i));
    problem = check_model_bytes(bytes, "fixed.bin");
    return problem.empty() ? "" : "decode_model(input with its CRC fixed): " + problem;
}

}  // namespace fuzz
