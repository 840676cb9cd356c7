// idx.h: reading MNIST's files, the IDX format, byte by byte.
//
// Start here. This is the first module of the program in reading order: before a network can
// learn anything, the digits have to come off the disk.
//
// MNIST ships as four files in the IDX format, a minimal container for n-dimensional arrays
// (see data/README.md for where they come from):
//
//   train-images-idx3-ubyte   60,000 images of 28x28 bytes    (3 dimensions: count, rows, cols)
//   train-labels-idx1-ubyte   60,000 labels, one byte each    (1 dimension:  count)
//   t10k-images-idx3-ubyte    10,000 test images
//   t10k-labels-idx1-ubyte    10,000 test labels
//
// An IDX file is a header followed by the data, with no padding:
//
//   offset  bytes        meaning
//   0       2            always 00 00
//   2       1            data type: 08 = unsigned byte (the only one MNIST uses)
//   3       1            number of dimensions, n (MNIST: 3 for images, 1 for labels)
//   4       4 * n        each dimension's size, a 32-bit big-endian unsigned integer
//   4 + 4n  the rest     the data, product(dimensions) values, last dimension fastest
//
// For the training images that is 00 00 08 03, then 60000, 28, 28 as big-endian numbers
// (00 00 EA 60, 00 00 00 1C, 00 00 00 1C), then 60000 * 28 * 28 = 47,040,000 pixel bytes: the
// file is exactly 16 + 47,040,000 bytes long. Pixels run row by row, 0 is the white
// background and 255 full ink.
//
// "Big-endian" means the most significant byte comes first, so the four bytes b0 b1 b2 b3
// stand for b0*2^24 + b1*2^16 + b2*2^8 + b3. x86 and ARM CPUs store numbers the other way round
// (little-endian), so we assemble the number from its bytes by hand rather than copying the four
// bytes into an integer.
//
// Nothing below assumes 28x28 or 60,000: the image count and size come from the headers, so any
// data set laid out like MNIST (Fashion-MNIST, KMNIST, one of your own) loads with --data DIR.
//
// The parser is strict, because a file that is almost right is the most dangerous kind: it would
// train on garbage without a word. The header is checked against the file's real size before
// the data is touched, so a corrupt header claiming four billion images is reported as such
// instead of being believed. Every fault is a DataError whose message starts with the file's
// path and says what is wrong in one line.
//
// Read next: dataset.h (the validation split and the scaling to [0, 1]).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// Every data set this program reads is labelled with the ten digits 0-9: labels outside that
// range are an error, and the network's output layer has this many units.
constexpr int kClasses = 10;

// One IDX file, decoded: its dimensions and its bytes.
struct IdxArray {
    std::vector<std::uint32_t> dims;  // e.g. {60000, 28, 28}
    std::vector<std::uint8_t> data;   // product(dims) bytes, last dimension fastest
};

// Decodes the bytes of a whole IDX file. `name` is used only in error messages (the path).
// Takes the bytes by value and hands the same buffer on as the data, with the header cut off,
// so a 47 MB file is never held twice. Throws DataError on any fault.
IdxArray parse_idx(std::vector<std::uint8_t> file, const std::string& name);

// The longest IDX header: the 4-byte magic and 255 dimensions of 4 bytes.
constexpr std::size_t kMaxIdxHeader = 4 + 4 * 255;

// The checks of parse_idx() that need only the header: `head` is the first
// min(file_size, kMaxIdxHeader) bytes of a file of file_size bytes. Throws the DataError
// parse_idx() would throw for a file whose size disagrees with its header, so a reader can
// refuse a 1 GB file whose header promises 1,000 labels before it reads (or allocates) more
// than the header.
void check_idx_header(const std::vector<std::uint8_t>& head, std::uint64_t file_size, const std::string& name);

// Reads and decodes one IDX file from disk: the header first (check_idx_header), then the
// data, so nothing is allocated that the header and the file's real size do not both justify.
// Throws DataError if it is missing, not a regular file, unreadable, or not a well-formed IDX
// file of unsigned bytes.
IdxArray read_idx(const std::string& path);

// Labelled images, as stored on disk: image i is the bytes
// pixels[i * rows * cols, (i + 1) * rows * cols), its label is labels[i] (0-9).
struct Dataset {
    int count = 0;                     // number of images
    int rows = 0, cols = 0;            // size of each image
    std::vector<std::uint8_t> pixels;  // count * rows * cols bytes, 0 (paper) to 255 (ink)
    std::vector<std::uint8_t> labels;  // count bytes, each 0-9

    int pixels_per_image() const { return rows * cols; }
};

// Reads an images file (3 dimensions: count, rows, cols) and its labels file (1 dimension:
// count, values 0-9) and checks that they belong together.
Dataset load_labelled_images(const std::string& images_path, const std::string& labels_path);

// The checks of load_labelled_images() on two arrays already in memory (the names are used
// only in messages). Split out so that they can be tested, and fuzzed, without any file.
Dataset labelled_images(IdxArray images, const std::string& images_name, IdxArray labels,
                        const std::string& labels_name);

// MNIST's two halves, as the files come: 60,000 training and 10,000 test images.
struct MnistData {
    Dataset train;
    Dataset test;
};

// Loads the four files from `dir`. Accepts both the official names (train-images-idx3-ubyte)
// and the dotted names some mirrors use (train-images.idx3-ubyte), and checks that test images
// have the training images' size.
MnistData load_mnist(const std::string& dir);

// The paths of the four files load_mnist(dir) reads, in the order train images, train labels,
// test images, test labels; throws its DataError if one is missing. For the check, before
// anything is read or written, that no output of a run is one of its inputs (files.h).
std::vector<std::string> mnist_file_paths(const std::string& dir);
