// check.h: the whole test framework of this project, in one small header.
//
// Every test under tests/ is a plain program. It calls the functions below, which print one
// line per failed check (saying what was expected and what was seen), and it ends with
// `return check::summary("name");`, which prints "N passed, M failed" and returns the exit
// code CTest reads: 0 only if every check passed. A test that runs no check at all fails too,
// so a test can never pass by accident.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace check {

inline int passed = 0;
inline int failed = 0;

// The one primitive: record a result, and say why when it is a failure.
inline void expect(bool ok, const std::string& what) {
    if (ok) {
        ++passed;
    } else {
        ++failed;
        std::fprintf(stderr, "FAIL: %s\n", what.c_str());
    }
}

inline void equal(long long seen, long long expected, const std::string& what) {
    expect(seen == expected, what + ": expected " + std::to_string(expected) + ", saw " +
                                 std::to_string(seen));
}

inline void equal(const std::string& seen, const std::string& expected, const std::string& what) {
    expect(seen == expected, what + ": expected \"" + expected + "\", saw \"" + seen + "\"");
}

// |seen - expected| <= tol. NaN never passes (every comparison with NaN is false).
inline void near(double seen, double expected, double tol, const std::string& what) {
    char buf[160];
    std::snprintf(buf, sizeof buf, ": expected %.9g (+/- %.3g), saw %.9g", expected, tol, seen);
    expect(std::fabs(seen - expected) <= tol, what + buf);
}

inline void contains(const std::string& text, const std::string& part, const std::string& what) {
    expect(text.find(part) != std::string::npos,
           what + ": expected the text to contain \"" + part + "\", saw \"" + text + "\"");
}

// Prints the closing line CTest logs and returns the process exit code.
inline int summary(const char* test_name) {
    if (passed + failed == 0) {
        std::fprintf(stderr, "%s: ran no check\n", test_name);
        return 1;
    }
    std::printf("%s: %d passed, %d failed\n", test_name, passed, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace check
