// test_regularization: dropout and L2 (regularization.h) on numbers worked out by hand, the
// masks' statistics and reproducibility, dropout inside the network's forward and backward
// passes, and a training epoch with both, which must be the same run twice from one seed.
#include "check.h"
#include "network.h"
#include "train.h"

namespace {

// A 1 x n matrix holding the values.
Matrix<float> row(std::initializer_list<float> values) {
    Matrix<float> M(1, static_cast<int>(values.size()));
    int i = 0;
    for (float v : values) M(0, i++) = v;
    return M;
}

void dropout_by_hand() {
    // A = [1 2 3 4], keep = [1 0 1 1], rate 0.2: kept units are scaled by 1 / (1 - 0.2) = 1.25,
    //   out = [1.25  0  3.75  5]
    Matrix<float> A = row({1, 2, 3, 4});
    const Matrix<float> keep = row({1, 0, 1, 1});
    dropout_forward(A, keep, 0.2);
    const float out[] = {1.25f, 0, 3.75f, 5};
    for (int i = 0; i < 4; ++i) check::near(A(0, i), out[i], 1e-7, "dropout forward, element " + std::to_string(i));
    // Backward, with dout = [1 1 1 1]: dA = dout * keep / (1 - rate) = [1.25  0  1.25  1.25].
    // The dropped unit gets no gradient: it took no part in the output.
    Matrix<float> dA = row({1, 1, 1, 1});
    dropout_backward(dA, keep, 0.2);
    const float grad[] = {1.25f, 0, 1.25f, 1.25f};
    for (int i = 0; i < 4; ++i) check::near(dA(0, i), grad[i], 1e-7, "dropout backward, element " + std::to_string(i));
}

void masks() {
    // 100 x 100 draws with rate 0.2: the share kept is 0.8, within 4 standard deviations of a
    // binomial, sqrt(0.8 * 0.2 / 10000) = 0.004.
    Rng rng(1);
    Matrix<float> keep;
    draw_dropout_mask(100, 100, 0.2, rng, keep);
    double kept = 0;
    for (float k : keep.data) {
        check::expect(k == 0 || k == 1, "a mask holds only 0 and 1");
        kept += k;
    }
    check::near(kept / keep.size(), 0.8, 0.016, "share of units kept at rate 0.2");
    // The same seed draws the same mask.
    Rng again(1);
    Matrix<float> keep2;
    draw_dropout_mask(100, 100, 0.2, again, keep2);
    check::expect(keep.data == keep2.data, "one seed, one mask");
    // Rate 0 keeps everything.
    Matrix<float> all;
    draw_dropout_mask(3, 3, 0, rng, all);
    check::near(all.data[0] + all.data[4] + all.data[8], 3, 0, "rate 0 keeps every unit");
}

void l2_by_hand() {
    // W = [1 -2; 3 0.5], l2 = 0.01:   P = 0.01 * (1 + 4 + 9 + 0.25) = 0.1425
    Matrix<float> W(2, 2);
    W.data = {1, -2, 3, 0.5f};
    check::near(l2_penalty(W, 0.01), 0.1425, 1e-9, "L2 penalty");
    // dW = 0.1 everywhere from the cross-entropy, plus 2 * 0.01 * W:
    //   [0.1 + 0.02   0.1 - 0.04   0.1 + 0.06   0.1 + 0.01] = [0.12  0.06  0.16  0.11]
    Matrix<float> dW(2, 2);
    dW.data = {0.1f, 0.1f, 0.1f, 0.1f};
    l2_backward(W, 0.01, dW);
    const float expected[] = {0.12f, 0.06f, 0.16f, 0.11f};
    for (int i = 0; i < 4; ++i) check::near(dW.data[i], expected[i], 1e-7, "L2 gradient, element " + std::to_string(i));

    // Over a network: the weights of every layer count, the biases do not.
    Rng rng(5);
    Network<float> net = make_network<float>({3, 2, 4}, rng);
    for (DenseLayer<float>& layer : net.layers)
        for (float& b : layer.b.data) b = 100;
    check::near(l2_penalty(net, 0.5), l2_penalty(net.layers[0].W, 0.5) + l2_penalty(net.layers[1].W, 0.5),
                1e-12, "network penalty: the weights of both layers, no biases");
}

void dropout_in_the_network() {
    Rng rng(11);
    Network<float> net = make_network<float>({5, 6, 6, 3}, rng);
    Matrix<float> X(2, 5);
    for (float& x : X.data) x = static_cast<float>(rng.uniform());
    Matrix<float> Y(2, 3);
    Y(0, 1) = Y(1, 2) = 1;

    // Without masks: the plain network.
    forward(net, X);
    const Network<float> plain = net;

    // With masks: every hidden A is relu(Z) * keep / (1 - rate); Z of the first layer is the
    // same (dropout acts after it), and a dropped unit's output is 0.
    DropoutMasks<float> masks;
    masks.rate = 0.5;
    masks.keep.resize(2);
    for (Matrix<float>& keep : masks.keep) draw_dropout_mask(2, 6, 0.5, rng, keep);
    forward_with_dropout(net, X, masks);
    check::expect(net.Z[0].data == plain.Z[0].data, "the first layer's Z does not see its own dropout");
    for (std::size_t i = 0; i < net.A[0].size(); ++i)
        check::near(net.A[0].data[i], plain.A[0].data[i] * masks.keep[0].data[i] * 2, 1e-6,
                    "A[0] = relu(Z[0]) * keep / (1 - 0.5), element " + std::to_string(i));
    backward_with_dropout(net, X, Y, masks);
    // A unit dropped for both examples passes no gradient to its incoming weights.
    for (int h = 0; h < 6; ++h) {
        if (masks.keep[0](0, h) != 0 || masks.keep[0](1, h) != 0) continue;
        for (int d = 0; d < 5; ++d)
            check::near(net.layers[0].dW(d, h), 0, 0, "no gradient into a unit dropped for the whole batch");
    }

    // And forward() without masks afterwards is the plain network again: evaluation never
    // drops anything.
    forward(net, X);
    check::expect(net.probs.data == plain.probs.data, "without masks, forward() is the plain network");
}

void training_with_regularization() {
    // A small synthetic set: 64 images of 8 pixels, the label is the brightest of the first
    // four pixels.
    Dataset d;
    d.count = 64;
    d.rows = 2;
    d.cols = 4;
    Rng data_rng(9);
    for (int i = 0; i < d.count; ++i) {
        int best = 0;
        for (int p = 0; p < 8; ++p) {
            d.pixels.push_back(static_cast<std::uint8_t>(data_rng.below(256)));
            if (p < 4 && d.pixels.back() > d.pixels[i * 8 + best]) best = p;
        }
        d.labels.push_back(static_cast<std::uint8_t>(best));
    }
    RegularizationSettings reg;
    reg.dropout = 0.3;
    reg.input_dropout = 0.1;
    reg.l2 = 1e-3;
    auto one_run = [&](const RegularizationSettings& r) {
        Rng rng(42);
        Network<float> net = make_network<float>({8, 16, 16, 10}, rng);
        Optimizer optimizer(net, OptimizerSettings{});
        std::vector<int> order = identity_order(d.count);
        std::vector<double> losses;
        for (int epoch = 1; epoch <= 3; ++epoch)
            losses.push_back(train_epoch(net, optimizer, r, d, order, 8, epoch, rng, nullptr).loss);
        return losses;
    };
    const std::vector<double> first = one_run(reg), second = one_run(reg);
    check::expect(first == second, "dropout and L2: one seed gives the same losses, to the last bit");
    check::expect(first != one_run(RegularizationSettings{}), "dropout and L2 change the run");
}

}  // namespace

int main() {
    dropout_by_hand();
    masks();
    l2_by_hand();
    dropout_in_the_network();
    training_with_regularization();
    return check::summary("test_regularization");
}
