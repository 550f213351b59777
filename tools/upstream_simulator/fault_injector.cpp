#include "fault_injector.hpp"

#include <nlohmann/json.hpp>

namespace evapo::sim {

namespace {

constexpr FaultKind kKinds[] = {
    FaultKind::delay,     FaultKind::status_429,   FaultKind::status_500, FaultKind::reset,
    FaultKind::truncated, FaultKind::invalid_json, FaultKind::missing_run};

}  // namespace

std::optional<Fault> parse_fault_unguarded(const std::string& body, std::string& error);

const char* to_string(FaultKind kind) {
  switch (kind) {
    case FaultKind::delay:
      return "delay";
    case FaultKind::status_429:
      return "status_429";
    case FaultKind::status_500:
      return "status_500";
    case FaultKind::reset:
      return "reset";
    case FaultKind::truncated:
      return "truncated";
    case FaultKind::invalid_json:
      return "invalid_json";
    case FaultKind::missing_run:
      return "missing_run";
  }
  return "unknown";
}

std::optional<Fault> parse_fault(const std::string& body, std::string& error) {
  try {
    return parse_fault_unguarded(body, error);
  } catch (const nlohmann::json::exception& e) {
    error = std::string("malformed fault: ") + e.what();
    return std::nullopt;
  }
}

std::optional<Fault> parse_fault_unguarded(const std::string& body, std::string& error) {
  const auto json = nlohmann::json::parse(body, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    error = "body must be a JSON object";
    return std::nullopt;
  }
  Fault fault;
  fault.source = json.value("source", std::string("*"));
  const std::string kind = json.value("fault", std::string{});
  bool known = false;
  for (const FaultKind k : kKinds) {
    if (kind == to_string(k)) {
      fault.kind = k;
      known = true;
    }
  }
  if (!known) {
    error = "unknown fault '" + kind + "'";
    return std::nullopt;
  }
  if (json.contains("count") && json["count"].is_number_integer())
    fault.count = json["count"].get<int>();
  if (json.contains("delay_ms") && json["delay_ms"].is_number()) {
    fault.delay = std::chrono::milliseconds{json["delay_ms"].get<long long>()};
  }
  if (json.contains("retry_after_s") && json["retry_after_s"].is_number()) {
    fault.retry_after = std::chrono::seconds{json["retry_after_s"].get<long long>()};
  }
  if (json.contains("days") && json["days"].is_number_integer())
    fault.missing_days = json["days"].get<int>();
  return fault;
}

void FaultInjector::add(Fault fault) {
  const std::lock_guard lock(mutex_);
  faults_.push_back(std::move(fault));
}

void FaultInjector::clear(const std::string& source) {
  const std::lock_guard lock(mutex_);
  if (source.empty() || source == "*") {
    faults_.clear();
    return;
  }
  std::erase_if(faults_, [&](const Fault& f) { return f.source == source; });
}

std::optional<Fault> FaultInjector::on_request(const std::string& source, std::string_view target) {
  const std::lock_guard lock(mutex_);
  ++requests_[source];
  if (!target.empty()) last_targets_[source] = std::string(target);
  for (auto it = faults_.begin(); it != faults_.end(); ++it) {
    if (it->source != source && it->source != "*") continue;
    Fault fault = *it;
    if (it->count > 0 && --it->count == 0) faults_.erase(it);
    ++injected_[source];
    return fault;
  }
  return std::nullopt;
}

nlohmann::json FaultInjector::stats() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json out;
  out["requests"] = nlohmann::json::object();
  for (const auto& [source, n] : requests_) out["requests"][source] = n;
  out["last_target"] = nlohmann::json::object();
  for (const auto& [source, target] : last_targets_) out["last_target"][source] = target;
  out["faults_injected"] = nlohmann::json::object();
  for (const auto& [source, n] : injected_) out["faults_injected"][source] = n;
  out["armed"] = nlohmann::json::array();
  for (const auto& f : faults_) {
    out["armed"].push_back(
        {{"source", f.source}, {"fault", to_string(f.kind)}, {"count", f.count}});
  }
  return out;
}

}  // namespace evapo::sim
