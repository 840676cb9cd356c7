// test_page: the C++ side of the web page (page.h): base64, what goes into the page and what
// must never, and `./mnist page` and `predict --exact` as a user runs them. The page's script
// itself is checked against ./mnist predict by tests/page/ (Node.js and Chromium).
#include <algorithm>
#include <regex>

#include "check.h"
#include "errors.h"
#include "model_file.h"
#include "page.h"
#include "pgm.h"
#include "process.h"

namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

// The model block of a page, line breaks removed: the base64 text the script decodes.
std::string model_block(const std::string& html) {
    const std::string open = "<script type=\"application/octet-stream\" id=\"model-file\">";
    const std::size_t start = html.find(open);
    if (start == std::string::npos) return "(no model block)";
    const std::size_t end = html.find("</script>", start);
    std::string text = html.substr(start + open.size(), end - start - open.size());
    text.erase(std::remove(text.begin(), text.end(), '\n'), text.end());
    return text;
}

long long count_of(const std::string& text, const std::string& part) {
    long long n = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
}

void expect_failure(const ProgramRun& run, int code, const std::string& part, const std::string& what) {
    check::equal(run.exit_code, code, what + ": exit code");
    check::contains(run.err, part, what + ": message");
    check::equal(static_cast<long long>(std::count(run.err.begin(), run.err.end(), '\n')), 1, what + ": one line");
}

}  // namespace

