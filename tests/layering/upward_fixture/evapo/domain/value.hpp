#pragma once

namespace evapo::domain {
struct Value {
  double v;
};
}  // namespace evapo::domain
