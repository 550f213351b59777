#include <algorithm>
#include <charconv>
#include <ctime>
#include <utility>

#include <fmt/format.h>

#include <evapo/datasets/dataset_upload.hpp>
#include <evapo/io/csv_document.hpp>
#include <evapo/io/station_eto.hpp>

namespace evapo::datasets {

namespace {

// CPU time of the calling thread: what reading costs, whether or not the machine is busy.
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

// Reads "<digits>" at the start of `text`, advancing it; nullopt when there are none.
std::optional<std::size_t> take_number(std::string_view& text) {
  std::size_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

// The reader's messages read "<source>:<line>[:<field>]: <reason>": the same place, as fields.
io::RowProblem problem_of(const domain::Error& error, std::string_view source_name) {
  io::RowProblem problem;
  problem.reason = error.message;
  problem.message = error.message;
  std::string_view rest = error.message;
  if (!rest.starts_with(source_name) || rest.size() <= source_name.size() ||
      rest[source_name.size()] != ':') {
    return problem;
  }
  rest.remove_prefix(source_name.size() + 1);
  const auto line = take_number(rest);
  if (!line) return problem;
  problem.line = *line;
  if (rest.starts_with(":")) {
    rest.remove_prefix(1);
    if (const auto field = take_number(rest)) problem.field = *field;
  }
  if (rest.starts_with(": ")) rest.remove_prefix(2);
  problem.reason = std::string(rest);
  return problem;
}

}  // namespace

void encode_record(std::span<const std::string_view> fields, const std::vector<std::size_t>& order,
                   std::string& line) {
  line.clear();
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i > 0) line.push_back(',');
    io::append_csv_field(line, fields[order[i]]);
  }
  // A line of one empty field would read as an empty line.
  if (line.empty()) line = "\"\"";
}

DatasetUpload::DatasetUpload(UploadOptions options)
    : options_(std::move(options)),
      reader_(io::StationReadOptions{.source_name = options_.source_name,
                                     .timestep = options_.timestep,
                                     .invalid_rows = io::InvalidRows::skip,
                                     .site = options_.site,
                                     .site_names = io::SiteValueNames::parameters,
                                     .max_rejected_kept = kMaxProblemsListed}) {}

std::size_t DatasetUpload::problem_count() const {
  return reader_.rejected_count() + order_problem_count_;
}

UploadRefusal DatasetUpload::refusal(const domain::Error& error) const {
  return UploadRefusal{.code = "INVALID_CSV",
                       .message = error.message,
                       .problems = {problem_of(error, options_.source_name)},
                       .problem_count = 1};
}

tl::expected<void, UploadRefusal> DatasetUpload::start(const std::vector<std::string>& header) {
  std::vector<std::string> columns = options_.columns.value_or(header);
  for (const auto& name : header) {
    if (std::find(columns.begin(), columns.end(), name) == columns.end()) {
      return tl::unexpected(refusal(domain::Error::invalid_argument(fmt::format(
          "{}:1: column '{}' is not one of the dataset's columns", options_.source_name, name))));
    }
  }
  for (const auto& name : columns) {
    const auto found = std::find(header.begin(), header.end(), name);
    if (found == header.end()) {
      return tl::unexpected(refusal(domain::Error::invalid_argument(
          fmt::format("{}:1: missing column '{}' of the dataset", options_.source_name, name))));
    }
    field_order_.push_back(static_cast<std::size_t>(found - header.begin()));
  }
  const io::Timestep timestep = reader_.timestep();
  const std::string_view key = timestep == io::Timestep::daily ? "date" : "datetime";
  key_field_ =
      static_cast<std::size_t>(std::find(header.begin(), header.end(), key) - header.begin()) + 1;
  storage::DatasetRows rows;
  // About one row per 60 bytes of file; a line is at most the file's size.
  rows.reserve(options_.expected_bytes / 60, options_.expected_bytes);
  built_.emplace(UploadedRows{.timestep = timestep,
                              .columns = columns,
                              .rows = std::move(rows),
                              .stats = DatasetStats(timestep, columns),
                              .first_row = {},
                              .rejected = {},
                              .rejected_count = 0});
  return {};
}

