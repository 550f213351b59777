# cmake -DSOURCE_ROOT=<dir holding evapo/> -DDEPS_FILE=<file> -P check_layer_includes.cmake
#
# Fails when a layer's source includes a layer it does not depend on. DEPS_FILE sets EVAPO_LAYERS
# (bottom up) and EVAPO_LAYER_DEPS_<layer> (the layer's direct evapo_* DEPS, without the prefix);
# a layer may include itself and every layer reachable through its DEPS.
cmake_minimum_required(VERSION 3.25)
if(NOT SOURCE_ROOT OR NOT DEPS_FILE)
  message(FATAL_ERROR "usage: cmake -DSOURCE_ROOT=<dir> -DDEPS_FILE=<file> -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
include(${DEPS_FILE})

# Transitive closure, bottom up: a layer's DEPS are defined before it, so one pass suffices.
foreach(layer ${EVAPO_LAYERS})
  set(allowed_${layer} ${layer})
  foreach(dep ${EVAPO_LAYER_DEPS_${layer}})
    if(NOT DEFINED allowed_${dep})
      message(FATAL_ERROR "layer ${layer} depends on ${dep}, which is not a layer below it")
    endif()
    list(APPEND allowed_${layer} ${allowed_${dep}})
  endforeach()
  list(REMOVE_DUPLICATES allowed_${layer})
endforeach()

set(violations "")
foreach(layer ${EVAPO_LAYERS})
  file(GLOB sources ${SOURCE_ROOT}/evapo/${layer}/*.cpp ${SOURCE_ROOT}/evapo/${layer}/*.hpp
       ${SOURCE_ROOT}/evapo/${layer}/*.in)
  foreach(source ${sources})
    file(READ ${source} text)
    string(REGEX MATCHALL "#[ \t]*include[ \t]*[<\"]evapo/[a-z_]+/" includes "${text}")
    list(REMOVE_DUPLICATES includes)
    foreach(include ${includes})
      string(REGEX REPLACE ".*evapo/([a-z_]+)/$" "\\1" other "${include}")
      if(other IN_LIST allowed_${layer})
        continue()
      endif()
      # Line number of the first such include, for the message.
      string(FIND "${text}" "${include}" offset)
      string(SUBSTRING "${text}" 0 ${offset} before)
      string(REGEX MATCHALL "\n" newlines "${before}")
      list(LENGTH newlines line)
      math(EXPR line "${line} + 1")
      string(APPEND violations
             "${source}:${line}: layer '${layer}' includes layer '${other}', which is not among "
             "its DEPS (allowed: ${allowed_${layer}})\n")
    endforeach()
  endforeach()
endforeach()

if(violations)
  # Printed unwrapped (FATAL_ERROR wraps), one `file:line:` per violation as compilers do.
  message("${violations}")
  message(FATAL_ERROR "Upward or undeclared layer includes (above): move the code to a lower "
                      "layer, or declare the dependency in the layer's CMakeLists.txt if the layer "
                      "order allows it.")
endif()
