# Shared build settings: one warnings target, optional sanitizers, and two helpers so that each
# layer's CMakeLists.txt is a single call.

add_library(evapo_warnings INTERFACE)
target_compile_options(evapo_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${EVAPO_WARNINGS_AS_ERRORS}>:-Werror>)

if(EVAPO_SANITIZERS)
  if(EVAPO_SANITIZERS STREQUAL "thread")
    # g++ warns that TSan does not model std::atomic_thread_fence, which Asio uses in its
    # handlers: a limit of the tool (it may report a race there that is none), not our defect.
    set(evapo_sanitizer_flags -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
  else()
    # Undefined behaviour stops the test that meets it instead of printing and going on.
    set(evapo_sanitizer_flags -fsanitize=${EVAPO_SANITIZERS} -fno-omit-frame-pointer
                              -fno-sanitize-recover=undefined)
  endif()
  add_link_options(-fsanitize=${EVAPO_SANITIZERS})
  # Address and thread sanitizers must see every access (the tests' threads too); undefined
  # behaviour is checked where it matters, in the layers under src/ (evapo_add_layer).
  if(NOT EVAPO_SANITIZERS STREQUAL "undefined")
    add_compile_options(${evapo_sanitizer_flags})
  endif()
endif()
# Line coverage (gcc's gcov format, read by gcovr): only the layers under src/ are instrumented,
# the executables link the runtime. Counters are updated atomically: the layers run many threads,
# and racing increments left gcov with negative counts it cannot read.
if(EVAPO_COVERAGE)
  add_link_options(--coverage)
endif()

# evapo_add_layer(<layer> [DEPS targets...]): static library evapo_<layer> from every .cpp in the
# folder, include root src/, namespace evapo::<layer>.
function(evapo_add_layer layer)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(evapo_${layer} STATIC ${sources})
  target_include_directories(evapo_${layer} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(evapo_${layer} PUBLIC ${ARG_DEPS} PRIVATE evapo_warnings)
  if(EVAPO_COVERAGE)
    target_compile_options(evapo_${layer} PRIVATE --coverage -fprofile-update=atomic)
  endif()
  if(EVAPO_SANITIZERS STREQUAL "undefined")
    target_compile_options(evapo_${layer} PRIVATE ${evapo_sanitizer_flags})
  endif()
endfunction()

# evapo_add_tests(<name> [DEPS targets...]): one GoogleTest binary from every *_test.cpp in the
# folder; each test case is registered with CTest. Tests find shared/ and their data by macros.
function(evapo_add_tests name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  # The paths live in one generated file per binary (tests/support/test_paths.hpp says why).
  set(paths_source ${CMAKE_CURRENT_BINARY_DIR}/evapo_${name}_test_paths.cpp)
  file(CONFIGURE OUTPUT ${paths_source} CONTENT [[
#include "support/test_paths.hpp"

namespace evapo::test_paths {

const char* source_dir() { return "@PROJECT_SOURCE_DIR@"; }
const char* binary_dir() { return "@PROJECT_BINARY_DIR@"; }
const char* shared_dir() { return "@EVAPO_SHARED_DIR@"; }

}  // namespace evapo::test_paths
]] @ONLY)
  add_executable(evapo_${name}_tests ${sources} ${paths_source})
  target_link_libraries(evapo_${name}_tests PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main evapo_warnings)
  target_include_directories(evapo_${name}_tests PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_options(evapo_${name}_tests PRIVATE
    -include ${PROJECT_SOURCE_DIR}/tests/support/test_paths.hpp)
  target_compile_definitions(evapo_${name}_tests PRIVATE
    EVAPO_SHARED_DIR=::evapo::test_paths::shared_dir\(\)
    EVAPO_SOURCE_DIR=::evapo::test_paths::source_dir\(\)
    EVAPO_BINARY_DIR=::evapo::test_paths::binary_dir\(\))
  gtest_discover_tests(evapo_${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()

# evapo_add_layer_include_check(<layers bottom up...>): after every layer is defined, writes each
# layer's evapo_* DEPS to <build>/layer_deps.cmake and adds evapo_layer_includes (in ALL), which
# runs cmake/check_layer_includes.cmake over the layers' sources whenever one changes: an
# `#include <evapo/<other>/...>` where <other> is not below the layer fails the build.
function(evapo_add_layer_include_check)
  set(deps_file_text "set(EVAPO_LAYERS ${ARGN})\n")
  set(all_sources "")
  foreach(layer ${ARGN})
    get_target_property(deps evapo_${layer} INTERFACE_LINK_LIBRARIES)
    set(layer_deps "")
    foreach(dep ${deps})
      if(dep MATCHES "^evapo_([a-z_]+)$" AND NOT dep STREQUAL "evapo_warnings")
        list(APPEND layer_deps ${CMAKE_MATCH_1})
      endif()
    endforeach()
    string(APPEND deps_file_text "set(EVAPO_LAYER_DEPS_${layer} ${layer_deps})\n")
    file(GLOB layer_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/evapo/${layer}/*.cpp
         ${PROJECT_SOURCE_DIR}/src/evapo/${layer}/*.hpp ${PROJECT_SOURCE_DIR}/src/evapo/${layer}/*.in)
    list(APPEND all_sources ${layer_sources})
  endforeach()
  set(deps_file ${PROJECT_BINARY_DIR}/layer_deps.cmake)
  file(CONFIGURE OUTPUT ${deps_file} CONTENT "${deps_file_text}")
  set(stamp ${PROJECT_BINARY_DIR}/layer_includes.stamp)
  add_custom_command(
    OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DSOURCE_ROOT=${PROJECT_SOURCE_DIR}/src -DDEPS_FILE=${deps_file}
            -P ${PROJECT_SOURCE_DIR}/cmake/check_layer_includes.cmake
    COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
    DEPENDS ${all_sources} ${deps_file} ${PROJECT_SOURCE_DIR}/cmake/check_layer_includes.cmake
    COMMENT "Checking that each layer includes only the layers below it"
    VERBATIM)
  add_custom_target(evapo_layer_includes ALL DEPENDS ${stamp})
endfunction()
