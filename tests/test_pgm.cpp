// test_pgm: the PGM reader and writer (pgm.h) and the digit preparation (prepare_digit.h), as
// a library. Small images written out in the test itself, so every expected pixel can be
// checked by hand; every fault the reader knows, with the message it must give.
#include <algorithm>

#include "check.h"
#include "errors.h"
#include "pgm.h"
#include "prepare_digit.h"

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

void expect_refused(const std::string& file, const std::string& part, const std::string& what) {
    try {
        parse_pgm(bytes_of(file), "digit.pgm");
        check::expect(false, what + ": expected a DataError containing \"" + part + "\", nothing was thrown");
    } catch (const DataError& e) {
        check::contains(e.what(), "digit.pgm: ", what + ": message starts with the file name");
        check::contains(e.what(), part, what + ": message");
    }
}

// The centre of mass of a 28x28 byte image, as (row, column).
void centre_of_mass(const std::vector<std::uint8_t>& p, double& row, double& col) {
    double mass = 0, r_moment = 0, c_moment = 0;
    for (int r = 0; r < 28; ++r)
        for (int c = 0; c < 28; ++c) {
            mass += p[r * 28 + c];
            r_moment += p[r * 28 + c] * r;
            c_moment += p[r * 28 + c] * c;
        }
    row = r_moment / mass;
    col = c_moment / mass;
}

}  // namespace

