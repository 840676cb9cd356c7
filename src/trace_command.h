// trace_command.h: `./mnist trace`, one training step of a tiny network with every number shown.
//
// Backpropagation is easiest to believe when you can check it with a pencil. This command
// builds a 4-3-2 network (4 inputs, 3 ReLU hidden units, 2 classes) with hand-picked round
// weights, feeds it one example, and prints everything the training step computes, in order:
//
//   forward    Z0 = X W0 + b0,  A0 = relu(Z0),  Z1 = A0 W1 + b1 (the logits),  P = softmax(Z1),
//              and the loss L = -log P[label]
//   backward   dZ1 = (P - Y) / N,  dW1, db1, dA0,  dZ0,  dW0, db0
//   RMSProp    the squared-gradient caches v and the change of every weight and bias
//   after      the loss on the same example once more, lower than before the step
//
// It calls the program's own functions (forward() and backward() of network.h, which call the
// layers of layers.h, and rmsprop_update() of rmsprop.h), in double precision, the same
// template code that trains in float. Nothing here re-implements the math: if a layer were
// wrong, the trace would be wrong with it, and tests/test_trace.cpp, which works the same
// numbers out on its own, would say so. docs/04-backprop.md derives every line by hand.
//
// Read next: docs/04-backprop.md, with this command's output beside it.
#pragma once

#include <string>

// Everything `./mnist trace` prints.
std::string trace_text();

// The subcommand: argv holds the arguments after "trace". Only --help (or -h) is accepted;
// anything else is a UsageError. Prints trace_text() and returns 0.
int trace_command(int argc, char** argv);
