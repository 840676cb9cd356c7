// test_optimizers: two steps of each update rule of optimizers.h worked out by hand, with Keras'
// defaults; then the Optimizer that applies them to a network, and the learning-rate schedule.
// (RMSProp's own two steps are in test_rmsprop.cpp.)
#include "check.h"
#include "fast_matrix.h"
#include "optimizer_choice.h"

namespace {

// A 1 x 1 tensor holding x.
Matrix<float> scalar(float x) {
    Matrix<float> M(1, 1);
    M(0, 0) = x;
    return M;
}

void sgd_by_hand() {
    // w = 1, g = 0.5, lr = 0.01 (Keras' default for SGD):
    //   step 1:  w = 1     - 0.01 * 0.5 = 0.995
    //   step 2:  w = 0.995 - 0.01 * 0.5 = 0.99
    // The step is proportional to g: no state, nothing adaptive.
    Matrix<float> w = scalar(1), g = scalar(0.5f);
    sgd_update(w, g, 0.01);
    check::near(w(0, 0), 0.995, 1e-7, "sgd: w after one step");
    sgd_update(w, g, 0.01);
    check::near(w(0, 0), 0.99, 1e-7, "sgd: w after two steps");
}

void momentum_by_hand() {
    // w = 1, g = 0.5, lr = 0.01, mu = 0.9, u starts at 0:
    //   step 1:  u = 0.9 * 0      - 0.01 * 0.5 = -0.005     w = 1     - 0.005  = 0.995
    //   step 2:  u = 0.9 * -0.005 - 0.01 * 0.5 = -0.0095    w = 0.995 - 0.0095 = 0.9855
    // The second step is 1.9 times the first: with a steady gradient the steps grow towards
    // lr g / (1 - mu) = 0.05, ten times SGD's.
    Matrix<float> w = scalar(1), g = scalar(0.5f), u(1, 1);
    momentum_update(w, g, u, 0.01, 0.9);
    check::near(u(0, 0), -0.005, 1e-9, "momentum: u after one step");
    check::near(w(0, 0), 0.995, 1e-7, "momentum: w after one step");
    momentum_update(w, g, u, 0.01, 0.9);
    check::near(u(0, 0), -0.0095, 1e-9, "momentum: u after two steps");
    check::near(w(0, 0), 0.9855, 1e-7, "momentum: w after two steps");

    // With the gradient's sign flipped on the second step, the velocity cancels most of it:
    //   step 2:  u = 0.9 * -0.005 + 0.01 * 0.5 = 0.0005     w = 0.995 + 0.0005 = 0.9955
    Matrix<float> w2 = scalar(1), u2(1, 1);
    momentum_update(w2, g, u2, 0.01, 0.9);
    momentum_update(w2, scalar(-0.5f), u2, 0.01, 0.9);
    check::near(u2(0, 0), 0.0005, 1e-9, "momentum: a flipped gradient is damped");
    check::near(w2(0, 0), 0.9955, 1e-7, "momentum: w after the flip");
}

void adam_by_hand() {
    // w = 1, g = 0.5, lr = 0.001, beta_1 = 0.9, beta_2 = 0.999, eps = 1e-7, m = v = 0:
    //   step 1 (t = 1):
    //     m    = 0.1 * 0.5                 = 0.05
    //     v    = 0.001 * 0.25              = 0.00025
    //     lr_t = 0.001 * sqrt(1 - 0.999) / (1 - 0.9) = 0.001 * 0.0316228 / 0.1 = 0.000316228
    //     step = lr_t * 0.05 / (sqrt(0.00025) + 1e-7) = 0.000316228 * 0.05 / 0.0158115
    //          = 0.00099999368                          (lr, short by eps's share)
    //     w    = 0.99900000632
    //   step 2 (t = 2):
    //     m    = 0.9 * 0.05 + 0.1 * 0.5    = 0.095
    //     v    = 0.999 * 0.00025 + 0.001 * 0.25 = 0.00049975
    //     lr_t = 0.001 * sqrt(1 - 0.998001) / (1 - 0.81) = 0.001 * 0.0447102 / 0.19 = 0.000235317
    //     step = 0.000235317 * 0.095 / (0.0223551 + 1e-7) = 0.00099999553
    //     w    = 0.99800001080
    // Both steps are lr: the bias correction undoes the zero start of m and v, where RMSProp's
    // first step is 3.16 lr (test_rmsprop.cpp).
    // The code runs in float, where 1 - 0.999f is 0.00099998713, not 0.001 (as in Keras,
    // which also computes in float32): v comes out 1.3e-5 smaller, relatively, than by hand.
    // The tolerances on m and v allow for that. In w it is a step 6e-6 larger, relatively:
    // 6e-9 on a step of 0.001, below float's rounding of numbers near 1.
    OptimizerSettings s;
    s.kind = OptimizerKind::adam;
    Matrix<float> w = scalar(1), g = scalar(0.5f), m(1, 1), v(1, 1);
    adam_update(w, g, m, v, s, 1);
    check::near(m(0, 0), 0.05, 1e-7, "adam: m after one step");
    check::near(v(0, 0), 0.00025, 1e-8, "adam: v after one step");
    check::near(w(0, 0), 0.99900000632, 1e-7, "adam: w after one step");
    adam_update(w, g, m, v, s, 2);
    check::near(m(0, 0), 0.095, 1e-7, "adam: m after two steps");
    check::near(v(0, 0), 0.00049975, 1e-8, "adam: v after two steps");
    check::near(w(0, 0), 0.99800001080, 1e-7, "adam: w after two steps");

    // A flipped gradient on step 2: m = 0.045 - 0.05 = -0.005, v as above, and the step is
    //   0.000235317 * -0.005 / 0.0223552 = -0.0000526313: w = 0.99900000632 + 0.0000526313
    //   = 0.99905263767. Like momentum, Adam's mean m mostly cancels a gradient that flips.
    Matrix<float> w2 = scalar(1), m2(1, 1), v2(1, 1);
    adam_update(w2, g, m2, v2, s, 1);
    adam_update(w2, scalar(-0.5f), m2, v2, s, 2);
    check::near(w2(0, 0), 0.99905263767, 1e-7, "adam: w after a flipped gradient");
}

void defaults_and_names() {
    check::near(default_learning_rate(OptimizerKind::sgd), 0.01, 0, "Keras' SGD learning rate");
    check::near(default_learning_rate(OptimizerKind::momentum), 0.01, 0, "Keras' SGD(momentum) learning rate");
    check::near(default_learning_rate(OptimizerKind::rmsprop), 0.001, 0, "Keras' RMSprop learning rate");
    check::near(default_learning_rate(OptimizerKind::adam), 0.001, 0, "Keras' Adam learning rate");
    for (const char* name : {"sgd", "momentum", "rmsprop", "adam"}) {
        OptimizerKind kind = OptimizerKind::sgd;
        check::expect(optimizer_kind_from_name(name, kind), std::string("the name ") + name + " is known");
        check::equal(optimizer_name(kind), name, "name round trip");
    }
    OptimizerKind kind = OptimizerKind::adam;
    check::expect(!optimizer_kind_from_name("Adam", kind), "names are lower case only");
    check::equal(describe_optimizer(OptimizerSettings{}), "RMSProp (lr 0.001, rho 0.9, eps 1e-07)",
                 "the default optimizer, described as the tutorial's Training line has it");
}

// Optimizer::step updates every weight and bias of every layer with the chosen rule, and
// keeps only the state that rule needs.
void optimizer_on_a_network() {
    for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::rmsprop,
                               OptimizerKind::adam}) {
        const std::string name = optimizer_name(kind) + ": ";
        Rng rng(3);
        Network<float> net = make_network<float>({3, 2, 4}, rng);
        for (DenseLayer<float>& layer : net.layers) {
            for (float& d : layer.dW.data) d = 0.5f;
            for (float& d : layer.db.data) d = -0.5f;
        }
        OptimizerSettings s;
        s.kind = kind;
        s.learning_rate = default_learning_rate(kind);
        Optimizer optimizer(net, s);
        const float w_before = net.layers[1].W(1, 3);
        optimizer.step(net);
        // One step from zero state with g = 0.5: sgd and momentum move by lr g = 0.005,
        // RMSProp by lr / sqrt(0.1) = 0.0031623, Adam by lr (short by eps's share).
        const double expected = kind == OptimizerKind::rmsprop ? 0.0031622757
                                : kind == OptimizerKind::adam  ? 0.00099999368
                                                               : 0.005;
        check::near(net.layers[1].W(1, 3), w_before - expected, 1e-6, name + "step() moves a weight");
        check::near(net.layers[0].b(0, 1), expected, 1e-6, name + "step() moves a bias against its gradient");
        check::equal(optimizer.steps, 1, name + "one step counted");
        const bool has_m = kind == OptimizerKind::momentum || kind == OptimizerKind::adam;
        const bool has_v = kind == OptimizerKind::rmsprop || kind == OptimizerKind::adam;
        check::equal(static_cast<long long>(optimizer.m_W[1].size()), has_m ? 8 : 0, name + "m state size");
        check::equal(static_cast<long long>(optimizer.v_W[1].size()), has_v ? 8 : 0, name + "v state size");
    }
}

