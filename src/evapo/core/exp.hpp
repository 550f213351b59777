#pragma once

#include <bit>
#include <cstdint>

namespace evapo::core {

/// e^x, accurate to about 1 ulp for |x| <= 708 (NaN in, NaN out; larger |x| is clamped).
/// Deviation: used instead of std::exp in the vapour-pressure equations because it is plain
/// arithmetic that the compiler vectorises, so the scalar and the batch paths run the very same
/// code. Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, then a degree-13 Taylor polynomial
/// (truncation error < 1e-17) and scaling by 2^k through the exponent bits.
inline double exp_vectorizable(double x) {
  x = x > 708.0 ? 708.0 : x;
  x = x < -708.0 ? -708.0 : x;
  constexpr double kLog2e = 1.4426950408889634074;
  constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm split of ln 2
  constexpr double kLn2Lo = 1.90821492927058770002e-10;
  constexpr double kShift = 6755399441055744.0;  // 1.5 * 2^52: rounds to an integer in low bits
  const double shifted = x * kLog2e + kShift;
  const auto k_bits = std::bit_cast<std::uint64_t>(shifted);
  const double k = shifted - kShift;
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double p = 1.0 / 6227020800.0;  // 1/13!
  p = p * r + 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // The low 11 bits of k_bits hold k (two's complement); shifting them into the exponent field
  // builds 2^k directly.
  const auto scale = std::bit_cast<double>((k_bits + 1023u) << 52);
  return p * scale;
}

}  // namespace evapo::core
