// exercise.h: what the four exercise tests (tests/test_exercise*.cpp) share.
//
// Each exercise test checks ONE function a student writes (docs/assignments.md), and every
// failure message starts with that function's name, so that `make test` says where to look:
//
//     FAIL: relu_backward: gradient check failed on input (4x6, seed 1): largest relative
//           error 1 (expected < 1e-05): zero everywhere: the gradient is never computed
//
// Three rules make the tests hard to pass without doing the work, and fair to each exercise:
//
//   - Every check runs in a child process of its own (isolated() below). A function that
//     crashes or loops takes down only that check, and the message names the function:
//         FAIL: dense_backward: crashed (SIGSEGV, invalid memory access) during the worked example
//     An exercise's checks call only that exercise's functions (check_layers(..., only)), so a
//     crash or a mistake in exercise 1 cannot fail exercise 2.
//   - A backward pass ASSIGNS its outputs (layers.h). expect_assigns() calls the function on
//     outputs that hold garbage (7s, NaNs, another shape) and then a second time, and requires
//     the same result as a call on empty outputs: a `+=` into the output, or a bias gradient
//     never set back to 0, passes a check on fresh outputs but fails here.
//   - The gradient checks of `./mnist gradcheck` (src/gradcheck.h) run on 20 random draws
//     instead of one, so that a solution cannot pass by luck.
#pragma once

#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <functional>
#include <set>
#include <string>
#include <vector>

#if !defined(_WIN32)
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include "check.h"
#include "gradcheck.h"

namespace exercise {

constexpr std::uint64_t kSeeds = 20;

// Longest a check may run. The real functions take milliseconds of processor time on these
// sizes (a sanitizer build, tens of them): a check that has used 10 s of it is stuck in a loop.
// Processor time, not the clock, so that a busy machine cannot make a right answer late; the
// clock's limit is only for a check that waits without computing. Once a function has been
// stopped, its further checks in this test are skipped rather than waited for.
constexpr int kCpuSecondsPerCheck = 10;
constexpr int kSecondsPerCheck = 120;

inline std::set<std::string>& stuck_functions() {
    static std::set<std::string> stuck;
    return stuck;
}

// The exit status of a child whose checks ran and at least one failed (having said why).
constexpr int kChecksFailed = 3;

inline std::string describe_signal(int signal) {
    switch (signal) {
        case SIGSEGV: return "SIGSEGV, invalid memory access: an index out of range, an output not resized, or a write through a null pointer?";
        case SIGABRT: return "SIGABRT, aborted: a failed assertion or a corrupted heap (a write past the end of an output?)";
        case SIGFPE: return "SIGFPE, arithmetic error: an integer division by zero?";
        case SIGILL: return "SIGILL, illegal instruction";
#if !defined(_WIN32)
        case SIGBUS: return "SIGBUS, invalid memory access";
        case SIGXFSZ: return "SIGXFSZ, stopped for printing too much";
#endif
        default: return "signal " + std::to_string(signal);
    }
}

// Runs `body` (checks about `function`) in a child process and counts the result as one check
// here: passed if every check in the child passed; failed if one failed (the child printed
// why), crashed, or ran longer than kSecondsPerCheck (then this process says so, naming the
// function and `during`). Without fork() (Windows), the body runs in this process.
inline void isolated(const std::string& function, const std::string& during, const std::function<void()>& body) {
#if defined(_WIN32)
    (void)function, (void)during;
    body();
#else
    if (stuck_functions().count(function) != 0) {
        check::expect(false, function + ": " + during + " skipped: it did not return in an earlier check");
        return;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t child = fork();
    if (child < 0) {
        check::expect(false, function + ": could not start a process to check it (fork: " + std::strerror(errno) + ")");
        return;
    }
    if (child == 0) {
        const rlimit cpu = {kCpuSecondsPerCheck, kCpuSecondsPerCheck + 1};
        setrlimit(RLIMIT_CPU, &cpu);  // past it, SIGXCPU stops the child
        const int failed_before = check::failed;
        body();
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(check::failed > failed_before ? kChecksFailed : 0);
    }
    int status = 0;
    const int polls_per_second = 100;
    for (int poll = 0;; ++poll) {
        const pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0 && errno != EINTR) {
            check::expect(false, function + ": lost the process checking it (waitpid: " + std::strerror(errno) + ")");
            return;
        }
        if (poll >= kSecondsPerCheck * polls_per_second) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            stuck_functions().insert(function);
            check::expect(false, function + ": did not return within " + std::to_string(kSecondsPerCheck) +
                                     " s during " + during + ": an endless loop?");
            return;
        }
        usleep(1000000 / polls_per_second);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        check::expect(true, function + ": " + during);
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == kChecksFailed) {
        ++check::failed;  // the child printed each failure
    } else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGXCPU || WTERMSIG(status) == SIGKILL)) {
        stuck_functions().insert(function);
        check::expect(false, function + ": did not return after " + std::to_string(kCpuSecondsPerCheck) +
                                 " s of computing during " + during + ": an endless loop?");
    } else if (WIFSIGNALED(status)) {
        check::expect(false, function + ": crashed (" + describe_signal(WTERMSIG(status)) + ") during " + during);
    } else {
        check::expect(false, function + ": the process checking it stopped with exit status " +
                                 std::to_string(WEXITSTATUS(status)) + " during " + during +
                                 " (a sanitizer's report above says where)");
    }
