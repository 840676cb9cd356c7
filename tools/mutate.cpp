// tools/mutate.cpp: mutation testing, to measure whether the tests would notice a bug.
//
// A test suite that passes says nothing about the bugs it would miss. This tool plants them:
// it reads a list of mutants (tools/mutants.txt), each a small, named edit of one source file
// that makes the kind of mistake a person makes (a wrong operand, a sign, an off-by-one, a
// forgotten reset), applies them one at a time to a scratch copy of the tree, rebuilds, and runs
// the CTest suite. A mutant some test fails on is CAUGHT; one every test passes is a SURVIVOR:
// a bug the suite would let through. The score is caught / (mutants that are real bugs).
//
// Some edits cannot change what the program does (an equivalent mutant: e.g. `>` for `>=` where
// the two sides can never be equal). No test can catch those, so the list marks them with the
// reason (`equivalent:`), they still run (a caught "equivalent" mutant means the reason is
// wrong, and the tool says so) and they are left out of the score.
//
//   tools/mutate                   every mutant of tools/mutants.txt
//   tools/mutate --sample 8        8 of them, chosen by a fixed seed (--seed S): what CI runs
//   tools/mutate NAME...           only the named mutants
//   options: --list FILE, --timeout SECONDS (per test; default 4 x the slowest test's time on
//            the clean tree, plus 10 s), -j N (N scratch trees, one mutant each at a time; default 1),
//            --min-score PERCENT (exit 1 below it; default 97), --check (only check that every
//            mutant's text is found exactly once, build nothing)
//
// How it stays fast. The scratch copy (build/mutate/tree-K) and its CMake build directory
// (build/mutate/build-K) persist between runs; the copy is synced file by file, so only what
// changed is rebuilt. A mutant edits one file, so a rebuild is one object and the links, and
// each test program is relinked only when its turn comes. The tests run one at a time through
// ctest, fast ones first, and the first failure ends the mutant: tests that caught an earlier mutant of the same source file go first, because they
// are the likeliest to catch this one too. A test that runs past its time limit counts as a
// catch (TIMEOUT): a bug that makes the program hang is a bug found.
//
// The list's format, one mutant per block (blank lines and # comments between blocks):
//   mutant: train-accuracy-batch-index          a unique name
//   file: src/train.cpp                         relative to the repository
//   find: d.labels[order[first + i]]            text that must occur exactly once in the file
//   replace: d.labels[first + i]                what it becomes
//   equivalent: why no test can tell           (optional)
// `find+:` and `replace+:` lines continue the previous one after a newline, for a mutant that
// spans lines. A mutant whose text no longer occurs exactly once (the code moved on) is STALE:
// it is reported with the others, and the run fails, so that the list is updated.
//
// Standard library only (C++17), like the rest of the project; it drives cmake and ctest with
// std::system. Exit status: 0 if the score reaches --min-score and no mutant is stale or
// broken (does not compile), 1 otherwise, 2 for a usage error.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <sys/wait.h>  // WIFSIGNALED: what POSIX std::system returns

namespace fs = std::filesystem;

namespace {

struct Mutant {
    std::string name, file, find, replace, equivalent;
    int line = 0;  // where the block starts in the list, for messages
};

enum class Outcome { caught, timeout, survived, stale, broken, not_run };

struct Result {
    Outcome outcome = Outcome::not_run;
    std::string test;     // the test that caught it
    std::string detail;   // its first FAIL line, or why the mutant is stale or broken
    double seconds = 0;   // build plus tests
};

struct Options {
    std::string list = "tools/mutants.txt";
    std::vector<std::string> names;
    int sample = 0;
    std::uint64_t seed = 1;
    int timeout = 0;  // 0: from the clean run
    int jobs = 1;
    double min_score = 97;
    bool check_only = false;
};

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr, "mutate: %s\n", why.c_str());
    std::fprintf(stderr,
                 "usage: tools/mutate [--list FILE] [--sample N] [--seed S] [--timeout SECONDS] [-j N]\n"
                 "                    [--min-score PERCENT] [--check] [NAME...]\n");
    std::exit(2);
}

[[noreturn]] void fail(const std::string& why) {
    std::fprintf(stderr, "mutate: %s\n", why.c_str());
    std::exit(1);
}

