// page.cpp: assembling the page of page.h from the template in page_template.cpp.
//
// The template is the page's HTML with a few {{slots}}; everything this file puts into a slot
// is either escaped text (xml_escape: a caption may hold a directory name such as "R&D"),
// base64 (letters, digits, + / =, which can never close a tag), or an SVG drawn by svg.h.
#include "page.h"

#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "errors.h"
#include "files.h"
#include "model_file.h"
#include "page_template.h"
#include "prepare_digit.h"
#include "svg.h"

namespace {

const char kPageUsage[] =
    "usage: ./mnist page MODEL OUT.html\n"
    "\n"
    "Writes OUT.html, one self-contained web page holding the network in MODEL (a file written\n"
    "by ./mnist --save MODEL): draw a digit on it and watch the network read it. It needs no\n"
    "server and no network connection; open it in any browser. See docs/predict.md.\n";

// Base64 lines of this length keep the file readable in an editor (no 600 kB line); the
// page's script removes the line breaks before decoding.
constexpr std::size_t kBase64Line = 100;

std::string wrap_lines(const std::string& text, std::size_t width) {
    std::string out;
    out.reserve(text.size() + text.size() / width + 1);
    for (std::size_t at = 0; at < text.size(); at += width) out += text.substr(at, width) + "\n";
    return out;
}

// Replaces every {{name}} of the template by its value, in one pass from left to right, so that
// nothing inside a value is ever taken for a slot. A slot without a value is a mistake in this
// program, not in the user's input: std::logic_error, which the tests would catch at once.
std::string fill_slots(const std::string& text, const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{", at);
        if (open == std::string::npos) break;
        const std::size_t close = text.find("}}", open);
        if (close == std::string::npos) throw std::logic_error("page template: '{{' without '}}'");
        const std::string name = text.substr(open + 2, close - open - 2);
        const std::string* value = nullptr;
        for (const auto& [key, v] : values)
            if (key == name) value = &v;
        if (value == nullptr) throw std::logic_error("page template: no value for {{" + name + "}}");
        out.append(text, at, open - at);
        out += *value;
        at = close + 2;
    }
    out.append(text, at, std::string::npos);
    return out;
}

std::string sizes_text(const std::vector<int>& sizes) {
    std::string s;
    for (std::size_t i = 0; i < sizes.size(); ++i) s += (i ? "-" : "") + std::to_string(sizes[i]);
    return s;
}

// An SVG file's text as an element inside HTML: the same text without its XML declaration
// (an HTML page has one encoding, declared once in its head).
std::string inline_svg(const std::string& svg) {
    const std::size_t start = svg.find("<svg");
    return start == std::string::npos ? svg : svg.substr(start);
}

std::string pictures_html(const std::vector<Picture>& pictures) {
    if (pictures.empty()) return "";
    std::string html = "<section id=\"run\">\n<h2>The training run</h2>\n<div class=\"pictures\">\n";
    for (const Picture& p : pictures)
        html += "<figure id=\"picture-" + xml_escape(p.name) + "\"><figcaption>" + xml_escape(p.title) +
                " <span class=\"file\">(" + xml_escape(p.name) + ")</span></figcaption>\n" + inline_svg(p.svg) +
                "</figure>\n";
    return html + "</div>\n</section>\n";
}

// Each digit is a button holding its 784 bytes as base64; the script draws the thumbnails.
std::string digits_html(const std::vector<PageDigit>& digits) {
    if (digits.empty()) return "";
    std::string html =
        "<section id=\"samples\">\n<h2>Test digits to try</h2>\n"
        "<p>One click loads a digit of MNIST's test set into the pad; then draw over it, or undo.</p>\n"
        "<div class=\"digits\">\n";
    for (const PageDigit& d : digits) {
        const std::string index = std::to_string(d.index), label = std::to_string(d.label);
        html += "<button type=\"button\" class=\"digit\" data-index=\"" + index + "\" data-label=\"" + label +
                "\" data-pixels=\"" + base64(d.pixels) + "\" title=\"test image " + index + ", label " + label +
                "\"><canvas width=\"28\" height=\"28\"></canvas><span>#" + index + ": " + label +
                (d.note.empty() ? "" : "<br>" + xml_escape(d.note)) + "</span></button>\n";
    }
    return html + "</div>\n</section>\n";
}

void check_input_size(const Network<float>& net, const std::string& name) {
    const std::vector<int> sizes = net.sizes();
    if (sizes.empty() || sizes.front() != kDigitSide * kDigitSide)
        throw DataError(name + ": the model takes " + std::to_string(sizes.empty() ? 0 : sizes.front()) +
                        " inputs; the page draws " + std::to_string(kDigitSide) + "x" + std::to_string(kDigitSide) +
                        " digits (" + std::to_string(kDigitSide * kDigitSide) + " inputs), as for MNIST");
}

}  // namespace

