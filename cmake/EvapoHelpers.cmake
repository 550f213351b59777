# Shared build settings: one warnings target, optional sanitizers, and two helpers so that each
# layer's CMakeLists.txt is a single call.

add_library(evapo_warnings INTERFACE)
target_compile_options(evapo_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${EVAPO_WARNINGS_AS_ERRORS}>:-Werror>)

if(EVAPO_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# evapo_add_layer(<layer> [DEPS targets...]): static library evapo_<layer> from every .cpp in the
# folder, include root src/, namespace evapo::<layer>.
function(evapo_add_layer layer)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*.cpp)
  add_library(evapo_${layer} STATIC ${sources})
  target_include_directories(evapo_${layer} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(evapo_${layer} PUBLIC ${ARG_DEPS} PRIVATE evapo_warnings)
endfunction()

# evapo_add_tests(<name> [DEPS targets...]): one GoogleTest binary from every *_test.cpp in the
# folder; each test case is registered with CTest. Tests find shared/ and their data by macros.
function(evapo_add_tests name)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  add_executable(evapo_${name}_tests ${sources})
  target_link_libraries(evapo_${name}_tests PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main evapo_warnings)
  target_compile_definitions(evapo_${name}_tests PRIVATE
    EVAPO_SHARED_DIR="${EVAPO_SHARED_DIR}"
    EVAPO_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    EVAPO_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(evapo_${name}_tests DISCOVERY_TIMEOUT 60 PROPERTIES LABELS ${name})
endfunction()
