#pragma once

// Allowed: domain is below io through core.
#include <evapo/domain/value.hpp>
