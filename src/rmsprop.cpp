// rmsprop.cpp: the update rule of rmsprop.h, one loop over n elements of a tensor.
// Between BEGIN SOLUTION and END SOLUTION: a classroom exercise (docs/assignments.md).
#include "rmsprop.h"

#include <cmath>

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

template <typename Real>
void rmsprop_update(Real* w, const Real* g, Real* v, std::size_t n, const RmsPropSettings& settings) {
    // BEGIN SOLUTION
    const Real lr = static_cast<Real>(settings.learning_rate);
    const Real rho = static_cast<Real>(settings.rho);
    const Real eps = static_cast<Real>(settings.epsilon);
    for (std::size_t i = 0; i < n; ++i) {
        v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
        w[i] -= lr * g[i] / (std::sqrt(v[i]) + eps);
    }
    // END SOLUTION
}

// The two element types (see matrix.h): float to train, double for `./mnist trace`.
template void rmsprop_update(float*, const float*, float*, std::size_t, const RmsPropSettings&);
template void rmsprop_update(double*, const double*, double*, std::size_t, const RmsPropSettings&);
