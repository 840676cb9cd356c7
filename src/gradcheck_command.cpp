// gradcheck_command.cpp: the arguments and the table of `./mnist gradcheck`.
#include "gradcheck_command.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "errors.h"
#include "gradcheck_bugs.h"
#include "terminal.h"

namespace {

// The seeds of the three kinds of check. Any seed passes (tests/test_gradcheck.cpp tries 50);
// fixing them makes the table the same on every run, so it can be quoted and compared.
constexpr std::uint64_t kLayerSeed = 1, kNetworkSeed = 2, kOptimizerSeed = 3;

struct GradcheckOptions {
    bool help = false;
    bool list_bugs = false;
    std::string bug;             // empty: the real code
    double step = kGradCheckStep;  // h
};

// --step: a plain decimal or scientific number in (0, 0.1], nothing before or after it.
double parse_step(const std::string& value) {
    char* end = nullptr;
    errno = 0;
    const double h = value.empty() ? 0 : std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || errno == ERANGE || !(h > 0 && h <= 0.1) ||
        value.find_first_of(" \t") != std::string::npos || value.find("0x") != std::string::npos ||
        value.find("0X") != std::string::npos)
        throw UsageError("gradcheck --step: expected a number above 0 and at most 0.1, such as 1e-5, got '" +
                         value + "'");
    return h;
}

// The value of an option given as "--name VALUE" or "--name=VALUE"; i moves past what it used.
std::string option_value(const std::string& name, int argc, char** argv, int& i) {
    const std::string arg = argv[i];
    if (arg.size() > name.size()) return arg.substr(name.size() + 1);
    if (i + 1 >= argc) throw UsageError("gradcheck " + name + ": missing value");
    return argv[++i];
}

GradcheckOptions parse_gradcheck_arguments(int argc, char** argv) {
    GradcheckOptions o;
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            o.help = true;
        } else if (arg == "--list-bugs") {
            o.list_bugs = true;
        } else if (arg == "--step" || arg.rfind("--step=", 0) == 0) {
            o.step = parse_step(option_value("--step", argc, argv, i));
        } else if (arg == "--bug" || arg.rfind("--bug=", 0) == 0) {
            if (arg == "--bug" && i + 1 >= argc)
                throw UsageError("gradcheck --bug: missing value (./mnist gradcheck --list-bugs names them)");
            o.bug = option_value("--bug", argc, argv, i);
            if (find_planted_bug(o.bug) == nullptr)
                throw UsageError("gradcheck --bug: no bug named '" + o.bug +
                                 "' (./mnist gradcheck --list-bugs names them)");
        } else {
            throw UsageError("gradcheck: unknown argument '" + arg + "'");
        }
    }
    if (o.list_bugs && !o.bug.empty()) throw UsageError("gradcheck: --list-bugs and --bug do not go together");
    return o;
}

std::string gradcheck_usage() {
    std::string text =
        "usage: ./mnist gradcheck [--bug NAME | --list-bugs] [--step H]\n"
        "\n"
        "Checks every backward pass (dropout and L2 included) against centred differences in\n"
        "double precision, and the RMSProp update against its rule; prints a table and exits 0\n"
        "only if all pass.\n"
        "\n"
        "  --bug NAME    run the checks on a variant with one planted mistake (they must fail)\n"
        "  --list-bugs   print the names --bug takes, one per line\n"
        "  --step H      the step h of the centred differences (default 1e-05); try 1e-2 or\n"
        "                1e-9 to see why 1e-5 was chosen\n"
        "\n"
        "planted bugs:\n";
    for (const PlantedBug& bug : planted_bugs()) {
        char line[200];
        std::snprintf(line, sizeof line, "  %-20s %s: %s\n", bug.name.c_str(), bug.where.c_str(),
                      bug.mistake.c_str());
        text += line;
    }
    return text + "\nSee docs/06-gradient-checking.md.\n";
}

