#include <algorithm>
#include <cctype>

#include <evapo/server/place_search_service.hpp>

namespace evapo::server {

namespace {

std::string cache_key(const sources::PlaceQuery& query) {
  std::string name = query.name;
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name + '\n' + query.language + '\n' + std::to_string(query.count);
}

}  // namespace

PlaceSearchService::PlaceSearchService(PlaceLookup lookup, PlaceSearchOptions options)
    : lookup_(std::move(lookup)), options_(options) {
  for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { work(); });
}

PlaceSearchService::~PlaceSearchService() {
  std::deque<Job> abandoned;
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    abandoned.swap(queue_);
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
  for (auto& job : abandoned) {
    job.done(domain::fail(domain::Error::unavailable("place search stopped")));
  }
}

void PlaceSearchService::search(sources::PlaceQuery query, Done done) {
  std::string key = cache_key(query);
  std::unique_lock lock(mutex_);
  if (const auto it = cache_.find(key); it != cache_.end()) {
    if (it->second.expires > std::chrono::steady_clock::now()) {
      recency_.splice(recency_.begin(), recency_, it->second.recency);
      auto places = it->second.places;
      lock.unlock();
      done(std::move(places));
      return;
    }
    recency_.erase(it->second.recency);
    cache_.erase(it);
  }
  if (stopping_ || queue_.size() >= options_.max_queued) {
    lock.unlock();
    done(domain::fail(domain::Error::unavailable("too many place searches at once; retry")));
    return;
  }
  queue_.push_back({std::move(query), std::move(key), std::move(done)});
  lock.unlock();
  wake_.notify_one();
}

long long PlaceSearchService::lookups() const {
  const std::lock_guard lock(mutex_);
  return lookups_;
}

void PlaceSearchService::work() {
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      ++lookups_;
    }
    auto places = lookup_(job.query);
    if (places) remember(job.key, *places);
    job.done(std::move(places));
  }
}

void PlaceSearchService::remember(const std::string& key,
                                  const std::vector<sources::Place>& places) {
  const std::lock_guard lock(mutex_);
  if (const auto it = cache_.find(key); it != cache_.end()) {
    recency_.erase(it->second.recency);
    cache_.erase(it);
  }
  recency_.push_front(key);
  cache_[key] = {places, std::chrono::steady_clock::now() + options_.cache_lifetime,
                 recency_.begin()};
  while (cache_.size() > options_.cache_entries) {
    cache_.erase(recency_.back());
    recency_.pop_back();
  }
}

}  // namespace evapo::server