#endif
}

// One row of a gradient check as one check, named after the function it is about.
inline void expect_passes(const GradCheckResult& r, const std::string& function, std::uint64_t seed,
                          const std::string& kind = "gradient check") {
    char error[32];
    std::snprintf(error, sizeof error, "%.2g", r.max_relative_error);
    check::expect(r.passed, function + ": " + kind + " failed on " + r.tensor + " (" +
                                std::to_string(r.rows) + "x" + std::to_string(r.cols) +
                                ", seed " + std::to_string(seed) + "): largest relative error " +
                                error + " (expected < 1e-05): " + r.reading);
}

// The layer checks of check_layers() for `layer` alone, for seeds 1..kSeeds, in a child
// process. Only that layer's functions run (check_layers' `only`), so the result does not
// depend on any other exercise. After the first failing seed the others are skipped: one
// message is enough.
inline void layer_checks_pass(const std::string& layer) {
    const std::string function = checked_functions(layer);
    isolated(function, "the gradient checks", [&] {
        for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
            bool all_passed = true;
            for (const GradCheckResult& r : check_layers(BackwardPasses{}, seed, kGradCheckStep, layer)) {
                expect_passes(r, function, seed);
                all_passed = all_passed && r.passed;
            }
            if (!all_passed) return;
        }
    });
}

inline Matrix<double> filled(int rows, int cols, double value) {
    Matrix<double> m(rows, cols);
    for (double& x : m.data) x = value;
    return m;
}

inline std::string number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", x);
    return text;
}

// Is `seen` exactly `reference` (shape and every element; NaN matches NaN)? If not, one FAIL
// line: "<function>: <output> <situation>: <what differs>: <hint>".
inline bool expect_same(const Matrix<double>& seen, const Matrix<double>& reference, const std::string& function,
                        const std::string& output, const std::string& situation, const std::string& hint) {
    const std::string start = function + ": " + output + " " + situation + ": ";
    if (seen.rows != reference.rows || seen.cols != reference.cols) {
        check::expect(false, start + "its shape is " + std::to_string(seen.rows) + "x" + std::to_string(seen.cols) +
                                 " instead of " + std::to_string(reference.rows) + "x" +
                                 std::to_string(reference.cols) + ": give " + output +
                                 " its shape first (reshape), whatever it held");
        return false;
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
        const double a = seen.data[i], b = reference.data[i];
        if (a == b || (std::isnan(a) && std::isnan(b))) continue;
        check::expect(false, start + "element " + std::to_string(i) + " is " + number(a) + " instead of " + number(b) +
                                 " (what a call on an empty " + output + " gives): " + hint);
        return false;
    }
    check::expect(true, start + "same");
    return true;
}

// `call(outputs)` calls the function under test with fixed inputs, writing its outputs into
// outputs[0], outputs[1], ... (named `names`). The results of a call on empty outputs are the
// reference. Then, for outputs that start out holding 7 everywhere, NaN everywhere, or a 2x3
// matrix of 7s, the function is called twice, and each time every output must equal the
// reference exactly: a backward pass assigns its outputs (layers.h), it does not add to them,
// read them, or keep anything from a previous call.
inline void expect_assigns(const std::string& function, const std::vector<std::string>& names,
                           const std::function<void(std::vector<Matrix<double>>&)>& call) {
    std::vector<Matrix<double>> reference(names.size());
    call(reference);
    struct Start {
        const char* said;
        double value;
        bool other_shape;
    };
    const Start starts[] = {{"7 in every element", 7, false},
                            {"NaN in every element", NAN, false},
                            {"a 2x3 matrix of 7s", 7, true}};
    for (const Start& start : starts) {
        std::vector<Matrix<double>> outputs;
        for (const Matrix<double>& r : reference)
            outputs.push_back(start.other_shape ? filled(2, 3, 7) : filled(r.rows, r.cols, start.value));
        for (int call_number = 1; call_number <= 2; ++call_number) {
            call(outputs);
            for (std::size_t i = 0; i < names.size(); ++i) {
                const std::string situation =
                    call_number == 1 ? "when it held " + std::string(start.said) + " before the call"
                                     : "on a second call with the same inputs";
                const std::string hint =
                    call_number == 1 ? "assign every element of " + names[i] +
                                           ", do not add to what it held (+=) or leave it"
                                     : "the result must not depend on the previous call (a sum never set back to 0?)";
                if (!expect_same(outputs[i], reference[i], function, names[i], situation, hint)) return;
            }
        }
    }
}

}  // namespace exercise
