#include <gtest/gtest.h>

#include <evapo/io/number.hpp>

namespace evapo::io {
namespace {

TEST(ParseNumber, AcceptsPlainDecimals) {
  const struct {
    const char* text;
    double value;
  } cases[] = {{"0", 0.0},      {"12", 12.0},   {"-0.5", -0.5},   {"3.25", 3.25},
               {".5", 0.5},     {"5.", 5.0},    {"1e3", 1000.0},  {"-2.5E-1", -0.25},
               {"1e+2", 100.0}, {" 7.5 ", 7.5}, {"\t-1\t", -1.0}, {"0039.4575", 39.4575}};
  for (const auto& c : cases) {
    const auto parsed = parse_number(c.text);
    EXPECT_EQ(parsed.kind, ParsedNumber::Kind::value) << c.text;
    EXPECT_DOUBLE_EQ(parsed.value, c.value) << c.text;
  }
}

TEST(ParseNumber, BlankIsEmpty) {
  for (const char* text : {"", " ", "\t \t"}) {
    EXPECT_EQ(parse_number(text).kind, ParsedNumber::Kind::empty) << '"' << text << '"';
  }
}

TEST(ParseNumber, RejectsEverythingElse) {
  for (const char* text : {"abc", "1,5", "12abc", "+1", "0x10", "inf", "-inf", "nan", "NaN", "1e",
                           "e5", "-", ".", "1.2.3", "1 2", "--1", "1e400", "- 1", "１"}) {
    EXPECT_EQ(parse_number(text).kind, ParsedNumber::Kind::invalid) << text;
  }
}

}  // namespace
}  // namespace evapo::io
