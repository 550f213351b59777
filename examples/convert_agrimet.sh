#!/usr/bin/env bash
# Converts the Fallon (FALN) AgriMet 2015 raw files into evapo's station CSV format.
# Usage: examples/convert_agrimet.sh [shared-datasets-dir]   (writes examples/fallon_*_2015.csv)
# Units: °F -> °C (F - 32) * 5/9; langley -> MJ m-2 x 0.041868 (REF-ET's factor); mph -> m/s
# x 0.44704; inches -> mm x 25.4. Site constants from the REF-ET .def/.out headers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
data="${1:-$here/../../shared/datasets/agrimet_faln_2015}"

site_header="latitude_deg,longitude_deg,elevation_m,wind_height_m,tz_offset_h"
site_values="39.4575,-118.77388,1208.5,3,-8"

# A field that is not a number ("NO RECORD") becomes an empty cell: a missing value.
common='
  { sub(/\r$/, "") }
  function ok(x) { return x ~ /^ *-?[0-9]+(\.[0-9]*)? *$/ }
  function c(f) { return ok(f) ? sprintf("%.4f", (f - 32) * 5 / 9) : "" }
  function scaled(x, factor, format) { return ok(x) ? sprintf(format, x * factor) : "" }
'

# Daily: YEAR,MONTH,DAY,MN,MX,SR,YM,UA,ETRS,ETOS. AgriMet's own ETRS/ETOS pass through.
awk -F, -v site="$site_values" -v site_header="$site_header" "$common"'
  NR == 1 { print "date,tmax_c,tmin_c,tdew_c,rs_mj_m2,wind_m_s," site_header ",agrimet_etr_mm,agrimet_eto_mm"; next }
  { printf "%04d-%02d-%02d,%s,%s,%s,%s,%s,%s,%s,%s\n", $1, $2, $3, c($5), c($4), c($7),
           scaled($6, 0.041868, "%.4f"), scaled($8, 0.44704, "%.4f"), site,
           scaled($9, 25.4, "%.2f"), scaled($10, 25.4, "%.2f") }
' "$data/FALN_Agrimet_daily_raw_2015.csv" > "$here/fallon_daily_2015.csv"

# Hourly: YEAR,MONTH,DAY,HOUR,OB,TP,WS,SI; HOUR is the end of the hour, local standard time.
awk -F, -v site="$site_values" -v site_header="$site_header" "$common"'
  NR == 1 { print "datetime,t_c,tdew_c,rs_mj_m2,wind_m_s," site_header; next }
  { printf "%04d-%02d-%02dT%02d:00,%s,%s,%s,%s,%s\n", $1, $2, $3, $4, c($5), c($6),
           scaled($8, 0.041868, "%.5f"), scaled($7, 0.44704, "%.4f"), site }
' "$data/FALN_Agrimet_hourly_raw_2015.csv" > "$here/fallon_hourly_2015.csv"
