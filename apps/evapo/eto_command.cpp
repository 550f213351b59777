// `evapo eto`: reference ET for the rows of a station CSV file (issue 2, section 3).
// Reads the whole input, validates it, computes every row, and only then writes, so that bad
// input produces an error and no partial output.

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/eto_result.hpp>
#include <evapo/core/flags.hpp>
#include <evapo/core/hourly_reference_et.hpp>
#include <evapo/core/options.hpp>
#include <evapo/domain/error.hpp>
#include <evapo/domain/read_file.hpp>
#include <evapo/io/output_table.hpp>
#include <evapo/io/station_columns.hpp>
#include <evapo/io/station_eto.hpp>
#include <evapo/io/station_reader.hpp>
#include <evapo/io/table_writer.hpp>

#include "subcommand.hpp"

namespace evapo::app {
namespace {

enum class OutputFormat { csv, json };
enum class Explain { off, on };

struct EtoCommandOptions {
  std::string file = "-";
  core::Method method = core::Method::fao56;
  io::Timestep timestep = io::Timestep::daily;
  core::RsoModel rso = core::RsoModel::simple;
  core::TimestampConvention timestamp = core::TimestampConvention::period_end;
  core::ConstantSet constants = core::ConstantSet::standard;
  io::SiteDefaults site;
  Explain explain = Explain::off;
  OutputFormat format = OutputFormat::csv;
  io::InvalidRows invalid_rows = io::InvalidRows::fail;
};

// One explained intermediate: its output column (unit in the name) and where it lives.
struct ExplainColumn {
  const char* name;
  double core::Intermediates::*member;
};

// Quantities that are also input columns get a "_used" infix so the input stays untouched.
constexpr ExplainColumn kExplainColumns[] = {
    {"pressure_kpa", &core::Intermediates::pressure_kpa},
    {"gamma_kpa_c", &core::Intermediates::gamma_kpa_c},
    {"tmean_used_c", &core::Intermediates::tmean_c},
    {"delta_kpa_c", &core::Intermediates::delta_kpa_c},
    {"es_kpa", &core::Intermediates::es_kpa},
    {"ea_used_kpa", &core::Intermediates::ea_kpa},
    {"vpd_kpa", &core::Intermediates::vpd_kpa},
    {"ra_mj_m2", &core::Intermediates::ra_mj_m2},
    {"daylight_h", &core::Intermediates::daylight_h},
    {"rso_mj_m2", &core::Intermediates::rso_mj_m2},
    {"rs_used_mj_m2", &core::Intermediates::rs_mj_m2},
    {"fcd", &core::Intermediates::fcd},
    {"rns_mj_m2", &core::Intermediates::rns_mj_m2},
    {"rnl_mj_m2", &core::Intermediates::rnl_mj_m2},
    {"rn_mj_m2", &core::Intermediates::rn_mj_m2},
    {"g_used_mj_m2", &core::Intermediates::g_mj_m2},
    {"u2_m_s", &core::Intermediates::u2_m_s},
};

// Every row in file order, as io::StationEtoCalculator computes them (the same code as a
// dataset's calculation on the server).
std::vector<core::EtoResult> compute_rows(const io::StationTable& table,
                                          const EtoCommandOptions& options) {
  io::StationEtoCalculator calculator(options.timestep,
                                      core::EtoOptions{.method = options.method,
                                                       .rso = options.rso,
                                                       .timestamp = options.timestamp,
                                                       .constants = options.constants});
  std::vector<core::EtoResult> results;
  results.reserve(table.rows.size());
  for (const auto& row : table.rows) results.push_back(calculator.next(row));
  return results;
}

io::OutputTable make_output_table(const io::StationTable& table,
                                  const std::vector<core::EtoResult>& results,
                                  const EtoCommandOptions& options) {
  io::OutputTable output;
  output.columns = table.header;
  output.columns.emplace_back(core::is_tall_reference(options.method) ? "etr_mm" : "eto_mm");
  output.columns.emplace_back("flags");
  if (options.explain == Explain::on) {
    for (const auto& column : kExplainColumns) output.columns.emplace_back(column.name);
  }

  // Known numeric columns are numbers in JSON; everything else is text.
  std::vector<const io::StationColumn*> numeric(table.header.size(), nullptr);
  for (std::size_t i = 0; i < table.header.size(); ++i) {
    numeric[i] = io::find_station_column(options.timestep, table.header[i]);
  }

  output.rows.reserve(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const auto& result = results[r];
    std::vector<io::Cell> cells;
    cells.reserve(output.columns.size());
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      if (const auto* column = numeric[i]) {
        // Site values may come from a flag; the cell itself is what the file said.
        const double value = row.fields[i].find_first_not_of(" \t") == std::string::npos
                                 ? domain::kMissing
                                 : row.*(column->member);
        cells.emplace_back(io::RawNumber{row.fields[i], value});
      } else {
        cells.emplace_back(row.fields[i]);
      }
    }
    cells.emplace_back(result.et_mm());
    std::vector<std::string> flags;
    for (const auto name : core::flag_names(result.flags)) flags.emplace_back(name);
    cells.emplace_back(std::move(flags));
    if (options.explain == Explain::on) {
      for (const auto& column : kExplainColumns) cells.emplace_back(result.terms.*column.member);
    }
    output.rows.push_back(std::move(cells));
  }
  return output;
}

nlohmann::ordered_json make_meta(const EtoCommandOptions& options, const io::StationTable& table) {
  return {{"source", options.file},
          {"method", io::to_string(options.method)},
          {"timestep", io::to_string(options.timestep)},
          {"rso", io::to_string(options.rso)},
          {"timestamp", io::to_string(options.timestamp)},
          {"constants", io::to_string(options.constants)},
          {"unit", options.timestep == io::Timestep::daily ? "mm/d" : "mm/h"},
          {"rows", table.rows.size()},
          {"rows_skipped", table.rejected_count}};
}

domain::Expected<std::string> read_input(const std::string& file) {
  std::ostringstream buffer;
  if (file == "-") {
    buffer << std::cin.rdbuf();
    if (std::cin.bad()) return domain::fail(domain::Error::unavailable("-: cannot read stdin"));
    return std::move(buffer).str();
  }
  return domain::read_file(file);
}

int run_eto(const EtoCommandOptions& options) {
  if (options.method == core::Method::hargreaves && options.timestep == io::Timestep::hourly) {
    std::fprintf(stderr, "evapo eto: --method hargreaves is daily only (FAO-56 Eq. 52)\n");
    return kExitBadInput;
  }
  auto text = read_input(options.file);
  if (!text) {
    std::fprintf(stderr, "evapo eto: %s\n", text.error().message.c_str());
    return kExitBadInput;
  }
  const io::StationReadOptions read_options{
      .source_name = options.file,
      .timestep = options.timestep,
      .invalid_rows = options.invalid_rows,
      .site = options.site,
      .site_values = options.method == core::Method::hargreaves ? io::SiteValuesUsed::latitude_only
                                                                : io::SiteValuesUsed::all};
  auto table = io::read_station_csv(*text, read_options);
  if (!table) {
    std::fprintf(stderr, "evapo eto: %s\n", table.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& problem : table->rejected) {
    std::fprintf(stderr, "evapo eto: skipped %s\n", problem.message.c_str());
  }
  if (table->rejected_count > 0) {
    std::fprintf(stderr, "evapo eto: %zu invalid row(s) skipped, %zu computed\n",
                 table->rejected_count, table->rows.size());
  }

  const auto results = compute_rows(*table, options);
  const auto output = make_output_table(*table, results, options);
  const std::string rendered = options.format == OutputFormat::csv
                                   ? io::write_csv(output)
                                   : io::write_json(output, make_meta(options, *table));
  std::fwrite(rendered.data(), 1, rendered.size(), stdout);
  if (std::fflush(stdout) != 0) {
    std::fprintf(stderr, "evapo eto: cannot write the output\n");
    return kExitBadInput;
  }
  return kExitOk;
}

// A named choice: the help lists the names, and only those names are accepted.
template <class Enum>
CLI::Option* add_choice(CLI::App& command, const std::string& name, Enum& target,
                        std::map<std::string, Enum> choices, const std::string& help) {
  std::vector<std::string> names;
  names.reserve(choices.size());
  for (const auto& choice : choices) names.push_back(choice.first);
  return command
      .add_option_function<std::string>(
          name, [&target, choices](const std::string& value) { target = choices.at(value); }, help)
      ->check(CLI::IsMember(names));
}

void setup_eto(CLI::App& parent, int& exit_code) {
  auto options = std::make_shared<EtoCommandOptions>();
  auto* command = parent.add_subcommand(
      "eto", "Reference ET (FAO-56 / ASCE-EWRI 2005) for every row of a station CSV file");

  add_choice<core::Method>(*command, "--method", options->method,
                           {{"fao56", core::Method::fao56},
                            {"asce-short", core::Method::asce_short},
                            {"asce-tall", core::Method::asce_tall},
                            {"hargreaves", core::Method::hargreaves}},
                           "Reference ET method (default fao56)");
  add_choice<io::Timestep>(*command, "--timestep", options->timestep,
                           {{"daily", io::Timestep::daily}, {"hourly", io::Timestep::hourly}},
                           "One row per day or per hour (default daily)");
  add_choice<core::RsoModel>(
      *command, "--rso", options->rso,
      {{"simple", core::RsoModel::simple}, {"full", core::RsoModel::full}},
      "Clear-sky radiation: simple (FAO-56 Eq. 37) or full (ASCE-EWRI 2005 App. D)");
  command
      ->add_option("--latitude", options->site.latitude_deg,
                   "Site latitude, degrees north, for rows without latitude_deg")
      ->check(CLI::Range(-90.0, 90.0));
  command
      ->add_option("--longitude", options->site.longitude_deg,
                   "Site longitude, degrees east, for rows without longitude_deg (hourly)")
      ->check(CLI::Range(-180.0, 180.0));
  command
      ->add_option("--elevation", options->site.elevation_m,
                   "Site elevation, m, for rows without elevation_m")
      ->check(CLI::Range(-500.0, 9000.0));
  command
      ->add_option("--wind-height", options->site.wind_height_m,
                   "Anemometer height, m, for rows without wind_height_m (default 2)")
      ->check(CLI::Range(0.5, 100.0));
  command
      ->add_option("--tz-offset", options->site.tz_offset_h,
                   "Local standard time minus UTC, hours, for rows without tz_offset_h (hourly)")
      ->check(CLI::Range(-12.0, 14.0));
  add_choice<core::TimestampConvention>(
      *command, "--timestamp", options->timestamp,
      {{"end", core::TimestampConvention::period_end},
       {"start", core::TimestampConvention::period_start}},
      "Whether an hourly time stamp marks the end (default) or start of the hour");
  add_choice<core::ConstantSet>(
      *command, "--constants", options->constants,
      {{"standard", core::ConstantSet::standard}, {"ref-et", core::ConstantSet::ref_et}},
      "Printed constants: standard (FAO-56/ASCE-EWRI 2005, default) or ref-et (the "
      "REF-ET program's declination, Gsc and pressure exponent)");
  command->add_flag_callback(
      "--explain", [options] { options->explain = Explain::on; },
      "Add every intermediate quantity (unit in each column name)");
  add_choice<OutputFormat>(*command, "--format", options->format,
                           {{"csv", OutputFormat::csv}, {"json", OutputFormat::json}},
                           "Output format: csv (default) or json");
  command->add_flag_callback(
      "--skip-invalid", [options] { options->invalid_rows = io::InvalidRows::skip; },
      "Report invalid rows on stderr and leave them out instead of failing");
  command->add_option("file", options->file, "Station CSV file, or - for stdin (default)");

  command->callback([options, &exit_code] { exit_code = run_eto(*options); });
}

const RegisterSubcommand kRegisterEto{setup_eto};

}  // namespace
}  // namespace evapo::app
