// trace_command.cpp: the tiny network of trace_command.h, and the printing of its numbers.
//
// The weights are chosen so that a hand calculation stays short and every interesting case of
// the backward pass shows up once:
//   - X[2] = 0, like the blank pixels of an MNIST image: row 2 of dW0 is exactly 0, so RMSProp
//     leaves row 2 of W0 where it was (v stays 0 and the step is 0 / (0 + eps) = 0);
//   - hidden unit 1 gets a negative input (Z0[1] = -0.45), so the ReLU outputs 0 there and
//     stops the gradient: column 1 of dW0 and db0[1] are exactly 0 too;
//   - the label is 1 but the network prefers class 0 (logits 0.2 against 0.02), so there is
//     something to correct, and the step lowers the loss.
#include "trace_command.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "errors.h"
#include "network.h"
#include "rmsprop.h"

namespace {

// The example: 4 inputs and its label.
const double kInput[4] = {1.0, 0.5, 0.0, 2.0};
constexpr int kLabel = 1;

// Layer 0: 4 inputs -> 3 hidden units. W0 is D x H = 4 x 3, one row per input.
const double kW0[4][3] = {{0.2, -0.3, 0.1},
                          {0.4, 0.1, -0.5},
                          {-0.2, 0.3, 0.2},
                          {0.1, -0.1, 0.3}};
const double kB0[3] = {0.1, 0.0, -0.2};

// Layer 1: 3 hidden units -> 2 classes. W1 is 3 x 2.
const double kW1[3][2] = {{0.5, -0.4},
                          {0.3, 0.2},
                          {-0.6, 0.8}};
const double kB1[2] = {0.0, 0.1};

// One number in a column 12 characters wide, with 6 significant digits: enough to check a
// hand calculation, few enough to read. A zero is printed as "0" whatever its sign: -0.0 is
// a real double (a negative number times zero), but "-0" would only puzzle the reader.
std::string number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%12.6g", x == 0 ? 0.0 : x);
    return text;
}

// A matrix under a header line. The header starts with the matrix's name and its shape, e.g.
// "Z0 (1 x 3)", which is how tests/test_trace.cpp finds it; what follows is the formula.
std::string matrix_text(const std::string& name, const Matrix<double>& M, const std::string& formula) {
    std::string out = name + " (" + std::to_string(M.rows) + " x " + std::to_string(M.cols) + ")";
    if (!formula.empty()) out += std::string(out.size() < 16 ? 16 - out.size() : 1, ' ') + formula;
    out += "\n";
    for (int r = 0; r < M.rows; ++r) {
        out += "   ";
        for (int c = 0; c < M.cols; ++c) out += number(M(r, c));
        out += "\n";
    }
    return out;
}

// A number with 6 significant digits and no padding.
std::string short_number(double x) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", x);
    return text;
}

std::string scalar_text(const std::string& what, double x) {
    return what + " = " + short_number(x) + "\n";
}

// M[i][j] = source[i][j], for the hand-set weights above.
template <int Cols>
void fill(Matrix<double>& M, const double (*source)[Cols]) {
    for (int r = 0; r < M.rows; ++r)
        for (int c = 0; c < M.cols; ++c) M(r, c) = source[r][c];
}

// after - before, element by element: the step the optimizer took.
Matrix<double> difference(const Matrix<double>& after, const Matrix<double>& before) {
    Matrix<double> d(after.rows, after.cols);
    for (std::size_t i = 0; i < d.size(); ++i) d.data[i] = after.data[i] - before.data[i];
    return d;
}

}  // namespace