int whole_number(const std::string& flag, const std::string& text, int least) {
    try {
        std::size_t used = 0;
        const long v = std::stol(text, &used);
        if (used == text.size() && v >= least && v <= 1000000) return static_cast<int>(v);
    } catch (const std::exception&) {
    }
    usage(flag + " wants a whole number >= " + std::to_string(least) + ", not \"" + text + "\"");
}

Options parse_options(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--list") o.list = value();
        else if (a == "--sample") o.sample = whole_number(a, value(), 1);
        else if (a == "--seed") o.seed = static_cast<std::uint64_t>(whole_number(a, value(), 0));
        else if (a == "--timeout") o.timeout = whole_number(a, value(), 1);
        else if (a == "-j") o.jobs = whole_number(a, value(), 1);
        else if (a == "--min-score") o.min_score = whole_number(a, value(), 0);
        else if (a == "--check") o.check_only = true;
        else if (a == "-h" || a == "--help") usage("mutation testing of the test suite");
        else if (!a.empty() && a[0] == '-') usage("unknown option " + a);
        else o.names.push_back(a);
    }
    return o;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail("cannot read " + path.string());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) fail("cannot write " + path.string());
}

// ---- The list -------------------------------------------------------------------------------

std::vector<Mutant> read_list(const std::string& path) {
    std::ifstream in(path);
    if (!in) fail("cannot read the list of mutants " + path);
    std::vector<Mutant> list;
    std::string line, last_key;
    int number = 0;
    auto problem = [&](const std::string& why) { fail(path + ":" + std::to_string(number) + ": " + why); };
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        const std::size_t colon = line.find(':');
        if (colon == std::string::npos) problem("expected \"key: value\", saw \"" + line + "\"");
        const std::string key = line.substr(0, colon);
        std::string value = line.substr(colon + 1);
        if (!value.empty() && value[0] == ' ') value.erase(0, 1);  // one space after the colon
        if (key == "mutant") {
            if (value.empty()) problem("a mutant needs a name");
            for (const Mutant& m : list)
                if (m.name == value) problem("two mutants are named " + value);
            list.push_back(Mutant{});
            list.back().name = value;
            list.back().line = number;
        } else if (list.empty()) {
            problem("\"" + key + ":\" before the first \"mutant:\"");
        } else if (key == "file") {
            list.back().file = value;
        } else if (key == "find") {
            list.back().find = value;
        } else if (key == "replace") {
            list.back().replace = value;
        } else if (key == "find+" && last_key.rfind("find", 0) == 0) {
            list.back().find += "\n" + value;
        } else if (key == "replace+" && last_key.rfind("replace", 0) == 0) {
            list.back().replace += "\n" + value;
        } else if (key == "equivalent") {
            if (value.empty()) problem("\"equivalent:\" needs the reason");
            list.back().equivalent = value;
        } else {
            problem("unknown key \"" + key + "\"");
        }
        last_key = key;
    }
    for (const Mutant& m : list) {
        if (m.file.empty() || m.find.empty())
            fail(path + ":" + std::to_string(m.line) + ": mutant " + m.name + " needs file: and find:");
        if (m.find == m.replace)
            fail(path + ":" + std::to_string(m.line) + ": mutant " + m.name + " replaces its text by itself");
    }
    return list;
}

// Occurrences of `part` in `text`, counting overlapping ones.
int occurrences(const std::string& text, const std::string& part) {
    int count = 0;
    for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
    return count;
}

// Empty if the mutant applies to the repository's file as it is now, else why not.
std::string staleness(const Mutant& m) {
    if (!fs::is_regular_file(m.file)) return "no file " + m.file;
    const int count = occurrences(read_file(m.file), m.find);
    if (count == 1) return "";
    return count == 0 ? "its text no longer occurs in " + m.file
                      : "its text occurs " + std::to_string(count) + " times in " + m.file;
}

// A deterministic sample of n of the indices [0, count): the first n of a Fisher-Yates
// shuffle driven by splitmix64, in list order. One seed, one sample, on every machine.
std::vector<std::size_t> sample_indices(std::size_t count, std::size_t n, std::uint64_t seed) {
    std::vector<std::size_t> all(count);
    for (std::size_t i = 0; i < count; ++i) all[i] = i;
    std::uint64_t state = seed;
    auto next = [&]() {
        std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    };
    for (std::size_t i = 0; i + 1 < count; ++i) std::swap(all[i], all[i + next() % (count - i)]);
    all.resize(std::min(n, count));
    std::sort(all.begin(), all.end());
    return all;
}

