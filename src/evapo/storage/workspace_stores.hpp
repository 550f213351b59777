#pragma once

// The stores of workspace data (workspaces, datasets, sites), opened together by URL:
// `sqlite:///abs/path.db`, `sqlite://relative.db`, `sqlite://:memory:` (one process, or the
// processes of one machine), or `postgresql://...` (a cluster's nodes: postgres_*_store).

#include <memory>
#include <string_view>

#include <evapo/domain/error.hpp>
#include <evapo/storage/dataset_store.hpp>
#include <evapo/storage/site_store.hpp>
#include <evapo/storage/workspace_store.hpp>

namespace evapo::storage {

struct WorkspaceStores {
  std::shared_ptr<WorkspaceStore> workspaces;
  std::shared_ptr<DatasetStore> datasets;
  std::shared_ptr<SiteStore> sites;
};

/// Opens (creating and migrating) the backend named by `url`. Errors: invalid_argument for an
/// unknown scheme; unavailable when it cannot be opened; internal on a schema problem.
domain::Expected<WorkspaceStores> open_workspace_stores(std::string_view url);

}  // namespace evapo::storage
