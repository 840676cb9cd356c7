// page.h: the trained network as one web page to draw on.
//
//   ./mnist page MODEL OUT.html     the page for a model saved with --save
//   ./mnist --plots DIR             also writes DIR/index.html: the same page for the network
//                                   just trained, with the run's pictures and a few test digits
//
// On the page the reader draws a digit (mouse, pen or finger) and watches the network read it:
// the preparation of prepare_digit.h step by step as small pictures, the ten class
// probabilities as bars, every hidden layer's activations as a grid of cells. Pointing at a
// first-layer unit shows its 784 input weights as a 28x28 picture; pointing at any other unit
// shows its strongest inputs. The drawing can be saved as a PGM file for `./mnist predict`.
//
// The page is ONE file that needs nothing else: the model file's bytes (model_file.h, the very
// same bytes --save writes) are inside it as base64 text, and the JavaScript and CSS are
// inline. No library, no font, no request to any server: it works opened from disk with the
// network cable pulled, and on any static web host. Its Content-Security-Policy says so to the
// browser (default-src 'none'), which then also refuses eval(): the weights are read as
// numbers by a DataView, never run as code.
//
// The JavaScript is a second implementation of the C++ that a student can read beside it: the
// page's forward pass follows matrix.cpp, layers.cpp and network.cpp line by line, its
// preparation follows prepare_digit.cpp, and each function names the C++ it mirrors. Float32
// arithmetic is reproduced with Math.fround after every operation on floats (a JavaScript
// number is a double; fround rounds it to the nearest float, which is what the C++ float
// operation gives, because a double holds the exact result of a float + - * / with room to
// spare). tests/page/ runs the page's script in Node.js and the page itself in headless
// Chromium, and holds their probabilities to those of `./mnist predict`.
//
// What this is not: a web application. There is no server side, no storage, no build step;
// the HTML, CSS and script are kept as raw text in page_template.cpp and assembled here.
//
// Read next: page_template.cpp (the page itself), docs/predict.md (how to use it).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "network.h"
#include "plots.h"

// A test digit offered on the page, to load into the pad with one click.
struct PageDigit {
    int index = 0;                     // its index in the test set
    int label = 0;                     // its true class
    std::string note;                  // shown under it, e.g. "read as 9" (may be empty)
    std::vector<std::uint8_t> pixels;  // 28 x 28 bytes, as MNIST stores them
};

// What goes on the page besides the network.
struct PageContent {
    std::string caption;            // one sentence under the title: where the network came from
    std::vector<Picture> pictures;  // the run's SVG pictures (plots.h), drawn inline
    std::vector<PageDigit> digits;  // test digits to try
};

// RFC 4648 base64 ("A-Z a-z 0-9 + /", '=' padding), the encoding browsers decode with atob().
std::string base64(const std::vector<std::uint8_t>& bytes);

// The whole page as text. The network must take 28 x 28 = 784 inputs (a DataError says so
// otherwise, naming `name`).
std::string page_html(const Network<float>& net, const PageContent& content, const std::string& name);

// page_html() written to path (atomically, files.h). Throws DataError. Returns the byte count.
std::size_t write_page(const std::string& path, const Network<float>& net, const PageContent& content);

// The page of a training run, for --plots DIR: the run's pictures, one test digit of each class
// (the first in the test set) and the surest mistakes. Writes DIR/index.html and returns its path;
// writes nothing and returns "" if the network does not read 28x28 images (--data of another size).
std::string write_run_page(const std::string& dir, const Network<float>& net, const PlotInputs& in);

// `./mnist page MODEL OUT.html`; argv holds the arguments after "page". Throws UsageError or
// DataError. Returns 0.
int page_command(int argc, char** argv);
