#pragma once

#include <functional>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace evapo::app {

/// Exit codes shared by every subcommand.
inline constexpr int kExitOk = 0;
inline constexpr int kExitBadInput = 2;         // invalid arguments or input data
inline constexpr int kExitNothingComputed = 3;  // e.g. every weather source failed

/// A subcommand adds itself to `parent` and, in its CLI11 callback, runs and stores its exit
/// code in `exit_code`. Options live in state owned by the callback (a shared_ptr).
using SubcommandSetup = std::function<void(CLI::App& parent, int& exit_code)>;

/// Every subcommand file (eto_command.cpp, calc_command.cpp, ...) registers itself at
/// static-initialisation time with a RegisterSubcommand object; main() installs them all.
std::vector<SubcommandSetup>& subcommand_registry();

struct RegisterSubcommand {
  explicit RegisterSubcommand(SubcommandSetup setup) {
    subcommand_registry().push_back(std::move(setup));
  }
};

}  // namespace evapo::app
