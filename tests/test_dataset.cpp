// test_dataset: the validation split, pixel scaling and one-hot labels on a data set of five
// 1x2 "images" written out by hand.
#include "check.h"
#include "dataset.h"

int main() {
    MnistData data;
    data.train.count = 5;
    data.train.rows = 1;
    data.train.cols = 2;
    data.train.pixels = {0, 255, 51, 102, 10, 20, 30, 40, 50, 60};
    data.train.labels = {3, 1, 4, 1, 5};
    data.test = data.train;

    const Split split = split_validation(data, 2);
    check::equal(split.valid.count, 2, "validation takes the first 2 images");
    check::equal(split.train.count, 3, "training keeps the other 3");
    check::equal(split.valid.labels[1], 1, "second validation label");
    check::equal(split.train.labels[0], 4, "first training label is the third image's");
    check::equal(split.train.pixels[0], 10, "first training pixel is the third image's");
    check::equal(static_cast<long long>(split.train.pixels.size()), 6, "training pixel bytes");
    check::equal(split.test.count, 5, "the test set is untouched");

    // Gather images 1 and 0 of the validation set, in that order.
    Matrix<float> X, Y;
    gather_batch(split.valid, {1, 0}, 0, 2, X, Y);
    check::equal(X.rows, 2, "batch rows");
    check::equal(X.cols, 2, "batch columns = pixels per image");
    check::near(X(0, 0), 51 / 255.0, 1e-7, "pixel 51 scales to 0.2");
    check::near(X(0, 1), 0.4, 1e-7, "pixel 102 scales to 0.4");
    check::near(X(1, 1), 1.0, 0, "pixel 255 scales to exactly 1");
    check::equal(Y.cols, kClasses, "one-hot rows have K = 10 columns");
    // Image 1 has label 1: its row is (0,1,0,0,0,0,0,0,0,0). Image 0 has label 3.
    float row_sum = 0;
    for (int k = 0; k < kClasses; ++k) row_sum += Y(0, k);
    check::near(row_sum, 1, 0, "one-hot row sums to 1");
    check::near(Y(0, 1), 1, 0, "label 1 is one-hot at column 1");
    check::near(Y(1, 3), 1, 0, "label 3 is one-hot at column 3");

    // A smaller batch reuses the same matrices: shape follows, the one-hot is rebuilt.
    gather_batch(split.train, identity_order(3), 2, 1, X, Y);
    check::equal(X.rows, 1, "last partial batch has 1 row");
    check::near(Y(0, 5), 1, 0, "label 5 one-hot");
    check::near(Y(0, 3), 0, 0, "old one-hot entries cleared");

    return check::summary("test_dataset");
}
