// pgm.cpp: the PGM reader and writer of pgm.h.
//
// The header is read with a tiny cursor over the file's bytes: skip white space and comments,
// read a decimal number, check it. That is all a PGM header is.
#include "pgm.h"

#include <cstdint>

#include "errors.h"
#include "files.h"

namespace {

DataError fault(const std::string& name, const std::string& what) {
    return DataError(name + ": " + what);
}

// The white space of the PGM specification: blank, tab, CR, LF, vertical tab, form feed.
bool is_space(std::uint8_t c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool is_digit(std::uint8_t c) {
    return c >= '0' && c <= '9';
}

// A position in the file and the file itself, with the two operations the format needs.
struct Cursor {
    const std::vector<std::uint8_t>& file;
    const std::string& name;
    std::size_t at = 0;

    // Skips white space and, in the header, comments ('#' to the end of the line).
    void skip_space(bool comments) {
        while (at < file.size()) {
            if (is_space(file[at])) {
                ++at;
            } else if (comments && file[at] == '#') {
                while (at < file.size() && file[at] != '\n' && file[at] != '\r') ++at;
            } else {
                break;
            }
        }
    }

    // A decimal number of at most 9 digits (so it fits an int), for `what` ("the width"...).
    // Signs, decimal points and letters are refused: a PGM has only unsigned whole numbers.
    long read_number(const std::string& what, bool comments) {
        skip_space(comments);
        if (at >= file.size()) throw fault(name, "is truncated: it ends before " + what);
        if (!is_digit(file[at])) {
            const char c = static_cast<char>(file[at]);
            const std::string shown = (c >= 33 && c <= 126) ? std::string("'") + c + "'" : "a non-text byte";
            throw fault(name, what + " should be a whole number, found " + shown);
        }
        long value = 0;
        int digits = 0;
        while (at < file.size() && is_digit(file[at])) {
            if (++digits > 9) throw fault(name, what + " has more than 9 digits");
            value = value * 10 + (file[at++] - '0');
        }
        return value;
    }
};

}  // namespace

PgmImage parse_pgm(const std::vector<std::uint8_t>& file, const std::string& name) {
    // 1. The magic: "P2" (pixels as text) or "P5" (pixels as bytes).
    if (file.empty()) throw fault(name, "is empty (0 bytes), not a PGM image");
    if (file.size() < 2 || file[0] != 'P' || (file[1] != '2' && file[1] != '5')) {
        if (file.size() >= 2 && file[0] == 'P' && (file[1] == '3' || file[1] == '6'))
            throw fault(name, "is a colour image (PPM, P" + std::string(1, char(file[1])) +
                                  "); save it as a grey-scale PGM");
        if (file.size() >= 2 && file[0] == 'P' && (file[1] == '1' || file[1] == '4'))
            throw fault(name, "is a black-and-white bitmap (PBM); save it as a grey-scale PGM");
        throw fault(name, "is not a PGM image: it should start with P2 or P5");
    }
    const bool binary = file[1] == '5';
    Cursor cursor{file, name, 2};
    if (cursor.at < file.size() && !is_space(file[cursor.at]) && file[cursor.at] != '#')
        throw fault(name, "is not a PGM image: its magic P" + std::string(1, char(file[1])) +
                              " must be followed by white space");

    // 2. Width, height and maxval, each checked as soon as it is read.
    PgmImage image;
    const long width = cursor.read_number("the width", true);
    const long height = cursor.read_number("the height", true);
    if (width == 0 || height == 0)
        throw fault(name, "is " + std::to_string(width) + "x" + std::to_string(height) + " pixels: an image needs at least one");
    if (static_cast<long long>(width) * height > kMaxImagePixels)
        throw fault(name, "is " + std::to_string(width) + "x" + std::to_string(height) +
                              " pixels, more than the " + std::to_string(kMaxImagePixels) +
                              " (4096x4096) this program reads; scale it down first (a digit needs only 28x28)");
    const long maxval = cursor.read_number("maxval", true);
    if (maxval == 0) throw fault(name, "has maxval 0; it must be 1 to 255");
    if (maxval > 65535) throw fault(name, "has maxval " + std::to_string(maxval) + "; a PGM allows at most 65535");
    if (maxval > 255)
        throw fault(name, "is a 16-bit PGM (maxval " + std::to_string(maxval) +
                              "); save it with 8 bits per pixel (maxval 255), e.g. convert in.pgm -depth 8 out.pgm");

    // 3. The pixel count, checked against the file's length before anything is allocated.
    //    P5 needs one byte per pixel; P2 at least two (a digit and a separator, the last
    //    separator optional). width and height are below 10^9, so the product fits 64 bits.
    const std::uint64_t count = std::uint64_t(width) * std::uint64_t(height);
    const std::uint64_t left = file.size() - cursor.at;
    if ((binary && count > left) || (!binary && 2 * count - 1 > left))
        throw fault(name, "is truncated: its header says " + std::to_string(width) + "x" + std::to_string(height) +
                              " pixels, more than the " + std::to_string(left) + " bytes left in the file hold");
    image.width = static_cast<int>(width);
    image.height = static_cast<int>(height);
    image.maxval = static_cast<int>(maxval);
    image.pixels.resize(static_cast<std::size_t>(count));

    // 4. The pixels.
    if (binary) {
        // Exactly one white-space character separates maxval from the first pixel byte, which
        // may itself look like white space (a pixel of value 10 is the byte '\n').
        if (cursor.at >= file.size() || !is_space(file[cursor.at]))
            throw fault(name, "needs one white-space character after maxval");
        ++cursor.at;
        const std::size_t available = file.size() - cursor.at;
        if (available < count)
            throw fault(name, "is truncated: " + std::to_string(width) + "x" + std::to_string(height) + " needs " +
                                  std::to_string(count) + " pixel bytes, the file holds " + std::to_string(available));
        if (available > count)
            throw fault(name, "has " + std::to_string(available - count) + " bytes after its " +
                                  std::to_string(count) + " pixels; one image per file");
        for (std::size_t i = 0; i < count; ++i) image.pixels[i] = file[cursor.at + i];
        cursor.at = file.size();
    } else {
        for (std::size_t i = 0; i < count; ++i) {
            const std::string what = "pixel " + std::to_string(i) + " (row " + std::to_string(i / width) +
                                     ", column " + std::to_string(i % width) + ")";
            const long v = cursor.read_number(what, false);
            if (v > maxval) throw fault(name, what + " is " + std::to_string(v) + ", above maxval " + std::to_string(maxval));
            image.pixels[i] = static_cast<std::uint8_t>(v);
        }
        cursor.skip_space(false);
        if (cursor.at < file.size())
            throw fault(name, "has " + std::to_string(file.size() - cursor.at) + " bytes after its " +
                                  std::to_string(count) + " pixels; one image per file");
    }
    for (std::size_t i = 0; i < image.pixels.size(); ++i)
        if (image.pixels[i] > maxval)
            throw fault(name, "pixel " + std::to_string(i) + " is " + std::to_string(image.pixels[i]) +
                                  ", above maxval " + std::to_string(maxval));
    return image;
}

PgmImage read_pgm(const std::string& path) {
    return parse_pgm(read_file_bytes(path, "a PGM image", kMaxPgmFileBytes), path);
}

std::vector<std::uint8_t> encode_pgm(const PgmImage& image, const std::string& comment) {
    std::string header = "P5\n";
    if (!comment.empty()) header += "# " + comment + "\n";
    header += std::to_string(image.width) + " " + std::to_string(image.height) + "\n" +
              std::to_string(image.maxval) + "\n";
    std::vector<std::uint8_t> out(header.begin(), header.end());
    out.insert(out.end(), image.pixels.begin(), image.pixels.end());
    return out;
}

void write_pgm(const std::string& path, const PgmImage& image, const std::string& comment) {
    write_file_atomically(path, encode_pgm(image, comment));
}
