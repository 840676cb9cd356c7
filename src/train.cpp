// train.cpp: the loop of train.h.
#include "train.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "divergence.h"
#include "errors.h"
#include "exp_log.h"

// Round a * b + c twice, as written, even where the processor could fuse the two into one
// instruction (an FMA, docs/02-matrix.md): the same numbers on every machine. The build passes
// -ffp-contract=off to every compiler; this says it to clang in the source too.
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

// Counts the rows of probs whose largest probability is at the true label.
int count_correct(const Matrix<float>& probs, const Dataset& d, const std::vector<int>& order,
                  int first) {
    int correct = 0;
    for (int i = 0; i < probs.rows; ++i)
        if (predicted_class(probs, i) == d.labels[order[first + i]]) ++correct;
    return correct;
}

}  // namespace

EpochResult train_epoch(Network<float>& net, Optimizer& optimizer,
                        const RegularizationSettings& regularization, const Dataset& train,
                        std::vector<int>& order, int batch_size, int epoch, Rng& rng, const StepCallback& on_step) {
    shuffle(order, rng);
    const int count = train.count;
    const int steps = (count + batch_size - 1) / batch_size;
    Matrix<float> X, Y;  // reused by every step: reshape() keeps their memory
    double loss_sum = 0;
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
        double loss = cross_entropy_loss(net.Z.back(), Y);
        if (regularization.l2 > 0) loss += l2_penalty(net, regularization.l2);
        if (!std::isfinite(loss))
            throw diverged(epoch, step + 1, steps,
                           "the loss is " + value_text(loss) + ", first seen in " + first_non_finite_layer(net),
                           optimizer.settings.learning_rate);
        loss_sum += loss * n;
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
                           optimizer.settings.learning_rate);

        if (on_step) on_step(step + 1, steps, loss_sum / seen, double(correct) / seen);
    }

    // A loss can diverge without ever becoming infinite: RMSProp's first steps move every weight
    // by about lr or more whatever the size of its gradient, so a far too large --lr throws the weights about while
    // the loss, computed stably from the logits, stays finite, just enormous, and accuracy sits
    // at chance. Guessing every class with probability 1/K already gives a loss of ln K (2.30
    // for 10 classes), so an epoch whose mean loss is more than ten times that has not learned
    // anything: it has diverged, and saying so beats printing a 10% "result".
    const int classes = net.layers.back().W.cols;
    const double guessing = logarithm(static_cast<double>(classes));
    if (loss_sum / seen > 10 * guessing)
        throw diverged(epoch, steps, steps,
                       "the epoch's mean loss is " + value_text(loss_sum / seen) + ", more than ten times the " +
                           value_text(guessing) + " of guessing at random",
                       optimizer.settings.learning_rate);

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
