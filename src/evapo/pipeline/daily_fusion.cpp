#include <cmath>

#include <evapo/core/daily_reference_et.hpp>
#include <evapo/core/quality.hpp>
#include <evapo/core/uncertainty.hpp>
#include <evapo/pipeline/daily_fusion.hpp>

namespace evapo::pipeline {

using core::Variable;
using domain::is_missing;
using domain::kMissing;
using domain::SourceId;

PreparedSource prepare_source(const domain::WeatherSeries& series, domain::Date start,
                              domain::Date end, double latitude_deg,
                              const core::QcOptions& options) {
  PreparedSource prepared;
  prepared.source = series.source;
  const int count = std::max(0, domain::days_between(start, end) + 1);
  prepared.days.resize(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i)
    prepared.days[static_cast<std::size_t>(i)].date = domain::add_days(start, i);
  for (const auto& day : series.days) {
    const int offset = domain::days_between(start, day.date);
    if (offset < 0 || offset >= count) continue;
    prepared.days[static_cast<std::size_t>(offset)] = day;
  }
  prepared.qc = core::clean_source_days(prepared.days, latitude_deg, options);
  return prepared;
}

namespace {

// The sources' error model of `v` over the request, learnt from their observed days.
core::SourceErrorModel error_model(std::span<const PreparedSource> sources, Variable v,
                                   const FusionSettings& settings) {
  std::vector<double> priors;
  for (const auto& source : sources) priors.push_back(settings.priors.variance(source.source, v));
  // Rain is mostly zero in every source: the spread of differences says nothing about errors.
  if (v == Variable::precip_mm) return {priors, 0.0};
  std::vector<std::vector<double>> observed(sources.size());
  std::vector<core::SourceSeries> series;
  for (std::size_t s = 0; s < sources.size(); ++s) {
    const auto& days = sources[s].days;
    observed[s].resize(days.size(), kMissing);
    for (std::size_t d = 0; d < days.size(); ++d) {
      if ((sources[s].qc.days[d].interpolated & core::bit_of(v)) != 0) continue;
      observed[s][d] = core::value_of(days[d], v);
    }
    series.push_back({observed[s], priors[s]});
  }
  return core::estimate_error_model(series, settings.error_model);
}

}  // namespace

std::vector<FusedDay> fuse_sources(std::span<const PreparedSource> sources,
                                   const FusionSettings& settings) {
  const std::size_t count = sources.empty() ? 0 : sources.front().days.size();
  std::vector<FusedDay> fused(count);
  std::vector<core::SourceEstimate> estimates;
  estimates.reserve(sources.size());
  for (Variable v : core::kVariables) {
    const auto vi = static_cast<std::size_t>(core::index_of(v));
    const auto model = error_model(sources, v, settings);
    for (std::size_t d = 0; d < count; ++d) {
      estimates.clear();
      bool observed = false;
      for (std::size_t s = 0; s < sources.size(); ++s) {
        const auto& source = sources[s];
        if (d >= source.days.size()) continue;
        const double value = core::value_of(source.days[d], v);
        if (is_missing(value)) continue;
        const auto& qc = source.qc.days[d];
        estimates.push_back({source.source, value, model.variances[s] + qc.fill_variance[vi]});
        if ((qc.interpolated & core::bit_of(v)) == 0) observed = true;
      }
      const auto ensemble = core::inverse_variance_ensemble(estimates, settings.ensemble);
      FusedValue& out = fused[d].values[vi];
      out.value = ensemble.value;
      out.variance = ensemble.variance + model.bias_variance * ensemble.weight_square_sum;
      out.source_count = ensemble.count;
      out.sources = ensemble.sources;
      out.disagreement_sigma = ensemble.max_disagreement_sigma;
      out.outlier_damped = ensemble.inflated && ensemble.count > 2;
      out.interpolated = ensemble.count > 0 && !observed;  // every contribution is a fill
    }
  }
  // Open-Meteo's own ET0: comparison only, archive preferred over forecast.
  for (std::size_t d = 0; d < count; ++d) {
    fused[d].date = sources.front().days[d].date;
    for (SourceId preferred : {SourceId::open_meteo_archive, SourceId::open_meteo_forecast}) {
      for (const auto& source : sources) {
        if (source.source != preferred || !is_missing(fused[d].upstream_eto_mm)) continue;
        fused[d].upstream_eto_mm = source.days[d].upstream_eto_mm;
      }
    }
  }
  return fused;
}

namespace {

double sd_of(const FusedValue& value) {
  return is_missing(value.variance) ? 0.0 : std::sqrt(value.variance);
}

// The variables the engine actually used, read from its flags (FAO-56 ch. 3 order).
std::vector<Variable> used_inputs(const core::FlagSet& flags) {
  std::vector<Variable> used = {Variable::tmax_c, Variable::tmin_c};
  if (flags.has(core::Flag::ea_from_tdew)) used.push_back(Variable::tdew_c);
  if (flags.has(core::Flag::ea_from_rh_max_min)) {
    used.push_back(Variable::rh_max_pct);
    used.push_back(Variable::rh_min_pct);
  }
  if (flags.has(core::Flag::ea_from_rh_max)) used.push_back(Variable::rh_max_pct);
  if (flags.has(core::Flag::ea_from_rh_mean)) used.push_back(Variable::rh_mean_pct);
  if (!flags.has(core::Flag::wind_defaulted)) used.push_back(Variable::u2_m_s);
  if (!flags.has(core::Flag::rs_from_temperature) && !flags.has(core::Flag::rs_from_sunshine)) {
    used.push_back(Variable::rs_mj_m2);
  }
  return used;
}

Quality to_quality(core::QualityLevel level) {
  switch (level) {
    case core::QualityLevel::high:
      return Quality::high;
    case core::QualityLevel::medium:
      return Quality::medium;
    case core::QualityLevel::low:
      return Quality::low;
  }
  return Quality::low;
}

}  // namespace

std::vector<DailyResult> compute_results(std::span<const FusedDay> days, const core::Site& site) {
  std::vector<DailyResult> results;
  results.reserve(days.size());
  for (const auto& fused : days) {
    DailyResult out;
    out.date = fused.date;
    domain::WeatherDay weather;
    weather.date = fused.date;
    for (Variable v : core::kVariables) core::value_of(weather, v) = fused[v].value;
    weather.wind_height_m = 2.0;

    out.tmax_c = weather.tmax_c;
    out.tmin_c = weather.tmin_c;
    out.rh_mean_pct = !is_missing(weather.rh_mean_pct)
                          ? weather.rh_mean_pct
                          : 0.5 * (weather.rh_max_pct + weather.rh_min_pct);
    out.u2_m_s = weather.wind_m_s;
    out.rs_mj_m2 = weather.rs_mj_m2;
    out.precip_mm = weather.precip_mm;
    out.upstream_eto_mm = fused.upstream_eto_mm;

    const auto eto = core::compute_daily(weather, site);
    out.eto_mm = eto.eto_mm;
    for (auto name : core::flag_names(eto.flags)) {
      if (name != core::to_string(core::Flag::wind_height_adjusted)) out.flags.emplace_back(name);
    }
    core::DayEvidence evidence;
    evidence.eto_missing = is_missing(eto.eto_mm);
    evidence.eto_flags = eto.flags;
    if (!evidence.eto_missing) {
      const core::DailyInputSd sd{.tmax_c = sd_of(fused[Variable::tmax_c]),
                                  .tmin_c = sd_of(fused[Variable::tmin_c]),
                                  .ea_kpa = 0.0,
                                  .tdew_c = sd_of(fused[Variable::tdew_c]),
                                  .rh_max_pct = sd_of(fused[Variable::rh_max_pct]),
                                  .rh_min_pct = sd_of(fused[Variable::rh_min_pct]),
                                  .rh_mean_pct = sd_of(fused[Variable::rh_mean_pct]),
                                  .wind_m_s = sd_of(fused[Variable::u2_m_s]),
                                  .rs_mj_m2 = sd_of(fused[Variable::rs_mj_m2])};
      out.eto_sd_mm = core::eto_sd_mm(core::to_daily_input(weather), sd, site);
      out.p_minus_eto_mm = out.precip_mm - out.eto_mm;

      std::uint32_t sources = 0;
      evidence.min_sources = 1 << 20;
      for (Variable v : used_inputs(eto.flags)) {
        const auto& value = fused[v];
        evidence.min_sources = std::min(evidence.min_sources, value.source_count);
        evidence.max_disagreement_sigma =
            std::max(evidence.max_disagreement_sigma, value.disagreement_sigma);
        evidence.outlier_damped = evidence.outlier_damped || value.outlier_damped;
        evidence.interpolated = evidence.interpolated || value.interpolated;
        sources |= value.sources;
        if (value.interpolated)
          out.flags.push_back(std::string(core::to_string(v)) + "_interpolated");
        if (value.outlier_damped)
          out.flags.push_back(std::string(core::to_string(v)) + "_outlier_damped");
      }
      for (SourceId id : domain::kAllSources) {
        if ((sources & (1U << static_cast<unsigned>(id))) != 0) out.sources.push_back(id);
      }
    }
    const auto quality = core::assess_day(evidence);
    out.quality = to_quality(quality.level);
    out.quality_reasons = quality.reasons;
    results.push_back(std::move(out));
  }
  return results;
}

}  // namespace evapo::pipeline
