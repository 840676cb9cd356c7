// exp_log.h: the program's own e^x and ln x, so that a run gives the same bits on every machine.
//
// Why not std::exp and std::log? The C++ standard (and C's, and IEEE 754) requires +, -, *, /
// and sqrt to be correctly rounded: every conforming machine gives the same bits for them. It
// does not require that of exp and log. glibc, macOS's libm, the Windows runtimes and the
// vector versions a compiler may call each get within about one unit in the last place (ulp)
// of the true value, but not always onto the same side of it, so the same training run
// printed different losses on different systems. These two functions use only the operations
// that are correctly rounded (and floor, frexp and ldexp, which are exact), so they give
// the same result wherever the arithmetic is IEEE double precision and the compiler does not
// fuse a * b + c into one instruction (the build turns that off: docs/02-matrix.md).
//
// How they work is chapter 3's last section (docs/03-forward.md, "How a computer computes
// exp"); the comments in exp_log.cpp derive each step. Both are within one ulp of the true
// value for every double (tests/test_exp_log.cpp measures them against std::exp and std::log).
//
// What this is not: fast. It is the textbook method (Cody and Waite's range reduction, a
// polynomial from Taylor's series), not a vectorized or table-driven one. The program calls
// exp ten times per image (the softmax) and log once, so speed does not matter here.
//
// Read next: layers.cpp (the softmax and the cross-entropy are their users).
#pragma once

// e^x. Overflows to +infinity above about 709.78, underflows to 0 below about -745.13
// (through the subnormal numbers), and returns NaN for NaN.
double exponential(double x);

// The natural logarithm. ln(0) = -infinity, ln(+infinity) = +infinity, and NaN for a negative
// number or NaN.
double logarithm(double x);

// The float versions the float network uses: computed in double and rounded once to float,
// which is the correctly rounded float result except in very rare cases of double rounding
// (and those are the same on every machine too).
inline float exponential(float x) { return static_cast<float>(exponential(static_cast<double>(x))); }
inline float logarithm(float x) { return static_cast<float>(logarithm(static_cast<double>(x))); }

// The two functions with their polynomial's coefficients as an argument, and the coefficients
// they are normally called with: exp's 1/n! for n = 0..13, log's 2/(2n+1) for n = 1..10
// (exp_log.cpp derives both). tests/test_exp_log.cpp hands them one wrong coefficient to show
// that its accuracy measurement notices.
extern const double exp_coefficients[14];
extern const double log_coefficients[10];
double exponential_with(double x, const double* inverse_factorial);
double logarithm_with(double x, const double* coefficients);

// base^n for a whole number n >= 0 by repeated squaring: about 2 log2(n) multiplications, each
// correctly rounded, so the result is the same everywhere (std::pow need not be). For the
// learning-rate decay (decay^(epoch-1)) and Adam's bias correction (b^t).
double power(double base, long long n);
