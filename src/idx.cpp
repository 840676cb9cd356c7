// idx.cpp: the IDX parser and the MNIST loader (the format is described in idx.h).
#include "idx.h"

#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "errors.h"
#include "files.h"

namespace fs = std::filesystem;

namespace {

// "path: what is wrong", the shape of every message this module produces.
DataError fault(const std::string& name, const std::string& what) {
    return DataError(name + ": " + what);
}

// Two hexadecimal digits, for showing bytes in messages: 8 -> "08".
std::string hex_byte(std::uint8_t b) {
    char text[3];
    std::snprintf(text, sizeof text, "%02x", b);
    return text;
}

// Bytes b[0..3] read as one big-endian 32-bit number: b0*2^24 + b1*2^16 + b2*2^8 + b3.
std::uint32_t read_big_endian_u32(const std::uint8_t* b) {
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) |
           (std::uint32_t(b[2]) << 8) | std::uint32_t(b[3]);
}

// The IDX data-type byte, in words, for the message that says we cannot read it.
std::string type_name(std::uint8_t type) {
    switch (type) {
        case 0x08: return "unsigned bytes";
        case 0x09: return "signed bytes";
        case 0x0B: return "16-bit integers";
        case 0x0C: return "32-bit integers";
        case 0x0D: return "32-bit floats";
        case 0x0E: return "64-bit floats";
        default: return "an unknown data type";
    }
}

// Dimensions joined for messages: {60000, 28, 28} -> "60000x28x28".
std::string shape_text(const std::vector<std::uint32_t>& dims) {
    std::string text;
    for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? "x" : "") + std::to_string(dims[i]);
    return text;
}

}  // namespace

namespace {

// What a checked header says: the dimensions and where the data starts.
struct IdxHeader {
    std::vector<std::uint32_t> dims;
    std::size_t header_size = 0;
};

// Steps 1 to 4 of parsing: `file` holds at least the first min(size, kMaxIdxHeader) bytes of a
// file of `size` bytes.
IdxHeader read_idx_header(const std::vector<std::uint8_t>& file, std::uint64_t size, const std::string& name) {
    // 1. The magic number, bytes 0-3: 00 00 <type> <n>.
    if (size == 0) throw fault(name, "is empty (0 bytes)");
    // gzip files start with 1f 8b. MNIST is distributed as .gz; a file that was renamed
    // instead of decompressed is the most common way to get here.
    if (size >= 2 && file[0] == 0x1f && file[1] == 0x8b)
        throw fault(name, "is gzip-compressed: run gunzip on it first");
    if (size < 4) throw fault(name, "is only " + std::to_string(size) + " bytes, too short for an IDX header");
    if (file[0] != 0 || file[1] != 0)
        throw fault(name, "is not an IDX file: it starts with bytes " + hex_byte(file[0]) + " " +
                              hex_byte(file[1]) + ", an IDX file starts with 00 00");
    const std::uint8_t type = file[2];
    if (type != 0x08)
        throw fault(name, "holds " + type_name(type) + " (IDX type 0x" + hex_byte(type) +
                              "); only unsigned bytes (type 0x08) are supported");
    const std::size_t ndim = file[3];
    if (ndim == 0) throw fault(name, "has 0 dimensions; an IDX file needs at least one");

    // 2. The dimensions, bytes 4 .. 4 + 4n - 1.
    const std::size_t header_size = 4 + 4 * ndim;
    if (size < header_size)
        throw fault(name, "is truncated: its header needs " + std::to_string(header_size) +
                              " bytes for " + std::to_string(ndim) + " dimensions, the file has " +
                              std::to_string(size));
    IdxHeader array;
    array.dims.resize(ndim);
    array.header_size = header_size;
    for (std::size_t d = 0; d < ndim; ++d) array.dims[d] = read_big_endian_u32(&file[4 + 4 * d]);

    // 3. How many data bytes the header promises: the product of the dimensions. Each factor is
    //    below 2^32, but a product of several can pass 2^64 and wrap around to a small,
    //    believable number, so we check before each multiplication (a zero anywhere makes the
    //    product 0 and cannot overflow).
    std::uint64_t expected = 1;
    bool has_zero = false;
    for (std::uint32_t d : array.dims) has_zero = has_zero || d == 0;
    for (std::uint32_t d : array.dims) {
        if (has_zero) { expected = 0; break; }
        if (expected > UINT64_MAX / d)
            throw fault(name, "dimensions " + shape_text(array.dims) +
                                  " are too large: more values than a 64-bit count can hold");
        expected *= d;
    }

    // 4. The data must be exactly as long as promised: shorter means the download or copy was
    //    cut off, longer means the header does not describe the file. Only now, with the header
    //    checked against the file's real size, do we believe it.
    const std::uint64_t available = size - header_size;
    if (available < expected)
        throw fault(name, "is truncated: its header (" + shape_text(array.dims) + ") promises " +
                              std::to_string(expected) + " bytes of data, the file holds " +
                              std::to_string(available));
    if (available > expected)
        throw fault(name, "has " + std::to_string(available - expected) + " trailing bytes after the " +
                              std::to_string(expected) + " bytes its header (" + shape_text(array.dims) +
                              ") describes");

    return array;
}

}  // namespace

void check_idx_header(const std::vector<std::uint8_t>& head, std::uint64_t file_size, const std::string& name) {
    read_idx_header(head, file_size, name);
}

