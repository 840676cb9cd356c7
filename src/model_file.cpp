// model_file.cpp: writing and reading the model format of model_file.h.
#include "model_file.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "errors.h"
#include "files.h"
#include "idx.h"

namespace {

const char kMagic[8] = {'M', 'N', 'I', 'S', 'T', 'M', 'L', 'P'};

// The longest network we accept: the command line allows 32 hidden layers, so 34 sizes.
constexpr std::uint32_t kMaxSizes = 34;

DataError fault(const std::string& name, const std::string& what) {
    return DataError(name + ": " + what);
}

// ---- Little-endian numbers, one byte at a time -----------------------------------------------
// Little-endian: the least significant byte first, so x = b0 + b1*2^8 + b2*2^16 + b3*2^24.
// Shifting and masking computes exactly that on any machine, whatever its own byte order.

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t x) {
    out.push_back(static_cast<std::uint8_t>(x));
    out.push_back(static_cast<std::uint8_t>(x >> 8));
    out.push_back(static_cast<std::uint8_t>(x >> 16));
    out.push_back(static_cast<std::uint8_t>(x >> 24));
}

std::uint32_t get_u32(const std::uint8_t* b) {
    return std::uint32_t(b[0]) | (std::uint32_t(b[1]) << 8) | (std::uint32_t(b[2]) << 16) |
           (std::uint32_t(b[3]) << 24);
}

// A float goes to disk as the 32 bits of its IEEE 754 representation (1 sign bit, 8 exponent
// bits, 23 fraction bits). std::memcpy between a float and a uint32 is the portable way to get
// at those bits: it copies the object's bytes without the undefined behaviour of reading a
// float through an integer pointer, and compilers turn it into a single register move.
void put_f32(std::vector<std::uint8_t>& out, float x) {
    std::uint32_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    put_u32(out, bits);
}

float get_f32(const std::uint8_t* b) {
    const std::uint32_t bits = get_u32(b);
    float x;
    std::memcpy(&x, &bits, sizeof x);
    return x;
}

std::string sizes_text(const std::vector<std::uint32_t>& sizes) {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

}  // namespace

