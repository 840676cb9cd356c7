// svg.cpp: the elements of svg.h, each a line of text appended to the document.
#include "svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

std::string xml_escape(const std::string& text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;  // first, or it would escape the other escapes
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string svg_number(double x) {
    if (!std::isfinite(x)) x = 0;  // never write "nan" into a coordinate: it is not SVG
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", x);
    std::string s = text;
    s.erase(s.find_last_not_of('0') + 1);  // "12.50" -> "12.5", "12.00" -> "12."
    if (s.back() == '.') s.pop_back();     // "12." -> "12"
    if (s == "-0") s = "0";
    return s;
}

std::string hex(Rgb colour) {
    char text[8];
    std::snprintf(text, sizeof text, "#%02x%02x%02x", std::clamp(colour.r, 0, 255),
                  std::clamp(colour.g, 0, 255), std::clamp(colour.b, 0, 255));
    return text;
}

Rgb mix(Rgb a, Rgb b, double t) {
    t = std::isfinite(t) ? std::clamp(t, 0.0, 1.0) : 0.0;
    auto channel = [t](int from, int to) {
        return static_cast<int>(std::lround(from + t * (to - from)));
    };
    return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b)};
}

namespace {

std::string attribute(const std::string& name, double value) {
    return " " + name + "=\"" + svg_number(value) + "\"";
}

std::string extra(const std::string& attributes) {
    return attributes.empty() ? "" : " " + attributes;
}

}  // namespace

Svg::Svg(double width, double height, const std::string& title) {
    // The xmlns attribute is what makes a browser treat the file as SVG when it is opened on
    // its own; viewBox lets it scale the picture to any window while keeping its proportions.
    text_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    text_ += "<svg xmlns=\"http://www.w3.org/2000/svg\"" + attribute("width", width) +
             attribute("height", height) + " viewBox=\"0 0 " + svg_number(width) + " " +
             svg_number(height) + "\" font-family=\"sans-serif\">\n";
    text_ += "<title>" + xml_escape(title) + "</title>\n";
    rect(0, 0, width, height, "#ffffff");
}

void Svg::rect(double x, double y, double width, double height, const std::string& fill,
               const std::string& attributes) {
    text_ += "<rect" + attribute("x", x) + attribute("y", y) + attribute("width", width) +
             attribute("height", height) + " fill=\"" + fill + "\"" + extra(attributes) + "/>\n";
}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& stroke,
               double stroke_width, const std::string& attributes) {
    text_ += "<line" + attribute("x1", x1) + attribute("y1", y1) + attribute("x2", x2) +
             attribute("y2", y2) + " stroke=\"" + stroke + "\"" +
             attribute("stroke-width", stroke_width) + extra(attributes) + "/>\n";
}

void Svg::polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                   const std::string& stroke, double stroke_width, const std::string& attributes) {
    std::string points;
    for (std::size_t i = 0; i < xs.size() && i < ys.size(); ++i)
        points += (i ? " " : "") + svg_number(xs[i]) + "," + svg_number(ys[i]);
    text_ += "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + stroke + "\"" +
             attribute("stroke-width", stroke_width) + extra(attributes) + "/>\n";
}

void Svg::circle(double cx, double cy, double r, const std::string& fill,
                 const std::string& tooltip, const std::string& attributes) {
    // A <title> inside an element is its tooltip.
    text_ += "<circle" + attribute("cx", cx) + attribute("cy", cy) + attribute("r", r) +
             " fill=\"" + fill + "\"" + extra(attributes) + "><title>" + xml_escape(tooltip) +
             "</title></circle>\n";
}

void Svg::text(double x, double y, const std::string& content, double font_size,
               const std::string& anchor, const std::string& attributes) {
    text_ += "<text" + attribute("x", x) + attribute("y", y) + attribute("font-size", font_size) +
             " text-anchor=\"" + anchor + "\"" + extra(attributes) + ">" + xml_escape(content) +
             "</text>\n";
}

void Svg::begin_group(double x, double y, double scale, const std::string& attributes) {
    text_ += "<g transform=\"translate(" + svg_number(x) + "," + svg_number(y) + ")" +
             (scale != 1 ? " scale(" + svg_number(scale) + ")" : "") + "\"" + extra(attributes) +
             ">\n";
    ++open_groups_;
}

void Svg::end_group() {
    if (open_groups_ == 0) return;  // an unmatched end would make the file invalid XML
    text_ += "</g>\n";
    --open_groups_;
}

void Svg::tooltip(const std::string& text) { text_ += "<title>" + xml_escape(text) + "</title>\n"; }

void Svg::pixels(const PixelImage& image) {
    // One path per colour. crispEdges asks the renderer not to blur the squares' edges, which
    // would otherwise leave faint seams between neighbouring pixels of different colours.
    for (int level = 0; level < static_cast<int>(image.palette.size()); ++level) {
        if (level == image.background) continue;
        std::string d;
        for (int r = 0; r < image.rows; ++r) {
            int c = 0;
            while (c < image.cols) {
                if (image.levels[static_cast<std::size_t>(r) * image.cols + c] != level) {
                    ++c;
                    continue;
                }
                int run = 1;  // how many pixels of this colour follow in this row
                while (c + run < image.cols &&
                       image.levels[static_cast<std::size_t>(r) * image.cols + c + run] == level)
                    ++run;
                d += "M" + std::to_string(c) + " " + std::to_string(r) + "h" + std::to_string(run) +
                     "v1h-" + std::to_string(run) + "z";
                c += run;
            }
        }
        if (!d.empty())
            text_ += "<path fill=\"" + image.palette[level] + "\" shape-rendering=\"crispEdges\" d=\"" +
                     d + "\"/>\n";
    }
}

std::string Svg::finish() const {
    std::string out = text_;
    for (int g = 0; g < open_groups_; ++g) out += "</g>\n";  // close what the caller left open
    return out + "</svg>\n";
}
