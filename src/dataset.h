// dataset.h: from bytes on disk to the matrices the network eats.
//
// idx.h loads images as bytes (0-255) and labels as bytes (0-9). This module does the three
// preparation steps of the tutorial:
//   1. split:    the first `valid_count` training images become the validation set, the rest
//                the training set. The network never trains on the validation images, so its
//                accuracy on them is an honest estimate of how it does on digits it has not
//                seen, one we can watch every epoch without touching the test set.
//   2. scale:    pixel / 255, so inputs lie in [0, 1]. With raw 0-255 inputs the first layer's
//                outputs, and so its gradients, would be 255 times larger than the Glorot
//                initialisation assumes.
//   3. one-hot:  label 3 becomes the row (0,0,0,1,0,0,0,0,0,0): the target probabilities the
//                softmax output is compared with.
// Steps 2 and 3 happen batch by batch, in gather_batch(): the images stay bytes in memory
// (47 MB for MNIST's 60,000) instead of floats (188 MB).
//
// Read next: matrix.h, the numbers the network computes with.
#pragma once

#include <vector>

#include "idx.h"
#include "matrix.h"

struct Split {
    Dataset train;  // what the network learns from
    Dataset valid;  // watched every epoch, never learned from
    Dataset test;   // used once, at the end
};

// Carves the first valid_count images of data.train off as the validation set.
// 0 <= valid_count < data.train.count (the caller checks and reports a bad value).
Split split_validation(MnistData data, int valid_count);

// The images order[first], ..., order[first + n - 1] of d as a batch:
//   X (n x pixels): pixels scaled to [0, 1];   Y (n x K): one-hot labels.
// The training loop passes a shuffled order; evaluation passes 0, 1, 2, ...
void gather_batch(const Dataset& d, const std::vector<int>& order, int first, int n,
                  Matrix<float>& X, Matrix<float>& Y);

// 0, 1, ..., count - 1.
std::vector<int> identity_order(int count);
