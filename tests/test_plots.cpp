// test_plots: every picture of --plots is well-formed XML and holds the numbers it claims.
//
// Each picture is read back with tests/xml.h, and its numbers are recovered from the drawing
// itself: a curve's points through the positions of the axis ticks, a heatmap's counts from
// the text in its cells (placed by row and column), a digit's pixels from the rectangles drawn.
// Then the real program is run with --plots on a tiny data set, and its pictures are compared
// with the numbers of its own --report.
#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <sstream>

#include "check.h"
#include "plots.h"
#include "process.h"
#include "svg.h"
#include "xml.h"

namespace {

XmlElement parse_or_fail(const std::string& svg, const std::string& what) {
    const XmlDocument doc = parse_xml(svg);
    check::expect(doc.ok, what + " is well-formed XML: " + doc.error);
    check::equal(doc.root.name, "svg", what + ": the root element");
    return doc.root;
}

double number(const XmlElement* e, const std::string& key) { return std::stod(e->attribute(key)); }

// A straight-line map through two points: the axis, from pixel coordinates to values.
struct Axis {
    double pixel0 = 0, value0 = 0, pixel1 = 1, value1 = 1;
    double value(double pixel) const {
        return value0 + (pixel - pixel0) * (value1 - value0) / (pixel1 - pixel0);
    }
};

// The axis a chart drew: its tick lines (class `tick`, position attribute `coordinate`) paired
// in order with their labels (class `tick`-label), the first and the last. A chart of a single
// epoch has a single x tick; its axis maps that tick's position to its value and is flat
// (pixel1 = pixel0 + 1, value1 = value0), which is all one point needs.
Axis read_axis(const XmlElement& root, const std::string& tick, const std::string& coordinate) {
    const auto lines = find_class(root, "line", tick);
    const auto labels = find_class(root, "text", tick + "-label");
    check::expect(!lines.empty() && lines.size() == labels.size(), tick + ": ticks, each with a label");
    Axis a;
    if (lines.empty() || lines.size() != labels.size()) return a;
    a.pixel0 = number(lines.front(), coordinate);
    a.value0 = std::stod(labels.front()->text);
    a.pixel1 = lines.size() > 1 ? number(lines.back(), coordinate) : a.pixel0 + 1;
    a.value1 = lines.size() > 1 ? std::stod(labels.back()->text) : a.value0;
    return a;
}

// "x,y x,y ..." -> the pairs.
std::vector<std::pair<double, double>> points_of(const XmlElement* polyline) {
    std::vector<std::pair<double, double>> points;
    std::istringstream in(polyline->attribute("points"));
    std::string pair;
    while (in >> pair) {
        const std::size_t comma = pair.find(',');
        points.push_back({std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1))});
    }
    return points;
}

// Reads the curves of a chart back through its axes and compares them with `series`: the
// epoch of each point (1, 2, ...) and its value, to a thousandth of the value axis' span.
void expect_curves(const std::string& svg, const std::vector<std::vector<double>>& series,
                   const std::vector<std::string>& names, const std::string& what) {
    const XmlElement root = parse_or_fail(svg, what);
    const Axis x = read_axis(root, "xtick", "x1"), y = read_axis(root, "ytick", "y1");
    const double tolerance = 1e-3 * std::fabs(y.value1 - y.value0);
    const auto curves = find_class(root, "polyline", "curve");
    check::equal(static_cast<long long>(curves.size()), static_cast<long long>(series.size()),
                 what + ": one curve per series");
    for (std::size_t k = 0; k < curves.size() && k < series.size(); ++k) {
        const auto points = points_of(curves[k]);
        check::equal(static_cast<long long>(points.size()), static_cast<long long>(series[k].size()),
                     what + ": points of curve " + std::to_string(k));
        for (std::size_t i = 0; i < points.size() && i < series[k].size(); ++i) {
            const std::string at = what + ": curve " + std::to_string(k) + ", point " + std::to_string(i);
            if (series[k].size() == 1)  // no x axis to speak of: the point sits on the one tick
                check::near(points[i].first, x.pixel0, 1e-6, at + " on the tick of epoch 1");
            check::near(x.value(points[i].first), static_cast<double>(i + 1), 1e-3, at + " epoch");
            check::near(y.value(points[i].second), series[k][i], tolerance, at + " value");
        }
    }
    const auto legend = find_class(root, "text", "legend");
    check::equal(static_cast<long long>(legend.size()), static_cast<long long>(names.size()),
                 what + ": legend entries");
    for (std::size_t k = 0; k < legend.size() && k < names.size(); ++k)
        check::equal(legend[k]->text, names[k], what + ": legend entry " + std::to_string(k));
}