// ---- The scratch tree -----------------------------------------------------------------------

// What a build needs: every top-level entry but the build outputs, .git and the data (which is
// large and never mutated, so the copy links to it).
bool copied(const fs::path& top) {
    const std::string name = top.filename().string();
    return name != "build" && name != ".git" && name != "data" && name != "mnist";
}

// Makes `tree` a copy of the repository's files, writing only files whose content differs and
// removing files the repository no longer has. Files that did not change keep their time
// stamps, so the build directory rebuilds only what changed since the last run.
void sync_tree(const fs::path& tree) {
    fs::create_directories(tree);
    std::set<fs::path> wanted;
    for (const fs::directory_entry& top : fs::directory_iterator(".")) {
        if (!copied(top.path())) continue;
        std::vector<fs::path> files;
        if (top.is_directory()) {
            for (const fs::directory_entry& e : fs::recursive_directory_iterator(top.path()))
                if (e.is_regular_file()) files.push_back(e.path());
        } else if (top.is_regular_file()) {
            files.push_back(top.path());
        }
        for (const fs::path& f : files) {
            const fs::path relative = f.lexically_relative(".");
            const fs::path target = tree / relative;
            wanted.insert(relative);
            const std::string text = read_file(f);
            if (fs::exists(target) && read_file(target) == text) continue;
            fs::create_directories(target.parent_path());
            write_file(target, text);
            fs::permissions(target, fs::status(f).permissions());
        }
    }
    std::vector<fs::path> extra;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(tree))
        if (e.is_regular_file() && !e.is_symlink() && !wanted.count(e.path().lexically_relative(tree)))
            extra.push_back(e.path());
    for (const fs::path& f : extra) fs::remove(f);
    const fs::path data = tree / "data";
    if (!fs::exists(fs::symlink_status(data))) fs::create_directory_symlink(fs::absolute("data"), data);
}

