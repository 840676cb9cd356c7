// test_training_step: one whole training step, with each regularization, against the same step
// written out here in plain loops, in double.
//
// train_epoch() wires many pieces together: the shuffle, the input mask and the hidden masks
// drawn from one rng in a fixed order (train.h), dropout on the pixels with its own rate and on
// every hidden layer with another, the L2 penalty added to the loss and its gradient to every
// dW, the backward pass through the masks, and the optimizer's update. Each piece has its own
// test; what is checked here is the wiring: a training set of exactly one batch, so that an
// epoch is one step, and after it every weight and bias, and the loss reported, must be those of
// the step below, computed without any of the library's layer, product or optimizer code:
//
//   X' = X * in_keep / (1 - in_rate)                       (pixels, N x D)
//   Z0 = X' W0 + b0,   A0 = relu(Z0) * keep0 / (1 - rate)
//   Z1 = A0 W1 + b1,   A1 = relu(Z1) * keep1 / (1 - rate)
//   Z2 = A1 W2 + b2,   P = softmax(Z2)
//   loss = -(1/N) sum_n log P[n][label n]  +  l2 sum_l sum W_l^2
//   dZ2 = (P - Y) / N;  for each layer, top down:  dW = input^T dZ + 2 l2 W,  db = column sums of
//   dZ,  d(input) = dZ W^T, times the mask / (1 - rate), times [Z > 0] for the dZ below
//   W <- W - lr dW,  b <- b - lr db    (plain SGD, so that the update is one line too)
#include <cmath>
#include <vector>

#include "check.h"
#include "train.h"

