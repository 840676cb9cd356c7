// predict_command.h: `./mnist predict` and `./mnist export-pgm`, the network on your own digits.
//
//   ./mnist predict MODEL IMAGE [--exact]  reads a model saved with --save (model_file.h) and a
//                                          PGM picture of one digit (pgm.h), prepares the
//                                          picture as MNIST's digits were prepared
//                                          (prepare_digit.h), shows it, and prints the ten class
//                                          probabilities and the predicted digit
//   ./mnist export-pgm INDEX FILE [--data DIR]
//                                          writes test image INDEX as a PGM file, to look at,
//                                          to edit, or to feed back to predict
//
// Exporting a test digit and predicting it gives the very probabilities the training run
// printed for that digit (--index INDEX), to the last digit: the 28x28 picture passes through
// prepare_digit() unchanged, and the model file holds the exact weights. tests/test_predict.cpp
// checks that, and docs/predict.md shows how to draw your own digit.
//
// Read next: docs/predict.md.
#pragma once

// argv holds the arguments after "predict". Throws UsageError on a bad command line and
// DataError on a bad model or image. Returns 0.
int predict_command(int argc, char** argv);

// argv holds the arguments after "export-pgm". Throws UsageError or DataError. Returns 0.
int export_pgm_command(int argc, char** argv);
