// test_exercise1_relu_backward: exercise 1 of docs/assignments.md, relu_backward (layers.cpp).
//
// Depends on nothing else a student writes: relu_forward is given, and the gradient check
// differentiates it numerically to get the reference.
#include "exercise.h"

int main() {
    // By hand. Z = (-2, -0.5, 0.5, 3) and dA = (1, 2, 3, 4): the gradient passes where Z > 0
    // and stops elsewhere, so dZ = (0, 0, 3, 4). dZ starts out holding other numbers of another
    // shape: a backward pass ASSIGNS its output (layers.h), it does not add to what was there.
    Matrix<double> Z(1, 4), dA(1, 4), dZ(2, 3);
    const double z[] = {-2, -0.5, 0.5, 3};
    for (int i = 0; i < 4; ++i) {
        Z(0, i) = z[i];
        dA(0, i) = i + 1;
    }
    for (double& x : dZ.data) x = 7;
    relu_backward(Z, dA, dZ);
    check::expect(dZ.rows == 1 && dZ.cols == 4, "relu_backward: dZ must have Z's shape 1x4, saw " +
                                                    std::to_string(dZ.rows) + "x" + std::to_string(dZ.cols));
    if (dZ.size() == 4) {
        const double expected[] = {0, 0, 3, 4};
        for (int i = 0; i < 4; ++i)
            check::near(dZ(0, i), expected[i], 0,
                        "relu_backward: dZ[" + std::to_string(i) + "] for Z = " + std::to_string(z[i]));
    }

    // Against the centred difference, on 20 random draws.
    exercise::layer_checks_pass("relu");
    return check::summary("test_exercise1_relu_backward");
}
