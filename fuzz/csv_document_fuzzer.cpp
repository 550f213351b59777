// Fuzzes the CSV parser: it must never crash, and whatever it accepts must survive a round trip
// through the CSV writer unchanged (same header, same fields).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <evapo/io/csv_document.hpp>
#include <evapo/io/table_writer.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)evapo::io::parse_csv(text, "fuzz.csv", evapo::io::RaggedRecords::keep);
  const auto document = evapo::io::parse_csv(text, "fuzz.csv");
  if (!document) return 0;

  evapo::io::OutputTable table;
  table.columns = document->header;
  for (const auto& record : document->records) {
    std::vector<evapo::io::Cell> cells(record.fields.begin(), record.fields.end());
    table.rows.push_back(std::move(cells));
  }
  const auto again = evapo::io::parse_csv(evapo::io::write_csv(table), "again.csv");
  if (!again || again->header != document->header ||
      again->records.size() != document->records.size()) {
    std::abort();
  }
  for (std::size_t i = 0; i < document->records.size(); ++i) {
    if (again->records[i].fields != document->records[i].fields) std::abort();
  }
  return 0;
}