std::string base64(const std::vector<std::uint8_t>& bytes) {
    static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    // Three bytes (24 bits) become four characters of 6 bits each; a last group of one or two
    // bytes is padded with zero bits and its missing characters written as '='.
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
        std::uint32_t group = std::uint32_t(bytes[i]) << 16;
        if (n > 1) group |= std::uint32_t(bytes[i + 1]) << 8;
        if (n > 2) group |= bytes[i + 2];
        out += kAlphabet[(group >> 18) & 63];
        out += kAlphabet[(group >> 12) & 63];
        out += n > 1 ? kAlphabet[(group >> 6) & 63] : '=';
        out += n > 2 ? kAlphabet[group & 63] : '=';
    }
    return out;
}

std::string page_html(const Network<float>& net, const PageContent& content, const std::string& name) {
    check_input_size(net, name);
    return fill_slots(page_template(), {
                                           {"sizes", sizes_text(net.sizes())},
                                           {"parameters", std::to_string(net.parameter_count())},
                                           {"caption", xml_escape(content.caption)},
                                           {"digits", digits_html(content.digits)},
                                           {"pictures", pictures_html(content.pictures)},
                                           {"model", wrap_lines(base64(encode_model(net)), kBase64Line)},
                                       });
}

std::size_t write_page(const std::string& path, const Network<float>& net, const PageContent& content) {
    const std::string html = page_html(net, content, path);
    write_file_atomically(path, std::vector<std::uint8_t>(html.begin(), html.end()));
    return html.size();
}

std::string write_run_page(const std::string& dir, const Network<float>& net, const PlotInputs& in) {
    if (net.sizes().front() != kDigitSide * kDigitSide) return "";  // not MNIST's 28x28 digits: no pad
    PageContent content;
    content.caption = "The network this run trained: " + in.caption;
    // All the pictures but weights.svg, which would double the page's size (1.1 MB for 128
    // units) to show what pointing at a unit of the first layer shows already.
    for (Picture& picture : plot_pictures(in))
        if (picture.name != "weights.svg") content.pictures.push_back(std::move(picture));
    if (in.test != nullptr) {
        const Dataset& test = *in.test;
        const std::size_t P = static_cast<std::size_t>(test.pixels_per_image());
        auto digit = [&](int index, const std::string& note) {
            const auto first = test.pixels.begin() + static_cast<std::ptrdiff_t>(index * P);
            return PageDigit{index, test.labels[index], note, std::vector<std::uint8_t>(first, first + P)};
        };
        // The first test image of each class, then the six mistakes the network was surest of.
        for (int label = 0; label < kClasses; ++label)
            for (int i = 0; i < test.count; ++i)
                if (test.labels[i] == label) {
                    content.digits.push_back(digit(i, ""));
                    break;
                }
        for (std::size_t m = 0; m < in.mistakes.size() && m < 6; ++m)
            content.digits.push_back(digit(in.mistakes[m].index, "read as " + std::to_string(in.mistakes[m].predicted)));
    }
    const std::string path = (std::filesystem::path(dir) / "index.html").string();
    write_page(path, net, content);
    return path;
}

int page_command(int argc, char** argv) {
    std::vector<std::string> paths;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf("%s", kPageUsage);
            return 0;
        }
        if (arg.rfind("--", 0) == 0) throw UsageError("page: unknown option '" + arg + "'");
        paths.push_back(arg);
    }
    if (paths.size() != 2)
        throw UsageError("page: expected MODEL OUT.html (two file names), got " + std::to_string(paths.size()) +
                         " argument" + (paths.size() == 1 ? "" : "s"));
    const std::string& model_path = paths[0];
    const std::string& out_path = paths[1];
    if (std::filesystem::absolute(model_path).lexically_normal() == std::filesystem::absolute(out_path).lexically_normal())
        throw UsageError("page: MODEL and OUT.html are the same file, " + out_path + "; writing the page would destroy the model");

    const Network<float> net = load_model(model_path);
    PageContent content;
    content.caption = "The " + sizes_text(net.sizes()) + " network in " + model_path;
    const std::size_t bytes = write_page(out_path, net, content);
    std::printf("Wrote %s (%zu bytes): the network %s in one web page; open it in a browser\n", out_path.c_str(),
                bytes, sizes_text(net.sizes()).c_str());
    return 0;
}
