// exp_log.cpp: e^x and ln x from +, -, *, / alone, derived step by step (docs/03-forward.md,
// "How a computer computes exp", tells the same story with pictures in words).
//
// Both functions follow one plan, the one every math library follows in some form:
//   1. Range reduction: write the argument in terms of a power of two, whose exp or log is
//      exact, and a small remainder.
//   2. A polynomial for the remainder: on a small interval a few terms of a series are as
//      accurate as double precision can hold.
//   3. Reconstruction: put the two back together, in an order that keeps the rounding errors
//      of the big parts out of the small ones.
#include "exp_log.h"

#include <cfloat>
#include <cmath>
#include <limits>

// Every double operation must round to a double. On 32-bit x86 without SSE2 the x87 unit keeps
// intermediate results in 80 bits (FLT_EVAL_METHOD 2), and the results would differ from
// every other machine's; better not to compile than to print other numbers.
static_assert(FLT_EVAL_METHOD == 0, "exp_log.cpp needs float and double arithmetic rounded to "
                                    "their own precision (FLT_EVAL_METHOD 0: on x86, use SSE2)");

// No fused multiply-add here, whatever the flags: `a * b + c` must round twice, as written,
// on every machine (the Makefile and CMakeLists.txt also pass -ffp-contract=off; GCC has no
// pragma for it and relies on that flag alone).
#if defined(__clang__)
#pragma STDC FP_CONTRACT OFF
#endif

namespace {

// ln 2 split in two. ln2_hi holds only the first 32 significant bits of ln 2 (the rest of its
// 53 are zeros), so k * ln2_hi is exact for every whole k below 2^21 in size: the product needs
// at most 32 + 21 bits. ln2_lo is the next 53 bits of ln 2. Together they carry ln 2 to about
// 85 bits, which is what makes x - k ln 2 accurate even when it nearly cancels (Cody and
// Waite, 1980). These are the constants of fdlibm, the freely distributed libm from Sun.
constexpr double ln2_hi = 0x1.62e42feep-1;        // 0.693147180369123816490
constexpr double ln2_lo = 0x1.a39ef35793c76p-33;  // 1.90821492927058770002e-10
constexpr double log2_e = 0x1.71547652b82fep+0;   // 1 / ln 2 = 1.44269504088896338700

}  // namespace

// ---- exp -------------------------------------------------------------------------------------
//
// 1. Range reduction. Choose the whole number k nearest to x / ln 2, and let r = x - k ln 2. Then
//        e^x = e^(k ln 2 + r) = 2^k e^r,
//    and |r| <= ln 2 / 2 = 0.3466 (plus a hair, since x / ln 2 is itself rounded). Multiplying
//    by 2^k only changes the exponent field of a double, so it is exact.
// 2. The polynomial. Taylor's series e^r = 1 + r + r^2/2! + r^3/3! + ... with |r| <= 0.347:
//    the first term left out after r^13/13! is r^14/14! <= 0.347^14 / 8.7e10 = 4e-18, far below
//    the 1.1e-16 relative spacing of doubles near 1. So 14 terms, evaluated by Horner's rule
//        1/2! + r (1/3! + r (1/4! + ... + r (1/13!)))
//    which needs one multiplication and one addition per term and adds the small terms first.
// 3. Reconstruction: ldexp(p, k) = p 2^k, exact unless the result is too large (infinity) or
//    so small that it becomes a subnormal number (then it is rounded once, correctly).
const double exp_coefficients[14] = {
    // 1/n! for n = 0 to 13. Each is a quotient of two exact doubles (13! < 2^53), so the
    // compiler's rounding of it is IEEE's correct rounding, the same everywhere.
    1.0,           1.0,            1.0 / 2,         1.0 / 6,         1.0 / 24,
    1.0 / 120,     1.0 / 720,      1.0 / 5040,      1.0 / 40320,     1.0 / 362880,
    1.0 / 3628800, 1.0 / 39916800, 1.0 / 479001600, 1.0 / 6227020800};

