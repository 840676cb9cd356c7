// test_hidden1_relu_backward: a hidden test of exercise 1 (tools/grade runs it; the student copy
// does not have it). A 17 x 33 input with exact zeros, where the derivative is taken as 0, and
// a dA that is not the forward pass's output, against the rule dZ = dA where Z > 0, else 0.
#include "exercise.h"

int main() {
    exercise::isolated("relu_backward", "a 17x33 input with exact zeros", [] {
        Rng rng(101);
        Matrix<double> Z(17, 33), dA(17, 33), dZ;
        for (std::size_t i = 0; i < Z.size(); ++i) {
            Z.data[i] = i % 5 == 0 ? 0.0 : rng.uniform() - 0.5;
            dA.data[i] = 3 * rng.uniform() - 1.5;
        }
        relu_backward(Z, dA, dZ);
        check::expect(dZ.rows == 17 && dZ.cols == 33, "relu_backward: dZ must have Z's shape 17x33");
        if (dZ.size() != Z.size()) return;
        std::size_t wrong = 0;
        for (std::size_t i = 0; i < Z.size(); ++i) wrong += dZ.data[i] != (Z.data[i] > 0 ? dA.data[i] : 0.0);
        check::expect(wrong == 0, "relu_backward: " + std::to_string(wrong) +
                                      " of 561 elements differ from dA where Z > 0 and 0 elsewhere (0 at Z = 0 too)");
    });
    return check::summary("test_hidden1_relu_backward");
}
