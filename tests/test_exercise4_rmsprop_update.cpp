// test_exercise4_rmsprop_update: exercise 4 of docs/assignments.md, rmsprop_update (rmsprop.cpp).
//
// Depends on nothing else a student writes. The reference is the rule of rmsprop.h written out
// a second time in double (check_rmsprop() in gradcheck.cpp), on gradients from 1e-6 to 10, so
// that a misplaced epsilon fails too. tests/test_rmsprop.cpp has two steps worked out by hand.
// Each part runs in a process of its own (exercise.h), so a crash names the function.
#include "exercise.h"

namespace {

void follows_the_rule() {
    for (std::uint64_t seed = 1; seed <= exercise::kSeeds; ++seed) {
        bool all_passed = true;
        for (const GradCheckResult& r : check_rmsprop(rmsprop_update<float>, seed)) {
            exercise::expect_passes(r, "rmsprop_update", seed, "check against the rule");
            all_passed = all_passed && r.passed;
        }
        if (!all_passed) return;
    }
}

// The update is a function of (w, g, v) alone: the same call on the same values twice gives the
// same w and v (nothing kept between calls), and g is not changed.
void same_call_same_result() {
    const RmsPropSettings settings;
    Rng rng(14);
    Matrix<float> g(3, 4), w(3, 4), v(3, 4);
    for (std::size_t i = 0; i < g.size(); ++i) {
        g.data[i] = static_cast<float>(rng.uniform() - 0.5);
        w.data[i] = static_cast<float>(rng.uniform() - 0.5);
        v.data[i] = static_cast<float>(rng.uniform() * 0.01);
    }
    const Matrix<float> g_before = g;
    Matrix<float> w1 = w, v1 = v, w2 = w, v2 = v;
    rmsprop_update(w1, g, v1, settings);
    rmsprop_update(w2, g, v2, settings);
    bool same = true;
    for (std::size_t i = 0; i < g.size(); ++i)
        same = same && w1.data[i] == w2.data[i] && v1.data[i] == v2.data[i];
    check::expect(same, "rmsprop_update: two calls on the same w, g and v gave different results: "
                        "the update must depend on nothing kept from a previous call");
    check::expect(g.data == g_before.data, "rmsprop_update: changed the gradient g, which it only reads");
}

}  // namespace

int main() {
    exercise::isolated("rmsprop_update", "the check against the rule", follows_the_rule);
    exercise::isolated("rmsprop_update", "two identical calls", same_call_same_result);
    return check::summary("test_exercise4_rmsprop_update");
}
