// train.cpp: the loop of train.h.
#include "train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "errors.h"

namespace {

// Counts the rows of probs whose largest probability is at the true label.
int count_correct(const Matrix<float>& probs, const Dataset& d, const std::vector<int>& order,
                  int first) {
    int correct = 0;
    for (int i = 0; i < probs.rows; ++i)
        if (predicted_class(probs, i) == d.labels[order[first + i]]) ++correct;
    return correct;
}

// Where did the numbers stop being numbers? The first layer whose weights, biases or outputs
// hold a NaN or an infinity, for the error message.
std::string first_non_finite_layer(const Network<float>& net) {
    for (std::size_t l = 0; l < net.layers.size(); ++l) {
        const std::string name = "layer " + std::to_string(l + 1) + " (dense " +
                                 std::to_string(net.layers[l].W.rows) + "->" +
                                 std::to_string(net.layers[l].W.cols) + ")";
        if (!all_finite(net.layers[l].W)) return name + " weights";
        if (!all_finite(net.layers[l].b)) return name + " biases";
        if (!all_finite(net.Z[l])) return name + " outputs";
    }
    return "the loss itself";
}

// True when every weight and bias is a finite number. This runs after every step, so it is
// written to be cheap: x - x is 0 for a finite x and NaN for an infinity or a NaN (and NaN == 0
// is false), and with no early exit the compiler turns the loop into vector instructions. For
// the 118,282 parameters of 784-128-128-10 it takes a few microseconds, well under 1% of a step.
bool parameters_finite(const Network<float>& net) {
    int bad = 0;
    for (const DenseLayer<float>& layer : net.layers) {
        for (float w : layer.W.data) bad |= !(w - w == 0.0f);
        for (float b : layer.b.data) bad |= !(b - b == 0.0f);
    }
    return bad == 0;
}

// "NaN" and "infinite" in words (std::to_string prints "-nan"), other numbers as %g.
std::string value_text(double x) {
    if (std::isnan(x)) return "NaN (not a number)";
    if (std::isinf(x)) return "infinite";
    char text[32];
    std::snprintf(text, sizeof text, "%g", x);
    return text;
}

// Which option most likely made the numbers run away, as advice. The L2 penalty is
// l2 * sum(W^2) and its gradient 2 * l2 * W: with a huge --l2, the penalty outgrows the
// cross-entropy it was meant to nudge, and the weights are driven by it alone. So when the
// penalty is not finite or larger than the cross-entropy, the fault is --l2's; otherwise
// the steps were too large for the loss surface, the learning rate's.
std::string divergence_advice(const RegularizationSettings& regularization, float learning_rate,
                              double cross_entropy, double penalty) {
    char text[96];
    if (regularization.l2 > 0 && (!std::isfinite(penalty) || penalty > cross_entropy))
        std::snprintf(text, sizeof text, "the L2 penalty outgrew the loss: try a smaller --l2 (now %g)",
                      regularization.l2);
    else
        std::snprintf(text, sizeof text, "try a smaller learning rate (--lr, now %g)", learning_rate);
    return text;
}

TrainingError diverged(int epoch, int step, int steps, const std::string& what, const std::string& advice) {
    return TrainingError("training diverged at epoch " + std::to_string(epoch) + ", step " +
                         std::to_string(step) + " of " + std::to_string(steps) + ": " + what + "; " + advice);
}

}  // namespace

