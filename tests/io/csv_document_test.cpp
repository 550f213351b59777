#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <evapo/io/csv_document.hpp>

namespace evapo::io {
namespace {

using Rows = std::vector<std::vector<std::string>>;

struct GoodCase {
  const char* name;
  std::string text;
  std::vector<std::string> header;
  Rows rows;
  std::vector<std::size_t> lines;
};

TEST(ParseCsv, ReadsWellFormedFiles) {
  const GoodCase cases[] = {
      {"plain", "a,b\n1,2\n3,4\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}},
      {"no final newline", "a,b\n1,2", {"a", "b"}, {{"1", "2"}}, {2}},
      {"crlf", "a,b\r\n1,2\r\n3,4\r\n", {"a", "b"}, {{"1", "2"}, {"3", "4"}}, {2, 3}},
      {"empty lines skipped",
       "\na,b\n\n1,2\r\n\r\n3,4\n\n",
       {"a", "b"},
       {{"1", "2"}, {"3", "4"}},
       {4, 6}},
      {"byte order mark",
       "\xEF\xBB\xBF"
       "a,b\n1,2\n",
       {"a", "b"},
       {{"1", "2"}},
       {2}},
      {"header names trimmed", " a ,\tb\n1,2\n", {"a", "b"}, {{"1", "2"}}, {2}},
      {"empty fields", "a,b,c\n,,\n", {"a", "b", "c"}, {{"", "", ""}}, {2}},
      {"quoted comma", "a,b\n\"x,y\",2\n", {"a", "b"}, {{"x,y", "2"}}, {2}},
      {"doubled quote", "a,b\n\"say \"\"hi\"\"\",2\n", {"a", "b"}, {{"say \"hi\"", "2"}}, {2}},
      {"quoted newline keeps line numbers",
       "a,b\n\"line1\nline2\",2\n5,6\n",
       {"a", "b"},
       {{"line1\nline2", "2"}, {"5", "6"}},
       {2, 4}},
      {"quoted header", "\"a\",\"b c\"\n1,2\n", {"a", "b c"}, {{"1", "2"}}, {2}},
      {"empty quoted field", "a,b\n\"\",2\n", {"a", "b"}, {{"", "2"}}, {2}},
      {"header only", "a,b\n", {"a", "b"}, {}, {}},
      {"blanks kept in data", "a,b\n 1 , 2\n", {"a", "b"}, {{" 1 ", " 2"}}, {2}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto document = parse_csv(c.text, "t.csv");
    ASSERT_TRUE(document.has_value()) << document.error().message;
    EXPECT_EQ(document->header, c.header);
    ASSERT_EQ(document->records.size(), c.rows.size());
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      EXPECT_EQ(document->records[i].fields, c.rows[i]);
      EXPECT_EQ(document->records[i].line, c.lines[i]);
    }
  }
}

struct BadCase {
  const char* name;
  std::string text;
  std::string message;
};

TEST(ParseCsv, RejectsMalformedFilesNamingLineAndField) {
  const BadCase cases[] = {
      {"empty file", "", "in.csv:1:1: the file is empty: a header line is required"},
      {"blank file", "\n\r\n", "in.csv:1:1: the file is empty: a header line is required"},
      {"empty column name", "a,,c\n", "in.csv:1:2: empty column name in the header"},
      {"duplicate column", "a,b,a\n", "in.csv:1:3: duplicate column name 'a'"},
      {"too few fields", "a,b,c\n1,2,3\n4,5\n",
       "in.csv:3:2: expected 3 fields as in the header, found 2"},
      {"too many fields", "a,b\n1,2,3\n",
       "in.csv:2:3: expected 2 fields as in the header, found 3"},
      {"unclosed quote", "a,b\n1,2\n3,\"open\n\n",
       "in.csv:3:2: the quoted field opened on line 3 is never closed"},
      {"text after closing quote", "a,b\n\"x\"y,2\n",
       "in.csv:2:1: unexpected text after the closing quote of a field"},
      {"quote inside plain field", "a,b\n1,x\"y\n", "in.csv:2:2: a quote inside an unquoted field"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto document = parse_csv(c.text, "in.csv");
    ASSERT_FALSE(document.has_value());
    EXPECT_EQ(document.error().code, domain::ErrorCode::invalid_argument);
    EXPECT_EQ(document.error().message, c.message);
  }
}

TEST(ParseCsv, KeepsRaggedRecordsWhenAsked) {
  const auto document = parse_csv("a,b\n1\n1,2,3\n", "t.csv", RaggedRecords::keep);
  ASSERT_TRUE(document.has_value());
  ASSERT_EQ(document->records.size(), 2U);
  EXPECT_EQ(document->records[0].fields.size(), 1U);
  EXPECT_EQ(document->records[1].fields.size(), 3U);
}

}  // namespace
}  // namespace evapo::io