IdxArray parse_idx(std::vector<std::uint8_t> file, const std::string& name) {
    const IdxHeader header = read_idx_header(file, file.size(), name);
    const std::size_t header_size = header.header_size;
    IdxArray array;
    array.dims = header.dims;
    // Reuse the file's buffer for the data: slide it down over the header and trim.
    file.erase(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(header_size));
    array.data = std::move(file);
    return array;
}

IdxArray read_idx(const std::string& path) {
    InputFile file = open_input_file(path, "an IDX file");
    std::vector<std::uint8_t> bytes = read_bytes(file, kMaxIdxHeader);
    check_idx_header(bytes, file.size, path);
    // The header and the file's size agree: only now is the whole file worth reading.
    bytes.reserve(static_cast<std::size_t>(file.size));
    read_more(file, bytes, file.size - bytes.size());
    return parse_idx(std::move(bytes), path);
}

Dataset load_labelled_images(const std::string& images_path, const std::string& labels_path) {
    return labelled_images(read_idx(images_path), images_path, read_idx(labels_path), labels_path);
}

Dataset labelled_images(IdxArray images, const std::string& images_name, IdxArray labels,
                        const std::string& labels_name) {
    if (images.dims.size() != 3)
        throw fault(images_name, "has " + std::to_string(images.dims.size()) +
                                     " dimensions; images need 3 (count, rows, columns)");
    if (labels.dims.size() != 1)
        throw fault(labels_name, "has " + std::to_string(labels.dims.size()) +
                                     " dimensions; labels need 1 (count)");
    const std::uint32_t count = images.dims[0], rows = images.dims[1], cols = images.dims[2];
    if (count == 0) throw fault(images_name, "holds no images");
    if (rows == 0 || cols == 0)
        throw fault(images_name, "holds images of size " + std::to_string(rows) + "x" +
                                     std::to_string(cols) + ", which have no pixels");
    // The rest of the program counts images and pixels with int.
    if (count > INT_MAX || std::uint64_t(rows) * cols > INT_MAX)
        throw fault(images_name, "dimensions " + shape_text(images.dims) + " are too large");
    if (labels.dims[0] != count)
        throw fault(labels_name, "holds " + std::to_string(labels.dims[0]) + " labels but " +
                                     images_name + " holds " + std::to_string(count) + " images");
    // parse_idx() guarantees that the data is as long as the dimensions say; an IdxArray put
    // together by other code may not, and everything downstream indexes pixels by count.
    if (images.data.size() != std::uint64_t(count) * rows * cols || labels.data.size() != count)
        throw fault(images_name, "data and dimensions " + shape_text(images.dims) + " disagree");
    for (std::size_t i = 0; i < labels.data.size(); ++i)
        if (labels.data[i] >= kClasses)
            throw fault(labels_name, "label " + std::to_string(i) + " is " +
                                         std::to_string(labels.data[i]) + ", not a digit 0-9");

    Dataset d;
    d.count = static_cast<int>(count);
    d.rows = static_cast<int>(rows);
    d.cols = static_cast<int>(cols);
    d.pixels = std::move(images.data);
    d.labels = std::move(labels.data);
    return d;
}

namespace {

// True if something is at path: a file, a directory, even a link that leads nowhere or in a
// loop (reading it then reports the system's reason, rather than "no such file").
bool something_at(const fs::path& path) {
    std::error_code error;
    return fs::exists(fs::symlink_status(path, error));
}

// The path of one of the four files in dir: the official name if it exists, else the dotted
// name some mirrors use ("train-images-idx3-ubyte" -> "train-images.idx3-ubyte"). If neither
// exists, the message says what we looked for and the likely fixes.
std::string find_file(const std::string& dir, const std::string& official) {
    std::string dotted = official;
    dotted[dotted.find("-idx")] = '.';
    const fs::path a = fs::path(dir) / official, b = fs::path(dir) / dotted;
    if (something_at(a)) return a.string();
    if (something_at(b)) return b.string();
    if (something_at(a.string() + ".gz"))
        throw fault(a.string() + ".gz", "is gzip-compressed: run gunzip on it first");
    throw fault(a.string(), "no such file (nor " + dotted +
                                "); put the four MNIST files there or point --data at their directory");
}

}  // namespace

std::vector<std::string> mnist_file_paths(const std::string& dir) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) {
        if (errno == ENOENT)
            throw fault(dir, "no such directory (--data names the directory holding the four MNIST files)");
        throw fault(dir, std::string("cannot be opened: ") + std::strerror(errno));
    }
    if (!S_ISDIR(st.st_mode))
        throw fault(dir, "is a file; --data names the directory holding the four MNIST files");
    // Look for all four files before reading any, in a fixed order, so a missing file is
    // reported the same way whichever of them it is.
    return {find_file(dir, "train-images-idx3-ubyte"), find_file(dir, "train-labels-idx1-ubyte"),
            find_file(dir, "t10k-images-idx3-ubyte"), find_file(dir, "t10k-labels-idx1-ubyte")};
}

MnistData load_mnist(const std::string& dir) {
    const std::vector<std::string> paths = mnist_file_paths(dir);
    const std::string& train_images = paths[0];
    const std::string& train_labels = paths[1];
    const std::string& test_images = paths[2];
    const std::string& test_labels = paths[3];

    MnistData data;
    data.train = load_labelled_images(train_images, train_labels);
    data.test = load_labelled_images(test_images, test_labels);
    if (data.test.rows != data.train.rows || data.test.cols != data.train.cols)
        throw fault(test_images, "holds " + std::to_string(data.test.rows) + "x" +
                                     std::to_string(data.test.cols) + " images but the training images are " +
                                     std::to_string(data.train.rows) + "x" + std::to_string(data.train.cols));
    return data;
}
