// mistakes.cpp: one pass over the data set, keeping the wrong answers (see mistakes.h).
#include "mistakes.h"

#include <algorithm>

std::vector<Mistake> most_confident_mistakes(Network<float>& net, const Dataset& d, int limit) {
    constexpr int kBatch = 1000;  // as in evaluate(): any size gives the same answers
    const std::vector<int> order = identity_order(d.count);
    std::vector<Mistake> mistakes;
    Matrix<float> X, Y;
    for (int first = 0; first < d.count; first += kBatch) {
        const int n = std::min(kBatch, d.count - first);
        gather_batch(d, order, first, n, X, Y);
        const Matrix<float>& probs = forward(net, X);
        for (int i = 0; i < n; ++i) {
            const int predicted = predicted_class(probs, i);
            const int truth = d.labels[first + i];
            if (predicted != truth)
                mistakes.push_back({first + i, truth, predicted, probs(i, predicted), probs(i, truth)});
        }
    }
    // The images were visited in index order, and stable_sort keeps that order among equal
    // confidences, so the result is the same on every run.
    std::stable_sort(mistakes.begin(), mistakes.end(), [](const Mistake& a, const Mistake& b) {
        return a.confidence > b.confidence;
    });
    if (limit >= 0 && mistakes.size() > static_cast<std::size_t>(limit)) mistakes.resize(limit);
    return mistakes;
}
