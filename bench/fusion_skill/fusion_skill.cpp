#include "fusion_skill.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include <support/fallon_data.hpp>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/quality_control.hpp>
#include <evapo/pipeline/daily_fusion.hpp>

#include "old_design.hpp"
#include "synthetic_sources.hpp"

namespace evapo::bench {

using domain::is_missing;
namespace fallon = core::testing;

const Skill& ScenarioResult::best_single() const {
  return *std::min_element(singles.begin(), singles.end(),
                           [](const Skill& a, const Skill& b) { return a.mae_mm < b.mae_mm; });
}

std::vector<domain::WeatherDay> fallon_truth() {
  std::vector<domain::WeatherDay> truth;
  for (const auto& f : fallon::read_fallon_daily()) {
    domain::WeatherDay day;
    day.date = f.date;
    day.tmax_c = f.tmax_c;
    day.tmin_c = f.tmin_c;
    day.tdew_c = f.tdew_c;
    day.rs_mj_m2 = f.rs_mj_m2;
    day.wind_m_s = core::wind_at_2m(f.wind_3m_m_s, 3.0);  // FAO-56 Eq. 47
    day.wind_height_m = 2.0;
    truth.push_back(day);
  }
  for (std::size_t d = 1; d + 1 < truth.size(); ++d) {
    if (is_missing(truth[d].wind_m_s))
      truth[d].wind_m_s = 0.5 * (truth[d - 1].wind_m_s + truth[d + 1].wind_m_s);
  }
  return truth;
}

namespace {

const core::Site kSite{fallon::kFallonLatitudeDeg, fallon::kFallonLongitudeDeg,
                       fallon::kFallonElevationM, -8.0};

std::vector<double> eto_of(const std::vector<pipeline::DailyResult>& results) {
  std::vector<double> eto;
  for (const auto& r : results) eto.push_back(r.eto_mm);
  return eto;
}

// Kling-Gupta efficiency (Gupta et al. 2009): 1 - sqrt((r-1)² + (α-1)² + (β-1)²).
double kge(const std::vector<double>& sim, const std::vector<double>& obs) {
  const double n = static_cast<double>(sim.size());
  double ms = 0, mo = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) ms += sim[i], mo += obs[i];
  ms /= n, mo /= n;
  double vs = 0, vo = 0, c = 0;
  for (std::size_t i = 0; i < sim.size(); ++i) {
    vs += (sim[i] - ms) * (sim[i] - ms);
    vo += (obs[i] - mo) * (obs[i] - mo);
    c += (sim[i] - ms) * (obs[i] - mo);
  }
  const double r = c / std::sqrt(vs * vo);
  const double alpha = std::sqrt(vs / vo);
  const double beta = ms / mo;
  return 1.0 - std::sqrt((r - 1) * (r - 1) + (alpha - 1) * (alpha - 1) + (beta - 1) * (beta - 1));
}

Skill score(std::string name, const std::vector<double>& eto, const std::vector<double>& truth,
            const std::vector<bool>& scored) {
  Skill s;
  s.name = std::move(name);
  std::vector<double> sim, obs;
  int available = 0;
  for (std::size_t d = 0; d < eto.size(); ++d) {
    if (!is_missing(eto[d])) ++available;
    if (!scored[d]) continue;
    sim.push_back(eto[d]);
    obs.push_back(truth[d]);
    s.mae_mm += std::abs(eto[d] - truth[d]);
  }
  s.mae_mm /= static_cast<double>(sim.size());
  s.kge = kge(sim, obs);
  s.coverage = static_cast<double>(available) / static_cast<double>(eto.size());
  return s;
}

}  // namespace

ScenarioResult run_scenario(const std::vector<domain::WeatherDay>& truth, unsigned long long seed,
                            int source_count) {
  std::mt19937_64 random(seed);
  const auto profiles = draw_profiles(source_count, random);
  const auto start = truth.front().date;
  const auto end = truth.back().date;
  core::QcOptions qc;
  qc.elevation_m = kSite.elevation_m;

  std::vector<pipeline::PreparedSource> prepared;
  for (const auto& profile : profiles) {
    prepared.push_back(pipeline::prepare_source(make_source(truth, profile, random), start, end,
                                                kSite.latitude_deg, qc));
  }
  std::vector<double> truth_eto;
  for (const auto& day : truth) truth_eto.push_back(core::compute_daily(day, kSite).eto_mm);

  const pipeline::FusionSettings settings;
  std::vector<std::vector<double>> single_eto;
  for (const auto& source : prepared) {
    single_eto.push_back(eto_of(
        pipeline::compute_results(pipeline::fuse_sources(std::span(&source, 1), settings), kSite)));
  }
  const auto fused_results =
      pipeline::compute_results(pipeline::fuse_sources(prepared, settings), kSite);
  const auto fused_eto = eto_of(fused_results);
  const auto old_eto =
      eto_of(pipeline::compute_results(old_fuse_sources(prepared, settings.priors), kSite));

  std::vector<bool> scored(truth.size(), true);
  ScenarioResult result;
  result.seed = seed;
  result.source_count = source_count;
  for (std::size_t d = 0; d < truth.size(); ++d) {
    bool all = !is_missing(truth_eto[d]) && !is_missing(fused_eto[d]) && !is_missing(old_eto[d]);
    for (const auto& s : single_eto) all = all && !is_missing(s[d]);
    scored[d] = all;
    result.scored_days += all ? 1 : 0;
  }
  for (std::size_t i = 0; i < prepared.size(); ++i)
    result.singles.push_back(score(profiles[i].name, single_eto[i], truth_eto, scored));
  result.fused = score("fused", fused_eto, truth_eto, scored);
  result.old_design = score("old design", old_eto, truth_eto, scored);
  int within1 = 0;
  int within2 = 0;
  for (std::size_t d = 0; d < truth.size(); ++d) {
    if (!scored[d]) continue;
    const double error = std::abs(fused_eto[d] - truth_eto[d]);
    within1 += error <= fused_results[d].eto_sd_mm ? 1 : 0;
    within2 += error <= 2.0 * fused_results[d].eto_sd_mm ? 1 : 0;
  }
  result.within_1sd = static_cast<double>(within1) / result.scored_days;
  result.within_2sd = static_cast<double>(within2) / result.scored_days;
  return result;
}

}  // namespace evapo::bench