// The counts in the heatmap's cells, as a matrix: cells grouped into rows by their y
// position and ordered within a row by x, so the arrangement on the page is tested too.
std::vector<std::vector<long>> heatmap_counts(const XmlElement& root) {
    std::map<double, std::map<double, long>> by_position;
    for (const XmlElement* t : find_class(root, "text", "count"))
        by_position[number(t, "y")][number(t, "x")] = std::stol(t->text);
    std::vector<std::vector<long>> rows;
    for (const auto& row : by_position) {
        rows.emplace_back();
        for (const auto& cell : row.second) rows.back().push_back(cell.second);
    }
    return rows;
}

// The pixels of an image drawn by Svg::pixels(): for each <path> of the group, its fill colour
// and the rectangles "M c r h n v1 h-n z" of its d attribute, painted into a rows x cols grid.
// Unpainted pixels stay "".
std::vector<std::string> painted_pixels(const XmlElement& group, int rows, int cols) {
    std::vector<std::string> pixels(static_cast<std::size_t>(rows) * cols);
    const std::regex run(R"(M(\d+) (\d+)h(\d+)v1h-(\d+)z)");
    for (const XmlElement* path : find_all(group, "path")) {
        const std::string d = path->attribute("d"), fill = path->attribute("fill");
        std::size_t consumed = 0;
        for (auto it = std::sregex_iterator(d.begin(), d.end(), run); it != std::sregex_iterator(); ++it) {
            const int c = std::stoi((*it)[1]), r = std::stoi((*it)[2]), n = std::stoi((*it)[3]);
            check::equal(std::stoi((*it)[4]), n, "a run closes where it started");
            for (int k = 0; k < n; ++k)
                if (r < rows && c + k < cols) {
                    check::expect(pixels[r * cols + c + k].empty(), "each pixel is painted once");
                    pixels[r * cols + c + k] = fill;
                }
            consumed += it->length();
        }
        check::equal(static_cast<long long>(consumed), static_cast<long long>(d.size()),
                     "a path holds nothing but pixel runs");
    }
    return pixels;
}

std::string grey(int level) { return hex({255 - 17 * level, 255 - 17 * level, 255 - 17 * level}); }

// The numbers of a --report file that the pictures show.
struct Report {
    std::vector<double> loss, val_loss, accuracy, val_accuracy;
    std::vector<std::vector<long>> confusion;
    long correct = 0, total = 0;
};

Report read_report(const std::string& json) {
    Report r;
    const std::regex epoch(R"(\"loss\": ([^,]+), \"accuracy\": ([^,]+), \"val_loss\": ([^,]+), \"val_accuracy\": ([^,]+),)");
    for (auto it = std::sregex_iterator(json.begin(), json.end(), epoch); it != std::sregex_iterator(); ++it) {
        r.loss.push_back(std::stod((*it)[1]));
        r.accuracy.push_back(std::stod((*it)[2]));
        r.val_loss.push_back(std::stod((*it)[3]));
        r.val_accuracy.push_back(std::stod((*it)[4]));
    }
    const std::size_t start = json.find("\"confusion_matrix\"");
    const std::size_t end = json.find("]\n  ]", start);
    const std::regex row(R"(\[([0-9, ]+)\])");
    const std::string matrix = json.substr(start, end + 1 - start);
    for (auto it = std::sregex_iterator(matrix.begin(), matrix.end(), row); it != std::sregex_iterator(); ++it) {
        std::istringstream numbers(std::regex_replace(std::string((*it)[1]), std::regex(","), " "));
        r.confusion.emplace_back();
        long x;
        while (numbers >> x) r.confusion.back().push_back(x);
    }
    for (std::size_t t = 0; t < r.confusion.size(); ++t)
        for (std::size_t p = 0; p < r.confusion[t].size(); ++p) {
            r.total += r.confusion[t][p];
            if (t == p) r.correct += r.confusion[t][p];
        }
    return r;
}

