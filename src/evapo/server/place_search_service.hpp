#pragma once

// Place search for the web app's search box, in front of the geocoding API: answers repeated
// questions from memory, and runs the upstream calls on threads of its own so that no network
// thread of the server ever waits for them.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <evapo/domain/error.hpp>
#include <evapo/sources/geocoding_client.hpp>

namespace evapo::server {

/// Finds places (blocking); the app binds sources::search_places to its config and HTTP client.
using PlaceLookup =
    std::function<domain::Expected<std::vector<sources::Place>>(const sources::PlaceQuery&)>;

struct PlaceSearchOptions {
  std::size_t cache_entries = 512;  // least recently used forgotten first
  std::chrono::seconds cache_lifetime{24 * 3600};
  int threads = 2;
  std::size_t max_queued = 64;  // searches waiting beyond this are refused (unavailable)
};

class PlaceSearchService {
 public:
  using Done = std::function<void(domain::Expected<std::vector<sources::Place>>)>;

  PlaceSearchService(PlaceLookup lookup, PlaceSearchOptions options = {});
  ~PlaceSearchService();  // waits for the searches under way; queued ones get `unavailable`
  PlaceSearchService(const PlaceSearchService&) = delete;
  PlaceSearchService& operator=(const PlaceSearchService&) = delete;

  /// Calls `done` once with the places: at once from the cache (same name ignoring case and
  /// surrounding spaces, language and count), else from a worker thread after the lookup (only
  /// successful answers are remembered). `unavailable` at once when too many searches wait.
  void search(sources::PlaceQuery query, Done done);

  /// Lookups made upstream so far (cache misses), for tests and metrics.
  long long lookups() const;

 private:
  struct Job {
    sources::PlaceQuery query;
    std::string key;
    Done done;
  };
  struct Entry {
    std::vector<sources::Place> places;
    std::chrono::steady_clock::time_point expires;
    std::list<std::string>::iterator recency;
  };
  void work();
  void remember(const std::string& key, const std::vector<sources::Place>& places);

  PlaceLookup lookup_;
  PlaceSearchOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  long long lookups_ = 0;
  std::unordered_map<std::string, Entry> cache_;
  std::list<std::string> recency_;  // most recent first
  std::vector<std::thread> threads_;
};

}  // namespace evapo::server
