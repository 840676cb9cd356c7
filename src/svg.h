// svg.h: writing SVG pictures by hand, as plain text.
//
// SVG (Scalable Vector Graphics) is XML that describes shapes: a file any browser opens, and
// one a program can write with string concatenation alone. The whole vocabulary this project
// needs is six elements:
//
//   <rect x y width height fill/>        a filled rectangle (cells, backgrounds, bars)
//   <line x1 y1 x2 y2 stroke/>           axes, ticks, grid lines
//   <polyline points="x,y x,y ..."/>     a curve through points
//   <circle cx cy r fill/>               a marker on a curve
//   <text x y>words</text>               labels
//   <path d="M x y h w v 1 h -w z"/>     many little rectangles in one element (pixel images)
//
// grouped with <g> (optionally moved and scaled with transform="translate(x,y) scale(s)").
// Coordinates are in pixels with the origin at the top left and y pointing DOWN, the
// opposite of a chart's y axis, which is why plots.cpp maps values with (top - value).
//
// Text in XML must be escaped: a label containing "<" or "&" (say, a data directory named
// "R&D") would otherwise end the element early or start an entity, and the file would no
// longer be XML at all. Everything that is text goes through xml_escape().
//
// What this is not: an SVG library. There is no DOM, no styling system, no fonts: a Svg
// appends elements to a string in the order they are drawn (later ones are painted on top).
//
// Read next: plots.h, which draws the five pictures with these calls.
#pragma once

#include <string>
#include <vector>

// The text with & < > " ' replaced by &amp; &lt; &gt; &quot; &apos;, safe both between tags and
// inside a quoted attribute value.
std::string xml_escape(const std::string& text);

// A coordinate or size for an attribute: at most two decimals, no trailing zeros ("12",
// "12.5", "-0.25"). Two decimals are a hundredth of a pixel, far below what a screen shows.
std::string svg_number(double x);

// A colour as its red, green and blue channels, each 0-255.
struct Rgb {
    int r = 0, g = 0, b = 0;
};

// The colour as SVG writes it, "#rrggbb" (channels clamped to 0-255).
std::string hex(Rgb colour);

// The colour a fraction t of the way from a to b, channel by channel: mix(a, b, 0) = a,
// mix(a, b, 1) = b. t is clamped to [0, 1].
Rgb mix(Rgb a, Rgb b, double t);

// A small image as pixels: `levels` holds rows x cols palette indices (row-major), drawn one
// unit square per pixel at (col, row), in colour palette[level]. Pixels whose level is
// `background` are not drawn at all (the page shows through), which for a digit on white
// paper skips four pixels in five.
struct PixelImage {
    int rows = 0, cols = 0;
    std::vector<int> levels;
    std::vector<std::string> palette;
    int background = 0;
};

class Svg {
public:
    // Starts a document of width x height pixels on a white background. `title` becomes the
    // document's <title> (the name a browser tab shows).
    Svg(double width, double height, const std::string& title);

    // Each call appends one element. `attributes` is extra raw attribute text for the element
    // (e.g. "class=\"count\""), written as given: callers pass only constant text there.
    void rect(double x, double y, double width, double height, const std::string& fill,
              const std::string& attributes = "");
    void line(double x1, double y1, double x2, double y2, const std::string& stroke,
              double stroke_width, const std::string& attributes = "");
    void polyline(const std::vector<double>& xs, const std::vector<double>& ys,
                  const std::string& stroke, double stroke_width, const std::string& attributes = "");
    // A circle with a tooltip: browsers show `tooltip` when the mouse rests on it.
    void circle(double cx, double cy, double r, const std::string& fill, const std::string& tooltip,
                const std::string& attributes = "");
    // `anchor` is where (x, y) sits on the text's baseline: "start", "middle" or "end".
    void text(double x, double y, const std::string& content, double font_size,
              const std::string& anchor = "start", const std::string& attributes = "");

    // A group, moved by (x, y) and scaled by `scale`; every element until end_group() is drawn
    // in the group's coordinates.
    void begin_group(double x, double y, double scale, const std::string& attributes = "");
    void end_group();

    // A tooltip for the group just begun: browsers show it when the mouse rests on the group.
    void tooltip(const std::string& text);

    // The image's pixels, each a unit square at (col, row) in the current coordinates: put it
    // in a group with a scale to make the squares bigger. One <path> per colour, in which
    // each horizontal run of same-coloured pixels is one rectangle "M c r h n v 1 h -n z".
    void pixels(const PixelImage& image);

    // The finished document, with its closing tag.
    std::string finish() const;

private:
    std::string text_;
    int open_groups_ = 0;
};
