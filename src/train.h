// train.h: the training loop, and evaluation on a held-out set.
//
// One epoch = one pass over the training set in a new random order, in mini-batches:
//   for each batch:  forward  ->  loss  ->  backward  ->  optimizer step (optimizers.h).
// With --dropout, --input-dropout or --l2 (regularization.h) each step also draws dropout masks
// before the forward pass and adds the L2 penalty to the loss and its gradient to dW.
// A mini-batch gradient is the average of N per-example gradients: noisier than the gradient
// over all 50,000 images, but 782 updates per epoch instead of one, and the noise itself helps
// the network out of poor regions. The seed tutorial chose N = 64 (Keras' default is 32).
//
// Read next: main.cpp, which calls these once per epoch and prints what they return.
#pragma once

#include <functional>
#include <vector>

#include "confusion.h"
#include "dataset.h"
#include "optimizers.h"
#include "regularization.h"

// What one epoch printed, as Keras prints it.
struct EpochResult {
    int epoch = 0;           // 1-based
    double loss = 0;         // mean training loss over the epoch's batches (see train_epoch)
    double accuracy = 0;     // fraction of training images classified right, same way
    double val_loss = 0;     // on the validation set, after the epoch
    double val_accuracy = 0;
    double seconds = 0;      // training plus validation
    double learning_rate = 0;  // the optimizer's learning rate during the epoch (--lr-decay)
};

// How the network does on a whole data set, without learning from it.
struct Evaluation {
    double loss = 0;       // mean cross-entropy
    double accuracy = 0;   // fraction right
    ConfusionMatrix confusion;
};

// Called after every training step with the running means of the epoch so far, for the
// progress bar. May be empty.
using StepCallback = std::function<void(int step, int steps, double loss, double accuracy)>;

// Trains for one epoch. `order` holds the indices of the training images and is reshuffled
// here with rng first, so each epoch sees the images in a new order. The last batch is
// smaller when batch_size does not divide the number of images; it is kept, as Keras does.
//
// The loss and accuracy returned are those of each batch measured during its forward pass,
// before its update, averaged over the epoch (weighted by batch size): cheap, because the
// forward pass computes them anyway, and what Keras reports as `loss` and `accuracy`. They lag
// behind the network at the end of the epoch, which is why early epochs show a training loss
// above the validation loss.
//
// With regularization: the masks are drawn from rng too, after the shuffle, in a fixed order
// (input mask, then hidden layer 1, 2, ...), so a seed still gives the same run; with none of
// it, rng is used for the shuffle alone. The loss returned then includes the L2 penalty, as
// Keras' does; it is measured with dropout on, so it is noisier than the validation loss.
//
// Throws TrainingError, naming the epoch, step and layer, as soon as the loss, a weight or a
// bias is not finite.
EpochResult train_epoch(Network<float>& net, Optimizer& optimizer,
                        const RegularizationSettings& regularization, const Dataset& train,
                        std::vector<int>& order, int batch_size, int epoch, Rng& rng, const StepCallback& on_step);

// How many test or validation images go through the network at once during evaluation. Any
// size gives the same numbers; larger batches just make fewer, longer matrix products.
constexpr int kEvalBatch = 1000;

// Loss, accuracy and confusion matrix of the network on every image of d, in batches of kEvalBatch. No
// dropout (evaluation sees every unit) and no L2 penalty: the loss is the plain cross-entropy,
// comparable between runs with and without --l2. (Keras adds the penalty to val_loss too.)
Evaluation evaluate(Network<float>& net, const Dataset& d);
