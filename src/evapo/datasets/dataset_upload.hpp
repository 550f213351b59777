#pragma once

// A station CSV upload read as it arrives: `evapo eto`'s reader (io::StationReader) validates
// each row, this adds what a dataset needs on top (rows in strictly increasing time at one
// timestep, the stored form of each row, its statistics) and collects the problems to report.

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include <evapo/datasets/dataset_stats.hpp>
#include <evapo/io/station_reader.hpp>
#include <evapo/storage/dataset_store.hpp>

namespace evapo::datasets {

/// At most this many problems are listed in a refusal (all are counted).
inline constexpr std::size_t kMaxProblemsListed = 100;

struct UploadOptions {
  std::string source_name = "upload.csv";  // the file's name in messages
  io::SiteDefaults site;                   // site values given beside the file
  /// nullopt: from the header (a new dataset); an append: the dataset's.
  std::optional<io::Timestep> timestep;
  /// An append: the dataset's columns; the file must have the same ones (in any order).
  std::optional<std::vector<std::string>> columns;
  /// skip: invalid rows are left out and reported; fail: the file is refused whole.
  io::InvalidRows invalid_rows = io::InvalidRows::fail;
  /// The file's size when known beforehand (Content-Length): its rows are kept in one buffer of
  /// that size instead of a growing one.
  std::size_t expected_bytes = 0;
};

/// Why a file was refused (HTTP 422): a code, a summary, and where (up to kMaxProblemsListed).
struct UploadRefusal {
  std::string code;  // INVALID_CSV (the file as a whole) | INVALID_ROWS | NO_ROWS
  std::string message;
  std::vector<io::RowProblem> problems;  // in file order
  std::size_t problem_count = 0;
};

/// A file read whole and accepted.
struct UploadedRows {
  io::Timestep timestep = io::Timestep::daily;
  std::vector<std::string> columns;  // the dataset's column order
  storage::DatasetRows rows;         // in time order
  DatasetStats stats;
  io::StationRow first_row;              // its site values describe the station
  std::vector<io::RowProblem> rejected;  // rows left out (skip), up to kMaxProblemsListed
  std::size_t rejected_count = 0;
};

class DatasetUpload {
 public:
  explicit DatasetUpload(UploadOptions options);

  /// Reads the next piece of the file. A refusal here is final (a syntax error, a bad header);
  /// invalid rows are only counted until finish().
  tl::expected<void, UploadRefusal> push(std::string_view chunk);

  /// The end of the file: the rows, or the refusal (invalid rows without skip, no rows).
  tl::expected<UploadedRows, UploadRefusal> finish();

  std::uint64_t bytes() const { return bytes_; }
  std::int64_t rows_parsed() const { return rows_accepted_ + problem_count(); }
  std::size_t problem_count() const;
  /// CPU time spent reading and checking (neither waiting for the bytes nor for a busy CPU).
  std::chrono::nanoseconds parse_cpu_time() const { return parse_time_; }

 private:
  tl::expected<void, UploadRefusal> read(std::string_view chunk, bool final);
  void take(const io::StationRow& row, std::span<const std::string_view> fields);
  tl::expected<void, UploadRefusal> start(const std::vector<std::string>& header);
  UploadRefusal refusal(const domain::Error& error) const;
  std::vector<io::RowProblem> listed_problems() const;

  UploadOptions options_;
  io::StationReader reader_;
  std::optional<UploadedRows> built_;
  std::vector<std::size_t> field_order_;  // dataset column i = file field field_order_[i]
  std::size_t key_field_ = 0;             // 1-based field of the time stamp
  std::string line_;                      // the stored form of the row in hand, reused
  std::vector<io::RowProblem> order_problems_;
  std::size_t order_problem_count_ = 0;
  std::int64_t rows_accepted_ = 0;
  std::int64_t last_t_ = 0;
  std::size_t last_line_ = 0;
  std::uint64_t bytes_ = 0;
  std::chrono::nanoseconds parse_time_{0};
};

/// The stored form of a row into `line`: its fields as one CSV line, in `order` (indices into
/// fields).
void encode_record(std::span<const std::string_view> fields, const std::vector<std::size_t>& order,
                   std::string& line);

}  // namespace evapo::datasets
