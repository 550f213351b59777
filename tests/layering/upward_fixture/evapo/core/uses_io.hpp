#pragma once

#include <evapo/domain/value.hpp>
// Upward: core sits below io.
#include <evapo/io/reader.hpp>
