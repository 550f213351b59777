#include <charconv>
#include <fstream>
#include <optional>
#include <sstream>
#include <vector>

#include <evapo/domain/read_file.hpp>
#include <evapo/domain/source_id.hpp>
#include <evapo/pipeline/fusion_priors_file.hpp>

namespace evapo::pipeline {

namespace {

struct Override {
  std::optional<core::FusionContext> context;  // nullopt: every context
  domain::SourceId source;
  std::optional<core::Variable> variable;  // nullopt: every variable
  double sd;
};

std::optional<core::FusionContext> parse_context(std::string_view text) {
  if (text == "reanalysis") return core::FusionContext::reanalysis;
  if (text == "forecast_usa") return core::FusionContext::forecast_usa;
  if (text == "forecast_nordic") return core::FusionContext::forecast_nordic;
  if (text == "forecast_global") return core::FusionContext::forecast_global;
  return std::nullopt;
}

std::optional<core::Variable> parse_variable(std::string_view text) {
  for (core::Variable v : core::kVariables) {
    if (core::to_string(v) == text) return v;
  }
  return std::nullopt;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream stream(line);
  std::string field;
  while (std::getline(stream, field, ',')) {
    while (!field.empty() && (field.back() == ' ' || field.back() == '\r')) field.pop_back();
    while (!field.empty() && field.front() == ' ') field.erase(field.begin());
    fields.push_back(field);
  }
  return fields;
}

}  // namespace

domain::Expected<PriorsProvider> parse_priors_csv(std::string_view text) {
  std::vector<Override> overrides;
  std::stringstream stream{std::string(text)};
  std::string line;
  int number = 0;
  auto bad = [&](const std::string& why) {
    return domain::fail(domain::Error::invalid_argument("fusion priors line " +
                                                        std::to_string(number) + ": " + why));
  };
  while (std::getline(stream, line)) {
    ++number;
    const auto fields = split(line);
    if (fields.empty() || (fields.size() == 1 && fields[0].empty())) continue;
    if (number == 1) {
      if (fields != std::vector<std::string>{"context", "source", "variable", "sd"}) {
        return bad("the header must be context,source,variable,sd");
      }
      continue;
    }
    if (fields.size() != 4) return bad("expected 4 fields");
    Override o{};
    if (fields[0] != "*") {
      o.context = parse_context(fields[0]);
      if (!o.context) return bad("unknown context \"" + fields[0] + "\"");
    }
    const auto source = domain::parse_source_id(fields[1]);
    if (!source) return bad("unknown source \"" + fields[1] + "\"");
    o.source = *source;
    if (fields[2] != "*") {
      o.variable = parse_variable(fields[2]);
      if (!o.variable) return bad("unknown variable \"" + fields[2] + "\"");
    }
    const auto& sd = fields[3];
    const auto [end, ec] = std::from_chars(sd.data(), sd.data() + sd.size(), o.sd);
    if (ec != std::errc{} || end != sd.data() + sd.size() || !(o.sd > 0.0)) {
      return bad("sd must be a number > 0");
    }
    overrides.push_back(o);
  }
  return PriorsProvider([overrides](core::FusionContext context) {
    auto priors = core::FusionPriors::defaults(context);
    for (const auto& o : overrides) {
      if (o.context && *o.context != context) continue;
      for (core::Variable v : core::kVariables) {
        if (!o.variable || *o.variable == v) priors.set_sd(o.source, v, o.sd);
      }
    }
    return priors;
  });
}

domain::Expected<PriorsProvider> load_priors_csv(const std::string& path) {
  const auto text = domain::read_file(path);
  if (!text) {
    return domain::fail(
        domain::Error{text.error().code, "fusion priors: " + text.error().message, {}});
  }
  return parse_priors_csv(*text);
}

}  // namespace evapo::pipeline