// The loss picture marks the epoch of the lowest validation loss, the accuracy picture that
// of the highest validation accuracy: here epochs 2 and 4, neither the first nor the last, and
// not the same one.
void best_epochs_marked() {
    PlotInputs in;
    in.caption = "markers";
    in.has_validation = true;
    const double val_loss[] = {0.4, 0.2, 0.3, 0.25, 0.5};
    const double val_accuracy[] = {0.90, 0.93, 0.92, 0.95, 0.94};
    for (int e = 0; e < 5; ++e) {
        EpochResult r;
        r.epoch = e + 1;
        r.loss = 0.5 - 0.1 * e;
        r.accuracy = 0.8 + 0.02 * e;
        r.val_loss = val_loss[e];
        r.val_accuracy = val_accuracy[e];
        in.history.push_back(r);
    }
    const std::vector<Picture> pictures = plot_pictures(in);
    const std::map<std::string, std::string> expected = {
        {"loss.svg", "lowest validation loss: epoch 2"}, {"accuracy.svg", "highest validation accuracy: epoch 4"}};
    for (const auto& [name, label] : expected) {
        std::string seen = "(no picture)";
        for (const Picture& p : pictures)
            if (p.name == name) {
                const XmlElement root = parse_or_fail(p.svg, name);
                const auto markers = find_class(root, "text", "marker");
                seen = markers.empty() ? "(no marker)" : markers[0]->text;
            }
        check::equal(seen, label, name + " marks its best epoch");
    }
}

}  // namespace

