#include <string>

#include <gtest/gtest.h>

#include <evapo/storage/deflated_text.hpp>

namespace evapo::storage {
namespace {

TEST(DeflatedText, RoundTripsTextOfEverySize) {
  for (const std::size_t size : {0UL, 1UL, 4096UL, 300000UL}) {
    std::string text;
    for (std::size_t i = 0; i < size; ++i) text.push_back(static_cast<char>('a' + (i * 7919) % 26));
    const auto stream = deflate_text(text);
    ASSERT_TRUE(stream) << size;
    EXPECT_EQ(inflate_text(*stream), text) << size;
  }
}

TEST(DeflatedText, ADamagedStreamIsRefusedNotMisread) {
  const auto stream = deflate_text(std::string(10000, 'x'));
  ASSERT_TRUE(stream);
  EXPECT_FALSE(inflate_text(stream->substr(0, stream->size() / 2))) << "truncated";
  EXPECT_FALSE(inflate_text("not a zlib stream"));
}

}  // namespace
}  // namespace evapo::storage
