// model_file.h: a trained network on disk (--save FILE, --load FILE), byte by byte.
//
// Training takes seconds to hours; a model that vanishes when the program exits is only half
// useful. This module writes a network's layer sizes, weights and biases to a small file of our
// own format and reads it back, exactly: every float comes back with the same 32 bits, so a
// saved model gives the same test accuracy, to the last digit, as the network that was saved.
//
// The format (docs/model-format.md has the same table and a 10-line Python reader):
//
//   offset      bytes        meaning
//   0           8            the magic tag, the ASCII letters "MNISTMLP"
//   8           4            format version, 1                      (uint32, little-endian)
//   12          4            n, the number of layer sizes (>= 2)     (uint32, little-endian)
//   16          4 * n        the sizes {D, H1, ..., K}, e.g. {784, 128, 128, 10}
//   16 + 4n     ...          for each layer l: W (D x H, row-major, D*H floats), then b (H
//                            floats); every float an IEEE 754 binary32, little-endian
//   end - 4     4            CRC-32 of every byte before it          (uint32, little-endian)
//
// For the default 784-128-128-10 network that is 16 + 16 + 4 * 118,282 + 4 = 473,164 bytes.
//
// Three decisions, and why:
//   - Little-endian, assembled byte by byte with shifts, like idx.h's big-endian numbers. We
//     never copy a struct or an array of floats to disk in one piece: that would write whatever
//     byte order, padding and float layout this machine happens to use, and a file written on
//     one machine would be garbage on another.
//   - A CRC-32 at the end. A file that is almost right (one flipped bit from a bad disk or a
//     broken copy) would load without complaint and quietly predict worse. The checksum turns
//     that into an error message. It is the CRC of zlib, PNG and gzip, so any language can
//     check it (Python: zlib.crc32).
//   - The file is written to FILE.tmp and then renamed to FILE. A rename within a directory is
//     atomic on POSIX systems: a program killed in the middle of writing leaves the old FILE
//     (or none) and a stray FILE.tmp, never a half-written FILE; a full disk is reported and
//     the FILE.tmp removed. (Surviving a power cut as well would need fsync before the rename,
//     which this program does not do.)
//
// The loader believes nothing: the magic, the version, the number of sizes, each size, and the
// length the sizes imply are all checked against the real length of the file before a single
// weight is allocated, so a corrupt header claiming a billion weights is refused, not
// allocated. Every fault is a DataError whose message starts with the file's path.
//
// What this is not: a checkpoint of the whole training state. RMSProp's running averages v and
// the random generator are not saved, so `--load model.bin --epochs 5` continues from the saved
// weights with a fresh optimizer (its first steps are larger, see docs/05-optimizers.md).
//
// Read next: docs/model-format.md, then pgm.h and prepare_digit.h, the image side of
// predict_command.h, which loads a model to classify your own image.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "network.h"

// The format below stores floats as their IEEE 754 bit patterns. Every C++ compiler in common
// use has IEEE floats; this line makes the assumption explicit rather than silent.
static_assert(std::numeric_limits<float>::is_iec559, "the model format stores IEEE 754 floats");

constexpr std::uint32_t kModelFormatVersion = 1;

// CRC-32 as in zlib, PNG and Ethernet ("IEEE 802.3"): polynomial 0xEDB88320 (bit-reversed),
// initial value and final XOR 0xFFFFFFFF. The standard check value is
// crc32("123456789") = 0xCBF43926.
std::uint32_t crc32(const std::uint8_t* bytes, std::size_t count);

// The network's sizes, weights and biases as the bytes of a model file. Only W and b are
// stored; the gradients and caches are rebuilt empty when the file is read.
std::vector<std::uint8_t> encode_model(const Network<float>& net);

// The inverse of encode_model(), checking everything. `name` (the path) starts every message.
// Throws DataError on any fault.
Network<float> decode_model(const std::vector<std::uint8_t>& file, const std::string& name);

// The network's fingerprint, printed at the end of every run ("Weights fingerprint: 1a2b3c4d")
// and written to --report: the CRC-32 of its sizes, weights and biases as encode_model() lays
// them out, little-endian, which is the checksum a model file of it ends with. The same on
// every machine for the same network; two runs with the same fingerprint ended with the same
// floats, to the last bit (docs/portability.md).
std::uint32_t weights_fingerprint(const Network<float>& net);

// The fingerprint as the program prints it: 8 lowercase hexadecimal digits.
std::string fingerprint_text(std::uint32_t fingerprint);

// Writes encode_model(net) to path, by way of path + ".tmp" and a rename. Throws DataError.
void save_model(const std::string& path, const Network<float>& net);

// Reads and decodes a model file. Throws DataError if it is missing, unreadable or faulty.
Network<float> load_model(const std::string& path);

// Throws the DataError save_model() would throw now, if path + ".tmp" cannot be created (no
// such directory, no permission) or path is a directory, so that a typo in --save fails
// before training rather than after it. Leaves nothing behind.
void check_model_writable(const std::string& path);

// ---- Keeping the best epoch (what --save does during training) ------------------------------
// Keras users save with ModelCheckpoint(save_best_only=True): after every epoch, the weights
// are kept if the validation loss is the lowest so far. The validation loss, not the training
// loss, because the training loss keeps falling while the network memorises its training
// images (docs/07-training-curves.md); the validation loss is lowest where the network does
// best on digits it has not seen.
struct BestWeights {
    int epoch = 0;                       // 0 until an epoch has been kept
    double val_loss = 0;                 // that epoch's validation loss
    std::vector<Matrix<float>> W, b;     // copies of layers[l].W (D x H) and layers[l].b (1 x H)
};

// Copies net's weights into best if this is the first epoch offered or val_loss is lower than
// best.val_loss (ties keep the earlier epoch). Returns true if it copied.
bool keep_if_best(BestWeights& best, const Network<float>& net, int epoch, double val_loss);

// Puts the kept weights back into net (which must have the same sizes).
void restore_weights(Network<float>& net, const BestWeights& best);
