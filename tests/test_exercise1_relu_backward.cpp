// test_exercise1_relu_backward: exercise 1 of docs/assignments.md, relu_backward (layers.cpp).
//
// Depends on nothing else a student writes: relu_forward is given, and the gradient check
// differentiates it numerically to get the reference. Each part runs in a process of its own
// (exercise.h), so a crash is reported with the function's name and stops nothing else.
#include "exercise.h"

namespace {

// By hand. Z = (-2, -0.5, 0.5, 3) and dA = (1, 2, 3, 4): the gradient passes where Z > 0 and
// stops elsewhere, so dZ = (0, 0, 3, 4).
void worked_example() {
    Matrix<double> Z(1, 4), dA(1, 4), dZ;
    const double z[] = {-2, -0.5, 0.5, 3};
    for (int i = 0; i < 4; ++i) {
        Z(0, i) = z[i];
        dA(0, i) = i + 1;
    }
    relu_backward(Z, dA, dZ);
    check::expect(dZ.rows == 1 && dZ.cols == 4, "relu_backward: dZ must have Z's shape 1x4, saw " +
                                                    std::to_string(dZ.rows) + "x" + std::to_string(dZ.cols));
    if (dZ.size() != 4) return;
    const double expected[] = {0, 0, 3, 4};
    for (int i = 0; i < 4; ++i)
        check::near(dZ(0, i), expected[i], 0, "relu_backward: dZ[" + std::to_string(i) + "] for Z = " + exercise::number(z[i]));
}

// dZ assigned, not accumulated: a 3x4 input, dZ starting out as garbage, called twice.
void assigns_dZ() {
    Rng rng(11);
    Matrix<double> Z(3, 4), dA(3, 4);
    for (double& x : Z.data) x = rng.uniform() - 0.5;
    for (double& x : dA.data) x = rng.uniform() - 0.5;
    exercise::expect_assigns("relu_backward", {"dZ"}, [&](std::vector<Matrix<double>>& out) {
        relu_backward(Z, dA, out[0]);
    });
}

}  // namespace

int main() {
    exercise::isolated("relu_backward", "the worked example", worked_example);
    exercise::isolated("relu_backward", "the check that it assigns dZ", assigns_dZ);
    exercise::layer_checks_pass("relu");  // against the centred difference, 20 random draws
    return check::summary("test_exercise1_relu_backward");
}