void print_table(const std::vector<GradCheckResult>& results, bool colour) {
    std::printf("%-22s %-13s %-6s %-10s %-6s %s\n", "layer", "tensor", "shape", "rel. error",
                "result", "reading");
    for (const GradCheckResult& r : results) {
        const std::string shape = std::to_string(r.rows) + "x" + std::to_string(r.cols);
        const char* result = r.passed ? "pass" : "FAIL";
        // The result cell is padded before colouring, so the escape codes do not shift columns.
        char cell[16];
        std::snprintf(cell, sizeof cell, "%-6s", result);
        const std::string shown = colour ? std::string(r.passed ? "\x1b[32m" : "\x1b[1;31m") + cell + "\x1b[0m"
                                         : std::string(cell);
        std::printf("%-22s %-13s %-6s %-10.1e %s %s\n", r.layer.c_str(), r.tensor.c_str(),
                    shape.c_str(), r.max_relative_error, shown.c_str(), r.reading.c_str());
    }
}

}  // namespace

int gradcheck_command(int argc, char** argv) {
    const GradcheckOptions o = parse_gradcheck_arguments(argc, argv);
    if (o.help) {
        std::printf("%s", gradcheck_usage().c_str());
        return 0;
    }
    if (o.list_bugs) {
        for (const PlantedBug& bug : planted_bugs()) std::printf("%s\n", bug.name.c_str());
        return 0;
    }

    const PlantedBug* bug = o.bug.empty() ? nullptr : find_planted_bug(o.bug);
    const BackwardPasses passes = bug ? bug->passes : BackwardPasses{};
    // (the cast picks rmsprop_update's whole-tensor overload, the form RmsPropUpdate names)
    const RmsPropUpdate update = bug ? bug->update : RmsPropUpdate(rmsprop_update<float>);

    std::printf("Gradient check: each backward pass against centred differences, in double precision\n"
                "  numeric dL/dw = (L(w + h) - L(w - h)) / 2h, h = %g\n"
                "  relative error = |analytic - numeric| / max(|analytic|, |numeric|, %g); pass below %g\n",
                o.step, kGradCheckFloor, kGradCheckTolerance);
    if (bug)
        std::printf("Planted bug '%s' in the %s: %s\n", bug->name.c_str(), bug->where.c_str(),
                    bug->mistake.c_str());
    std::printf("\n");

    std::vector<GradCheckResult> results = check_layers(passes, kLayerSeed, o.step);
    // The whole-network check runs network.cpp's forward() and backward(), which call the real
    // layers directly: it checks how they are wired together, and has no broken variant.
    if (!bug) {
        for (const GradCheckResult& r : check_network(kNetworkSeed, o.step)) results.push_back(r);
        for (const GradCheckResult& r : check_network_regularized(kNetworkSeed, o.step)) results.push_back(r);
    }
    for (const GradCheckResult& r : check_rmsprop(update, kOptimizerSeed)) results.push_back(r);

    print_table(results, use_colour(stdout));

    int failed = 0;
    for (const GradCheckResult& r : results)
        if (!r.passed) ++failed;
    const int total = static_cast<int>(results.size());
    std::printf("\n");
    if (bug)
        std::printf("(The whole-network check uses the real layers only, so it is left out here.)\n");
    if (failed == 0)
        std::printf("All %d checks passed.\n", total);
    else
        std::printf("%d of %d checks FAILED.%s\n", failed, total,
                    bug ? " The planted bug was caught." : "");
    // Without a planted bug, a failure is in the code itself: say which function to look at,
    // once per function (a layer has up to three rows).
    std::vector<std::string> named;
    for (const GradCheckResult& r : results) {
        const std::string functions = checked_functions(r.layer);
        if (bug || r.passed || std::find(named.begin(), named.end(), functions) != named.end()) continue;
        named.push_back(functions);
        std::printf("  %s: FAILED: look at %s\n", r.layer.c_str(), functions.c_str());
    }
    return failed == 0 ? 0 : 1;
}