// Optimizer::step hands each rule its own settings, not the defaults nor another rule's: with
// rho 0.5, eps 0.1, momentum 0.3 (not rho's value, so that the one read for the other is
// seen) and Adam's betas 0.5 and 0.75, two steps with g = 0.5 and lr 0.01 must give
//   rmsprop:  v1 = 0.5 * 0.25 = 0.125,  step1 = 0.01 * 0.5 / (sqrt(0.125) + 0.1) = 0.0110241
//             v2 = 0.5 * 0.125 + 0.125 = 0.1875,  step2 = 0.005 / (sqrt(0.1875) + 0.1) = 0.0093806:
//             0.0204047 in all
//   momentum: u1 = -0.005,  u2 = 0.3 u1 - 0.005 = -0.0065:  w moves by 0.0115 in all
//   adam:     m_t = (1 - 0.5^t) g,  v_t = (1 - 0.75^t) g^2,  lr_t = lr sqrt(1 - 0.75^t) / (1 - 0.5^t),
//             step_t = lr_t m_t / (sqrt(v_t) + eps) = lr g s / (g s + eps) with s = sqrt(1 - 0.75^t):
//             s1 = 0.5: 0.0071428571;  s2 = 0.6614378: 0.0076783003;  0.0148211574 in all
void optimizer_uses_its_settings() {
    for (OptimizerKind kind : {OptimizerKind::momentum, OptimizerKind::rmsprop, OptimizerKind::adam}) {
        const std::string name = optimizer_name(kind) + " with its own settings: ";
        Rng rng(3);
        Network<float> net = make_network<float>({2, 3}, rng);
        OptimizerSettings s;
        s.kind = kind;
        s.learning_rate = 0.01;
        s.rho = 0.5;
        s.epsilon = 0.1;
        s.momentum = 0.3;
        s.beta_1 = 0.5;
        s.beta_2 = 0.75;
        Optimizer optimizer(net, s);
        const float w_before = net.layers[0].W(1, 2);
        for (int step = 0; step < 2; ++step) {
            for (float& d : net.layers[0].dW.data) d = 0.5f;
            for (float& d : net.layers[0].db.data) d = 0.5f;
            optimizer.step(net);
        }
        const double moved = kind == OptimizerKind::rmsprop    ? 0.0204046999
                             : kind == OptimizerKind::momentum ? 0.0115
                                                               : 0.0148211574;
        check::near(net.layers[0].W(1, 2), w_before - moved, 1e-6, name + "a weight after two steps");
        check::near(net.layers[0].b(0, 2), -moved, 1e-6, name + "a bias after two steps");
    }
}

