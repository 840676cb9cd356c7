// test_hidden4_rmsprop_update: a hidden test of exercise 4 (tools/grade runs it; the student copy
// does not have it). Settings other than Keras' defaults (lr 0.01, rho 0.5, eps 1e-3), so that
// an update that writes the default numbers in instead of reading `settings` fails.
#include <cmath>

#include "exercise.h"

int main() {
    exercise::isolated("rmsprop_update", "two steps with lr 0.01, rho 0.5, eps 1e-3", [] {
        RmsPropSettings s;
        s.learning_rate = 0.01, s.rho = 0.5, s.epsilon = 1e-3;
        Matrix<float> w(1, 3), g(1, 3), v(1, 3);
        const float gs[] = {2.0f, -0.001f, 0.3f};
        for (int i = 0; i < 3; ++i) w(0, i) = 1, g(0, i) = gs[i];
        double wr[3] = {1, 1, 1}, vr[3] = {0, 0, 0};
        for (int step = 1; step <= 2; ++step) {
            rmsprop_update(w, g, v, s);
            for (int i = 0; i < 3; ++i) {
                vr[i] = 0.5 * vr[i] + 0.5 * gs[i] * gs[i];
                wr[i] -= 0.01 * gs[i] / (std::sqrt(vr[i]) + 1e-3);
                check::near(v(0, i), vr[i], 1e-6 * vr[i] + 1e-12, "rmsprop_update: v[" + std::to_string(i) + "] after step " + std::to_string(step) + " with rho 0.5");
                check::near(w(0, i), wr[i], 1e-6, "rmsprop_update: w[" + std::to_string(i) + "] after step " + std::to_string(step) + " with lr 0.01, eps 1e-3");
            }
        }
    });
    return check::summary("test_hidden4_rmsprop_update");
}
