#pragma once

// Where a test finds the source tree, its build and ../shared. The values are defined per test
// binary in a file CMake generates (evapo_add_tests); EVAPO_SOURCE_DIR, EVAPO_BINARY_DIR and
// EVAPO_SHARED_DIR name these functions, so that no test object holds a checkout's path and a
// second checkout (CI's fresh clone) reuses the compiler cache.
namespace evapo::test_paths {

const char* source_dir();
const char* binary_dir();
const char* shared_dir();

}  // namespace evapo::test_paths