void DatasetUpload::take(const io::StationRow& row, std::span<const std::string_view> fields) {
  const io::Timestep timestep = built_->timestep;
  const std::int64_t t = time_key(row);
  if (rows_accepted_ > 0 && (t <= last_t_ || (t - last_t_) % step_minutes(timestep) != 0)) {
    std::string reason;
    if (t == last_t_) {
      reason = fmt::format("duplicate time stamp: {} is also on line {}",
                           format_time_key(t, timestep), last_line_);
    } else if (t < last_t_) {
      reason =
          fmt::format("time stamps out of order: {} comes after {} (line {})",
                      format_time_key(t, timestep), format_time_key(last_t_, timestep), last_line_);
    } else {
      reason = fmt::format(
          "mixed time steps: {} is {} min after the row on line {}; hourly rows are whole hours "
          "apart",
          format_time_key(t, timestep), t - last_t_, last_line_);
    }
    ++order_problem_count_;
    if (order_problems_.size() < kMaxProblemsListed) {
      const std::string_view key = timestep == io::Timestep::daily ? "date" : "datetime";
      order_problems_.push_back(
          io::RowProblem{.line = row.line,
                         .field = key_field_,
                         .column = std::string(key),
                         .reason = reason,
                         .message = fmt::format("{}:{}:{}: {}: {}", options_.source_name, row.line,
                                                key_field_, key, reason)});
    }
    return;
  }
  if (rows_accepted_ == 0) {
    built_->first_row = row;
    built_->first_row.fields.assign(fields.begin(), fields.end());
  }
  built_->stats.add(row, fields);
  encode_record(fields, field_order_, line_);
  built_->rows.add(t, line_);
  last_t_ = t;
  last_line_ = row.line;
  ++rows_accepted_;
}

tl::expected<void, UploadRefusal> DatasetUpload::read(std::string_view chunk, bool final) {
  const auto started = thread_cpu_time();
  bytes_ += chunk.size();
  // A dataset that cannot take the file's columns refuses it, unless the reader refuses it first.
  std::optional<UploadRefusal> not_started;
  const auto visit = [&](const io::StationRow& row, std::span<const std::string_view> fields) {
    if (!built_ && !not_started) {
      if (auto started_ok = start(*reader_.header()); !started_ok) {
        not_started = std::move(started_ok.error());
      }
    }
    if (!not_started) take(row, fields);
  };
  const std::int64_t accepted_before = rows_accepted_;
  const std::size_t order_problems_before = order_problem_count_;
  auto read = final ? reader_.finish(visit) : reader_.push(chunk, visit);
  tl::expected<void, UploadRefusal> outcome;
  if (!read) {
    // A refused piece counts none of its rows (as when its rows were taken only after it read).
    rows_accepted_ = accepted_before;
    order_problem_count_ = order_problems_before;
    outcome = tl::unexpected(refusal(read.error()));
  } else if (not_started) {
    outcome = tl::unexpected(std::move(*not_started));
  } else if (!built_ && reader_.header() != nullptr) {
    outcome = start(*reader_.header());
  }
  parse_time_ += thread_cpu_time() - started;
  return outcome;
}

tl::expected<void, UploadRefusal> DatasetUpload::push(std::string_view chunk) {
  return read(chunk, false);
}

std::vector<io::RowProblem> DatasetUpload::listed_problems() const {
  // Each list holds the first problems of its kind in file order, so the first of both merged
  // are the first of the file.
  std::vector<io::RowProblem> merged = reader_.rejected();
  merged.insert(merged.end(), order_problems_.begin(), order_problems_.end());
  std::stable_sort(merged.begin(), merged.end(),
                   [](const auto& a, const auto& b) { return a.line < b.line; });
  if (merged.size() > kMaxProblemsListed) merged.resize(kMaxProblemsListed);
  return merged;
}

tl::expected<UploadedRows, UploadRefusal> DatasetUpload::finish() {
  if (auto taken = read({}, true); !taken) return tl::unexpected(std::move(taken.error()));
  const std::size_t problems = problem_count();
  if (problems > 0 && options_.invalid_rows == io::InvalidRows::fail) {
    return tl::unexpected(UploadRefusal{
        .code = "INVALID_ROWS",
        .message = fmt::format("{} row(s) of {} are invalid; nothing was stored (send "
                               "skip_invalid=true to keep the valid ones)",
                               problems, rows_parsed()),
        .problems = listed_problems(),
        .problem_count = problems});
  }
  if (rows_accepted_ == 0) {
    return tl::unexpected(UploadRefusal{
        .code = "NO_ROWS",
        .message = problems > 0 ? fmt::format("none of the {} row(s) is valid", problems)
                                : std::string("the file has a header but no data rows"),
        .problems = listed_problems(),
        .problem_count = problems});
  }
  built_->rejected = listed_problems();
  built_->rejected_count = problems;
  return std::move(*built_);
}

}  // namespace evapo::datasets
