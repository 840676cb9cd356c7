// rmsprop.cpp: the update rule of rmsprop.h, one loop over the elements of a tensor.
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
void rmsprop_update(Matrix<Real>& w, const Matrix<Real>& g, Matrix<Real>& v,
                    const RmsPropSettings& settings) {
    // BEGIN SOLUTION
    const Real lr = static_cast<Real>(settings.learning_rate);
    const Real rho = static_cast<Real>(settings.rho);
    const Real eps = static_cast<Real>(settings.epsilon);
    // Each weight's update depends on nothing but its own w, g and v: one loop over the elements.
    for (std::size_t i = 0; i < w.size(); ++i) {
        v.data[i] = rho * v.data[i] + (1 - rho) * g.data[i] * g.data[i];
        w.data[i] -= lr * g.data[i] / (std::sqrt(v.data[i]) + eps);
    }
    // END SOLUTION
}

// The two element types (see matrix.h): float to train, double for `./mnist trace`.
template void rmsprop_update(Matrix<float>&, const Matrix<float>&, Matrix<float>&,
                             const RmsPropSettings&);
template void rmsprop_update(Matrix<double>&, const Matrix<double>&, Matrix<double>&,
                             const RmsPropSettings&);