namespace {

using Grid = std::vector<std::vector<double>>;  // rows of numbers, the test's own matrices

Grid zeros(int rows, int cols) { return Grid(rows, std::vector<double>(cols, 0.0)); }

Grid from(const Matrix<float>& M) {
    Grid G = zeros(M.rows, M.cols);
    for (int i = 0; i < M.rows; ++i)
        for (int j = 0; j < M.cols; ++j) G[i][j] = M(i, j);
    return G;
}

// A mask drawn as train.h says: one rng.uniform() per element, row by row, dropped below rate.
Grid draw_mask(int rows, int cols, double rate, Rng& rng) {
    Grid keep = zeros(rows, cols);
    for (auto& row : keep)
        for (double& k : row) k = rng.uniform() < rate ? 0.0 : 1.0;
    return keep;
}

struct Expected {
    double loss = 0;
    std::vector<Grid> W, b;  // after the update
};

Expected step_by_hand(const Network<float>& net, const Dataset& d, const RegularizationSettings& reg,
                      double lr, int N, std::uint64_t seed) {
    Rng rng(seed);
    std::vector<int> order = identity_order(d.count);
    shuffle(order, rng);
    const int D = d.pixels_per_image(), L = static_cast<int>(net.layers.size());

    Grid X = zeros(N, D);
    std::vector<int> label(N);
    for (int n = 0; n < N; ++n) {
        for (int j = 0; j < D; ++j) X[n][j] = d.pixels[static_cast<std::size_t>(order[n]) * D + j] / 255.0;
        label[n] = d.labels[order[n]];
    }
    // The masks, in the documented order: the pixels' first, then each hidden layer's.
    if (reg.input_dropout > 0) {
        const Grid keep = draw_mask(N, D, reg.input_dropout, rng);
        for (int n = 0; n < N; ++n)
            for (int j = 0; j < D; ++j) X[n][j] *= keep[n][j] / (1 - reg.input_dropout);
    }
    std::vector<Grid> keep(L - 1);
    for (int l = 0; l < L - 1; ++l)
        keep[l] = reg.dropout > 0 ? draw_mask(N, net.layers[l].W.cols, reg.dropout, rng)
                                  : Grid(N, std::vector<double>(net.layers[l].W.cols, 1.0));
    const double scale = 1 / (1 - reg.dropout);

    std::vector<Grid> W, b, Z(L), input(L);
    for (const DenseLayer<float>& layer : net.layers) {
        W.push_back(from(layer.W));
        b.push_back(from(layer.b));
    }
    // Forward.
    input[0] = X;
    for (int l = 0; l < L; ++l) {
        const int H = static_cast<int>(W[l][0].size()), I = static_cast<int>(W[l].size());
        Z[l] = zeros(N, H);
        for (int n = 0; n < N; ++n)
            for (int h = 0; h < H; ++h) {
                double z = b[l][0][h];
                for (int i = 0; i < I; ++i) z += input[l][n][i] * W[l][i][h];
                Z[l][n][h] = z;
            }
        if (l + 1 < L) {
            input[l + 1] = zeros(N, H);
            for (int n = 0; n < N; ++n)
                for (int h = 0; h < H; ++h)
                    input[l + 1][n][h] = (Z[l][n][h] > 0 ? Z[l][n][h] : 0.0) * keep[l][n][h] * scale;
        }
    }
    const int K = static_cast<int>(Z[L - 1][0].size());
    Expected e;
    Grid dZ = zeros(N, K);
    for (int n = 0; n < N; ++n) {
        double largest = Z[L - 1][n][0], sum = 0;
        for (int k = 1; k < K; ++k) largest = std::max(largest, Z[L - 1][n][k]);
        for (int k = 0; k < K; ++k) sum += std::exp(Z[L - 1][n][k] - largest);
        for (int k = 0; k < K; ++k) {
            const double p = std::exp(Z[L - 1][n][k] - largest) / sum;
            dZ[n][k] = (p - (k == label[n] ? 1.0 : 0.0)) / N;
        }
        e.loss -= ((Z[L - 1][n][label[n]] - largest) - std::log(sum)) / N;
    }
    for (const Grid& w : W)
        for (const auto& row : w)
            for (double x : row) e.loss += reg.l2 * x * x;

    // Backward, and the update of each layer once its gradients are known (the gradient
    // further down uses W before the update).
    e.W = W;
    e.b = b;
    for (int l = L - 1; l >= 0; --l) {
        const int H = static_cast<int>(W[l][0].size()), I = static_cast<int>(W[l].size());
        for (int i = 0; i < I; ++i)
            for (int h = 0; h < H; ++h) {
                double g = 2 * reg.l2 * W[l][i][h];
                for (int n = 0; n < N; ++n) g += input[l][n][i] * dZ[n][h];
                e.W[l][i][h] -= lr * g;
            }
        for (int h = 0; h < H; ++h) {
            double g = 0;
            for (int n = 0; n < N; ++n) g += dZ[n][h];
            e.b[l][0][h] -= lr * g;
        }
        if (l == 0) break;
        Grid below = zeros(N, I);
        for (int n = 0; n < N; ++n)
            for (int i = 0; i < I; ++i) {
                double g = 0;
                for (int h = 0; h < H; ++h) g += dZ[n][h] * W[l][i][h];
                g *= keep[l - 1][n][i] * scale;
                below[n][i] = Z[l - 1][n][i] > 0 ? g : 0.0;
            }
        dZ = below;
    }
    return e;
}

// Eight images of 2x3 pixels, labels spread over the ten classes.
Dataset tiny_set() {
    Dataset d;
    d.count = 8;
    d.rows = 2;
    d.cols = 3;
    Rng rng(21);
    for (int i = 0; i < d.count; ++i) {
        for (int p = 0; p < 6; ++p) d.pixels.push_back(static_cast<std::uint8_t>(rng.below(256)));
        d.labels.push_back(static_cast<std::uint8_t>((3 * i + 1) % 10));
    }
    return d;
}

void one_step(const std::string& name, const RegularizationSettings& reg) {
    const Dataset d = tiny_set();
    Rng init(12);
    Network<float> net = make_network<float>({6, 8, 7, 10}, init);
    for (DenseLayer<float>& layer : net.layers)  // biases that are not zero, so that they count
        for (float& b : layer.b.data) b = static_cast<float>(0.2 * init.uniform() - 0.1);
    const double lr = 0.1;
    const std::uint64_t seed = 33;
    const Expected e = step_by_hand(net, d, reg, lr, d.count, seed);

    OptimizerSettings settings;
    settings.kind = OptimizerKind::sgd;
    settings.learning_rate = lr;
    Optimizer optimizer(net, settings);
    Rng rng(seed);
    std::vector<int> order = identity_order(d.count);
    const EpochResult r = train_epoch(net, optimizer, reg, d, order, d.count, 1, rng, nullptr);

    check::near(r.loss, e.loss, 2e-6, name + ": the loss of the step, penalty included");
    int wrong = 0;
    double worst = 0;
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const Matrix<float>& W = net.layers[l].W;
        for (int i = 0; i < W.rows; ++i)
            for (int h = 0; h < W.cols; ++h) {
                const double off = std::fabs(W(i, h) - e.W[l][i][h]);
                worst = std::max(worst, off);
                wrong += off > 1e-6;
            }
        for (int h = 0; h < net.layers[l].b.cols; ++h) {
            const double off = std::fabs(net.layers[l].b(0, h) - e.b[l][0][h]);
            worst = std::max(worst, off);
            wrong += off > 1e-6;
        }
    }
    check::equal(wrong, 0, name + ": parameters more than 1e-6 from the step by hand (worst off by " +
                               std::to_string(worst) + ")");
}

}  // namespace

int main() {
    RegularizationSettings none, l2, dropout, input, all;
    l2.l2 = 0.01;
    dropout.dropout = 0.5;
    input.input_dropout = 0.25;
    all.l2 = 0.005;
    all.dropout = 0.4;
    all.input_dropout = 0.2;  // a rate different from the hidden layers'
    one_step("no regularization", none);
    one_step("L2 0.01", l2);
    one_step("dropout 0.5", dropout);
    one_step("input dropout 0.25", input);
    one_step("L2 0.005, dropout 0.4 and input dropout 0.2", all);
    return check::summary("test_training_step");
}
