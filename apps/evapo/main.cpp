#include <cstdio>
#include <exception>
#include <vector>

#include <CLI/CLI.hpp>

#include "subcommand.hpp"

namespace evapo::app {

std::vector<SubcommandSetup>& subcommand_registry() {
  static std::vector<SubcommandSetup> registry;
  return registry;
}

}  // namespace evapo::app

int main(int argc, char** argv) {
  CLI::App app{"evapo: daily reference evapotranspiration (FAO-56 / ASCE-EWRI 2005) for any point"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "evapo 0.1.0");

  int exit_code = evapo::app::kExitOk;
  for (const auto& setup : evapo::app::subcommand_registry()) setup(app, exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? evapo::app::kExitOk : evapo::app::kExitBadInput;
  } catch (const std::exception& e) {
    // Start-up errors only (bad config); the subcommands report their own runtime errors.
    std::fprintf(stderr, "evapo: %s\n", e.what());
    return evapo::app::kExitBadInput;
  }
  return exit_code;
}