// The CRC is the remainder of a polynomial division over GF(2): the file's bits are the
// coefficients of a huge polynomial, divided by the degree-32 generator polynomial
// x^32 + x^26 + x^23 + ... + 1. Addition in GF(2) is XOR, so "subtracting the divisor" is
// XOR-ing it in wherever the leading bit is 1. zlib's variant processes each byte's bits
// least significant first, which is why the divisor appears bit-reversed, as 0xEDB88320,
// and why the shifts go right. Starting from 0xFFFFFFFF (instead of 0) makes leading zero
// bytes count, and the final inversion makes appended zero bytes count.
//
// This is the bitwise form: 8 shift-and-maybe-XOR steps per byte. zlib precomputes those 8
// steps for all 256 byte values in a table and does one lookup per byte instead; the result is
// the same, and for a 0.5 MB model the bitwise form takes about a millisecond, so the shorter
// code wins here.
std::uint32_t crc32(const std::uint8_t* bytes, std::size_t count) {
    std::uint32_t crc = 0xFFFFFFFFu;
    for (std::size_t i = 0; i < count; ++i) {
        crc ^= bytes[i];
        for (int bit = 0; bit < 8; ++bit) {
            // If the lowest bit is 1, divide: shift and XOR the polynomial in; else just shift.
            // (0u - (crc & 1)) is all ones when the bit is 1 and zero otherwise.
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return crc ^ 0xFFFFFFFFu;
}

std::vector<std::uint8_t> encode_model(const Network<float>& net) {
    const std::vector<int> sizes = net.sizes();
    std::vector<std::uint8_t> out(kMagic, kMagic + 8);
    put_u32(out, kModelFormatVersion);
    put_u32(out, static_cast<std::uint32_t>(sizes.size()));
    for (int s : sizes) put_u32(out, static_cast<std::uint32_t>(s));
    for (const DenseLayer<float>& layer : net.layers) {
        for (float w : layer.W.data) put_f32(out, w);  // D x H, row by row
        for (float b : layer.b.data) put_f32(out, b);  // 1 x H
    }
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

std::uint32_t weights_fingerprint(const Network<float>& net) {
    const std::vector<std::uint8_t> file = encode_model(net);
    return crc32(file.data(), file.size() - 4);  // all but the stored CRC: that CRC itself
}

std::string fingerprint_text(std::uint32_t fingerprint) {
    char text[9];
    std::snprintf(text, sizeof text, "%08x", static_cast<unsigned>(fingerprint));
    return text;
}

namespace {

// The longest header: magic, version, count and kMaxSizes sizes.
constexpr std::size_t kMaxModelHeader = 16 + 4 * kMaxSizes;

// Steps 1 to 3 of decode_model(), which need only the header: `file` holds at least the first
// min(size, kMaxModelHeader) bytes of a file of `size` bytes. Returns the layer sizes and the
// header's length, once the size they imply is exactly the file's.
std::vector<std::uint32_t> read_model_header(const std::vector<std::uint8_t>& file, std::uint64_t size,
                                             const std::string& name, std::size_t& header) {
    // 1. The magic tag and the version: is this a model file of ours at all?
    if (size == 0) throw fault(name, "is empty (0 bytes), not a model file");
    if (size < 16 || std::memcmp(file.data(), kMagic, 8) != 0)
        throw fault(name, "is not a model file of this program (it does not start with \"MNISTMLP\")");
    const std::uint32_t version = get_u32(&file[8]);
    if (version != kModelFormatVersion)
        throw fault(name, "is a model file of format version " + std::to_string(version) +
                              "; this program reads version " + std::to_string(kModelFormatVersion));

    // 2. The sizes. n is checked before 4n bytes are read, and each size before it is used.
    const std::uint32_t n = get_u32(&file[12]);
    if (n < 2 || n > kMaxSizes)
        throw fault(name, "claims " + std::to_string(n) + " layer sizes; a model has 2 to " +
                              std::to_string(kMaxSizes) + " (inputs, up to 32 hidden layers, classes)");
    header = 16 + 4 * std::size_t(n);
    if (size < header)
        throw fault(name, "is truncated: its header needs " + std::to_string(header) +
                              " bytes for " + std::to_string(n) + " sizes, the file has " + std::to_string(size));
    std::vector<std::uint32_t> sizes(n);
    for (std::uint32_t i = 0; i < n; ++i) sizes[i] = get_u32(&file[16 + 4 * i]);
    for (std::uint32_t i = 0; i < n; ++i)
        if (sizes[i] == 0) throw fault(name, "has a layer of size 0 (sizes " + sizes_text(sizes) + ")");
    if (sizes[n - 1] != kClasses)
        throw fault(name, "has " + std::to_string(sizes[n - 1]) + " outputs; a digit classifier has " +
                              std::to_string(kClasses) + " (sizes " + sizes_text(sizes) + ")");

    // 3. How long the sizes say the file is, computed in 64 bits before anything is allocated.
    //    Each layer's D * H is below 2^64 (both factors are below 2^32), and we refuse any
    //    layer above INT_MAX weights (the loops count with int, as cli.h's check_network_fits
    //    says), so the sum of at most 33 layers cannot overflow.
    std::uint64_t floats = 0;
    for (std::uint32_t l = 0; l + 1 < n; ++l) {
        const std::uint64_t weights = std::uint64_t(sizes[l]) * sizes[l + 1];
        if (weights > INT_MAX)
            throw fault(name, "claims " + std::to_string(weights) + " weights in layer " + std::to_string(l + 1) +
                                  " (sizes " + sizes_text(sizes) + "); at most " + std::to_string(INT_MAX));
        floats += weights + sizes[l + 1];
    }
    const std::uint64_t expected = header + 4 * floats + 4;  // + 4: the CRC
    if (size < expected)
        throw fault(name, "is truncated: sizes " + sizes_text(sizes) + " need " + std::to_string(expected) +
                              " bytes, the file has " + std::to_string(size));
    if (size > expected)
        throw fault(name, "has " + std::to_string(size - expected) + " trailing bytes after the " +
                              std::to_string(expected) + " bytes its sizes (" + sizes_text(sizes) + ") describe");
    return sizes;
}

}  // namespace

Network<float> decode_model(const std::vector<std::uint8_t>& file, const std::string& name) {
    const std::size_t size = file.size();
    std::size_t header = 0;
    const std::vector<std::uint32_t> sizes = read_model_header(file, size, name, header);

    // 4. The checksum, over everything before its own 4 bytes. Only now is the file believed.
    const std::uint32_t stored = get_u32(&file[size - 4]);
    const std::uint32_t computed = crc32(file.data(), size - 4);
    if (stored != computed) {
        char text[96];
        std::snprintf(text, sizeof text, "checksum mismatch (stored %08x, computed %08x)", stored, computed);
        throw fault(name, std::string(text) + ": the file is corrupted");
    }

    // 5. The weights. make_network() builds the layers and the caches of the right shapes; its
    //    random initial weights are then overwritten, every one of them, from the file.
    const std::vector<int> int_sizes(sizes.begin(), sizes.end());
    Rng unused(0);
    Network<float> net = make_network<float>(int_sizes, unused);
    std::size_t at = header;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        DenseLayer<float>& layer = net.layers[l];
        for (float& w : layer.W.data) { w = get_f32(&file[at]); at += 4; }
        for (float& b : layer.b.data) { b = get_f32(&file[at]); at += 4; }
        // A NaN or infinity passes the checksum if it was saved that way; training refuses to
        // go on with one (train.h), so a model holding one is refused too.
        if (!all_finite(layer.W) || !all_finite(layer.b))
            throw fault(name, "layer " + std::to_string(l + 1) + " holds a weight that is not a finite number");
    }
    return net;
}

void save_model(const std::string& path, const Network<float>& net) {
    write_file_atomically(path, encode_model(net));
}

Network<float> load_model(const std::string& path) {
    // The header first: a file is read whole only once its size is the one its sizes imply.
    InputFile file = open_input_file(path, "a model file");
    std::vector<std::uint8_t> bytes = read_bytes(file, kMaxModelHeader);
    std::size_t header = 0;
    read_model_header(bytes, file.size, path, header);
    bytes.reserve(static_cast<std::size_t>(file.size));
    read_more(file, bytes, file.size - bytes.size());
    return decode_model(bytes, path);
}

bool keep_if_best(BestWeights& best, const Network<float>& net, int epoch, double val_loss) {
    if (best.epoch != 0 && !(val_loss < best.val_loss)) return false;
    best.epoch = epoch;
    best.val_loss = val_loss;
    best.W.clear();
    best.b.clear();
    for (const DenseLayer<float>& layer : net.layers) {
        best.W.push_back(layer.W);
        best.b.push_back(layer.b);
    }
    return true;
}

void restore_weights(Network<float>& net, const BestWeights& best) {
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        net.layers[l].W = best.W[l];
        net.layers[l].b = best.b[l];
    }
}
