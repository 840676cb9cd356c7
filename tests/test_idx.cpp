// test_idx: the IDX parser on valid files written byte by byte, on every fault it must report,
// and on the real MNIST files in data/.
#include <filesystem>
#include <fstream>

#include "check.h"
#include "errors.h"
#include "idx.h"
#include "process.h"

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;

// The message of the DataError that parse_idx throws on `bytes`, or "" if it throws none.
std::string parse_error(const Bytes& bytes) {
    try {
        parse_idx(bytes, "f.idx");
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

// The message of the DataError that `load` throws, or "" if it throws none.
template <typename Load>
std::string load_error(Load load) {
    try {
        load();
    } catch (const DataError& e) {
        return e.what();
    }
    return "";
}

void valid_files() {
    // 2 images of 2x3 pixels: magic 00 00 08 03, dimensions 2, 2, 3 (big-endian), 12 bytes.
    const Bytes images = {0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3,
                          1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    const IdxArray a = parse_idx(images, "images");
    check::equal(static_cast<long long>(a.dims.size()), 3, "three dimensions");
    check::equal(a.dims[0], 2, "count");
    check::equal(a.dims[1], 2, "rows");
    check::equal(a.dims[2], 3, "columns");
    check::equal(static_cast<long long>(a.data.size()), 12, "12 data bytes, header cut off");
    check::equal(a.data[0], 1, "first data byte");
    check::equal(a.data[11], 12, "last data byte");

    // Big-endian: 01 02 03 04 is 0x01020304 = 16909060, not 0x04030201. The header claims that
    // many values, so the file is (correctly) reported as truncated with that number.
    check::contains(parse_error({0, 0, 8, 1, 1, 2, 3, 4}), "promises 16909060 bytes",
                    "dimensions are read big-endian");

    // A dimension of 0 means no data: a header alone is a valid (empty) array.
    const IdxArray empty = parse_idx({0, 0, 8, 2, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, "empty");
    check::equal(static_cast<long long>(empty.data.size()), 0, "0 x 4294967295 holds nothing");
}

void faults() {
    check::contains(parse_error({}), "f.idx: is empty", "empty file");
    check::contains(parse_error({0x1f, 0x8b, 8, 0, 0, 0}), "f.idx: is gzip-compressed: run gunzip",
                    "gzip file");
    // Only both gzip bytes, 1f 8b, make a gzip file; 1f alone is just not IDX.
    check::contains(parse_error({0x1f, 0x00, 8, 0, 0, 0}), "f.idx: is not an IDX file: it starts with bytes 1f 00",
                    "a first byte 1f without 8b is not gzip");
    check::contains(parse_error({0, 0, 8}), "too short for an IDX header", "3-byte file");
    check::contains(parse_error({'P', '5', '\n', '2', '8', ' '}), "not an IDX file: it starts with bytes 50 35",
                    "wrong magic names the bytes");
    check::contains(parse_error({0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0}), "holds 32-bit floats (IDX type 0x0d)",
                    "float data is named as such");
    check::contains(parse_error({0, 0, 0x42, 1, 0, 0, 0, 0}), "an unknown data type", "unknown type");
    check::contains(parse_error({0, 0, 8, 0}), "has 0 dimensions", "zero dimensions");
    check::contains(parse_error({0, 0, 8, 3, 0, 0, 0, 2, 0, 0}), "header needs 16 bytes for 3 dimensions",
                    "header cut off");
    check::contains(parse_error({0, 0, 8, 1, 0, 0, 0, 3, 7, 7}), "truncated: its header (3) promises 3 bytes of data, the file holds 2",
                    "data cut off");
    check::contains(parse_error({0, 0, 8, 1, 0, 0, 0, 1, 7, 7}), "has 1 trailing bytes",
                    "bytes after the data");
    // Three dimensions of 2^32 - 1: about 2^96 values. The product must not wrap around.
    const Bytes huge = {0, 0, 8, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    check::contains(parse_error(huge), "dimensions 4294967295x4294967295x4294967295 are too large",
                    "a product past 2^64 is caught, not wrapped");
    // 2^32 x 2^32 would wrap to 0 in 64 bits if multiplied unchecked... 65536^4 = 2^64 exactly.
    const Bytes wraps = {0, 0, 8, 4, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0};
    check::contains(parse_error(wraps), "too large", "65536^4 = 2^64 does not wrap to 0");
}

void file_faults(const fs::path& dir) {
    const fs::path missing = dir / "nothing-here";
    check::contains(load_error([&] { read_idx(missing.string()); }), "nothing-here: no such file", "missing file");
    check::contains(load_error([&] { read_idx(dir.string()); }), "is a directory", "a directory is not a file");

    // Images and labels that do not belong together, or are not images and labels at all.
    write_idx(dir / "img", {3, 2, 2}, Bytes(12, 0));
    write_idx(dir / "lab", {3}, {1, 2, 3});
    write_idx(dir / "lab2", {2}, {1, 2});
    write_idx(dir / "lab-bad", {3}, {1, 12, 3});
    write_idx(dir / "lab-ten", {3}, {10, 1, 2});  // 10 is the first value that is not a digit
    write_idx(dir / "lab-nine", {3}, {9, 0, 9});  // and 9 the last that is
    write_idx(dir / "lab-2d", {3, 1}, {1, 2, 3});
    write_idx(dir / "img-2d", {3, 4}, Bytes(12, 0));
    write_idx(dir / "img-none", {0, 2, 2}, {});
    write_idx(dir / "img-zero", {3, 0, 2}, {});
    const auto load = [&](const char* images, const char* labels) {
        return load_error([&] { load_labelled_images((dir / images).string(), (dir / labels).string()); });
    };
    check::equal(load("img", "lab"), "", "a matching pair loads");
    check::contains(load("img", "lab2"), "lab2: holds 2 labels but", "count mismatch");
    check::contains(load("img", "lab-bad"), "lab-bad: label 1 is 12, not a digit 0-9", "label out of range");
    check::contains(load("img", "lab-ten"), "lab-ten: label 0 is 10, not a digit 0-9", "label exactly 10 is refused");
    check::equal(load("img", "lab-nine"), "", "labels 9 and 0, the two ends of the range, load");
    check::contains(load("img", "lab-2d"), "labels need 1", "labels must be 1-D");
    check::contains(load("img-2d", "lab"), "images need 3", "images must be 3-D");
    check::contains(load("img-none", "lab"), "holds no images", "zero images");
    check::contains(load("img-zero", "lab"), "which have no pixels", "zero-size images");

    const Dataset d = load_labelled_images((dir / "img").string(), (dir / "lab").string());
    check::equal(d.count, 3, "count from the header");
    check::equal(d.pixels_per_image(), 4, "image size from the header, not 28x28");
}

void directory_faults(const fs::path& dir) {
    // A directory with the dotted names some mirrors use, and 8x8 images: loads as it is.
    const fs::path dotted = dir / "dotted";
    fs::create_directories(dotted);
    write_tiny_dataset(dotted, 20, 10);
    for (const char* name : {"train-images", "train-labels", "t10k-images", "t10k-labels"}) {
        const std::string ext = std::string(name).find("images") != std::string::npos ? "idx3-ubyte" : "idx1-ubyte";
        fs::rename(dotted / (std::string(name) + "-" + ext), dotted / (std::string(name) + "." + ext));
    }
    const MnistData tiny = load_mnist(dotted.string());
    check::equal(tiny.train.count, 20, "dotted names are accepted");
    check::equal(tiny.train.rows, 8, "8x8 images load: nothing assumes 28x28");

    check::contains(load_error([&] { load_mnist((dir / "no-such-dir").string()); }), "no such directory",
                    "missing --data directory");
    const fs::path empty = dir / "empty-dir";
    fs::create_directories(empty);
    check::contains(load_error([&] { load_mnist(empty.string()); }),
                    "train-images-idx3-ubyte: no such file (nor train-images.idx3-ubyte)",
                    "missing file names both names");
    write_bytes(empty / "train-images-idx3-ubyte.gz", {0x1f, 0x8b, 8, 0});
    check::contains(load_error([&] { load_mnist(empty.string()); }), "train-images-idx3-ubyte.gz: is gzip-compressed",
                    "only the .gz is there");

    // Test images of another size than the training images.
    const fs::path mixed = dir / "mixed";
    fs::create_directories(mixed);
    write_tiny_dataset(mixed, 20, 10);
    write_idx(mixed / "t10k-images-idx3-ubyte", {10, 4, 4}, Bytes(160, 0));
    check::contains(load_error([&] { load_mnist(mixed.string()); }), "holds 4x4 images but the training images are 8x8",
                    "test image size must match");
    // The same number of pixels in another shape, and only the width differing: each is refused.
    write_idx(mixed / "t10k-images-idx3-ubyte", {10, 4, 16}, Bytes(640, 0));
    check::contains(load_error([&] { load_mnist(mixed.string()); }), "holds 4x16 images but the training images are 8x8",
                    "test images of 64 pixels in another shape");
    write_idx(mixed / "t10k-images-idx3-ubyte", {10, 8, 4}, Bytes(320, 0));
    check::contains(load_error([&] { load_mnist(mixed.string()); }), "holds 8x4 images but the training images are 8x8",
                    "test images as tall but narrower");
}

void real_mnist() {
    const MnistData data = load_mnist(MNIST_DATA_DIR);
    check::equal(data.train.count, 60000, "60,000 training images");
    check::equal(data.train.rows, 28, "28 rows");
    check::equal(data.train.cols, 28, "28 columns");
    check::equal(data.test.count, 10000, "10,000 test images");
    check::equal(data.train.labels[0], 5, "the first training digit is a 5");
    check::equal(data.test.labels[0], 7, "the first test digit is a 7");
    // The test set's class counts, as published with MNIST.
    const int expected[10] = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
    int counts[10] = {};
    for (std::uint8_t label : data.test.labels) ++counts[label];
    for (int k = 0; k < 10; ++k) check::equal(counts[k], expected[k], "test images of digit " + std::to_string(k));
}

int main() {
    const fs::path dir = make_scratch_dir("test_idx");
    valid_files();
    faults();
    file_faults(dir);
    directory_faults(dir);
    real_mnist();
    fs::remove_all(dir);
    return check::summary("test_idx");
}