int main() {
    // RFC 4648's test vectors, section 10, and the two padding cases with high bits.
    check::equal(base64(bytes_of("")), "", "base64 of nothing");
    check::equal(base64(bytes_of("f")), "Zg==", "base64 of 'f'");
    check::equal(base64(bytes_of("fo")), "Zm8=", "base64 of 'fo'");
    check::equal(base64(bytes_of("foo")), "Zm9v", "base64 of 'foo'");
    check::equal(base64(bytes_of("foob")), "Zm9vYg==", "base64 of 'foob'");
    check::equal(base64(bytes_of("foobar")), "Zm9vYmFy", "base64 of 'foobar'");
    check::equal(base64({0xFF, 0xFE, 0xFD}), "//79", "base64 of FF FE FD (the last two letters)");

    // A small network: its page holds its model file, byte for byte.
    Rng rng(7);
    const Network<float> net = make_network<float>({784, 5, 10}, rng);
    PageContent content;
    content.caption = "R&D <digits>";
    content.digits.push_back({42, 7, "read as 1", std::vector<std::uint8_t>(784, 200)});
    const std::string html = page_html(net, content, "test");
    check::equal(model_block(html), base64(encode_model(net)), "the page holds the model file in base64");
    check::equal(count_of(html, "{{"), 0, "every slot of the template is filled");
    check::contains(html, "R&amp;D &lt;digits&gt;", "the caption is escaped");
    check::expect(html.find("R&D <digits>") == std::string::npos, "the caption never appears unescaped");
    check::contains(html, "data-pixels=\"" + base64(std::vector<std::uint8_t>(784, 200)) + "\"", "a test digit's pixels");
    check::contains(html, "data-index=\"42\" data-label=\"7\"", "a test digit's index and label");

    // Self-contained, and it says so to the browser: nothing to fetch, no eval.
    check::contains(html, "content=\"default-src 'none'; script-src 'unsafe-inline';", "the Content-Security-Policy");
    check::expect(html.find("unsafe-eval") == std::string::npos, "the policy does not allow eval");
    for (const char* reference : {"http://", "https://", "src=", "@import", "url(", "<link", "fetch(", "eval(", "new Function"})
        check::equal(count_of(html, reference), 0, std::string("no '") + reference + "' in a page without pictures");
    check::contains(html, "// ==== numerics: begin ====", "the script's numerics section is marked (tests/page reads it)");
    check::contains(html, "// ==== numerics: end ====", "and its end too");

    // A network that does not read 28x28 images has no page.
    const Network<float> wrong = make_network<float>({100, 10}, rng);
    bool refused = false;
    try {
        page_html(wrong, content, "wrong.bin");
    } catch (const DataError& e) {
        refused = std::string(e.what()).find("wrong.bin: the model takes 100 inputs") == 0;
    }
    check::expect(refused, "a 100-input model is refused with a message naming it");

    // ./mnist page, as a user runs it.
    const std::filesystem::path scratch = make_scratch_dir("mnist-test-page");
    const std::string model = (scratch / "model.bin").string(), page = (scratch / "page.html").string();
    save_model(model, net);
    const ProgramRun written = run_mnist("page '" + model + "' '" + page + "'", scratch);
    check::equal(written.exit_code, 0, "./mnist page (stderr: " + written.err + ")");
    check::contains(written.out, "Wrote " + page + " (", "it says what it wrote");
    const std::string file = read_text(page);
    check::equal(model_block(file), base64(encode_model(net)), "the written page holds the model file");
    check::contains(written.out, std::to_string(file.size()) + " bytes", "and its size");

    expect_failure(run_mnist("page '" + model + "'", scratch), 2, "page: expected MODEL OUT.html", "one argument");
    expect_failure(run_mnist("page '" + model + "' '" + page + "' --big", scratch), 2, "page: unknown option '--big'", "an option");
    expect_failure(run_mnist("page '" + (scratch / "none.bin").string() + "' '" + page + "'", scratch), 1, "none.bin: no such file",
                   "a missing model");
    expect_failure(run_mnist("page '" + model + "' '" + model + "'", scratch), 2, "the same file", "the model as the page");
    check::equal(read_text(model).size(), encode_model(net).size(), "and the model is still there");
    expect_failure(run_mnist("page '" + model + "' '" + (scratch / "no" / "page.html").string() + "'", scratch), 1,
                   "cannot be written", "a page in a missing directory");
    expect_failure(run_mnist("page '" + page + "' '" + (scratch / "p.html").string() + "'", scratch), 1,
                   "is not a model file", "a page given as the model");

    // predict --exact: nine significant digits that agree with the four printed.
    PgmImage image;
    image.width = image.height = 28;
    image.maxval = 255;
    image.pixels.assign(784, 0);
    for (int r = 4; r < 24; ++r) image.pixels[r * 28 + 14] = 255;  // a "1"
    write_pgm((scratch / "one.pgm").string(), image, "");
    const ProgramRun exact = run_mnist("predict '" + model + "' '" + (scratch / "one.pgm").string() + "' --exact", scratch);
    check::equal(exact.exit_code, 0, "predict --exact (stderr: " + exact.err + ")");
    const std::size_t start = exact.out.find("Exact probabilities (float32, 9 significant digits):\n");
    check::expect(start != std::string::npos, "predict --exact prints the exact probabilities");
    const std::regex printed_line("\n  ([0-9])  ([0-9.e+-]+) "), exact_line("\n  ([0-9])  ([0-9.e+-]+)(?=\n)");
    std::vector<double> printed, precise;
    const std::string scores = exact.out.substr(0, start), tail = exact.out.substr(start);
    for (std::sregex_iterator m(scores.begin(), scores.end(), printed_line), end; m != end; ++m) printed.push_back(std::stod((*m)[2]));
    for (std::sregex_iterator m(tail.begin(), tail.end(), exact_line), end; m != end; ++m) precise.push_back(std::stod((*m)[2]));
    check::equal(static_cast<long long>(precise.size()), 10, "ten exact probabilities");
    check::equal(static_cast<long long>(printed.size()), 10, "ten printed ones");
    double total = 0;
    for (std::size_t k = 0; k < precise.size() && k < printed.size(); ++k) {
        check::near(precise[k], printed[k], printed[k] >= 1e-4 ? 0.5e-4 : 0.05 * printed[k], "class " + std::to_string(k));
        total += precise[k];
    }
    check::near(total, 1.0, 1e-6, "the exact probabilities add up to 1");

    std::filesystem::remove_all(scratch);
    return check::summary("test_page");
}
