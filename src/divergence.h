// divergence.h: how the training loop notices that training has diverged, and says where.
//
// A learning rate far too large makes the weights grow until they overflow: the loss becomes
// infinite or NaN, or, with RMSProp, stays finite but enormous. train_epoch() (train.h) checks
// after every step and throws a TrainingError naming the epoch, the step, the first layer that
// went wrong and the learning rate to lower. None of this is about how the network learns: a
// student following one training step can skip this file.
#pragma once

#include <string>

#include "errors.h"
#include "network.h"

// The first layer whose weights, biases or outputs hold a NaN or an infinity, in words.
std::string first_non_finite_layer(const Network<float>& net);

// True when every weight and bias is a finite number. Cheap enough to run after every step.
bool parameters_finite(const Network<float>& net);

// "NaN (not a number)", "infinite", or the number as %g.
std::string value_text(double x);

// The error for "diverged at epoch E, step S of N: WHAT; try a smaller learning rate".
TrainingError diverged(int epoch, int step, int steps, const std::string& what, float learning_rate);
