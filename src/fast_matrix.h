// fast_matrix.h: the three products of matrix.h again, fast, with exactly the same results; and
// the threads' share of the optimizer's update.
//
// matrix.cpp writes C = A B, C = A^T B and C = A B^T as the loops of their formulas: for each
// output, a sum over p = 0, 1, ..., k-1 in that order. Those loops are what the book explains
// and what the tests compare against, but they walk memory in the slowest way there is (see
// docs/performance.md). The kernels here compute the same sums, each output's terms added in
// the same order starting from 0, so every output has the same bits; what changes is how memory
// is walked, which zeros are skipped, and how many threads share the rows. test_kernels checks
// the bits on random matrices.
//
// The one condition: B must hold finite numbers. A zero of A is skipped here where the naive loop
// adds 0 * B[p][j]; that is +0 or -0 for a finite B[p][j] and changes no sum (see
// fast_matrix.cpp), but 0 * infinity is NaN. Training stops at the first non-finite loss long
// before such a number could reach a product.
//
// Which products the program uses is set once, in main() (`--kernels fast|naive`): the products
// of matrix.h hand their work to the functions below unless use_kernels(Kernels::naive) was
// called. The default, for the tests and tools too, is the fast kernels on one thread. The same
// switch decides whether the optimizer's update is shared between the threads (share_elements,
// last below).
//
// Read in docs/performance.md; a student following one training step can skip this file.
#pragma once

#include <cstddef>
#include <functional>

#include "matrix.h"
#include "parallel.h"

enum class Kernels { naive, fast };

// Selects the products matrix.h uses from now on. With Kernels::fast, `workers` (when not null)
// shares their rows, and the optimizer's update, among its threads; it must outlive every
// product computed with it.
void use_kernels(Kernels kernels, Workers* workers = nullptr);
bool fast_kernels_on();

// The fast products, same shapes and same results as matmul, matmul_at_b and matmul_a_bt.
template <typename Real>
void fast_matmul(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);
template <typename Real>
void fast_matmul_at_b(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);
template <typename Real>
void fast_matmul_a_bt(const Matrix<Real>& A, const Matrix<Real>& B, Matrix<Real>& C);

// ---- The optimizer's update, shared between the threads ----------------------------------------

// Calls piece(begin, n) on pieces [begin, begin + n) that together cover [0, size), each piece
// on one of the threads of use_kernels() (the whole range in one call with Kernels::naive or
// one thread). For work on each element apart from the others, such as an optimizer's update
// (Optimizer::update_tensor, optimizers.cpp): then how the range is cut changes no result.
void share_elements(std::size_t size, const std::function<void(std::size_t, std::size_t)>& piece);

// What share_elements counts one element as, in multiply-adds, when it weighs the work against
// Workers::kMinWorkPerThread (parallel.h): RMSProp's and Adam's square root and division take
// about as long as ten multiply-adds. SGD and momentum, cheaper, are weighed the same: their
// large tensors are worth sharing too, and one rule for all keeps the split in one place.
constexpr long kWorkPerUpdatedElement = 10;