double exponential_with(double x, const double* inverse_factorial) {
    if (std::isnan(x)) return x;
    // e^709.79 is past the largest double (1.8e308), and e^-745.2 is below half the smallest
    // subnormal (4.9e-324), so it rounds to 0. Between the two, ldexp takes care of both ends.
    if (x > 710) return std::numeric_limits<double>::infinity();
    if (x < -746) return 0;

    const double k = std::floor(x * log2_e + 0.5);  // the nearest whole number to x / ln 2
    const double r = (x - k * ln2_hi) - k * ln2_lo;   // the first subtraction is exact

    // q = 1/2! + r/3! + ... + r^11/13!, so that e^r = 1 + r + r^2 q.
    double q = inverse_factorial[13];
    for (int n = 12; n >= 2; --n) q = q * r + inverse_factorial[n];
    // The sum, with as few roundings as matter. 1 + r is rounded, but its rounding error is
    // exactly (1 - sum) + r (both operations are exact when |r| < 1: the "Fast2Sum" of Dekker,
    // 1971), so we add that error back with the small terms, and the one rounding that counts is
    // the last addition. Plain Horner's rule down to 1 is within 1.15 ulp of the true e^x;
    // this is within 0.81 (measured against long double), and gets e^1 right to the last bit.
    const double sum = 1 + r;
    const double sum_error = (1 - sum) + r;
    const double p = sum + (sum_error + (r * r) * q);

    return std::ldexp(p, static_cast<int>(k));
}

double exponential(double x) { return exponential_with(x, exp_coefficients); }

// ---- log -------------------------------------------------------------------------------------
//
// 1. Range reduction. Every positive double is m 2^k with a mantissa m we may choose in
//    [sqrt(1/2), sqrt(2)) (frexp gives m in [1/2, 1); if m < sqrt(1/2) we double it and lower
//    k by one). Then
//        ln x = k ln 2 + ln m,   ln m = ln(1 + f)  with  f = m - 1  in [-0.293, 0.414].
//    f = m - 1 is exact: m and 1 are within a factor of two of each other (Sterbenz's lemma).
// 2. The series. Taylor's series of ln(1 + f) converges slowly (f^n / n), but with
//        s = f / (2 + f),   so that   1 + f = (1 + s) / (1 - s),
//    it becomes
//        ln(1 + f) = ln(1 + s) - ln(1 - s) = 2 (s + s^3/3 + s^5/5 + s^7/7 + ...)
//    (the even powers cancel), and |s| <= (sqrt 2 - 1) / (sqrt 2 + 1) = 0.1716, so s^2 <= 0.0295
//    and each term is 34 times smaller than the one before. Write z = s^2 and
//        ln(1 + f) = 2s + s R,   R = 2z/3 + 2z^2/5 + ... + 2z^10/21,
//    the first term left out being s * 2z^11/23, 6e-19 times 2s at most.
// 3. Reconstruction. 2s itself is rounded (f / (2 + f) is), and near x = 1 that error would be
//    the whole error. fdlibm's trick keeps f, which is exact, as the leading term: with
//    hfsq = f^2 / 2 one can check that 2s = f - s f and s f = hfsq - s hfsq, so
//        ln(1 + f) = f - (hfsq - s (hfsq + R)),
//    where the correction in parentheses is small next to f. Adding k ln 2 in two pieces (ln2_hi,
//    whose product with k is exact, last) keeps the large part exact too. The result is within
//    one ulp of the true logarithm.
const double log_coefficients[10] = {2.0 / 3,  2.0 / 5,  2.0 / 7,  2.0 / 9,  2.0 / 11,
                                     2.0 / 13, 2.0 / 15, 2.0 / 17, 2.0 / 19, 2.0 / 21};

double logarithm_with(double x, const double* coefficients) {
    if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
    if (x == 0) return -std::numeric_limits<double>::infinity();
    if (std::isinf(x)) return x;

    int exponent = 0;
    double m = std::frexp(x, &exponent);  // x = m 2^exponent, m in [1/2, 1): exact
    if (m < 0x1.6a09e667f3bcdp-1) {       // sqrt(1/2) = 0.7071...
        m *= 2;                           // exact
        exponent -= 1;
    }
    const double k = exponent;
    const double f = m - 1;  // exact, in [-0.293, 0.414]
    const double s = f / (2 + f);
    const double z = s * s;

    // R = 2z/3 + 2z^2/5 + ... + 2z^10/21 = z (2/3 + z (2/5 + ... + z (2/21))), Horner's rule.
    double R = coefficients[9];
    for (int n = 8; n >= 0; --n) R = R * z + coefficients[n];
    R *= z;

    const double hfsq = 0.5 * f * f;
    return k * ln2_hi - ((hfsq - (s * (hfsq + R) + k * ln2_lo)) - f);
}

double logarithm(double x) { return logarithm_with(x, log_coefficients); }

// ---- power -----------------------------------------------------------------------------------
//
// base^n from the binary digits of n: base^13 = base^8 * base^4 * base^1, and base^1, base^2,
// base^4, base^8 are each the square of the one before. The multiplications are always done in
// this order, so the rounding is the same on every machine.
double power(double base, long long n) {
    double result = 1;
    double square = base;  // base^(2^i) at step i
    while (n > 0) {
        if (n & 1) result *= square;
        square *= square;
        n >>= 1;
    }
    return result;
}
