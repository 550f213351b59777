#include <set>
#include <string>

#include <gtest/gtest.h>

#include <evapo/tasks/task_id.hpp>

namespace evapo::tasks {
namespace {

TEST(TaskId, NewIdsHaveTheDocumentedFormAndDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    const std::string id = new_task_id();
    ASSERT_TRUE(is_task_id(id)) << id;
    ASSERT_TRUE(seen.insert(id).second) << "repeated " << id;
  }
}

TEST(TaskId, AnythingElseIsNotATaskId) {
  const std::string cases[] = {
      "",
      "0123456789abcdef0123456789abcde",    // 31
      "0123456789abcdef0123456789abcdef0",  // 33
      "0123456789ABCDEF0123456789ABCDEF",
      "0123456789abcdef0123456789abcdeg",
      "0123456789abcdef0123456789abcde\xff",
      std::string("0123456789abcdef0123456789abcde\0", 32),
      "../../../../../../../../etc/passwd",
  };
  for (const auto& text : cases) EXPECT_FALSE(is_task_id(text)) << text;
  EXPECT_TRUE(is_task_id("0123456789abcdef0123456789abcdef"));
}

}  // namespace
}  // namespace evapo::tasks