EpochResult train_epoch(Network<float>& net, Optimizer& optimizer,
                        const RegularizationSettings& regularization, const Dataset& train,
                        std::vector<int>& order, int batch_size, int epoch, Rng& rng, const StepCallback& on_step) {
    shuffle(order, rng);
    const int count = train.count;
    const int steps = (count + batch_size - 1) / batch_size;
    Matrix<float> X, Y;  // reused by every step: reshape() keeps their memory
    double loss_sum = 0, penalty_sum = 0;
    long correct = 0, seen = 0;

    // Dropout on the hidden layers: one mask per hidden layer, redrawn every step.
    DropoutMasks<float> masks;
    masks.rate = regularization.dropout;
    masks.keep.resize(net.A.size());
    const bool dropout = regularization.dropout > 0;
    Matrix<float> input_keep;  // dropout on the pixels

    for (int step = 0; step < steps; ++step) {
        const int first = step * batch_size;
        const int n = std::min(batch_size, count - first);
        gather_batch(train, order, first, n, X, Y);
        // Dropping pixels needs no backward pass: nothing is learned from the input's gradient,
        // and the first layer's dW = X^T dZ sees the dropped X that its forward pass saw.
        if (regularization.input_dropout > 0) {
            draw_dropout_mask(n, X.cols, regularization.input_dropout, rng, input_keep);
            dropout_forward(X, input_keep, regularization.input_dropout);
        }
        if (dropout)
            for (std::size_t l = 0; l < masks.keep.size(); ++l)
                draw_dropout_mask(n, net.layers[l].W.cols, masks.rate, rng, masks.keep[l]);

        const Matrix<float>& probs = dropout ? forward_with_dropout(net, X, masks) : forward(net, X);
        const double cross_entropy = cross_entropy_loss(net.Z.back(), Y);
        const double penalty = regularization.l2 > 0 ? l2_penalty(net, regularization.l2) : 0.0;
        const double loss = cross_entropy + penalty;
        if (!std::isfinite(loss))
            throw diverged(epoch, step + 1, steps,
                           "the loss is " + value_text(loss) + ", first seen in " + first_non_finite_layer(net),
                           divergence_advice(regularization, optimizer.settings.learning_rate, cross_entropy,
                                             penalty));
        loss_sum += loss * n;
        penalty_sum += penalty * n;
        correct += count_correct(probs, train, order, first);
        seen += n;

        if (dropout)
            backward_with_dropout(net, X, Y, masks);
        else
            backward(net, X, Y);
        if (regularization.l2 > 0) add_l2_gradients(net, regularization.l2);
        optimizer.step(net);
        // A finite loss does not prove finite weights. A weight whose input is always 0 (a
        // pixel at the image's border, a dead ReLU) never reaches the loss, because a product
        // skips zero inputs (matrix.cpp), so a NaN there would travel on unseen, into the test
        // results and any saved model. And the last step's update is never followed by a loss.
        if (!parameters_finite(net))
            throw diverged(epoch, step + 1, steps,
                           "after the update, " + first_non_finite_layer(net) +
                               " hold a NaN or an infinity (the loss was " + value_text(loss) + ")",
                           divergence_advice(regularization, optimizer.settings.learning_rate, cross_entropy,
                                             penalty));

        if (on_step) on_step(step + 1, steps, loss_sum / seen, double(correct) / seen);
    }

    // A loss can diverge without ever becoming infinite: RMSProp's first steps move every weight
    // by about lr or more whatever the size of its gradient, so a far too large --lr throws the weights about while
    // the loss, computed stably from the logits, stays finite, just enormous, and accuracy sits
    // at chance. Guessing every class with probability 1/K already gives a loss of ln K (2.30
    // for 10 classes), so an epoch whose mean loss is more than ten times that has not learned
    // anything: it has diverged, and saying so beats printing a 10% "result".
    const int classes = net.layers.back().W.cols;
    const double guessing = std::log(static_cast<double>(classes));
    if (loss_sum / seen > 10 * guessing)
        throw diverged(epoch, steps, steps,
                       "the epoch's mean loss is " + value_text(loss_sum / seen) + ", more than ten times the " +
                           value_text(guessing) + " of guessing at random",
                       divergence_advice(regularization, optimizer.settings.learning_rate,
                                         (loss_sum - penalty_sum) / seen, penalty_sum / seen));

    EpochResult result;
    result.epoch = epoch;
    result.loss = loss_sum / seen;
    result.accuracy = double(correct) / seen;
    result.learning_rate = optimizer.settings.learning_rate;
    return result;
}

Evaluation evaluate(Network<float>& net, const Dataset& d) {
    Evaluation result;
    const std::vector<int> order = identity_order(d.count);
    Matrix<float> X, Y;
    double loss_sum = 0;
    for (int first = 0; first < d.count; first += kEvalBatch) {
        const int n = std::min(kEvalBatch, d.count - first);
        gather_batch(d, order, first, n, X, Y);
        const Matrix<float>& probs = forward(net, X);
        loss_sum += cross_entropy_loss(net.Z.back(), Y) * n;
        for (int i = 0; i < n; ++i) result.confusion.add(d.labels[first + i], predicted_class(probs, i));
    }
    result.loss = d.count > 0 ? loss_sum / d.count : 0;
    result.accuracy = result.confusion.accuracy();
    return result;
}
