// evapo-fusion-skill: the synthetic-truth skill benchmark of the fusion (README "Fusion skill").
//   evapo-fusion-skill [--seeds N] [--first-seed S]
// Seed s runs with 2 + (s mod 3) sources. Prints one line per seed and a summary; exits 1 when
// the fusion loses to the best single source on average or by more than 5 % on any seed.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "fusion_skill.hpp"

int main(int argc, char** argv) {
  int seeds = 30;
  unsigned long long first = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--seeds")
      seeds = std::atoi(argv[i + 1]);
    else if (flag == "--first-seed")
      first = std::strtoull(argv[i + 1], nullptr, 10);
    else {
      std::fprintf(stderr, "usage: evapo-fusion-skill [--seeds N] [--first-seed S]\n");
      return 2;
    }
  }
  const auto truth = evapo::bench::fallon_truth();
  std::printf("%-5s %-3s %-5s | %-36s | %-13s | %-13s | %-13s | %s\n", "seed", "n", "days",
              "single sources: ETo MAE mm (KGE)", "best single", "fused", "old design",
              "fused within 1 sd / 2 sd");
  double sum_best = 0, sum_fused = 0, sum_old = 0, sum_1 = 0, sum_2 = 0, worst_ratio = 0;
  int wins = 0;
  for (int k = 0; k < seeds; ++k) {
    const unsigned long long seed = first + static_cast<unsigned long long>(k);
    const auto r = evapo::bench::run_scenario(truth, seed, 2 + static_cast<int>(seed % 3));
    std::string singles;
    for (const auto& s : r.singles) {
      char cell[32];
      std::snprintf(cell, sizeof cell, "%.3f (%.2f) ", s.mae_mm, s.kge);
      singles += cell;
    }
    const auto& best = r.best_single();
    std::printf(
        "%-5llu %-3d %-5d | %-36s | %.3f (%.2f) | %.3f (%.2f) | %.3f (%.2f) | %.0f %% / %.0f %%\n",
        seed, r.source_count, r.scored_days, singles.c_str(), best.mae_mm, best.kge, r.fused.mae_mm,
        r.fused.kge, r.old_design.mae_mm, r.old_design.kge, 100 * r.within_1sd, 100 * r.within_2sd);
    sum_best += best.mae_mm;
    sum_fused += r.fused.mae_mm;
    sum_old += r.old_design.mae_mm;
    sum_1 += r.within_1sd;
    sum_2 += r.within_2sd;
    worst_ratio = std::max(worst_ratio, r.fused.mae_mm / best.mae_mm);
    wins += r.fused.mae_mm < best.mae_mm ? 1 : 0;
  }
  const double n = seeds;
  std::printf(
      "\nmean ETo MAE over %d seeds: best single %.3f, fused %.3f, old design %.3f mm/day\n", seeds,
      sum_best / n, sum_fused / n, sum_old / n);
  std::printf("fused beats the best single source on %d of %d seeds; worst fused/best ratio %.3f\n",
              wins, seeds, worst_ratio);
  std::printf("fused ETo within 1 sd on %.1f %% of days, within 2 sd on %.1f %%\n", 100 * sum_1 / n,
              100 * sum_2 / n);
  return sum_fused < sum_best && worst_ratio <= 1.05 ? 0 : 1;
}