// Optimizer::step shares each tensor's elements between the threads (share_elements,
// fast_matrix.h): with two threads, one, or the naive kernels (no sharing at all), three steps
// of every rule must give the same weights to the last bit. The 784 x 128 and 128 x 128
// matrices are cut in two with two threads; a piece skipped, updated twice or cut in the wrong
// place would show here.
void same_bits_on_any_number_of_threads() {
    Workers one(1), two(2);
    for (OptimizerKind kind : {OptimizerKind::sgd, OptimizerKind::momentum, OptimizerKind::rmsprop,
                               OptimizerKind::adam}) {
        std::vector<Network<float>> nets;
        for (int run = 0; run < 3; ++run) {
            if (run == 0) use_kernels(Kernels::naive, &two);  // as main() does: threads, but naive
            else use_kernels(Kernels::fast, run == 1 ? &one : &two);
            Rng rng(5);
            Network<float> net = make_network<float>({784, 128, 128, 10}, rng);
            OptimizerSettings s;
            s.kind = kind;
            s.learning_rate = default_learning_rate(kind);
            Optimizer optimizer(net, s);
            for (int step = 0; step < 3; ++step) {
                for (DenseLayer<float>& layer : net.layers) {
                    for (float& d : layer.dW.data) d = static_cast<float>(rng.uniform() - 0.5);
                    for (float& d : layer.db.data) d = static_cast<float>(rng.uniform() - 0.5);
                }
                optimizer.step(net);
            }
            nets.push_back(net);
        }
        use_kernels(Kernels::fast);
        for (int run = 1; run < 3; ++run)
            for (std::size_t l = 0; l < nets[0].layers.size(); ++l) {
                const std::string where = optimizer_name(kind) + ", layer " + std::to_string(l) + ", " +
                                          (run == 1 ? "one thread" : "two threads");
                check::expect(nets[run].layers[l].W.data == nets[0].layers[l].W.data,
                              where + ": the weights are those of the unshared update");
                check::expect(nets[run].layers[l].b.data == nets[0].layers[l].b.data,
                              where + ": the biases are those of the unshared update");
            }
    }
}

void schedule() {
    // lr * decay^(epoch - 1): 0.001, 0.0009, 0.00081 for decay 0.9.
    check::near(learning_rate_for_epoch(0.001, 0.9, 1), 0.001, 0, "epoch 1 uses the initial rate");
    check::near(learning_rate_for_epoch(0.001, 0.9, 2), 0.0009, 1e-18, "epoch 2: one decay");
    check::near(learning_rate_for_epoch(0.001, 0.9, 3), 0.00081, 1e-18, "epoch 3: two decays");
    // decay 1 must leave the rate bit for bit as it was, or the default run would change.
    check::expect(learning_rate_for_epoch(0.001, 1, 21) == 0.001, "decay 1 changes nothing");
}

}  // namespace

int main() {
    sgd_by_hand();
    momentum_by_hand();
    adam_by_hand();
    defaults_and_names();
    optimizer_on_a_network();
    optimizer_uses_its_settings();
    same_bits_on_any_number_of_threads();
    schedule();
    return check::summary("test_optimizers");
}
