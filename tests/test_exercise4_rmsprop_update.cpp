// test_exercise4_rmsprop_update: exercise 4 of docs/assignments.md, rmsprop_update (rmsprop.cpp).
//
// Depends on nothing else a student writes. The reference is the rule of rmsprop.h written out
// a second time in double (check_rmsprop() in gradcheck.cpp), on gradients from 1e-6 to 10, so
// that a misplaced epsilon fails too. tests/test_rmsprop.cpp has two steps worked out by hand.
#include "exercise.h"

int main() {
    for (std::uint64_t seed = 1; seed <= exercise::kSeeds; ++seed) {
        bool all_passed = true;
        for (const GradCheckResult& r : check_rmsprop(rmsprop_update<float>, seed)) {
            exercise::expect_passes(r, "rmsprop_update", seed, "check against the rule");
            all_passed = all_passed && r.passed;
        }
        if (!all_passed) break;
    }
    return check::summary("test_exercise4_rmsprop_update");
}
