#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>

#include <evapo/domain/read_file.hpp>
#include <evapo/sources/etopo_grid.hpp>
#include <evapo/sources/share_file.hpp>

namespace evapo::sources {

namespace {

// netCDF-3 classic (CDF-1) and 64-bit offset (CDF-2) header reader; all big-endian.
class CdfReader {
 public:
  explicit CdfReader(std::span<const unsigned char> data) : data_(data) {}

  bool ok() const { return ok_; }

  std::uint32_t u32() {
    if (pos_ + 4 > data_.size()) return fail32();
    const std::uint32_t v = (std::uint32_t{data_[pos_]} << 24) |
                            (std::uint32_t{data_[pos_ + 1]} << 16) |
                            (std::uint32_t{data_[pos_ + 2]} << 8) | std::uint32_t{data_[pos_ + 3]};
    pos_ += 4;
    return v;
  }

  std::uint64_t u64() {
    const std::uint64_t hi = u32();
    return (hi << 32) | u32();
  }

  std::string name() {
    const std::uint32_t n = u32();
    if (!ok_ || pos_ + n > data_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += std::size_t{(n + 3U) / 4U} * 4U;
    return s;
  }

  void skip(std::size_t bytes) {
    pos_ += (bytes + 3U) / 4U * 4U;
    if (pos_ > data_.size()) ok_ = false;
  }

  std::size_t pos() const { return pos_; }
  void seek(std::size_t p) { pos_ = p; }

 private:
  std::uint32_t fail32() {
    ok_ = false;
    return 0;
  }
  std::span<const unsigned char> data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

constexpr std::uint32_t kNcChar = 2;
constexpr std::uint32_t kNcShort = 3;
constexpr std::uint32_t kNcFloat = 5;
constexpr std::uint32_t kNcDouble = 6;

std::size_t type_size(std::uint32_t type) {
  switch (type) {
    case 1:
    case 2:
      return 1;
    case 3:
      return 2;
    case 4:
    case 5:
      return 4;
    case 6:
      return 8;
    default:
      return 0;
  }
}

struct Variable {
  std::string name;
  std::vector<std::uint32_t> dims;
  std::map<std::string, std::string> text_attributes;
  double fill = std::nan("");
  std::uint32_t type = 0;
  std::uint64_t begin = 0;
};

double read_value(std::span<const unsigned char> data, std::size_t offset, std::uint32_t type) {
  std::uint64_t bits = 0;
  const std::size_t size = type_size(type);
  for (std::size_t i = 0; i < size; ++i) bits = (bits << 8) | data[offset + i];
  if (type == kNcFloat) {
    const auto b32 = static_cast<std::uint32_t>(bits);
    float f = 0.0F;
    std::memcpy(&f, &b32, sizeof f);
    return f;
  }
  if (type == kNcDouble) {
    double d = 0.0;
    std::memcpy(&d, &bits, sizeof d);
    return d;
  }
  if (type == kNcShort) return static_cast<std::int16_t>(static_cast<std::uint16_t>(bits));
  if (type == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(bits));
  return static_cast<double>(bits);
}

// Reads an attribute list, keeping text values and the numeric _FillValue/missing_value.
bool read_attributes(CdfReader& in, std::span<const unsigned char> data, Variable* variable) {
  const std::uint32_t tag = in.u32();
  const std::uint32_t count = in.u32();
  if (tag == 0 && count == 0) return in.ok();
  for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
    const std::string name = in.name();
    const std::uint32_t type = in.u32();
    const std::uint32_t n = in.u32();
    const std::size_t bytes = type_size(type) * n;
    if (!in.ok() || type_size(type) == 0 || in.pos() + bytes > data.size()) return false;
    if (variable != nullptr) {
      if (type == kNcChar) {
        variable->text_attributes[name] =
            std::string(reinterpret_cast<const char*>(data.data() + in.pos()), n);
      } else if ((name == "_FillValue" || name == "missing_value") && n >= 1) {
        variable->fill = read_value(data, in.pos(), type);
      }
    }
    in.skip(bytes);
  }
  return in.ok();
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

domain::Expected<EtopoGrid> EtopoGrid::load(const std::string& path) {
  const auto data = domain::read_file(path);
  if (!data) {
    return domain::fail(
        domain::Error{data.error().code, "ETOPO grid: " + data.error().message, {}});
  }
  return parse({reinterpret_cast<const unsigned char*>(data->data()), data->size()}, path);
}

domain::Expected<EtopoGrid> EtopoGrid::parse(std::span<const unsigned char> data,
                                             const std::string& source_name) {
  auto corrupt = [&](const std::string& why) {
    return domain::fail(domain::Error::upstream("ETOPO grid " + source_name + ": " + why));
  };
  if (data.size() < 32 || data[0] != 'C' || data[1] != 'D' || data[2] != 'F' ||
      (data[3] != 1 && data[3] != 2)) {
    return corrupt("not a netCDF-3 file");
  }
  const bool offset64 = data[3] == 2;
  CdfReader in(data);
  in.seek(4);
  in.u32();  // numrecs
  std::vector<std::pair<std::string, std::uint32_t>> dims;
  {
    const std::uint32_t tag = in.u32();
    const std::uint32_t count = in.u32();
    if (tag != 0 || count != 0) {
      for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
        std::string name = in.name();
        dims.emplace_back(std::move(name), in.u32());
      }
    }
  }
  if (!read_attributes(in, data, nullptr)) return corrupt("bad global attributes");
  std::vector<Variable> variables;
  {
    const std::uint32_t tag = in.u32();
    const std::uint32_t count = in.u32();
    if (tag == 0 && count == 0) return corrupt("no variables");
    for (std::uint32_t i = 0; i < count && in.ok(); ++i) {
      Variable v;
      v.name = in.name();
      const std::uint32_t ndims = in.u32();
      for (std::uint32_t d = 0; d < ndims && in.ok(); ++d) v.dims.push_back(in.u32());
      if (!read_attributes(in, data, &v)) return corrupt("bad attributes of " + v.name);
      v.type = in.u32();
      in.u32();  // vsize
      v.begin = offset64 ? in.u64() : in.u32();
      variables.push_back(std::move(v));
    }
  }
  if (!in.ok()) return corrupt("truncated header");
  const Variable* lon = nullptr;
  const Variable* lat = nullptr;
  const Variable* height = nullptr;
  for (const auto& v : variables) {
    for (const auto d : v.dims) {
      if (d >= dims.size()) return corrupt("variable " + v.name + " has an unknown dimension");
    }
    const std::string units =
        v.text_attributes.count("units") ? lower(v.text_attributes.at("units")) : "";
    const std::string name = lower(v.name);
    if (v.dims.size() == 1 &&
        (units.rfind("degrees_east", 0) == 0 || name.find("lon") != std::string::npos))
      lon = &v;
    if (v.dims.size() == 1 &&
        (units.rfind("degrees_north", 0) == 0 || name.find("lat") != std::string::npos))
      lat = &v;
    if (v.dims.size() == 2) height = &v;
  }
  if (lon == nullptr || lat == nullptr || height == nullptr)
    return corrupt("no lon/lat/height variables");
  if (height->dims[0] != lat->dims[0] || height->dims[1] != lon->dims[0])
    return corrupt("height is not [lat][lon]");
  const std::size_t nlon = dims[lon->dims[0]].second;
  const std::size_t nlat = dims[lat->dims[0]].second;
  // Sizes come from the file: each is checked against the file's length before any product,
  // so nothing below can overflow or allocate more than the file could hold.
  auto fits = [&](const Variable& v, std::size_t count) {
    const std::size_t size = type_size(v.type);
    return size != 0 && v.begin <= data.size() && count <= (data.size() - v.begin) / size;
  };
  if (nlon < 2 || nlat < 2 || nlon > data.size() || nlat > data.size() || !fits(*lon, nlon) ||
      !fits(*lat, nlat) || nlon > data.size() / nlat || !fits(*height, nlon * nlat)) {
    return corrupt("data outside the file");
  }
  EtopoGrid grid;
  for (std::size_t i = 0; i < nlon; ++i)
    grid.lons_.push_back(read_value(data, lon->begin + i * type_size(lon->type), lon->type));
  for (std::size_t j = 0; j < nlat; ++j)
    grid.lats_.push_back(read_value(data, lat->begin + j * type_size(lat->type), lat->type));
  grid.heights_.resize(nlon * nlat);
  for (std::size_t k = 0; k < nlon * nlat; ++k) {
    const double v = read_value(data, height->begin + k * type_size(height->type), height->type);
    // Fill values, NaN and what a float cannot hold (the cast would be undefined) read as 0 m.
    const bool usable =
        std::isfinite(v) && v != height->fill && std::abs(v) <= std::numeric_limits<float>::max();
    grid.heights_[k] = usable ? static_cast<float>(v) : 0.0F;
  }
  // Interpolation divides by neighbouring coordinate differences and brackets by comparison:
  // they must be finite and strictly ascending.
  const auto strictly_ascending = [](const std::vector<double>& axis) {
    for (std::size_t i = 0; i < axis.size(); ++i) {
      if (!std::isfinite(axis[i]) || (i > 0 && !(axis[i] > axis[i - 1]))) return false;
    }
    return true;
  };
  if (!strictly_ascending(grid.lons_) || !strictly_ascending(grid.lats_)) {
    return corrupt("coordinates not finite and strictly ascending");
  }
  return grid;
}

double EtopoGrid::elevation_m(double latitude_deg, double longitude_deg) const {
  // Longitudes wrap: bring the point into [lons_.front(), lons_.front() + 360).
  double lon = std::fmod(longitude_deg - lons_.front(), 360.0);
  if (lon < 0) lon += 360.0;
  lon += lons_.front();
  auto bracket = [](const std::vector<double>& axis, double x, std::size_t& i0, double& f) {
    if (x <= axis.front()) {
      i0 = 0;
      f = 0.0;
      return;
    }
    if (x >= axis.back()) {
      i0 = axis.size() - 2;
      f = 1.0;
      return;
    }
    const auto it = std::upper_bound(axis.begin(), axis.end(), x);
    i0 = static_cast<std::size_t>(it - axis.begin()) - 1;
    f = (x - axis[i0]) / (axis[i0 + 1] - axis[i0]);
  };
  std::size_t i = 0;
  std::size_t j = 0;
  double fx = 0.0;
  double fy = 0.0;
  bracket(lons_, lon, i, fx);
  bracket(lats_, latitude_deg, j, fy);
  const std::size_t n = lons_.size();
  const double h00 = heights_[j * n + i];
  const double h01 = heights_[j * n + i + 1];
  const double h10 = heights_[(j + 1) * n + i];
  const double h11 = heights_[(j + 1) * n + i + 1];
  return (1 - fy) * ((1 - fx) * h00 + fx * h01) + fy * ((1 - fx) * h10 + fx * h11);
}

double EtopoGrid::nearest_elevation_m(double latitude_deg, double longitude_deg) const {
  double lon = std::fmod(longitude_deg - lons_.front(), 360.0);
  if (lon < 0) lon += 360.0;
  lon += lons_.front();
  auto nearest = [](const std::vector<double>& axis, double x) {
    const auto it = std::lower_bound(axis.begin(), axis.end(), x);
    if (it == axis.begin()) return std::size_t{0};
    if (it == axis.end()) return axis.size() - 1;
    const auto i = static_cast<std::size_t>(it - axis.begin());
    return (x - axis[i - 1] <= axis[i] - x) ? i - 1 : i;
  };
  return heights_[nearest(lats_, latitude_deg) * lons_.size() + nearest(lons_, lon)];
}

std::string find_etopo_path(const std::string& configured) {
  return find_share_file(configured, "EVAPO_ETOPO_PATH", "etopo20.cdf");
}

domain::Expected<std::shared_ptr<const EtopoGrid>> shared_etopo_grid(
    const std::string& configured) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const EtopoGrid>> loaded;    // by file
  static std::map<std::string, std::shared_ptr<const EtopoGrid>> resolved;  // by `configured`
  {
    // Later calls skip the file-system search: one map lookup per elevation request.
    const std::lock_guard lock(mutex);
    if (auto it = resolved.find(configured); it != resolved.end()) return it->second;
  }
  const std::string path = find_etopo_path(configured);
  if (path.empty()) {
    return domain::fail(domain::Error::not_found(
        configured.empty() ? "ETOPO grid etopo20.cdf not found (set EVAPO_ETOPO_PATH)"
                           : "ETOPO grid not found at " + configured));
  }
  const std::lock_guard lock(mutex);
  if (auto it = loaded.find(path); it != loaded.end()) return resolved[configured] = it->second;
  auto grid = EtopoGrid::load(path);
  if (!grid) return domain::fail(grid.error());
  auto shared = std::make_shared<const EtopoGrid>(std::move(*grid));
  loaded[path] = shared;
  resolved[configured] = shared;
  return shared;
}

}  // namespace evapo::sources
