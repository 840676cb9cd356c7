// health.h: is the training healthy? Four numbers per layer, once an epoch (--verbose).
//
// The loss says whether the network is learning; these say why it might not be. For each
// dense layer, after each epoch:
//
//   |W|          the size of its weights, sqrt(sum of w^2) (the Frobenius norm). Steady growth
//                with a falling training loss and a rising validation loss is overfitting:
//                the network is making its answers more confident, not more right.
//   |dW|         the size of the gradient on one batch. Near 0 in the first layers while the
//                loss is still high is a vanishing gradient; huge is an exploding one.
//   step/|W|     how far one optimizer step moves the weights, as a share of their size,
//                |W_after - W_before| / |W_before|. A common rule of thumb (from Karpathy's
//                CS231n notes) is about 1e-3: far below and learning crawls, far above (1e-1)
//                and each step throws away much of what the last ones learned.
//   dead         hidden units whose ReLU outputs 0 for every probe image. A unit that is 0
//                for every image it will ever see passes no gradient back (relu_backward
//                zeroes it), so its incoming weights never change again: it is dead for good.
//                Silence on the probe is the practical test, not a proof (a unit may still
//                wake for images outside the probe). A few are normal; half the layer means
//                the learning rate was too high or the initialisation too negative.
//
// How they are measured, without changing the training. The network and the optimizer are
// copied; the copy runs forward on a fixed probe of up to 1,000 training images (the first
// ones, the same every epoch) to count dead units, then forward, backward and one real
// Optimizer::step on the first `batch_size` of them, a batch like the ones training uses, to
// measure |dW| and the step. The copy is then thrown away: a run with --verbose trains exactly
// like one without, and the default run does none of this work.
//
// Read next: main.cpp, which prints one line of these per epoch when asked.
#pragma once

#include <string>
#include <vector>

#include "dataset.h"
#include "optimizers.h"

struct LayerHealth {
    double weight_norm = 0;    // |W|
    double gradient_norm = 0;  // |dW| on one probe batch
    double step_ratio = 0;     // |one optimizer step| / |W|
    int units = 0;             // the layer's outputs, H
    int dead_units = -1;       // ReLU units silent on the whole probe; -1 for the output layer
};

// The probe: the first min(1000, train.count) images of the training set.
constexpr int kHealthProbeImages = 1000;

// One LayerHealth per dense layer, measured on copies of net and optimizer (see above).
std::vector<LayerHealth> measure_health(const Network<float>& net, const Optimizer& optimizer,
                                        const Dataset& train, int batch_size);

// One line, each measure followed by its value for layer 1, 2, ... (dead ReLUs: hidden
// layers only), e.g. for a 784-128-128-10 network:
//   "  health by layer: |W| 18.32 13.09 5.63 - |dW| 0.75 0.541 0.614 - step/|W| 1.3e-02
//    9.3e-03 6.0e-03 - dead ReLUs 0/128 3/128"     (one line on the screen)
std::string format_health(const std::vector<LayerHealth>& layers);

// sqrt(sum of squares) of every element: the Frobenius norm, in double.
double frobenius_norm(const Matrix<float>& M);
