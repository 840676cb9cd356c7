// test_exp_log: the program's own exp and log (exp_log.h) against the C library's, over dense
// ranges of arguments, in units in the last place (ulp). The C library is an independent
// reference here: glibc's exp and log are within about 0.5 ulp of the true value, ours within
// one (0.81 and 0.84 measured against long double on x86-64), so the two may differ by one ulp
// and never by more. The same measurement, handed one wrong coefficient, must fail: that shows
// it can.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "check.h"
#include "exp_log.h"
#include "random.h"

namespace {

// Doubles in order, as integers: for two finite doubles of the same sign, the difference of
// their bit patterns is the number of doubles between them, their distance in ulps. Negative
// doubles are mapped below the positive ones so the order holds across zero too.
std::int64_t ordinal(double x) {
    std::int64_t bits = 0;
    std::memcpy(&bits, &x, sizeof bits);
    return bits < 0 ? std::numeric_limits<std::int64_t>::min() - bits : bits;
}

std::int64_t ulps_apart(double a, double b) {
    const std::int64_t d = ordinal(a) - ordinal(b);
    return d < 0 ? -d : d;
}

// The largest distance, over every argument the function below visits, between exp with the
// given coefficients and std::exp. Visits 1,000,001 evenly spaced points of [-745, 709.7] (the
// whole range where e^x is neither 0 nor infinite), 1,000,001 of [-1, 1], and 200,000 random
// ones of [-100, 0] (the softmax's arguments, z - max z).
std::int64_t max_exp_error(const double* coefficients) {
    std::int64_t worst = 0;
    auto visit = [&](double x) {
        const std::int64_t d = ulps_apart(exponential_with(x, coefficients), std::exp(x));
        if (d > worst) worst = d;
    };
    for (int i = 0; i <= 1000000; ++i) visit(-745.0 + (709.7 + 745.0) * i / 1000000);
    for (int i = 0; i <= 1000000; ++i) visit(-1.0 + 2.0 * i / 1000000);
    Rng rng(7);
    for (int i = 0; i < 200000; ++i) visit(-100 * rng.uniform());
    return worst;
}

// The same for log: 1,000,001 points of [0.5, 2] (near 1, where the result nearly cancels),
// and 1,000,000 random doubles across every binade from the smallest subnormal to the largest
// double (a random mantissa times 2^e, e from -1074 to 1023).
std::int64_t max_log_error(const double* coefficients) {
    std::int64_t worst = 0;
    auto visit = [&](double x) {
        const std::int64_t d = ulps_apart(logarithm_with(x, coefficients), std::log(x));
        if (d > worst) worst = d;
    };
    for (int i = 0; i <= 1000000; ++i) visit(0.5 + 1.5 * i / 1000000);
    Rng rng(11);
    for (int i = 0; i < 1000000; ++i) {
        const double x = std::ldexp(1 + rng.uniform(), -1074 + static_cast<int>(rng.below(2098)));
        if (x > 0 && std::isfinite(x)) visit(x);
    }
    return worst;
}

std::string ulps_text(std::int64_t ulps) { return std::to_string(ulps) + " ulp"; }

}  // namespace

