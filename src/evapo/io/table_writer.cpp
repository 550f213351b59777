#include <cmath>
#include <string_view>

#include <fmt/format.h>

#include <evapo/io/csv_document.hpp>
#include <evapo/io/table_writer.hpp>

namespace evapo::io {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string format_number(double value, NumberFormat format) {
  if (std::isnan(value)) return {};
  std::string text = fmt::format("{:.{}f}", value, format.decimals);
  // "-0.0000" reads as a sign error to people; it is zero.
  if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
  return text;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out.push_back(';');
    out.append(name);
  }
  return out;
}

nlohmann::ordered_json rounded(double value, NumberFormat format) {
  const auto number = rounded_number(value, format);
  if (!number) return nullptr;
  return *number;
}

}  // namespace

std::optional<double> rounded_number(double value, NumberFormat format) {
  if (!std::isfinite(value)) return std::nullopt;
  const double scale = std::pow(10.0, format.decimals);
  const double result = std::round(value * scale) / scale;
  return result == 0.0 ? 0.0 : result;
}

std::string write_csv(const OutputTable& table, NumberFormat format) {
  std::string out;
  out.reserve(64 * (table.rows.size() + 1) * (table.columns.size() / 4 + 1));
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_csv_field(out, table.columns[i]);
  }
  out.push_back('\n');
  for (const auto& row : table.rows) {
    const std::size_t row_start = out.size();
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(',');
      std::visit(Overloaded{
                     [](std::monostate) {},
                     [&](double value) { out.append(format_number(value, format)); },
                     [&](const std::string& text) { append_csv_field(out, text); },
                     [&](const RawNumber& number) { append_csv_field(out, number.text); },
                     [&](const std::vector<std::string>& names) {
                       append_csv_field(out, join_names(names));
                     },
                 },
                 row[i]);
    }
    // An empty line would be skipped by a reader: a lone empty field is written quoted.
    if (out.size() == row_start && !row.empty()) out.append("\"\"");
    out.push_back('\n');
  }
  return out;
}

std::string write_json(const OutputTable& table, const nlohmann::ordered_json& meta,
                       NumberFormat format) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : table.rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < row.size() && i < table.columns.size(); ++i) {
      object[table.columns[i]] = std::visit(
          Overloaded{
              [](std::monostate) -> nlohmann::ordered_json { return nullptr; },
              [&](double value) -> nlohmann::ordered_json { return rounded(value, format); },
              [](const std::string& text) -> nlohmann::ordered_json { return text; },
              [](const RawNumber& number) -> nlohmann::ordered_json {
                if (!std::isfinite(number.value)) return nullptr;
                return number.value;
              },
              [](const std::vector<std::string>& names) -> nlohmann::ordered_json { return names; },
          },
          row[i]);
    }
    rows.push_back(std::move(object));
  }
  nlohmann::ordered_json document = {{"meta", meta}, {"rows", std::move(rows)}};
  return document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace evapo::io