std::string trace_text() {

    // make_network() draws Glorot weights; we overwrite every one of them by hand.
    Rng unused(0);
    Network<double> net = make_network<double>({4, 3, 2}, unused);
    fill<3>(net.layers[0].W, kW0);
    net.layers[0].b.data.assign(kB0, kB0 + 3);
    fill<2>(net.layers[1].W, kW1);
    net.layers[1].b.data.assign(kB1, kB1 + 2);

    Matrix<double> X(1, 4), Y(1, 2);
    X.data.assign(kInput, kInput + 4);
    Y(0, kLabel) = 1;

    std::string out =
        "./mnist trace: one training step of a 4-3-2 network on one example, every number shown.\n"
        "Shapes: N = 1 example, D = 4 inputs, H = 3 hidden units, K = 2 classes; W is D x H.\n"
        "Computed in double by the program's own forward(), backward() and rmsprop_update().\n"
        "Derived by hand in docs/04-backprop.md.\n";

    out += "\n== The example and the weights\n";
    out += matrix_text("X", X, "one example, 4 inputs");
    out += matrix_text("Y", Y, "its label, 1, one-hot");
    out += matrix_text("W0", net.layers[0].W, "layer 0 weights, 4 inputs -> 3 hidden units");
    out += matrix_text("b0", net.layers[0].b, "layer 0 biases");
    out += matrix_text("W1", net.layers[1].W, "layer 1 weights, 3 hidden units -> 2 classes");
    out += matrix_text("b1", net.layers[1].b, "layer 1 biases");

    // ---- Forward: network.cpp's forward() fills net.Z, net.A and net.probs. ----------------
    forward(net, X);
    const double loss = cross_entropy_loss(net.Z[1], Y);
    out += "\n== Forward pass: forward() in network.cpp\n";
    out += matrix_text("Z0", net.Z[0], "= X W0 + b0                      dense_forward");
    out += matrix_text("A0", net.A[0], "= relu(Z0) = max(0, Z0)          relu_forward");
    out += matrix_text("Z1", net.Z[1], "= A0 W1 + b1, the logits         dense_forward");
    out += matrix_text("P", net.probs, "= softmax(Z1)                    softmax_forward");
    out += scalar_text("loss L = -log P[0][1]", loss);

    // ---- Backward: network.cpp's backward() fills net.dZ, net.dA and every dW, db. ---------
    backward(net, X, Y);
    out += "\n== Backward pass: backward() in network.cpp\n";
    out += matrix_text("dZ1", net.dZ[1], "= (P - Y) / N                    softmax_cross_entropy_backward");
    out += matrix_text("dW1", net.layers[1].dW, "= A0^T dZ1                       dense_backward");
    out += matrix_text("db1", net.layers[1].db, "= column sums of dZ1             dense_backward");
    out += matrix_text("dA0", net.dA[0], "= dZ1 W1^T                       dense_backward");
    out += matrix_text("dZ0", net.dZ[0], "= dA0 where Z0 > 0, else 0       relu_backward");
    out += matrix_text("dW0", net.layers[0].dW, "= X^T dZ0                        dense_backward");
    out += matrix_text("db0", net.layers[0].db, "= column sums of dZ0             dense_backward");

    // ---- One RMSProp step with Keras' defaults, caches starting at zero. --------------------
    const RmsPropSettings settings;
    out += "\n== One RMSProp step: rmsprop_update() in rmsprop.cpp, lr = " +
           short_number(settings.learning_rate) + ", rho = " + short_number(settings.rho) +
           ", eps = " + short_number(settings.epsilon) + "\n" +
           "   for every weight w with gradient g:  v = rho v + (1 - rho) g^2  (v starts at 0),\n" +
           "                                        w = w - lr g / (sqrt(v) + eps)\n";
    for (int l = 0; l < 2; ++l) {
        DenseLayer<double>& layer = net.layers[l];
        const std::string L = std::to_string(l);
        Matrix<double> v_W(layer.W.rows, layer.W.cols), v_b(layer.b.rows, layer.b.cols);
        const Matrix<double> W_before = layer.W, b_before = layer.b;
        rmsprop_update(layer.W, layer.dW, v_W, settings);
        rmsprop_update(layer.b, layer.db, v_b, settings);
        out += matrix_text("vW" + L, v_W, "= (1 - rho) dW" + L + "^2, the cache after one step");
        out += matrix_text("stepW" + L, difference(layer.W, W_before), "= -lr dW" + L + " / (sqrt(vW" + L + ") + eps)");
        out += matrix_text("W" + L + "'", layer.W, "= W" + L + " + stepW" + L + ", the new weights");
        out += matrix_text("vb" + L, v_b, "= (1 - rho) db" + L + "^2");
        out += matrix_text("stepb" + L, difference(layer.b, b_before), "= -lr db" + L + " / (sqrt(vb" + L + ") + eps)");
        out += matrix_text("b" + L + "'", layer.b, "= b" + L + " + stepb" + L + ", the new biases");
    }

    // ---- The same example through the updated network. -------------------------------------
    forward(net, X);
    out += "\n== After the step\n";
    out += matrix_text("P'", net.probs, "= the new probabilities");
    out += scalar_text("loss L' = -log P'[0][1]", cross_entropy_loss(net.Z[1], Y));
    return out;
}

int trace_command(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::printf(
                "usage: ./mnist trace\n\n"
                "Runs one training step (forward, backward, RMSProp) of a 4-3-2 network with\n"
                "hand-picked weights on one example and prints every number it computes, to check\n"
                "against the derivation in docs/04-backprop.md. Takes no options.\n");
            return 0;
        }
        throw UsageError("trace: unexpected argument '" + arg + "'; the trace takes no options");
    }
    std::printf("%s", trace_text().c_str());
    return 0;
}