int main() {
    // ---- P2: pixels as text, with comments in the header. -----------------------------------
    const PgmImage p2 = parse_pgm(bytes_of("P2\n# drawn by hand\n3 2 # width height\n15\n 0 15 7\n3  0 15\n"), "p2.pgm");
    // Old Mac line ends: a comment ends at a carriage return too, not at the next line feed.
    try {
        const PgmImage mac = parse_pgm(bytes_of("P2\r# a comment\r3 2\r15\r0 15 7 3 0 15\r"), "mac.pgm");
        check::equal(mac.width * 100 + mac.height, 302, "a comment ended by a carriage return: 3x2");
    } catch (const DataError& e) {
        check::expect(false, std::string("a comment ended by a carriage return: refused: ") + e.what());
    }
    check::equal(p2.width, 3, "P2 width");
    check::equal(p2.height, 2, "P2 height");
    check::equal(p2.maxval, 15, "P2 maxval");
    check::expect(p2.pixels == std::vector<std::uint8_t>({0, 15, 7, 3, 0, 15}), "P2 pixels, row by row");

    // ---- P5: a pixel of value 10 is the byte '\n', and must not be taken for white space. ---
    const PgmImage p5 = parse_pgm(bytes_of(std::string("P5 2 2 255\n") + '\n' + '\xff' + ' ' + '\0'), "p5.pgm");
    check::expect(p5.pixels == std::vector<std::uint8_t>({10, 255, 32, 0}), "P5 pixels, including 10 and 32");

    // ---- encode_pgm() then parse_pgm() gives the image back. --------------------------------
    const std::vector<std::uint8_t> encoded = encode_pgm(p2, "a comment");
    const PgmImage again = parse_pgm(encoded, "again.pgm");
    check::expect(again.pixels == p2.pixels && again.width == 3 && again.height == 2 && again.maxval == 15,
                  "encode_pgm round trip");
    check::equal(std::string(encoded.begin(), encoded.begin() + 15), "P5\n# a comment\n", "header with its comment");

    // ---- Faults: one message each. ------------------------------------------------------------
    expect_refused("", "is empty", "empty file");
    expect_refused("GIF89a", "is not a PGM image", "bad magic");
    expect_refused("P6\n2 2\n255\n", "is a colour image (PPM, P6)", "colour PPM");
    expect_refused("P4\n2 2\n", "black-and-white bitmap (PBM)", "PBM");
    expect_refused("P5\n2 2\n255\n\x01\x02\x03", "is truncated", "P5 one pixel short");
    expect_refused("P5\n2 2\n255\n\x01\x02\x03\x04garbage", "has 7 bytes after its 4 pixels", "P5 trailing garbage");
    expect_refused("P5\n2 2\n255\n\x01\x02\x03\x04\n", "has 1 bytes after its 4 pixels", "P5 one byte too many");
    expect_refused("P2\n2 2\n255\n1 2 3 4 5", "has 1 bytes after its 4 pixels", "P2 a pixel too many");
    expect_refused("P2\n2 2\n255\n1 2 3    ", "it ends before pixel 3 (row 1, column 1)", "P2 a pixel short");
    expect_refused("P2\n2 2\n255\n1 2 3 x", "pixel 3 (row 1, column 1) should be a whole number, found 'x'", "P2 letter");
    expect_refused("P2\n2 2\n9\n1 2 3 10", "pixel 3 (row 1, column 1) is 10, above maxval 9", "P2 pixel above maxval");
    expect_refused("P5\n2 1\n9\n\x01\x0a", "pixel 1 is 10, above maxval 9", "P5 pixel above maxval");
    expect_refused(std::string("P5\n2 2\n0\n\0\0\0\0", 13), "has maxval 0", "maxval 0");
    expect_refused("P5\n2 2\n65535\n", "is a 16-bit PGM (maxval 65535)", "16-bit PGM");
    expect_refused("P5\n2 2\n70000\n", "at most 65535", "maxval beyond the format");
    expect_refused("P5\n-2 2\n255\n", "the width should be a whole number, found '-'", "negative width");
    expect_refused("P5\n0 2\n255\n", "is 0x2 pixels", "zero width");
    expect_refused("P5\n1000000000 2\n255\n", "the width has more than 9 digits", "absurd width");
    expect_refused("P5\n4000 4000\n255\n\x01", "is truncated: its header says 4000x4000 pixels", "size beyond the file");
    // Larger than any image read (kMaxImagePixels), refused from the header alone.
    expect_refused("P5\n99999 99999\n255\n\x01", "is 99999x99999 pixels, more than the 16777216 (4096x4096)", "too large an image");
    expect_refused("P5\n4097 4096\n255\n\x01", "is 4097x4096 pixels, more than", "one column too many");
    expect_refused("P5\n2", "it ends before the height", "header cut short");
    expect_refused("P5 1 1 255x", "needs one white-space character after maxval", "nothing after maxval");
    expect_refused("P5x", "must be followed by white space", "magic run into text");

    // ---- prepare_digit(): a 28x28 light-on-dark image passes through unchanged. -------------
    PgmImage mnist_like;
    mnist_like.width = mnist_like.height = 28;
    mnist_like.pixels.assign(28 * 28, 0);
    for (int r = 6; r < 22; ++r)
        for (int c = 12; c < 16; ++c) mnist_like.pixels[r * 28 + c] = static_cast<std::uint8_t>(100 + r * 7);
    const PreparedDigit same = prepare_digit(mnist_like);
    check::expect(!same.inverted && !same.reboxed, "a dark-ground 28x28 image is neither inverted nor re-boxed");
    check::expect(same.pixels == mnist_like.pixels, "and its pixels are exactly the file's");

    // The same digit dark on light paper: inverted, and then equal to the original again.
    PgmImage on_paper = mnist_like;
    for (std::uint8_t& p : on_paper.pixels) p = static_cast<std::uint8_t>(255 - p);
    const PreparedDigit flipped = prepare_digit(on_paper);
    check::expect(flipped.inverted, "a light-ground image is inverted");
    check::expect(flipped.pixels == mnist_like.pixels, "inverting dark-on-light gives back the light-on-dark digit");

    // The border's mean decides, against one half: grey paper at 0.4 with brighter ink is kept
    // as it is, grey paper at 0.6 with darker ink is inverted.
    for (const int paper : {102, 153}) {
        PgmImage grey = mnist_like;
        for (std::uint8_t& p : grey.pixels) p = p ? static_cast<std::uint8_t>(paper > 127 ? 20 : 230) : paper;
        const bool inverted = prepare_digit(grey).inverted;
        check::expect(inverted == (paper > 127), "paper at " + std::to_string(paper) + " of 255: " +
                                                    (paper > 127 ? "inverted" : "not inverted"));
    }

    // A 4-bit image (maxval 15) is scaled to 0..255: 15 -> 255, 0 -> 0.
    PgmImage four_bit = mnist_like;
    for (std::uint8_t& p : four_bit.pixels) p = p ? 15 : 0;
    four_bit.maxval = 15;
    const PreparedDigit scaled = prepare_digit(four_bit);
    check::equal(*std::max_element(scaled.pixels.begin(), scaled.pixels.end()), 255, "maxval 15 scaled to 255");

    // ---- prepare_digit(): grey paper, two shades of ink, halved by area averaging. -----------
    // 60x60, paper 51 (0.2), a 40x40 ink square at rows and columns 10-49: its left half 255
    // (1.0), its right half 179 (0.702). The stretch maps 0.2 -> 0 and 1.0 -> 1, so the right
    // half becomes (179 - 51) / (255 - 51) = 0.627 -> 160 of 255. The box is 40x40 -> 20x20, each
    // output pixel the mean of 2x2 equal source pixels: 10 columns of 255 and 10 of 160, 20 rows
    // each, all inside the 28x28 field wherever the centring puts them: a sum of 200 * 255 +
    // 200 * 160 = 83000. (Without the stretch's division: 204 and 128; without the area in the
    // mean: every value doubled, and clamped to 255.)
    PgmImage shades;
    shades.width = shades.height = 60;
    shades.pixels.assign(60 * 60, 51);
    for (int r = 10; r < 50; ++r)
        for (int c = 10; c < 50; ++c) shades.pixels[r * 60 + c] = c < 30 ? 255 : 179;
    const PreparedDigit halves = prepare_digit(shades);
    check::expect(!halves.inverted && halves.reboxed, "grey paper with bright ink: not inverted, re-boxed");
    check::equal(halves.box_width * 100 + halves.box_height, 2020, "the 40x40 ink box becomes 20x20");
    long sum = 0, full = 0, part = 0;
    for (std::uint8_t p : halves.pixels) {
        sum += p;
        full += p == 255;
        part += p == 160;
    }
    check::equal(sum, 83000, "sum of the prepared pixels: 200 * 255 + 200 * 160");
    check::equal(full * 1000 + part, 200200, "200 pixels of 255 and 200 of 160");

    // ---- prepare_digit(): a big, off-centre bar on white paper, 60 wide and 90 tall. ---------
    // The ink is a 10 x 60 rectangle (columns 5-14, rows 20-79): its box is 10 wide, 60 tall,
    // scaled by 20/60 to 3.33 -> 3 wide and 20 tall, then centred by mass on (14, 14).
    PgmImage big;
    big.width = 60;
    big.height = 90;
    big.pixels.assign(60 * 90, 255);
    for (int r = 20; r < 80; ++r)
        for (int c = 5; c < 15; ++c) big.pixels[r * 60 + c] = 0;
    const PreparedDigit bar = prepare_digit(big);
    check::expect(bar.inverted && bar.reboxed, "a big dark-on-light image is inverted and re-boxed");
    check::equal(bar.ink_width, 10, "ink box width");
    check::equal(bar.ink_height, 60, "ink box height");
    check::equal(bar.box_width, 3, "scaled box width: 10 * 20 / 60 = 3.3, rounded");
    check::equal(bar.box_height, 20, "scaled box height: the longer side becomes 20");
    double row = 0, col = 0;
    centre_of_mass(bar.pixels, row, col);
    check::near(row, 14, 0.5, "centre of mass row");
    check::near(col, 14, 0.5, "centre of mass column");
    long ink = 0;
    for (std::uint8_t p : bar.pixels) ink += p > 128;
    check::equal(ink, 3 * 20, "the bar fills its 3 x 20 box");

    // A blank page has no digit.
    PgmImage blank = big;
    std::fill(blank.pixels.begin(), blank.pixels.end(), 200);
    check::expect(prepare_digit(blank).blank, "a blank page is reported as blank");

    return check::summary("test_pgm");
}