int main() {
    // ---- Accuracy against the C library ----------------------------------------------------
    const std::int64_t exp_error = max_exp_error(exp_coefficients);
    const std::int64_t log_error = max_log_error(log_coefficients);
    std::printf("largest distance from std::exp: %s, from std::log: %s\n", ulps_text(exp_error).c_str(),
                ulps_text(log_error).c_str());
    check::expect(exp_error <= 1, "exponential within 1 ulp of std::exp, saw " + ulps_text(exp_error));
    check::expect(log_error <= 1, "logarithm within 1 ulp of std::log, saw " + ulps_text(log_error));

    // The float versions, which the float network's softmax uses, against std::exp(float)
    // and std::log(float), in float ulps (the same ordering trick on 32 bits).
    int float_worst = 0;
    for (int i = 0; i <= 200000; ++i) {
        const float x = -87.0f + 87.0f * static_cast<float>(i) / 200000;
        float a = exponential(x), b = std::exp(x);
        std::int32_t ia = 0, ib = 0;
        std::memcpy(&ia, &a, 4);
        std::memcpy(&ib, &b, 4);
        float_worst = std::max(float_worst, ia > ib ? ia - ib : ib - ia);
        const float y = 1.0f + 100.0f * static_cast<float>(i) / 200000;
        a = logarithm(y);
        b = std::log(y);
        std::memcpy(&ia, &a, 4);
        std::memcpy(&ib, &b, 4);
        float_worst = std::max(float_worst, ia > ib ? ia - ib : ib - ia);
    }
    check::expect(float_worst <= 1, "float exponential and logarithm within 1 ulp of std, saw " +
                                        std::to_string(float_worst) + " ulp");

    // ---- The measurement can fail ------------------------------------------------------------
    // exp's last Taylor coefficient written as 1/12! instead of 1/13!: only the r^13 term
    // changes, by at most 0.347^13 (1/12! - 1/13!) = 2e-15, about 20 ulps at the ends of the
    // reduced range. The check above must see it.
    double wrong_exp[14];
    std::memcpy(wrong_exp, exp_coefficients, sizeof wrong_exp);
    wrong_exp[13] = 1.0 / 479001600;
    const std::int64_t wrong_exp_error = max_exp_error(wrong_exp);
    check::expect(wrong_exp_error > 1, "exp with 1/12! for 1/13! is more than 1 ulp off, saw " +
                                           ulps_text(wrong_exp_error));
    // log's third coefficient, 2/7, written as 2/6 (the series has odd powers only).
    double wrong_log[10];
    std::memcpy(wrong_log, log_coefficients, sizeof wrong_log);
    wrong_log[2] = 2.0 / 6;
    const std::int64_t wrong_log_error = max_log_error(wrong_log);
    check::expect(wrong_log_error > 1, "log with 2/6 for 2/7 is more than 1 ulp off, saw " +
                                           ulps_text(wrong_log_error));
    std::printf("with one wrong coefficient: exp %s, log %s\n", ulps_text(wrong_exp_error).c_str(),
                ulps_text(wrong_log_error).c_str());

    // ---- Exact values and the ends of the range ----------------------------------------------
    const double inf = std::numeric_limits<double>::infinity();
    check::expect(exponential(0.0) == 1, "e^0 is exactly 1");
    check::expect(exponential(1.0) == 0x1.5bf0a8b145769p+1, "e^1 is the double nearest e");
    check::expect(logarithm(1.0) == 0, "ln 1 is exactly 0");
    check::expect(logarithm(2.0) == 0x1.62e42fefa39efp-1, "ln 2 is the double nearest ln 2");
    check::expect(exponential(710.0) == inf, "e^710 overflows to infinity");
    check::expect(exponential(inf) == inf, "e^inf is infinity");
    check::expect(exponential(-746.0) == 0, "e^-746 underflows to 0");
    check::expect(exponential(-inf) == 0, "e^-inf is 0");
    check::expect(exponential(-740.0) > 0 && exponential(-740.0) == std::exp(-740.0),
                  "e^-740, a subnormal, as std::exp gives it");
    check::expect(std::isnan(exponential(std::nan(""))), "e^NaN is NaN");
    check::expect(logarithm(0.0) == -inf, "ln 0 is -infinity");
    check::expect(logarithm(inf) == inf, "ln inf is infinity");
    check::expect(std::isnan(logarithm(-1.0)), "ln of a negative number is NaN");
    check::expect(std::isnan(logarithm(std::nan(""))), "ln NaN is NaN");
    const double tiniest = std::numeric_limits<double>::denorm_min();
    check::expect(ulps_apart(logarithm(tiniest), std::log(tiniest)) <= 1, "ln of the smallest subnormal");

    // ---- power -------------------------------------------------------------------------------
    check::expect(power(0.9, 0) == 1, "x^0 = 1");
    check::expect(power(2.0, 10) == 1024, "2^10 = 1024, exactly");
    check::expect(power(1.0, 123456789) == 1, "1^n = 1, exactly");
    check::expect(power(0.5, 3) == 0.125, "0.5^3 = 0.125, exactly");
    check::near(power(0.999, 20000) / std::pow(0.999, 20000), 1, 1e-11, "0.999^20000 by squaring");

    return check::summary("test_exp_log");
}