std::string quoted(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// 0 when the command succeeded. std::system ignores Ctrl-C while its child runs, so a child
// killed by it ends the whole run here, rather than looking like a failed test.
int run(const std::string& command) {
    const int status = std::system(command.c_str());
    if (status != 0 && WIFSIGNALED(status) && WTERMSIG(status) == SIGINT) fail("interrupted");
    return status;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Scratch {
    fs::path tree, build, log;
};

// Sets the time limit of every test: CMakeLists.txt gives each test a TIMEOUT property of
// MNIST_TEST_TIMEOUT seconds, and ctest's own --timeout does not override a TIMEOUT property.
// Reconfiguring changes no compile flag, so it rebuilds nothing.
bool configure(const Scratch& s, int timeout) {
    return run("cmake -S " + quoted(s.tree.string()) + " -B " + quoted(s.build.string()) +
               " -DCMAKE_BUILD_TYPE=Release -DMNIST_TEST_TIMEOUT=" + std::to_string(timeout) + " > " +
               quoted(s.log.string()) + " 2>&1") == 0;
}

// An incremental build (configured once, kept between runs) of one target, or of all with
// "all"; silent unless it fails.
bool build(const Scratch& s, const std::string& target = "all") {
    if (!fs::exists(s.build / "CMakeCache.txt") && !configure(s, 1800)) return false;
    const auto build_target = [&](const std::string& name) {
        return run("cmake --build " + quoted(s.build.string()) + " -j 2 --target " + name + " > " +
                   quoted(s.log.string()) + " 2>&1") == 0;
    };
    if (build_target(target)) return true;
    // A test that is no program of its own (page_setup, page_node, page_browser run Node.js on
    // ./mnist's output) has no target of its name: build ./mnist, which it runs, instead. Any
    // other failure is a mutant that does not compile.
    const std::string log = read_file(s.log);
    const bool no_such_target = log.find("No rule to make target") != std::string::npos ||
                                log.find("unknown target") != std::string::npos;
    return no_such_target && target != "all" && build_target("mnist");
}

std::vector<std::string> test_names(const Scratch& s) {
    const fs::path listing = s.build / "mutate-tests.txt";
    run("ctest --test-dir " + quoted(s.build.string()) + " -N > " + quoted(listing.string()) + " 2>&1");
    std::vector<std::string> names;
    std::istringstream in(read_file(listing));
    std::string line;
    while (std::getline(in, line)) {
        // "  Test  #7: test_layers" (ctest pads the number to the width of the largest).
        const std::size_t at = line.find("Test ");
        const std::size_t hash = line.find('#');
        if (at == std::string::npos || hash == std::string::npos || hash < at) continue;
        const std::size_t colon = line.find(": ", hash);
        if (colon != std::string::npos) names.push_back(line.substr(colon + 2));
    }
    return names;
}

enum class TestRun { passed, failed, timed_out };

// One test through ctest (within the limit configure() set); its output goes to the log.
TestRun run_test(const Scratch& s, const std::string& name) {
    const std::string command = "ctest --test-dir " + quoted(s.build.string()) + " -R " + quoted("^" + name + "$") +
                                " --output-on-failure > " + quoted(s.log.string()) + " 2>&1";
    if (run(command) == 0) return TestRun::passed;
    return read_file(s.log).find("Timeout") != std::string::npos ? TestRun::timed_out : TestRun::failed;
}

// The first line of the last test's output that says what failed.
std::string failure_line(const Scratch& s) {
    std::istringstream in(read_file(s.log));
    std::string line, fallback;
    while (std::getline(in, line)) {
        if (line.find("FAIL") != std::string::npos || line.find("rror") != std::string::npos ||
            line.find("Assert") != std::string::npos || line.find("Sanitizer") != std::string::npos) {
            if (line.size() > 160) line = line.substr(0, 157) + "...";
            return line;
        }
        if (fallback.empty() && line.find("***") != std::string::npos) fallback = line;
    }
    return fallback;
}

// ---- The run --------------------------------------------------------------------------------

struct Suite {
    std::vector<std::string> tests;     // fastest first, on the clean tree
    int limit = 0;                      // seconds, for any test
    std::mutex mutex;                   // guards `killers`
    std::map<std::string, std::map<std::string, int>> killers;  // file -> test -> catches

    // The order for a mutant of `file`: the tests that caught its earlier mutants, most
    // catches first, then the rest, fastest first.
    std::vector<std::string> order_for(const std::string& file) {
        std::lock_guard<std::mutex> lock(mutex);
        std::vector<std::string> order = tests;
        const std::map<std::string, int>& k = killers[file];
        std::stable_sort(order.begin(), order.end(), [&](const std::string& a, const std::string& b) {
            const int ka = k.count(a) ? k.at(a) : 0, kb = k.count(b) ? k.at(b) : 0;
            return ka > kb;
        });
        return order;
    }
    void caught_by(const std::string& file, const std::string& test) {
        std::lock_guard<std::mutex> lock(mutex);
        ++killers[file][test];
    }
};

Result try_mutant(const Mutant& m, const Scratch& s, Suite& suite) {
    const auto start = std::chrono::steady_clock::now();
    Result r;
    const fs::path target = s.tree / m.file;
    const std::string original = read_file(target);
    const std::size_t at = original.find(m.find);
    std::string mutated = original;
    mutated.replace(at, m.find.size(), m.replace);
    write_file(target, mutated);
    // Each test is built just before it runs: a mutant the first test catches costs one
    // compile and the links of that test and ./mnist (which the tests run), not of all 30
    // programs.
    r.outcome = Outcome::survived;
    for (const std::string& test : suite.order_for(m.file)) {
        if (!build(s, test)) {
            r.outcome = Outcome::broken;
            r.detail = "does not compile";
            break;
        }
        const TestRun t = run_test(s, test);
        if (t == TestRun::passed) continue;
        r.outcome = t == TestRun::timed_out ? Outcome::timeout : Outcome::caught;
        r.test = test;
        r.detail = t == TestRun::timed_out ? "ran past " + std::to_string(suite.limit) + " s" : failure_line(s);
        suite.caught_by(m.file, test);
        break;
    }
    // The original text again. Its new time stamp makes the next build recompile this file,
    // which the next mutant's build does anyway.
    write_file(target, original);
    r.seconds = seconds_since(start);
    return r;
}

const char* outcome_text(Outcome o) {
    switch (o) {
        case Outcome::caught: return "caught";
        case Outcome::timeout: return "TIMEOUT (caught)";
        case Outcome::survived: return "SURVIVED";
        case Outcome::stale: return "STALE";
        case Outcome::broken: return "BROKEN";
        case Outcome::not_run: return "not run";
    }
    return "?";
}

// The clean tree must build and pass every test, or every mutant would look caught. Its times
// order the tests and set the limit: 4 times the slowest test, plus 10 s for a busy machine.
void clean_run(const Scratch& s, Suite& suite, int timeout) {
    if (!configure(s, 1800) || !build(s)) fail("the unmutated tree does not build; see " + s.log.string());
    std::vector<std::pair<double, std::string>> timed;
    for (const std::string& test : test_names(s)) {
        const auto start = std::chrono::steady_clock::now();
        if (run_test(s, test) != TestRun::passed)
            fail("on the unmutated tree, " + test + " fails already; see " + s.log.string());
        timed.push_back({seconds_since(start), test});
    }
    if (timed.empty()) fail("ctest found no test in " + s.build.string());
    std::sort(timed.begin(), timed.end());
    for (const auto& [seconds, test] : timed) suite.tests.push_back(test);
    suite.limit = timeout > 0 ? timeout : static_cast<int>(4 * timed.back().first) + 10;
}

void print_table(const std::vector<Mutant>& list, const std::vector<std::size_t>& chosen,
                 const std::vector<Result>& results) {
    std::size_t width = 6;
    for (std::size_t i : chosen) width = std::max(width, list[i].name.size());
    std::printf("\n%-*s  %-22s  %-17s  %s\n", static_cast<int>(width), "mutant", "file", "result", "caught by");
    for (std::size_t i : chosen) {
        const Mutant& m = list[i];
        const Result& r = results[i];
        std::string result = outcome_text(r.outcome);
        std::string by = r.test.empty() ? r.detail : r.test;
        if (!m.equivalent.empty()) {
            if (r.outcome == Outcome::survived) result = "equivalent";
            else if (r.outcome == Outcome::caught || r.outcome == Outcome::timeout)
                by += "  (marked equivalent, but a test tells it apart: fix the mark)";
        }
        std::printf("%-*s  %-22s  %-17s  %s\n", static_cast<int>(width), m.name.c_str(), m.file.c_str(),
                    result.c_str(), by.c_str());
    }
}

}  // namespace

int main(int argc, char** argv) {
    const Options options = parse_options(argc, argv);
    // Everything is relative to the repository: the directory above this tool's tools/.
    if (!fs::exists("CMakeLists.txt") || !fs::exists("src")) fail("run me from the repository (tools/mutate does)");
    const std::vector<Mutant> list = read_list(options.list);

    std::vector<std::size_t> chosen;
    if (!options.names.empty()) {
        for (const std::string& name : options.names) {
            auto it = std::find_if(list.begin(), list.end(), [&](const Mutant& m) { return m.name == name; });
            if (it == list.end()) usage("no mutant named " + name + " in " + options.list);
            chosen.push_back(static_cast<std::size_t>(it - list.begin()));
        }
    } else if (options.sample > 0) {
        // Only real bugs are sampled: an equivalent mutant would cost a run and count for nothing.
        std::vector<std::size_t> real;
        for (std::size_t i = 0; i < list.size(); ++i)
            if (list[i].equivalent.empty()) real.push_back(i);
        for (std::size_t k : sample_indices(real.size(), static_cast<std::size_t>(options.sample), options.seed))
            chosen.push_back(real[k]);
    } else {
        for (std::size_t i = 0; i < list.size(); ++i) chosen.push_back(i);
    }

    std::vector<Result> results(list.size());
    std::vector<std::size_t> runnable;
    int stale = 0;
    for (std::size_t i : chosen) {
        const std::string why = staleness(list[i]);
        if (why.empty()) {
            runnable.push_back(i);
        } else {
            results[i].outcome = Outcome::stale;
            results[i].detail = why;
            ++stale;
            std::printf("STALE %s (%s:%d): %s\n", list[i].name.c_str(), options.list.c_str(), list[i].line, why.c_str());
        }
    }
    if (options.check_only) {
        std::printf("%zu mutants, %d stale\n", chosen.size(), stale);
        return stale == 0 ? 0 : 1;
    }

    const auto start = std::chrono::steady_clock::now();
    const int jobs = std::max(1, std::min<int>(options.jobs, static_cast<int>(runnable.size())));
    std::vector<Scratch> scratch(jobs);
    for (int k = 0; k < jobs; ++k) {
        scratch[k].tree = fs::absolute("build/mutate/tree-" + std::to_string(k));
        scratch[k].build = fs::absolute("build/mutate/build-" + std::to_string(k));
        scratch[k].log = fs::absolute("build/mutate/log-" + std::to_string(k) + ".txt");
        sync_tree(scratch[k].tree);
    }
    Suite suite;
    std::printf("building the scratch copy and timing the tests on it (build/mutate/)...\n");
    std::fflush(stdout);
    clean_run(scratch[0], suite, options.timeout);
    if (!configure(scratch[0], suite.limit)) fail("cmake failed; see " + scratch[0].log.string());
    std::printf("clean tree: %zu tests pass (%.0f s); %zu mutants to run\n", suite.tests.size(),
                seconds_since(start), runnable.size());
    std::fflush(stdout);

    std::atomic<std::size_t> next{0};
    std::mutex print;
    std::size_t done = 0;
    auto worker = [&](int k) {
        // The other copies build while the first already runs mutants (the first was built and
        // tested by clean_run), and join in once built.
        if (k > 0 && (!configure(scratch[k], suite.limit) || !build(scratch[k]))) {
            std::lock_guard<std::mutex> lock(print);
            std::printf("scratch copy %d does not build (see %s); its share goes to the others\n", k,
                        scratch[k].log.string().c_str());
            return;
        }
        for (std::size_t j = next++; j < runnable.size(); j = next++) {
            const std::size_t i = runnable[j];
            results[i] = try_mutant(list[i], scratch[k], suite);
            std::lock_guard<std::mutex> lock(print);
            ++done;
            std::printf("[%zu/%zu] %-40s %-17s %s (%.0f s)\n", done, runnable.size(), list[i].name.c_str(),
                        outcome_text(results[i].outcome), results[i].test.c_str(), results[i].seconds);
            std::fflush(stdout);
        }
    };
    std::vector<std::thread> threads;
    for (int k = 1; k < jobs; ++k) threads.emplace_back(worker, k);
    worker(0);
    for (std::thread& t : threads) t.join();

    print_table(list, chosen, results);
    int caught = 0, survived = 0, equivalent = 0, broken = 0, wrong_marks = 0;
    for (std::size_t i : runnable) {
        const bool found = results[i].outcome == Outcome::caught || results[i].outcome == Outcome::timeout;
        if (results[i].outcome == Outcome::broken) ++broken;
        else if (!list[i].equivalent.empty()) {
            ++equivalent;
            if (found) ++wrong_marks;
        } else if (found) ++caught;
        else ++survived;
    }
    const int real = caught + survived;
    const double score = real > 0 ? 100.0 * caught / real : 100.0;
    std::printf("\nscore: %d caught of %d (%.1f%%); %d equivalent (not counted), %d stale, %d broken; %.0f s\n",
                caught, real, score, equivalent, stale, broken, seconds_since(start));
    for (std::size_t i : runnable)
        if (results[i].outcome == Outcome::survived && list[i].equivalent.empty())
            std::printf("survivor: %s (%s): %s  ->  %s\n", list[i].name.c_str(), list[i].file.c_str(),
                        list[i].find.c_str(), list[i].replace.c_str());
    for (std::size_t i : runnable)
        if (!list[i].equivalent.empty() && results[i].outcome == Outcome::survived)
            std::printf("equivalent: %s: %s\n", list[i].name.c_str(), list[i].equivalent.c_str());
    if (stale > 0) std::printf("stale mutants: update their text in %s\n", options.list.c_str());
    if (broken > 0) std::printf("broken mutants (they do not compile): fix them in %s\n", options.list.c_str());
    if (wrong_marks > 0) std::printf("mutants marked equivalent that a test catches: %d\n", wrong_marks);
    const bool ok = score >= options.min_score && stale == 0 && broken == 0 && wrong_marks == 0;
    return ok ? 0 : 1;
}
