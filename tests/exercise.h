// exercise.h: what the four exercise tests (tests/test_exercise*.cpp) share.
//
// Each exercise test checks ONE function a student writes (docs/assignments.md), and every
// failure message starts with that function's name, so that `make test` says where to look:
//
//     FAIL: relu_backward: gradient check failed on input (4x6): largest relative error 1
//           (expected < 1e-05): zero everywhere: the gradient is never computed
//
// The gradient checks are the ones of `./mnist gradcheck` (src/gradcheck.h), run on 20 random
// draws instead of one, so that a solution cannot pass by luck.
#pragma once

#include <cstdio>
#include <string>

#include "check.h"
#include "gradcheck.h"

namespace exercise {

constexpr std::uint64_t kSeeds = 20;

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

// The layer checks of check_layers() whose layer is `layer`, for seeds 1..kSeeds. Each row
// uses only that layer's forward and backward functions, so the result does not depend on any
// other exercise. After the first failing seed the others are skipped: one message is enough.
inline void layer_checks_pass(const std::string& layer) {
    const std::string function = checked_functions(layer);
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
        bool all_passed = true;
        for (const GradCheckResult& r : check_layers(BackwardPasses{}, seed)) {
            if (r.layer != layer) continue;
            expect_passes(r, function, seed);
            all_passed = all_passed && r.passed;
        }
        if (!all_passed) return;
    }
}

}  // namespace exercise