int main() {
    best_epochs_marked();

    // ---- svg.h's small parts ----------------------------------------------------------------
    check::equal(xml_escape("a < b & \"c\" > 'd'"), "a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;",
                 "xml_escape");
    check::equal(svg_number(12), "12", "svg_number(12)");
    check::equal(svg_number(12.5), "12.5", "svg_number(12.5)");
    check::equal(svg_number(1.234), "1.23", "svg_number(1.234)");
    check::equal(svg_number(-0.001), "0", "svg_number(-0.001): no \"-0\"");
    check::equal(svg_number(NAN), "0", "svg_number(NaN): never \"nan\" in a coordinate");
    check::equal(hex({255, 0, 16}), "#ff0010", "hex");
    check::equal(hex({300, -5, 0}), "#ff0000", "hex clamps");
    check::equal(hex(mix({255, 255, 255}, {0, 0, 0}, 0.5)), "#808080", "halfway from white to black");
    check::equal(hex(mix({0, 0, 0}, {200, 100, 50}, 2.0)), "#c86432", "mix clamps t to 1");

    // The checker itself must catch broken documents, or its "well-formed" would mean nothing.
    check::expect(parse_xml("<a><b/><c x=\"1\">t &amp; u</c></a>").ok, "parse_xml accepts good XML");
    for (const char* broken : {"<a><b></a></b>", "<a>x & y</a>", "<a b=1/>", "<a/><b/>", "<a>",
                               "<a b=\"1\" b=\"2\"/>", "<a b=\"<\"/>", "<a>&bogus;</a>", "<a></b>"})
        check::expect(!parse_xml(broken).ok, std::string("parse_xml refuses ") + broken);

    // Hostile text survives the trip: escaped on the way in, decoded by the parser.
    const std::string hostile = "R&D <data> \"quoted\" 'too'";
    Svg page(100, 50, hostile);
    page.text(10, 20, hostile, 12, "start", "class=\"label\"");
    page.begin_group(0, 0, 2);  // left open on purpose: finish() closes it
    const XmlElement page_root = parse_or_fail(page.finish(), "a page with hostile text");
    const auto titles = find_all(page_root, "title");
    check::expect(!titles.empty() && titles[0]->text == hostile, "the title reads back unchanged");
    const auto labels = find_class(page_root, "text", "label");
    check::expect(!labels.empty() && labels[0]->text == hostile, "the text reads back unchanged");

    // ---- Line charts -------------------------------------------------------------------------
    const std::vector<double> train_loss = {0.52, 0.31, 0.2, 0.15, 0.121, 0.1};
    const std::vector<double> valid_loss = {0.4, 0.28, 0.25, 0.26, 0.29, 0.33};
    const std::string chart = curves_svg("Loss by epoch", "caption & more", "loss",
                                         {{"training loss", train_loss, '*'}, {"validation loss", valid_loss, 'o'}},
                                         3, "lowest validation loss: epoch 3");
    expect_curves(chart, {train_loss, valid_loss}, {"training loss", "validation loss"}, "loss chart");
    const XmlElement chart_root = parse_or_fail(chart, "loss chart");
    const auto markers = find_class(chart_root, "text", "marker");
    check::expect(!markers.empty() && markers[0]->text == "lowest validation loss: epoch 3",
                  "the marked epoch is labelled");
    bool tooltip = false;
    for (const XmlElement* t : find_all(chart_root, "title"))
        tooltip = tooltip || t->text == "validation loss, epoch 5: 0.2900";
    check::expect(tooltip, "each point has a tooltip with its value");
    // A single epoch, a flat curve and no data at all still give valid pictures.
    expect_curves(curves_svg("t", "c", "y", {{"one", {0.5}, '*'}}, 0, ""), {{0.5}}, {"one"}, "one point");
    expect_curves(curves_svg("t", "c", "y", {{"flat", {2, 2, 2}, '*'}}, 0, ""), {{2, 2, 2}}, {"flat"}, "flat");
    parse_or_fail(curves_svg("t", "c", "y", {{"none", {}, '*'}}, 0, ""), "a chart with no data");

    // ---- Confusion heatmap --------------------------------------------------------------------
    ConfusionMatrix m(3);
    const long cells[3][3] = {{5, 0, 1}, {3, 12, 0}, {0, 2, 7}};
    for (int t = 0; t < 3; ++t)
        for (int p = 0; p < 3; ++p)
            for (long i = 0; i < cells[t][p]; ++i) m.add(t, p);
    const XmlElement heat = parse_or_fail(confusion_svg(m, "caption"), "heatmap");
    const auto counts = heatmap_counts(heat);
    check::equal(static_cast<long long>(counts.size()), 3, "heatmap rows");
    for (std::size_t t = 0; t < counts.size() && t < 3; ++t) {
        check::equal(static_cast<long long>(counts[t].size()), 3, "heatmap row " + std::to_string(t) + " cells");
        for (std::size_t p = 0; p < counts[t].size() && p < 3; ++p)
            check::equal(counts[t][p], cells[t][p], "heatmap cell (" + std::to_string(t) + ", " + std::to_string(p) + ")");
    }
    const auto recalls = find_class(heat, "text", "recall");
    const auto precisions = find_class(heat, "text", "precision");
    // recall of row 1: 12 / 15 = 80.0%; precision of column 0: 5 / 8 = 62.5%.
    check::expect(recalls.size() == 3 && recalls[1]->text == "80.0%", "recall of row 1 is 80.0%");
    check::expect(precisions.size() == 3 && precisions[0]->text == "62.5%", "precision of column 0 is 62.5%");

    // ---- Mistakes -------------------------------------------------------------------------------
    // Three 2x3 images; image 1 has every grey level boundary we care about: 0 and 15 (paper,
    // not drawn), 16 (level 1), 200 (level 12), 255 (level 15).
    Dataset d;
    d.count = 3;
    d.rows = 2;
    d.cols = 3;
    d.pixels = {0, 0, 0, 0, 0, 0,  0, 15, 16, 200, 255, 255,  255, 0, 0, 0, 0, 0};
    d.labels = {0, 4, 7};
    const std::vector<Mistake> mistakes = {{1, 4, 9, 0.998, 0.0012}, {2, 7, 1, 0.5, 0.25}};
    const XmlElement grid = parse_or_fail(mistakes_svg(d, mistakes, "caption"), "mistakes grid");
    const auto digits = find_class(grid, "g", "digit");
    const auto verdicts = find_class(grid, "text", "verdict");
    const auto details = find_class(grid, "text", "detail");
    check::equal(static_cast<long long>(digits.size()), 2, "one image per mistake");
    check::expect(verdicts.size() == 2 && verdicts[0]->text == "4 read as 9", "first verdict");
    check::expect(details.size() == 2 && details[0]->text == "99.8%  #1", "first detail: confidence, index");
    const auto truths = find_class(grid, "text", "truth");
    check::expect(truths.size() == 2 && truths[0]->text == "p(4) = 0.0012", "first: the true label's probability");
    if (digits.size() == 2) {
        const auto pixels = painted_pixels(*digits[0], 2, 3);
        const std::vector<std::string> expected = {"", "", grey(1), grey(12), grey(15), grey(15)};
        for (int p = 0; p < 6; ++p)
            check::equal(pixels[p], expected[p], "mistake 0, pixel " + std::to_string(p));
        const auto second = painted_pixels(*digits[1], 2, 3);
        check::expect(second[0] == grey(15) && second[1].empty(), "mistake 1 shows image 2");
    }
    check::contains(mistakes_svg(d, {}, "c"), "No mistakes", "an empty grid says why");

    // ---- First-layer weights ----------------------------------------------------------------------
    // Two units of 2x3 pixels. Unit 0's largest |w| is 1, so w gets level round(8 w):
    //   0.5 -> 4 (red 4/8), -0.25 -> -2 (blue 2/8), 0 -> 0, 0.01 -> round(0.08) = 0, -0.5 -> -4,
    //   1 -> 8 (full red). Unit 1 is unit 0 times -3: the same levels with the sign flipped,
    //   since each unit has its own scale.
    Matrix<float> W(6, 2);
    const float unit0[6] = {0.5f, -0.25f, 0.0f, 0.01f, -0.5f, 1.0f};
    for (int p = 0; p < 6; ++p) {
        W(p, 0) = unit0[p];
        W(p, 1) = -3 * unit0[p];
    }
    const XmlElement weights = parse_or_fail(weights_svg(W, 2, 3, "caption"), "weights");
    const auto units = find_class(weights, "g", "unit");
    check::equal(static_cast<long long>(units.size()), 2, "one image per unit");
    const Rgb white{255, 255, 255};
    auto red = [&](int k) { return hex(mix(white, kWeightPositive, k / 8.0)); };
    auto blue = [&](int k) { return hex(mix(white, kWeightNegative, k / 8.0)); };
    if (units.size() == 2) {
        const std::vector<std::string> expected0 = {red(4), blue(2), "", "", blue(4), red(8)};
        const std::vector<std::string> expected1 = {blue(4), red(2), "", "", red(4), blue(8)};
        const auto pixels0 = painted_pixels(*units[0], 2, 3), pixels1 = painted_pixels(*units[1], 2, 3);
        for (int p = 0; p < 6; ++p) {
            check::equal(pixels0[p], expected0[p], "unit 0, pixel " + std::to_string(p));
            check::equal(pixels1[p], expected1[p], "unit 1, pixel " + std::to_string(p));
        }
    }

    // ---- The real program: --plots on a tiny data set, against its own --report -------------------
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-plots");
    const std::filesystem::path tiny = scratch / "tiny";
    std::filesystem::create_directories(tiny);
    write_tiny_dataset(tiny, 600, 200);
    const std::string data = "--data '" + tiny.string() + "' --valid 100 --batch 16 --hidden 32 --seed 3 ";
    const std::filesystem::path plots = scratch / "new" / "plots";  // two levels that do not exist yet
    const std::filesystem::path report = scratch / "report.json";
    // A small learning rate keeps the network far from perfect after two epochs, so that there
    // are mistakes to draw and check.
    const ProgramRun run = run_mnist(data + "--epochs 2 --lr 0.0003 --plots '" + plots.string() +
                                         "' --report '" + report.string() + "'", scratch);
    check::equal(run.exit_code, 0, "run with --plots (stderr: " + run.err + ")");
    check::contains(run.out, "Pictures written:", "the run says where the pictures went");
    const Report r = read_report(read_text(report));
    check::equal(static_cast<long long>(r.loss.size()), 2, "two epochs in the report");
    check::equal(static_cast<long long>(r.confusion.size()), 10, "ten rows in the report's matrix");

    expect_curves(read_text(plots / "loss.svg"), {r.loss, r.val_loss}, {"training loss", "validation loss"},
                  "loss.svg");
    expect_curves(read_text(plots / "accuracy.svg"), {r.accuracy, r.val_accuracy},
                  {"training accuracy", "validation accuracy"}, "accuracy.svg");
    check::expect(heatmap_counts(parse_or_fail(read_text(plots / "confusion.svg"), "confusion.svg")) == r.confusion,
                  "confusion.svg shows the report's confusion matrix, cell for cell");

    // The tiny test set's image i has label i % 10 (process.h), so each tile can be checked.
    const XmlElement wrong = parse_or_fail(read_text(plots / "mistakes.svg"), "mistakes.svg");
    const auto tiles = find_class(wrong, "text", "verdict");
    const auto tile_details = find_class(wrong, "text", "detail");
    const auto tile_truths = find_class(wrong, "text", "truth");
    check::expect(r.total - r.correct > 0, "the short run makes mistakes, so the tiles are checked");
    check::equal(static_cast<long long>(tiles.size()), std::min<long long>(kMistakesShown, r.total - r.correct),
                 "mistakes.svg: one tile per mistake, up to the grid's size");
    double previous = 100;  // percent
    for (std::size_t i = 0; i < tiles.size() && i < tile_details.size(); ++i) {
        std::smatch v, dt;
        const std::string verdict = tiles[i]->text, detail = tile_details[i]->text;
        const bool parsed = std::regex_match(verdict, v, std::regex(R"((\d) read as (\d))")) &&
                            std::regex_match(detail, dt, std::regex(R"(([0-9.]+)%  #(\d+))"));
        check::expect(parsed, "tile " + std::to_string(i) + " caption: " + verdict + " / " + detail);
        if (!parsed) continue;
        const int index = std::stoi(dt[2]);
        check::equal(std::stoi(v[1]), index % 10, "tile " + std::to_string(i) + ": the true label of image " + dt[2].str());
        check::expect(v[1] != v[2], "tile " + std::to_string(i) + ": the answer is wrong");
        const double confidence = std::stod(dt[1]);
        if (i < tile_truths.size()) {
            std::smatch pt;
            const std::string truth_text = tile_truths[i]->text;
            const bool has = std::regex_match(truth_text, pt, std::regex(R"(p\((\d)\) = ([0-9.e+-]+))"));
            check::expect(has && pt[1] == v[1] && std::stod(pt[2]) * 100 < confidence,
                          "tile " + std::to_string(i) + ": the true label's probability, below the answer's: " + truth_text);
        }
        check::expect(confidence <= previous + 1e-9, "tiles in order of falling confidence");
        previous = confidence;
    }
    const XmlElement first_layer = parse_or_fail(read_text(plots / "weights.svg"), "weights.svg");
    check::equal(static_cast<long long>(find_class(first_layer, "g", "unit").size()), 32,
                 "weights.svg: one image per hidden unit (--hidden 32)");

    // A directory that cannot be made is one line and exit 1, before any training.
    const std::filesystem::path file = scratch / "a-file";
    std::ofstream(file) << "not a directory";
    for (const std::string& bad : {file.string(), (file / "below").string(), std::string("/proc/no/such/dir")}) {
        const ProgramRun refused = run_mnist(data + "--epochs 1 --plots '" + bad + "'", scratch);
        check::equal(refused.exit_code, 1, "--plots " + bad + ": exit code");
        check::contains(refused.err, bad, "--plots " + bad + ": the message names it");
        check::equal(static_cast<long long>(std::count(refused.err.begin(), refused.err.end(), '\n')), 1,
                     "--plots " + bad + ": one line");
        check::expect(refused.out.find("Epoch 1") == std::string::npos, "--plots " + bad + ": fails before training");
    }
    const ProgramRun empty = run_mnist("--plots ''", scratch);
    check::equal(empty.exit_code, 2, "--plots '' is a usage error");

    std::filesystem::remove_all(scratch);
    return check::summary("test_plots");
}
