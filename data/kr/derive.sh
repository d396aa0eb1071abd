#!/bin/sh
# derive.sh - regenerate the tidy tables of data/kr/ from the verbatim source
# copies in data/kr/source/.  See data/kr/SOURCES.md for what each table holds.
#
# Usage: sh data/kr/derive.sh [SRC_DIR] [OUT_DIR]
#   SRC_DIR  default: <directory of this script>/source
#   OUT_DIR  default: <directory of this script>
#
# Tools: POSIX sh, awk (mawk-compatible; override with AWK=...), sort, coreutils,
# and for region_area.csv the C tool tools/topo_area.c, whose path must be in
# the environment variable TOPO_AREA (`make data` builds build/topo-area and
# sets it): TOPO_AREA=build/topo-area sh data/kr/derive.sh
# Every value is copied as source text (never re-formatted through arithmetic),
# rows are selected/reshaped only, and each output is sorted by explicit keys
# that are unique per row, under LC_ALL=C, so the output is byte-identical on
# every run.  Each output is written to a temporary file in OUT_DIR and then
# renamed over the target (atomic on one filesystem).  Any unexpected input
# (changed header, unknown code, duplicate key, non-integer count, wrong row
# count) aborts the script with a message and leaves the old outputs in place.
#
# Tables written, in this order (sections a.-y. below):
#   a. regions.csv                  n. population_base_sigungu.csv
#   b. population_base.csv          o. population_sigungu_age5.csv
#   c. population_base_totals.csv   p. region_area.csv
#   d. population_age5.csv          q. grdp_per_capita.csv (old base)
#   e. population_totals.csv        r. labor_force.csv
#   f. births_by_age.csv            s. grdp_industry.csv (old base, 2022p)
#   g. births_totals.csv            t. labor_force_sigungu.csv
#   h. mortality_qx.csv             u. industry_clusters.csv
#   i. mortality_mx_wpp.csv         v. local_finance.csv
#   j. asdr_sigungu.csv             w. fiscal_self_reliance.csv
#   k. sigungu_totals.csv           x. grdp_per_capita_new.csv (new base)
#   l. migration_od.csv             y. tax_items.csv
#   m. distances.csv                s1. schools_register.csv
#                                   s2. schools_sido.csv
#                                   s3. school_closures.csv
# and (issue 14, sections z1.-z6.): vital_sido.csv, fertility_asfr.csv,
# vital_national.csv, projection_assumptions.csv, intl_migration.csv,
# foreign_residents.csv, and at the end r1. projection_results_stated.csv
# (KOSTAT's projection results, for comparison only).
# and, after the section they follow, d2. population_age5_residents.csv and
# m2. migration_totals.csv.
# Sources a.-r. are plain CSV and are split on commas.  The economy sources of
# sections s.-y. are read with csv(), since some of them have RFC 4180
# double-quoted fields.  In the outputs u.-w. and y. a text field that
# contains a comma is written double-quoted (RFC 4180), every other field
# unquoted; no field may contain a '"'.  All other outputs have no quoting at
# all.

set -eu
LC_ALL=C
export LC_ALL

script_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
SRC=${1:-"$script_dir/source"}
OUT=${2:-"$script_dir"}
AWK=${AWK:-awk}

[ -d "$SRC" ] || { echo "derive.sh: source directory not found: $SRC" >&2; exit 1; }
TOPO_AREA=${TOPO_AREA:-}
if [ -z "$TOPO_AREA" ] || [ ! -f "$TOPO_AREA" ] || [ ! -x "$TOPO_AREA" ]; then
    echo "derive.sh: TOPO_AREA must be the path of the topo-area executable" \
         "(got \"$TOPO_AREA\"); build it with 'make build/topo-area' and run" \
         "TOPO_AREA=build/topo-area sh data/kr/derive.sh, or use 'make data'" >&2
    exit 1
fi
mkdir -p "$OUT"

tmp="$OUT/.derive.$$"
cleanup() { rm -f "$tmp.body" "$tmp.out" "$tmp.sido" "$tmp.sgg"; }
trap cleanup EXIT
trap 'cleanup; exit 1' HUP INT TERM

DEM="$SRC/demography"
MIG="$SRC/migration"
GEO="$SRC/geo"

# Shared awk helpers.
#   die(msg)      abort with a message (END blocks must start with "if (died) exit 2")
#   hdr(expected) first line must equal the expected header exactly
#   nf(n)         every line must have n comma-separated fields
#   chk_int(v, what)  v must be a non-negative integer written with digits only
#   chk_rate(v, what) v must be a plain or scientific-notation number (copied as text)
#   sido(c)       c must be one of the 17 two-digit sido codes
#   key(k)        k must not have been seen before (unique output key)
#   chk_sint(v, what) v must be an integer, optionally negative (digits only)
#   chk_snum(v, what) v must be a decimal number, optionally negative
#   csv()         split $0 as RFC 4180 CSV into F[1..n] and return n (quoted
#                 fields may hold commas; a '"' inside a field aborts)
#   q(v)          v for output: double-quoted if it contains a comma
LIB='
function die(m) {
    printf "derive.sh: %s line %d: %s\n", FILENAME, FNR, m > "/dev/stderr"
    died = 1
    exit 2
}
function hdr(e) { if ($0 != e) die("unexpected header: " $0) }
function nf(n) { if (NF != n) die("expected " n " fields, got " NF) }
function chk_int(v, w) { if (v !~ /^[0-9]+$/) die("non-integer " w ": \"" v "\"") }
function chk_rate(v, w) {
    if (v !~ /^[0-9]*\.?[0-9]+([eE][-+]?[0-9]+)?$/) die("bad " w ": \"" v "\"")
}
function sido(c) {
    if (c !~ /^(11|26|27|28|29|30|31|36|41|43|44|46|47|48|50|51|52)$/)
        die("unknown sido code \"" c "\"")
}
function key(k) { if (k in seen_) die("duplicate key " k); seen_[k] = 1 }
function chk_sint(v, w) { if (v !~ /^-?[0-9]+$/) die("non-integer " w ": \"" v "\"") }
function chk_snum(v, w) { if (v !~ /^-?[0-9]+(\.[0-9]+)?$/) die("bad " w ": \"" v "\"") }
function csv(   s, n, i) {
    n = 0; s = $0
    for (;;) {
        if (substr(s, 1, 1) == "\"") {
            i = index(substr(s, 2), "\"")
            if (i == 0) die("unterminated quoted field")
            F[++n] = substr(s, 2, i - 1)
            s = substr(s, i + 2)
            if (s == "") break
            if (substr(s, 1, 1) != ",") die("quote inside a field")
            s = substr(s, 2)
        } else {
            i = index(s, ",")
            if (i == 0) { F[++n] = s; break }
            F[++n] = substr(s, 1, i - 1)
            s = substr(s, i + 1)
        }
        if (index(F[n], "\"")) die("quote inside a field")
    }
    if (index(F[n], "\"")) die("quote inside a field")
    return n
}
function q(v) { return index(v, ",") ? "\"" v "\"" : v }
'

# finish NAME HEADER SORT-KEY-OPTIONS...
# Writes HEADER followed by the sorted body ($tmp.body) to OUT/NAME atomically.
finish() {
    name=$1
    header=$2
    shift 2
    printf '%s\n' "$header" > "$tmp.out"
    sort -t, "$@" "$tmp.body" >> "$tmp.out"
    mv -f "$tmp.out" "$OUT/$name"
    rm -f "$tmp.body"
    echo "derive.sh: wrote $name ($(($(wc -l < "$OUT/$name") - 1)) rows)" >&2
}

# ---------------------------------------------------------------------------
# a. regions.csv  (17 sido, then 229 sigungu; gu_in_city dropped)
#    order: level (sido < sigungu as strings), code
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
{ nf(11); sido($4)
  if ($8 == "" || $6 == "") die("empty name")
  cap = ($4 == "11" || $4 == "28" || $4 == "41") ? "1" : "0" }
$2 == "sido" {
    if ($1 != $4 || $3 != "") die("inconsistent sido row")
    key($1); ns++; is_sido[$1] = 1
    print $1, "sido", "", $8, $6, cap; next }
$2 == "sigungu" {
    if ($1 !~ /^[0-9][0-9][0-9][0-9][0-9]$/ || $3 != "") die("inconsistent sigungu row")
    key($1); ng++; par[$1] = $4
    print $1, "sigungu", $4, $8, $6, cap; next }
$2 == "gu_in_city" { next }
{ die("unknown level \"" $2 "\"") }
END { if (died) exit 2
      for (c in par) if (!(par[c] in is_sido)) { FNR = 0; die("sigungu " c " has unknown parent " par[c]) }
      if (ns != 17 || ng != 229) { FNR = 0; die("expected 17 sido and 229 sigungu, got " ns " and " ng) } }
' "$GEO/region_codes.csv" > "$tmp.body"
finish regions.csv "code,level,parent,name_en,name_ko,capital_region" -k2,2 -k1,1

# ---------------------------------------------------------------------------
# b. population_base.csv  (end-June 2025, total registered, single age 0..100)
#    order: region, sex, age (numeric)
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,month,sex,age,age_label,population"); next }
{ nf(9)
  if ($1 == "00") next
  sido($1)
  if ($4 != "2025" || $5 != "6") die("unexpected period " $4 "-" $5)
  if ($6 != "male" && $6 != "female") die("unexpected sex " $6)
  if ($7 !~ /^[0-9]+$/ || $7 + 0 > 100) die("unexpected age " $7)
  if (($7 == "100") != ($8 == "100+")) die("age/age_label mismatch")
  chk_int($9, "population"); key($1 "," $6 "," $7); n++
  print $1, $6, $7, $9 }
END { if (died) exit 2; if (n != 3434) { FNR = 0; die("expected 3434 rows, got " n) } }
' "$DEM/sido_population_single_age_sex_2025_06.csv" > "$tmp.body"
finish population_base.csv "region,sex,age,population" -k1,1 -k2,2 -k3,3n

# ---------------------------------------------------------------------------
# c. population_base_totals.csv  (published sido totals, end-June 2025)
#    order: region, sex
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,month,level,adm_code,parent_code,sido_code,sido,name_ko,sgg_name_ko,pop_total,pop_male,pop_female,pop_0_14,pop_15_64,pop_65_plus,women_20_39,extinction_risk_index"); next }
{ nf(17) }
$3 != "sido" { next }
{ if ($4 == "00") next
  sido($4)
  if ($1 != "2025" || $2 != "6") die("unexpected period")
  chk_int($11, "pop_male"); chk_int($12, "pop_female"); key($4); n++
  print $4, "female", $12
  print $4, "male", $11 }
END { if (died) exit 2; if (n != 17) { FNR = 0; die("expected 17 sido, got " n) } }
' "$DEM/sigungu_population_summary_2025_06.csv" > "$tmp.body"
finish population_base_totals.csv "region,sex,population" -k1,1 -k2,2

# ---------------------------------------------------------------------------
# d. population_age5.csv  (year-end 2011-2023, total registered, 5-year groups)
#    order: region, year, sex, age_start
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,month,period_type,sex,age_group,age_start,age_end,population"); next }
{ nf(11) }
$6 != "year_end" { if ($6 != "month") die("unknown period_type " $6); next }
$1 == "00" || $7 == "total" || $8 == "total" { next }
{ sido($1)
  if ($5 != "12") die("year_end row with month " $5)
  if ($7 != "male" && $7 != "female") die("unexpected sex " $7)
  if ($8 == "100+") {
      if ($9 != "100" || $10 != "") die("unexpected 100+ row")
      a0 = "100"; a1 = "100"
  } else {
      if ($8 != $9 "-" $10) die("age_group/age bounds mismatch " $8)
      a0 = $9; a1 = $10
  }
  chk_int($4, "year"); chk_int($11, "population"); key($1 "," $4 "," $7 "," a0)
  print $1, $4, $7, a0, a1, $11 }
END { if (died) exit 2 }
' "$DEM/sido_population_age5_sex_2011_2024.csv" > "$tmp.body"
finish population_age5.csv "region,year,sex,age_start,age_end,population" -k1,1 -k2,2n -k3,3 -k4,4n

# ---------------------------------------------------------------------------
# d2. population_age5_residents.csv  (year-end 2022-2024, RESIDENTS ONLY
#    (거주자), 5-year groups, the published level=sido rows of the sigungu
#    file of section o.; the only year-end 2024 table by sido and age).  Same
#    layout as population_age5.csv; sex male and female (the total rows are
#    only checked: male + female = total in every sido, year and group).
#    order: region, year, sex, age_start
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,level,adm_code_source,adm_code,parent_code,sido_code,sido,name_ko,sgg_name_ko,sex,age_group,age_start,age_end,population"); next }
{ nf(14) }
$2 != "sido" { next }
{ if ($4 != $6) die("inconsistent sido row")
  sido($4); chk_int($1, "year"); chk_int($14, "population")
  if ($11 == "100+") {
      if ($12 != "100" || $13 != "") die("unexpected 100+ row")
      a0 = "100"; a1 = "100"
  } else {
      if ($11 != $12 "-" $13) die("age_group/age bounds mismatch " $11)
      a0 = $12; a1 = $13
  }
  c = $4 "," $1 "," a0
  if ($10 == "total") { tot[c] = $14; next }
  if ($10 != "male" && $10 != "female") die("unexpected sex " $10)
  sum[c] += $14; key(c "," $10)
  print $4, $1, $10, a0, a1, $14 }
END { if (died) exit 2
      FNR = 0
      for (c in tot) if (sum[c] != tot[c]) die("male + female != total at " c)
      for (c in sum) if (!(c in tot)) die("no total row for " c) }
' "$DEM/sigungu_population_age5_sex_2022_2024.csv" > "$tmp.body"
finish population_age5_residents.csv "region,year,sex,age_start,age_end,population" -k1,1 -k2,2n -k3,3 -k4,4n

# ---------------------------------------------------------------------------
# e. population_totals.csv  (year-end 1992-2023, total registered)
#    order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,population,source_file"); next }
{ nf(6)
  if ($1 == "00") next
  sido($1); chk_int($4, "year"); chk_int($5, "population"); key($1 "," $4)
  print $1, $4, $5 }
END { if (died) exit 2 }
' "$DEM/sido_population_total_1992_2023.csv" > "$tmp.body"
finish population_totals.csv "region,year,population" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# f. births_by_age.csv  (child_sex=total; <15 -> 10,14; 50+ -> 50,54)
#    order: region, year, mother_age_start
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,mother_age_group,mother_age_start,mother_age_end,child_sex,births"); next }
{ nf(9)
  if ($8 != "total" && $8 != "male" && $8 != "female") die("unexpected child_sex " $8) }
$1 == "00" || $8 != "total" || $5 == "total" || $5 == "unknown" { next }
{ sido($1)
  if ($5 == "<15") { a0 = "10"; a1 = "14" }
  else if ($5 == "50+") { a0 = "50"; a1 = "54" }
  else if ($5 ~ /^[1-4][05]-[1-4][49]$/ && $5 == $6 "-" $7) { a0 = $6; a1 = $7 }
  else die("unexpected mother_age_group " $5)
  chk_int($4, "year"); chk_int($9, "births"); key($1 "," $4 "," a0)
  print $1, $4, a0, a1, $9 }
END { if (died) exit 2 }
' "$DEM/sido_births_by_mother_age_1991_2023.csv" > "$tmp.body"
finish births_by_age.csv "region,year,mother_age_start,mother_age_end,births" -k1,1 -k2,2n -k3,3n

# ---------------------------------------------------------------------------
# g. births_totals.csv  (total births, by child sex, and births with unknown mother age)
#    order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,mother_age_group,mother_age_start,mother_age_end,child_sex,births"); next }
{ nf(9) }
$1 == "00" { next }
$5 == "total" || ($5 == "unknown" && $8 == "total") {
    sido($1); chk_int($4, "year"); chk_int($9, "births")
    k = $1 "," $4; ry[k] = 1
    f = ($5 == "unknown") ? "unknown" : $8
    if (f != "total" && f != "male" && f != "female" && f != "unknown") die("unexpected child_sex " $8)
    if ((k SUBSEP f) in v) die("duplicate " k " " f)
    v[k, f] = $9 }
END { if (died) exit 2
      for (k in ry) {
          if (!((k SUBSEP "total") in v) || !((k SUBSEP "male") in v) || \
              !((k SUBSEP "female") in v) || !((k SUBSEP "unknown") in v)) { FNR = 0; die("incomplete totals for " k) }
          print k, v[k, "total"], v[k, "male"], v[k, "female"], v[k, "unknown"] } }
' "$DEM/sido_births_by_mother_age_1991_2023.csv" > "$tmp.body"
finish births_totals.csv "region,year,births,births_male,births_female,births_age_unknown" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# h. mortality_qx.csv  (national life tables 2010, 2018 and 2024, long by sex;
#    the 2024 table from its own source file, same layout)
#    order: year, sex, age
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { hdr("year,age,age_label,qx_male,qx_female"); next }
{ nf(5); chk_int($1, "year")
  if ($2 !~ /^[0-9]+$/ || $2 + 0 > 100) die("unexpected age " $2)
  if (($2 == "100") != ($3 == "100+")) die("age/age_label mismatch")
  chk_rate($4, "qx_male"); chk_rate($5, "qx_female"); key($1 "," $2)
  print $1, "female", $2, $5
  print $1, "male", $2, $4 }
END { if (died) exit 2 }
' "$DEM/national_life_table_qx_2010_2018.csv" "$DEM/national_life_table_qx_2024.csv" > "$tmp.body"
finish mortality_qx.csv "year,sex,age,qx" -k1,1n -k2,2 -k3,3n

# ---------------------------------------------------------------------------
# i. mortality_mx_wpp.csv  (UN WPP 2024 mx, five-year periods, abridged ages)
#    order: period_start, sex, age_start
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("period,period_start,period_end,age_start,mx_male,mx_female,mx_total"); next }
{ nf(7); chk_int($2, "period_start"); chk_int($3, "period_end"); chk_int($4, "age_start")
  if ($1 != $2 "-" $3) die("period label mismatch")
  chk_rate($5, "mx_male"); chk_rate($6, "mx_female"); key($2 "," $4)
  print $2, $3, "female", $4, $6
  print $2, $3, "male", $4, $5 }
END { if (died) exit 2 }
' "$DEM/national_wpp2024_mx_age5_1950_2025.csv" > "$tmp.body"
finish mortality_mx_wpp.csv "period_start,period_end,sex,age_start,mx" -k1,1n -k3,3 -k4,4n

# ---------------------------------------------------------------------------
# j. asdr_sigungu.csv  (age-standardised death rate per 100,000, 2010/2015/2020)
#    kept: adm_code_2024 non-blank and a level=sigungu unit of region_codes.csv;
#    parent = that unit's sido_code in region_codes.csv.  A unit appearing twice
#    in the same year and sex aborts the script.
#    order: year, region, sex
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); known[$1] = 1; if ($2 == "sigungu") parent[$1] = $4; next }
FNR == 1 { hdr("year,sgis_code,adm_code,adm_code_2024,sido_code,sido,name_ko,name_en,sex,asdr_per_100k"); next }
{ nf(10)
  if ($9 != "total" && $9 != "male" && $9 != "female") die("unexpected sex " $9) }
$4 != "" && !($4 in known) { die("adm_code_2024 " $4 " not in region_codes.csv") }
$4 == "" || !($4 in parent) { next }
{ chk_int($1, "year"); chk_rate($10, "asdr_per_100k"); key($1 "," $4 "," $9)
  print $4, parent[$4], $1, $9, $10 }
END { if (died) exit 2 }
' "$GEO/region_codes.csv" "$DEM/sigungu_age_standardized_death_rate_2010_2020.csv" > "$tmp.body"
finish asdr_sigungu.csv "region,parent,year,sex,asdr_per_100k" -k3,3n -k1,1 -k4,4

# ---------------------------------------------------------------------------
# k. sigungu_totals.csv  (pop_total of the 229 sigungu; year-end 2022-2024
#    residents only, end-June 2025 total registered).  parent = the sido_code
#    column of the source row, i.e. the parent sido at the reference date.
#    order: year, month, region
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sigungu") is_sgg[$1] = 1; next }
fileno == 2 && FNR == 1 { hdr("year,level,adm_code_source,adm_code,parent_code,sido_code,sido,name_ko,sgg_name_ko,pop_total,pop_male,pop_female,pop_0_14,pop_15_64,pop_65_plus,women_20_39,extinction_risk_index"); next }
fileno == 2 { nf(17)
    if ($2 != "sigungu") next
    y = $1; m = "12"; cov = "residents" }
fileno == 3 && FNR == 1 { hdr("year,month,level,adm_code,parent_code,sido_code,sido,name_ko,sgg_name_ko,pop_total,pop_male,pop_female,pop_0_14,pop_15_64,pop_65_plus,women_20_39,extinction_risk_index"); next }
fileno == 3 { nf(17)
    if ($3 != "sigungu") next
    y = $1; m = $2; cov = "registered"
    if (y != "2025" || m != "6") die("unexpected period") }
{ if (!($4 in is_sgg)) die("unknown sigungu " $4)
  sido($6); chk_int(y, "year"); chk_int($10, "pop_total"); key(y "," m "," $4); n[y "," m]++
  print $4, $6, y, m, cov, $10 }
END { if (died) exit 2
      for (k in n) if (n[k] != 229) { FNR = 0; die("expected 229 sigungu in " k ", got " n[k]) } }
' "$GEO/region_codes.csv" "$DEM/sigungu_population_summary_2022_2024.csv" "$DEM/sigungu_population_summary_2025_06.csv" > "$tmp.body"
finish sigungu_totals.csv "region,parent,year,month,coverage,population" -k3,3n -k4,4n -k1,1

# ---------------------------------------------------------------------------
# l. migration_od.csv  (annual sido-to-sido movers 1970-2020 from the migest
#    export, 2021-2024 from its continuation (the same KOSIS table, a later
#    download); KOSIS orientation, orig = move-out region; diagonal = moves
#    within a sido).  The second file may only add years after the first's
#    (a year in both aborts: duplicate key); it must hold 17 x 17 pairs a year.
#    order: year, orig, dest
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++; hdr("year,orig_code,orig,orig_name_ko,dest_code,dest,dest_name_ko,migrants"); next }
{ nf(8)
  if ($2 == "00" || $5 == "00") next
  sido($2); sido($5); chk_int($1, "year"); chk_int($8, "migrants"); key($1 "," $2 "," $5)
  if (fileno == 1 && $1 + 0 > last) last = $1 + 0
  if (fileno == 2) { if ($1 + 0 <= last) die("year " $1 " not after " last); n2[$1]++ }
  print $1, $2, $5, $8 }
END { if (died) exit 2
      FNR = 0
      for (y in n2) if (n2[y] != 289) die("year " y ": expected 289 pairs, got " n2[y]) }
' "$MIG/sido_od_migrants_annual_1970_2020.csv" "$MIG/sido_od_migrants_annual_2021_2024.csv" > "$tmp.body"
finish migration_od.csv "year,orig,dest,migrants" -k1,1n -k2,2 -k3,3

# ---------------------------------------------------------------------------
# m. distances.csv  (population-weighted centroid distance, contiguity)
#    order: orig, dest
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("orig_code,orig,orig_name_ko,dest_code,dest,dest_name_ko,dist_centroid_km,dist_min_boundary_km,dist_popweighted_centroid_km,contiguous"); next }
{ nf(10); sido($1); sido($4); chk_rate($9, "dist_popweighted_centroid_km"); key($1 "," $4)
  if ($10 == "true") c = "1"; else if ($10 == "false") c = "0"; else die("unexpected contiguous " $10)
  n++
  print $1, $4, $9, c }
END { if (died) exit 2; if (n != 289) { FNR = 0; die("expected 289 pairs, got " n) } }
' "$MIG/sido_distances.csv" > "$tmp.body"
finish distances.csv "orig,dest,dist_km,contiguous" -k1,1 -k2,2

# ---------------------------------------------------------------------------
# m2. migration_totals.csv  (per sido and year 2000-2024: the published
#    in-migrants (전입, moves within the sido included), out-migrants (전출),
#    moves within the sido and net migration of KOSIS DT_1B26003_A01; the
#    source's derived columns in_from_other_sido and out_to_other_sido are
#    not copied).  The loader checks them against the margins of
#    migration_od.csv.  Check here: net = in - out in every row.
#    order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,in_migrants_total,out_migrants_total,within_sido_moves,in_from_other_sido,out_to_other_sido,net_migration"); next }
{ nf(10)
  if ($1 == "00") next
  sido($1); chk_int($4, "year"); chk_int($5, "in_migrants_total"); chk_int($6, "out_migrants_total")
  chk_int($7, "within_sido_moves"); chk_sint($10, "net_migration"); key($1 "," $4)
  if ($5 - $6 != $10) die("net_migration != in - out")
  print $1, $4, $5, $6, $7, $10 }
END { if (died) exit 2 }
' "$MIG/sido_internal_migration_summary_2000_2024.csv" > "$tmp.body"
finish migration_totals.csv "region,year,in_migrants,out_migrants,within_moves,net_migration" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# n. population_base_sigungu.csv  (end-June 2025, total registered, single age
#    0..100 (100 = 100+), the 229 level=sigungu units; gu_in_city rows dropped).
#    region = adm_code; its sido_code must be the one of region_codes.csv.
#    Check: the sigungu summed by sido_code equal the sido file of
#    population_base.csv in every sido x sex x age cell (3,434 of 3,434), and
#    the total is 51,164,582.
#    order: region, sex, age (numeric)
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sigungu") par[$1] = $4; next }
fileno == 2 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,sgg_name_ko,year,month,sex,age,age_label,population"); next }
fileno == 2 { nf(13)
    if ($2 == "gu_in_city") next
    if ($2 != "sigungu") die("unknown level \"" $2 "\"")
    if (!($1 in par)) die("adm_code " $1 " is not a level=sigungu unit of region_codes.csv")
    sido($4)
    if ($4 != par[$1] || $3 != "") die("sigungu " $1 ": sido_code " $4 " / parent_code \"" $3 "\" disagree with region_codes.csv")
    if ($8 != "2025" || $9 != "6") die("unexpected period " $8 "-" $9)
    if ($10 != "male" && $10 != "female") die("unexpected sex " $10)
    if ($11 !~ /^(0|[1-9][0-9]?|100)$/) die("unexpected age " $11)
    if ($12 != ($11 == "100" ? "100+" : $11)) die("age/age_label mismatch")
    chk_int($13, "population"); key($1 "," $10 "," $11); n++
    sum[$4 "," $10 "," $11] += $13; tot += $13
    print $1, $10, $11, $13; next }
fileno == 3 && FNR == 1 { hdr("sido_code,sido,name_ko,year,month,sex,age,age_label,population"); next }
fileno == 3 { nf(9); sido($1); chk_int($9, "population")
    k = $1 "," $6 "," $7
    if (k in pub) die("duplicate sido cell " k)
    pub[k] = $9 }
END { if (died) exit 2
      FNR = 0
      if (n != 46258) die("expected 46258 rows (229 x 2 x 101), got " n)
      for (k in pub) {
          m++
          if (!(k in sum)) die("no sigungu rows for sido cell " k)
          if (sum[k] != pub[k]) die("sido cell " k ": sigungu sum " sum[k] " != sido " pub[k]) }
      for (k in sum) if (!(k in pub)) die("sigungu rows for sido cell " k " not in the sido file")
      if (m != 3434) die("expected 3434 sido cells, got " m)
      if (tot != 51164582) die("total " tot " != 51164582") }
' "$GEO/region_codes.csv" "$DEM/sigungu_population_single_age_sex_2025_06.csv" \
  "$DEM/sido_population_single_age_sex_2025_06.csv" > "$tmp.body"
finish population_base_sigungu.csv "region,sex,age,population" -k1,1 -k2,2 -k3,3n

# ---------------------------------------------------------------------------
# o. population_sigungu_age5.csv  (year-end 2022-2024, RESIDENTS ONLY (거주자),
#    5-year groups, the 229 level=sigungu units; region = adm_code, the 2024
#    code, also for 2022 Gunwi whose sido_code is 47 that year).  Sex male and
#    female (the total rows are only checked); 100+ -> 100,100 as in
#    population_age5.csv.
#    Checks: male + female = total in every unit, year and group; the sigungu
#    summed by the sido_code of their row equal the published sido rows in
#    every sido x year x sex x group cell.
#    order: region, year, sex, age_start
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sigungu") is_sgg[$1] = 1; next }
FNR == 1 { hdr("year,level,adm_code_source,adm_code,parent_code,sido_code,sido,name_ko,sgg_name_ko,sex,age_group,age_start,age_end,population"); next }
{ nf(14)
  if ($1 != "2022" && $1 != "2023" && $1 != "2024") die("unexpected year " $1)
  if ($10 != "total" && $10 != "male" && $10 != "female") die("unexpected sex " $10)
  if ($11 == "100+") {
      if ($12 != "100" || $13 != "") die("unexpected 100+ row")
      a0 = "100"; a1 = "100"
  } else {
      if ($11 !~ /^[0-9]+-[0-9]+$/ || $11 != $12 "-" $13 || $12 % 5 != 0 || $12 + 0 > 95 || $13 != $12 + 4) \
          die("unexpected age_group " $11)
      a0 = $12; a1 = $13
  }
  chk_int($14, "population"); sido($6)
  c = $1 "," $10 "," a0 }
$2 == "gu_in_city" { next }
$2 == "sido" {
    if ($4 != $6) die("inconsistent sido row")
    if (($4 "," c) in pub) die("duplicate sido row " $4 "," c)
    pub[$4 "," c] = $14; next }
$2 != "sigungu" { die("unknown level \"" $2 "\"") }
{ if (!($4 in is_sgg)) die("adm_code " $4 " is not a level=sigungu unit of region_codes.csv")
  if (($4 "," c) in v) die("duplicate key " $4 "," c)
  v[$4 "," c] = $14; sum[$6 "," c] += $14
  if ($10 == "total") next
  n++
  print $4, $1, $10, a0, a1, $14 }
END { if (died) exit 2
      FNR = 0
      if (n != 28854) die("expected 28854 rows (229 x 3 x 2 x 21), got " n)
      for (k in v) {
          split(k, p, ",")
          if (p[3] != "total") continue
          nt++
          km = p[1] "," p[2] ",male," p[4]; kf = p[1] "," p[2] ",female," p[4]
          if (!(km in v) || !(kf in v)) die("no male/female rows for " k)
          if (v[km] + v[kf] != v[k]) die(k ": male " v[km] " + female " v[kf] " != total " v[k]) }
      if (2 * nt != n) die("male/female rows without a total row")
      for (k in pub) {
          m++
          if (!(k in sum)) die("no sigungu rows for sido row " k)
          if (sum[k] != pub[k]) die("sido row " k ": sigungu sum " sum[k] " != published " pub[k]) }
      for (k in sum) if (!(k in pub)) die("sigungu rows summed to " k " have no sido row")
      if (m != 17 * 3 * 3 * 21) die("expected 3213 sido rows, got " m) }
' "$GEO/region_codes.csv" "$DEM/sigungu_population_age5_sex_2022_2024.csv" > "$tmp.body"
finish population_sigungu_age5.csv "region,year,sex,age_start,age_end,population" -k1,1 -k2,2n -k3,3 -k4,4n

# ---------------------------------------------------------------------------
# p. region_area.csv  (area in km2 of the 17 sido and 229 sigungu polygons of
#    the simplified 2018 SGIS boundaries, on the sphere of radius 6371.0088 km,
#    computed by $TOPO_AREA (tools/topo_area.c, d3.geoArea) and copied as the
#    tool prints it, "%.1f").  Every sido and sigungu of region_codes.csv must
#    have exactly one polygon feature and nothing else may appear.
#    Check: the sigungu areas summed by sido_code are within 1% of the sido
#    polygon area (the worst deviation is reported).
#    order: sido then sigungu, each by code, as regions.csv; numeric order on
#    code gives exactly that (2-digit codes < 5-digit codes).
"$TOPO_AREA" "$GEO/sido.topo.json" sido sido_code > "$tmp.sido" ||
    { echo "derive.sh: $TOPO_AREA failed on $GEO/sido.topo.json" >&2; exit 1; }
"$TOPO_AREA" "$GEO/sigungu.topo.json" sigungu adm_code > "$tmp.sgg" ||
    { echo "derive.sh: $TOPO_AREA failed on $GEO/sigungu.topo.json" >&2; exit 1; }
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11)
    if ($2 == "sido") is_sido[$1] = 1
    if ($2 == "sigungu") par[$1] = $4
    next }
{ nf(2)
  if ($2 !~ /^[0-9]+\.[0-9]$/ || $2 + 0 <= 0) die("bad area \"" $2 "\" for " $1) }
fileno == 2 { if (!($1 in is_sido)) die("sido.topo.json: unknown sido_code " $1)
    key($1); ns++; area[$1] = $2 }
fileno == 3 { if (!($1 in par)) die("sigungu.topo.json: adm_code " $1 " is not a level=sigungu unit of region_codes.csv")
    key($1); ng++; sum[par[$1]] += $2 }
{ print $1, $2 }
END { if (died) exit 2
      FNR = 0
      if (ns != 17 || ng != 229) die("expected 17 sido and 229 sigungu polygons, got " ns " and " ng)
      worst = -1
      for (c in area) {
          d = (sum[c] - area[c]) / area[c]; a = d < 0 ? -d : d
          if (a > 0.01) die("sido " c ": sigungu areas sum to " sum[c] " km2, sido polygon " area[c] " km2")
          if (a > worst) { worst = a; wc = c; wd = d } }
      printf "derive.sh: region_area.csv: sigungu sum vs sido polygon, worst %s %+.4f%%\n", wc, 100 * wd > "/dev/stderr" }
' "$GEO/region_codes.csv" "$tmp.sido" "$tmp.sgg" > "$tmp.body"
rm -f "$tmp.sido" "$tmp.sgg"
finish region_area.csv "code,area_km2" -k1,1n

# ---------------------------------------------------------------------------
# q. grdp_per_capita.csv  (GRDP per capita, thousand KRW, current prices,
#    1985-2021, from the OLD-BASE KOSTAT regional accounts (KOSIS DT_1C86,
#    2023-11 export).  Never splice it with the re-based 2014-2023 series,
#    which this pack does not use.)  The 17 sido and the national row 00 as
#    published (00 is not a sum).  Regions appear from the year they exist in
#    the source: 29 Gwangju 1987, 30 Daejeon 1989, 31 Ulsan 1998, 36 Sejong
#    2013, all others (and 00) 1985.  Only grdp_per_capita is taken; a row
#    with an empty value would be skipped (there are none).
#    Checks: sido code or 00, integer year and value, each region-year once,
#    exactly the coverage above (619 region-years).
#    order: region, year
ECO="$SRC/economy"
"$AWK" -F, -v OFS=, "$LIB"'
BEGIN { split("00 11 26 27 28 41 43 44 46 47 48 50 51 52", a, " ")
        for (i in a) first[a[i]] = 1985
        first["29"] = 1987; first["30"] = 1989; first["31"] = 1998; first["36"] = 2013
        for (c in first) want += 2021 - first[c] + 1 }
NR == 1 { hdr("year,sido_code,sido,name_ko,grdp_per_capita_thousand_krw,gross_regional_income_per_capita_thousand_krw,individual_income_per_capita_thousand_krw,private_consumption_per_capita_thousand_krw"); next }
{ nf(8)
  if ($2 != "00") sido($2)
  chk_int($1, "year")
  if ($1 < first[$2] || $1 > 2021) die("unexpected year " $1 " for region " $2)
  key($2 "," $1); m++
  if ($5 == "") next
  chk_int($5, "grdp_per_capita_thousand_krw")
  print $2, $1, $5 }
END { if (died) exit 2
      FNR = 0
      if (m != want) die("expected " want " region-years, got " m) }
' "$ECO/sido_grdp_per_capita_1985_2021.csv" > "$tmp.body"
finish grdp_per_capita.csv "region,year,grdp_per_capita_thousand_krw" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# r. labor_force.csv  (annual Economically Active Population Survey by sido,
#    KOSIS DT_1DA7004S, 2000-2023: population aged 15+ and economically
#    active persons in thousands, employment and unemployment rates and the
#    employment rate of ages 15-64 in %; the last column is the last so that
#    readers of the first six columns are unaffected).
#    The source has no employed-persons column, so none is written and
#    nothing is computed.  The 17 sido and the national row 00 as published.
#    Sejong (36) is published only from 2017 (before, it is inside Chungnam),
#    so 18 x 24 - 17 = 415 region-years.
#    Checks: sido code or 00; region_label_in_source starts with the KOSIS
#    survey code that upstream recoded to sido_code; integer counts; the
#    three rates are numbers <= 100; each region-year once; exactly the coverage above;
#    the 17 sido sum to the national row within +-5 thousand for the two
#    counts in every year (rounding; the largest gap is 4).
#    order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
BEGIN { n = split("00:00 11:11 21:26 22:27 23:28 24:29 25:30 26:31 29:36 31:41 32:51 33:43 34:44 35:52 36:46 37:47 38:48 39:50", a, " ")
        for (i = 1; i <= n; i++) { split(a[i], p, ":"); kosis[p[2]] = p[1]; first[p[2]] = 2000 }
        first["36"] = 2017
        for (c in first) want += 2023 - first[c] + 1 }
NR == 1 { hdr("year,sido_code,sido,name_ko,region_label_in_source,pop_15plus_thousand,economically_active_thousand,economically_inactive_thousand,participation_rate_pct,unemployment_rate_pct,employment_rate_pct,employment_rate_15_64_pct"); next }
{ nf(12)
  if ($2 != "00") sido($2)
  split($5, lab, " ")
  if (lab[1] != kosis[$2]) die("region_label_in_source \"" $5 "\" does not match sido_code " $2)
  chk_int($1, "year")
  if ($1 < first[$2] || $1 > 2023) die("unexpected year " $1 " for region " $2)
  chk_int($6, "pop_15plus_thousand"); chk_int($7, "economically_active_thousand")
  chk_rate($11, "employment_rate_pct"); chk_rate($10, "unemployment_rate_pct")
  chk_rate($12, "employment_rate_15_64_pct")
  if ($11 + 0 > 100 || $10 + 0 > 100 || $12 + 0 > 100) die("rate above 100")
  key($2 "," $1); m++
  if ($2 == "00") { nat15[$1] = $6; natea[$1] = $7 } else { s15[$1] += $6; sea[$1] += $7 }
  print $2, $1, $6, $7, $11, $10, $12 }
END { if (died) exit 2
      FNR = 0
      if (m != want) die("expected " want " region-years, got " m)
      for (y in nat15) {
          d = s15[y] - nat15[y]; e = sea[y] - natea[y]
          if (d > 5 || d < -5 || e > 5 || e < -5) die(y ": sido sums differ from the national row by " d " / " e) } }
' "$ECO/sido_labor_force_2000_2023.csv" > "$tmp.body"
finish labor_force.csv "region,year,pop_15plus_thousand,economically_active_thousand,employment_rate_pct,unemployment_rate_pct,employment_rate_15_64_pct" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# s. grdp_industry.csv  (GRDP by sido and economic activity, 2022 preliminary,
#    KOSIS "시도별 경제활동별 지역내총생산", export of 2024-03-15: the OLD-BASE
#    regional accounts, before KOSTAT's Dec-2024 rebasing.  Never mix it with
#    grdp_per_capita_new.csv or any release of Dec-2024 or later.)  The
#    national row 00 and the 17 sido, 28 items each.  industry =
#    industry_code, parent = parent_industry_code (empty for the three top
#    items), nominal_million_krw (current prices), real_chained_2015_million_krw
#    (chained volume, reference year 2015) and real_growth_contribution_pctpt
#    (for grdp_market_prices the region's real growth in %, for the other
#    items the contribution to it in percentage points) copied as text.
#    Checks: year 2022 and status preliminary in every row; sido code or 00;
#    exactly the 28 item codes below, each with the parent listed; integer
#    values (nominal may be negative: electricity/gas GVA is, in 5 sido);
#    each region-item once; every region has all 28 items (504 rows); for
#    every item the 17 sido sum exactly to 00 (nominal); GRDP = net taxes on
#    products + GVA exactly in every region (nominal); each parent equals
#    the sum of its children within +-5 million KRW in every region (nominal;
#    the worst deviation is reported).  Chained volumes are not additive and
#    are not checked against sums.
#    order: region, industry
"$AWK" -F, -v OFS=, "$LIB"'
BEGIN { n = split("grdp_market_prices: net_taxes_on_products: gva_basic_prices:" \
                  " agriculture_forestry_fishing:gva_basic_prices mining_manufacturing:gva_basic_prices" \
                  " mining:mining_manufacturing manufacturing:mining_manufacturing" \
                  " mfg_food_beverages_tobacco:manufacturing mfg_textiles_apparel_leather:manufacturing" \
                  " mfg_wood_paper_printing:manufacturing mfg_coal_petroleum_chemicals:manufacturing" \
                  " mfg_nonmetallic_minerals_metals:manufacturing mfg_electrical_electronic_precision:manufacturing" \
                  " mfg_machinery_transport_other:manufacturing electricity_gas_steam:gva_basic_prices" \
                  " construction:gva_basic_prices services:gva_basic_prices wholesale_retail:services" \
                  " transport_storage:services accommodation_food:services information_communication:services" \
                  " finance_insurance:services real_estate:services business_services:services" \
                  " public_administration_defence:services education:services health_social_work:services" \
                  " culture_other_services:services", a, " ")
        for (i = 1; i <= n; i++) { split(a[i], p, ":"); want[p[1]] = p[2]; if (p[2] != "") isparent[p[2]] = 1 }
        if (n != 28) { died = 1; exit 2 } }
NR == 1 { hdr("year,status,sido_code,sido,name_ko,name_ko_in_source,industry_code,parent_industry_code,industry_en,industry_ko,nominal_million_krw,real_chained_2015_million_krw,real_growth_contribution_pctpt"); next }
{ if ((k = csv()) != 13) die("expected 13 fields, got " k)
  if (F[1] != "2022" || F[2] != "preliminary") die("unexpected year/status " F[1] "/" F[2])
  r = F[3]; c = F[7]
  if (r != "00") sido(r)
  if (!(c in want)) die("unknown industry_code \"" c "\"")
  if (F[8] != want[c]) die("parent of " c " is \"" F[8] "\", expected \"" want[c] "\"")
  chk_sint(F[11], "nominal_million_krw"); chk_int(F[12], "real_chained_2015_million_krw")
  chk_snum(F[13], "real_growth_contribution_pctpt")
  key(r "," c); m++; cnt[r]++
  v[r, c] = F[11] + 0
  if (r != "00") s[c] += F[11]
  if (F[8] != "") ch[r, F[8]] += F[11]
  print r, F[1], c, F[8], F[11], F[12], F[13] }
END { if (died) exit 2
      FNR = 0
      if (m != 504) die("expected 504 rows (18 x 28), got " m)
      for (r in cnt) if (cnt[r] != 28) die("region " r " has " cnt[r] " items, expected 28")
      for (c in want)
          if (s[c] != v["00", c]) die(c ": the 17 sido sum to " sprintf("%.0f", s[c]) ", national " sprintf("%.0f", v["00", c]))
      worst = -1
      for (r in cnt) {
          if (v[r, "grdp_market_prices"] != v[r, "net_taxes_on_products"] + v[r, "gva_basic_prices"])
              die(r ": GRDP != net taxes on products + GVA")
          for (c in isparent) {
              d = ch[r, c] - v[r, c]; ad = d < 0 ? -d : d
              if (ad > 5) die(r " " c ": children sum to " sprintf("%.0f", ch[r, c]) ", parent " sprintf("%.0f", v[r, c]))
              if (ad > worst) { worst = ad; wr = r; wp = c; wd = d } } }
      if (worst == 0) printf "derive.sh: grdp_industry.csv: every parent equals the sum of its children exactly\n" > "/dev/stderr"
      else printf "derive.sh: grdp_industry.csv: children vs parent, worst %s %s %+.0f million KRW\n", wr, wp, wd > "/dev/stderr" }
' "$ECO/sido_grdp_by_industry_2022.csv" > "$tmp.body"
finish grdp_industry.csv "region,year,industry,parent,nominal_million_krw,real_chained_2015_million_krw,real_growth_contribution_pctpt" -k1,1 -k3,3

# ---------------------------------------------------------------------------
# t. labor_force_sigungu.csv  (Local Area Labour Force Survey 지역별고용조사,
#    first half of 2024, KOSIS "시군구 경제활동인구 총괄", download of
#    2024-11-21: 228 sigungu; Sejong 36110 is not in the source table).
#    region = adm_code (matched upstream), parent = sido_code; counts in
#    thousand persons and the two employment rates in % copied as text
#    (unemployed, inactive, participation and unemployment rate not taken).
#    Checks: period 2024H1; adm_code is a level=sigungu unit of
#    region_codes.csv, with that sido_code and that name_ko; the 4-digit
#    KOSIS code in region_label_in_source starts with the survey code of the
#    sido (as in r.), except Gunwi 27720, printed "3731 대구 군위군" under
#    Gyeongbuk's 37; integer counts; the four rates are numbers <= 100;
#    15+ = active + inactive and active = employed + unemployed within +-1
#    thousand (rounding); each sigungu once; 228 rows, and the only sigungu
#    of region_codes.csv without a row is 36110.
#    order: region
"$AWK" -F, -v OFS=, "$LIB"'
BEGIN { n = split("11:11 21:26 22:27 23:28 24:29 25:30 26:31 29:36 31:41 32:51 33:43 34:44 35:52 36:46 37:47 38:48 39:50", a, " ")
        for (i = 1; i <= n; i++) { split(a[i], p, ":"); kosis[p[2]] = p[1] } }
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sigungu") { par[$1] = $4; nm[$1] = $6 }; next }
FNR == 1 { hdr("period,adm_code,sido_code,sido,name_ko,name_en,region_label_in_source,pop_15plus_thousand,economically_active_thousand,employed_thousand,unemployed_thousand,economically_inactive_thousand,participation_rate_pct,employment_rate_pct,employment_rate_15_64_pct,unemployment_rate_pct"); next }
{ if ((k = csv()) != 16) die("expected 16 fields, got " k)
  c = F[2]
  if (F[1] != "2024H1") die("unexpected period " F[1])
  if (!(c in par)) die("adm_code " c " is not a level=sigungu unit of region_codes.csv")
  sido(F[3])
  if (F[3] != par[c]) die(c ": sido_code " F[3] ", region_codes.csv has " par[c])
  if (F[5] != nm[c]) die(c ": name_ko \"" F[5] "\", region_codes.csv has \"" nm[c] "\"")
  split(F[7], lab, " "); sv = substr(lab[1], 1, 2)
  if (lab[1] !~ /^[0-9][0-9][0-9][0-9]$/ || (sv != kosis[F[3]] && !(c == "27720" && sv == "37")))
      die("region_label_in_source \"" F[7] "\" does not match sido_code " F[3])
  chk_int(F[8], "pop_15plus_thousand"); chk_int(F[9], "economically_active_thousand")
  chk_int(F[10], "employed_thousand"); chk_int(F[11], "unemployed_thousand")
  chk_int(F[12], "economically_inactive_thousand")
  for (i = 13; i <= 16; i++) { chk_rate(F[i], "rate"); if (F[i] + 0 > 100) die("rate above 100: " F[i]) }
  d = F[8] - F[9] - F[12]; e = F[9] - F[10] - F[11]
  if (d > 1 || d < -1 || e > 1 || e < -1) die(c ": 15+ - active - inactive = " d ", active - employed - unemployed = " e)
  key(c); m++; got[c] = 1
  print c, F[3], F[1], F[8], F[9], F[10], F[14], F[15] }
END { if (died) exit 2
      FNR = 0
      if (m != 228) die("expected 228 sigungu, got " m)
      for (c in par) if (!(c in got) && c != "36110") die("sigungu " c " has no row")
      if ("36110" in got) die("unexpected row for 36110") }
' "$GEO/region_codes.csv" "$ECO/sigungu_labor_force_2024h1.csv" > "$tmp.body"
finish labor_force_sigungu.csv "region,parent,period,pop_15plus_thousand,economically_active_thousand,employed_thousand,employment_rate_pct,employment_rate_15_64_pct" -k1,1

# ---------------------------------------------------------------------------
# u. industry_clusters.csv  (44 named strategic-industry clusters, special
#    complexes and flagship plants, hand-compiled upstream from the cited
#    announcements and articles).  cluster_id, industry (tag), sido
#    (= sido_code), sigungu_ko (as stated, may name several places or be
#    empty), designation_type, designation_date (YYYY, YYYY-MM or
#    YYYY-MM-DD, or empty), area_m2 and investment_trillion_krw (empty where
#    the source states none) copied as text; sigungu_ko is double-quoted where
#    it contains a comma (1 row).
#    Checks: cluster_id unique, [a-z0-9_]; industry one of ai, bio, energy,
#    future_mobility, semiconductor, battery, display, mixed, other; sido
#    code valid and sido_name_ko the name of region_codes.csv; non-empty
#    designation_type and source_url; date, area (integer) and investment
#    (number) well-formed where present; 44 rows.
#    order: cluster_id
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sido") snm[$1] = $6; next }
FNR == 1 { hdr("cluster_id,cluster_name_en,cluster_name_ko,industry,focus,designation_type,designation_date,sido_code,sido,sido_name_ko,sigungu_ko,area_m2,investment_trillion_krw,investment_note,source_url,note"); next }
{ if ((k = csv()) != 16) die("expected 16 fields, got " k)
  if (F[1] !~ /^[a-z0-9_]+$/) die("bad cluster_id \"" F[1] "\"")
  if (F[4] !~ /^(ai|bio|energy|future_mobility|semiconductor|battery|display|mixed|other)$/)
      die("unknown industry tag \"" F[4] "\"")
  sido(F[8])
  if (F[10] != snm[F[8]]) die(F[1] ": sido_name_ko \"" F[10] "\" is not the name of " F[8])
  if (F[6] == "") die(F[1] ": empty designation_type")
  if (F[7] != "" && F[7] !~ /^(19|20)[0-9][0-9](-[01][0-9](-[0-3][0-9])?)?$/) die(F[1] ": bad designation_date \"" F[7] "\"")
  if (F[12] != "") chk_int(F[12], "area_m2")
  if (F[13] != "" && F[13] !~ /^[0-9]+(\.[0-9]+)?$/) die(F[1] ": bad investment_trillion_krw \"" F[13] "\"")
  if (F[15] == "") die(F[1] ": no source_url")
  key(F[1]); m++
  print F[1], F[4], F[8], q(F[11]), q(F[6]), F[7], F[12], F[13] }
END { if (died) exit 2
      FNR = 0
      if (m != 44) die("expected 44 clusters, got " m) }
' "$GEO/region_codes.csv" "$ECO/strategic_industry_clusters.csv" > "$tmp.body"
finish industry_clusters.csv "cluster_id,industry,sido,sigungu_ko,designation_type,designation_date,area_m2,investment_trillion_krw" -k1,1

# ---------------------------------------------------------------------------
# v. local_finance.csv  (national local-finance facts 2004-2026 as printed in
#    the cited articles and reports: tax split, local/national tax revenue,
#    local consumption tax, local allocation tax rate, 2025 local budget by
#    revenue source, local budgets 2021-2025, national averages of fiscal
#    self-reliance and fiscal independence).  year, indicator, value, unit,
#    basis copied as text (a ratio stays "76:24"); basis is double-quoted
#    where it contains a comma.  Compare only rows with the same basis.
#    Checks: 4-digit year; indicator [a-z0-9_]; unit one of pct (number
#    <= 100), trillion_krw (number), ratio (number:number), count (integer);
#    non-empty basis and source_url; each year-indicator once; 61 rows.
#    order: year, indicator
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,indicator,value,unit,basis,source_url,note"); next }
{ if ((k = csv()) != 7) die("expected 7 fields, got " k)
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[2] !~ /^[a-z0-9_]+$/) die("bad indicator \"" F[2] "\"")
  u = F[4]; x = F[3]
  if (u == "ratio") { if (x !~ /^[0-9]+(\.[0-9]+)?:[0-9]+(\.[0-9]+)?$/) die("bad ratio \"" x "\"") }
  else if (u == "count") chk_int(x, "count")
  else if (u == "pct" || u == "trillion_krw") {
      if (x !~ /^[0-9]+(\.[0-9]+)?$/) die("bad value \"" x "\"")
      if (u == "pct" && x + 0 > 100) die("percentage above 100: " x) }
  else die("unknown unit \"" u "\"")
  if (F[5] == "") die("empty basis")
  if (F[6] == "") die("no source_url")
  key(F[1] "," F[2]); m++
  print F[1], F[2], x, u, q(F[5]) }
END { if (died) exit 2
      FNR = 0
      if (m != 61) die("expected 61 rows, got " m) }
' "$ECO/local_finance_national_2004_2026.csv" > "$tmp.body"
finish local_finance.csv "year,indicator,value,unit,basis" -k1,1n -k2,2

# ---------------------------------------------------------------------------
# w. fiscal_self_reliance.csv  (재정자립도 of single sido, %, as printed in
#    news coverage of MOIS releases, 1998-2024: complete lists only for 1998
#    and 2001 (16 sido), later years only the top/bottom or a few named
#    sido).  Rows with a sido_code (all 66; a row without one would be
#    skipped); year, region = sido_code, value_pct and basis copied as text;
#    basis is double-quoted where it contains a comma.  Compare only rows
#    with the same basis (budget vs settlement, head office only, ...).
#    Checks: 4-digit year; sido code valid and name_ko the name of
#    region_codes.csv; indicator fiscal_self_reliance_pct; value a number
#    <= 100; non-empty basis and source_url; each year-region-basis once
#    (2013 has budget and settlement rows for Seoul and Jeonnam); 66 rows.
#    order: year, region, basis
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 { fileno++ }
fileno == 1 && FNR == 1 { hdr("adm_code,level,parent_code,sido_code,sido,name_ko,short_name_ko,name_en,sgis_code_2018,sgis_code_2024,former_adm_code"); next }
fileno == 1 { nf(11); if ($2 == "sido") snm[$1] = $6; next }
FNR == 1 { hdr("year,sido_code,sido,name_ko,indicator,value_pct,basis,source_url,note"); next }
{ if ((k = csv()) != 9) die("expected 9 fields, got " k)
  m++
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[2] == "") next
  sido(F[2])
  if (F[4] != snm[F[2]]) die("name_ko \"" F[4] "\" is not the name of " F[2])
  if (F[5] != "fiscal_self_reliance_pct") die("unexpected indicator \"" F[5] "\"")
  if (F[6] !~ /^[0-9]+(\.[0-9]+)?$/ || F[6] + 0 > 100) die("bad value_pct \"" F[6] "\"")
  if (F[7] == "") die("empty basis")
  if (F[8] == "") die("no source_url")
  key(F[1] "," F[2] "," F[7])
  print F[1], F[2], F[6], q(F[7]) }
END { if (died) exit 2
      FNR = 0
      if (m != 66) die("expected 66 rows, got " m) }
' "$GEO/region_codes.csv" "$ECO/sido_fiscal_self_reliance_stated_1998_2024.csv" > "$tmp.body"
finish fiscal_self_reliance.csv "year,region,value_pct,basis" -k1,1n -k2,2 -k4

# ---------------------------------------------------------------------------
# x. grdp_per_capita_new.csv  (GRDP and individual income per capita,
#    thousand KRW, current prices, 2014-2023, KOSIS "시도별 1인당
#    지역내총생산, 지역총소득, 개인소득", download of 2025-08-29: the NEW-BASE
#    (re-based) regional accounts.  Never splice it with grdp_per_capita.csv
#    or grdp_industry.csv (old base; national 2021: 42,963 here, 40,271
#    there).)  The 17 sido and the national row 00 as published.  status =
#    preliminary (2023) or not_flagged_preliminary (2014-2022) as in the
#    source.  Gross regional income and private consumption are not taken.
#    Checks: sido code or 00; years 2014-2023; status preliminary exactly in
#    2023; integer values; each region-year once; 180 rows (18 x 10).
#    order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,status,sido_code,sido,name_ko,name_ko_in_source,grdp_per_capita_thousand_krw,gross_regional_income_per_capita_thousand_krw,individual_income_per_capita_thousand_krw,private_consumption_per_capita_thousand_krw"); next }
{ if ((k = csv()) != 10) die("expected 10 fields, got " k)
  r = F[3]
  if (r != "00") sido(r)
  chk_int(F[1], "year")
  if (F[1] < 2014 || F[1] > 2023) die("unexpected year " F[1])
  if (F[2] != (F[1] == 2023 ? "preliminary" : "not_flagged_preliminary")) die("unexpected status " F[2] " in " F[1])
  chk_int(F[7], "grdp_per_capita_thousand_krw"); chk_int(F[9], "individual_income_per_capita_thousand_krw")
  key(r "," F[1]); m++
  print r, F[1], F[2], F[7], F[9] }
END { if (died) exit 2
      FNR = 0
      if (m != 180) die("expected 180 region-years (18 x 10), got " m) }
' "$ECO/sido_grdp_per_capita_2014_2023.csv" > "$tmp.body"
finish grdp_per_capita_new.csv "region,year,status,grdp_per_capita_thousand_krw,individual_income_per_capita_thousand_krw" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# y. tax_items.csv  (hand-compiled national facts, each value as printed at
#    its source_url: national tax by item 2023 and 2024, local tax by item
#    2023 (settlement), the 2023 national GRDP headline (new base), school
#    counts 2024 and the MOE 2015 small-school criteria, physicians per 1,000
#    (OECD, 2023), the county/city densities of Lim and Hong (2019), the
#    statutory local allocation tax rate).  Nothing computed.  year,
#    indicator, value, unit, basis copied as text; basis is double-quoted
#    where it contains a comma.  Compare only rows with the same basis.
#    Checks: 4-digit year; indicator [a-z0-9_]; value a plain number; unit
#    one of trillion_krw, per_1000, persons_per_km2 (number), count, pupils
#    (integer), pct (number <= 100); non-empty basis and source_url; each
#    year-indicator once; 26 rows.
#    order: year, indicator
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,indicator,value,unit,basis,source_url,note"); next }
{ if ((k = csv()) != 7) die("expected 7 fields, got " k)
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[2] !~ /^[a-z0-9_]+$/) die("bad indicator \"" F[2] "\"")
  u = F[4]; x = F[3]
  if (x !~ /^[0-9]+(\.[0-9]+)?$/) die("bad value \"" x "\"")
  if (u == "count" || u == "pupils") chk_int(x, u)
  else if (u == "pct") { if (x + 0 > 100) die("percentage above 100: " x) }
  else if (u != "trillion_krw" && u != "per_1000" && u != "persons_per_km2")
      die("unknown unit \"" u "\"")
  if (F[5] == "") die("empty basis")
  if (F[6] == "") die("no source_url")
  key(F[1] "," F[2]); m++
  print F[1], F[2], x, u, q(F[5]) }
END { if (died) exit 2
      FNR = 0
      if (m != 26) die("expected 26 rows, got " m) }
' "$ECO/tax_revenue_by_item_stated.csv" > "$tmp.body"
finish tax_items.csv "year,indicator,value,unit,basis" -k1,1n -k2,2

# ---------------------------------------------------------------------------
# s1. schools_register.csv  (operating elementary, middle and high schools on
#    2026-03-20: counts of records of the national standard school-location
#    data set, data.go.kr 15021148, per sigungu, sido and nation, as
#    published in economy/schools_by_region.csv; founder = total only).
#    region = adm_code (00 the nation), main = 본교, branch = 분교장.
#    Checks: as_of 2026-03-20 in every row; levels national/sido/sigungu; a
#    sigungu's code and sido are those of geo/region_codes.csv (all 229, same
#    codes: no merged or renamed unit); integer counts; each
#    region-level-campus-founder once; 247 regions x 3 levels; the 229
#    sigungu sum exactly to their sido and the 17 sido to the nation for
#    every level and campus; total = public + private + national; every
#    sigungu has at least one main school of each level.
#    order: region, school_level
"$AWK" -F, -v OFS=, "$LIB"'
FNR == 1 && NR == 1 { next }
NR == FNR { if ($2 == "sigungu") { gsido[$1] = $4; ng++ } next }
FNR == 1 { hdr("as_of,level,adm_code,sido_code,sido,name_ko,school_level,campus,founder,schools"); next }
{ nf(10)
  if ($1 != "2026-03-20") die("unexpected as_of " $1)
  if ($7 != "elementary" && $7 != "middle" && $7 != "high") die("unknown school_level " $7)
  if ($8 != "main" && $8 != "branch") die("unknown campus " $8)
  if ($9 != "total" && $9 != "public" && $9 != "private" && $9 != "national") die("unknown founder " $9)
  chk_int($10, "schools")
  if ($2 == "national") { if ($3 != "00") die("national row with code " $3) }
  else if ($2 == "sido") { sido($3); if ($4 != $3) die("sido row " $3 " with sido_code " $4) }
  else if ($2 == "sigungu") {
      if (!($3 in gsido)) die("sigungu " $3 " not in region_codes.csv")
      if (gsido[$3] != $4) die("sigungu " $3 " in sido " $4 ", region_codes.csv says " gsido[$3]) }
  else die("unknown level " $2)
  key($3 "," $7 "," $8 "," $9)
  v[$3, $7, $8, $9] = $10; lev[$3] = $2; par[$3] = $4
  if ($9 == "total") { m++; if ($8 == "main") main[$3 "," $7] = $10; else br[$3 "," $7] = $10 } }
END { if (died) exit 2
      FNR = 0
      if (m != 247 * 3 * 2) die("expected " 247 * 3 * 2 " total rows, got " m)
      split("elementary middle high", L, " "); split("main branch", C, " ")
      for (r in lev) for (i = 1; i <= 3; i++) for (j = 1; j <= 2; j++) {
          t = v[r, L[i], C[j], "total"]
          if (t != v[r, L[i], C[j], "public"] + v[r, L[i], C[j], "private"] + v[r, L[i], C[j], "national"])
              die(r " " L[i] " " C[j] ": total is not public + private + national")
          if (lev[r] == "sigungu") { ss[par[r], i, j] += t; if (j == 1 && t < 1) die(r " has no main " L[i] " school") }
          if (lev[r] == "sido") ns_[i, j] += t }
      for (r in lev) if (lev[r] == "sido") for (i = 1; i <= 3; i++) for (j = 1; j <= 2; j++)
          if (ss[r, i, j] != v[r, L[i], C[j], "total"]) die("sido " r " " L[i] " " C[j] ": sigungu sum " ss[r, i, j] " != " v[r, L[i], C[j], "total"])
      for (i = 1; i <= 3; i++) for (j = 1; j <= 2; j++)
          if (ns_[i, j] != v["00", L[i], C[j], "total"]) die("nation " L[i] " " C[j] ": sido sum " ns_[i, j] " != " v["00", L[i], C[j], "total"])
      for (k in main) print k, main[k], br[k] }
' "$GEO/region_codes.csv" "$ECO/schools_by_region.csv" > "$tmp.body"
finish schools_register.csv "region,school_level,main,branch" -k1,1 -k2,2

# ---------------------------------------------------------------------------
# s2. schools_sido.csv  (KEDI/MOE education basic statistics, 1 April of
#    each year 2000-2024: elementary, middle and high main schools and their
#    students by sido and nation, founder = total only).
#    Checks: sido code or 00; years 2000-2024 (Sejong 36 from 2012); levels
#    elementary/middle/high; integer schools and students; each
#    region-year-level-founder once; the 17 sido sum exactly to 00 for
#    schools and students in every year and level; 1,311 total rows
#    (18 x 25 x 3 - 13 x 3 for Sejong before 2012).
#    order: region, year, school_level
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,sido_code,sido,name_ko,school_level,founder,schools,schools_boys_only,schools_girls_only,schools_coeducational,classes,students,teachers,staff,teachers_and_staff,entrants,classrooms"); next }
{ nf(17)
  if ($2 != "00") sido($2)
  chk_int($1, "year")
  if ($1 < 2000 || $1 > 2024 || ($2 == "36" && $1 < 2012)) die("unexpected year " $1 " for region " $2)
  if ($5 != "elementary" && $5 != "middle" && $5 != "high") die("unknown school_level " $5)
  key($1 "," $2 "," $5 "," $6)
  if ($6 != "total") next
  chk_int($7, "schools"); chk_int($12, "students")
  m++
  if ($2 == "00") { ns[$1 "," $5] = $7; np[$1 "," $5] = $12 } else { ss[$1 "," $5] += $7; sp[$1 "," $5] += $12 }
  print $2, $1, $5, $7, $12 }
END { if (died) exit 2
      FNR = 0
      if (m != 1311) die("expected 1311 total rows, got " m)
      for (k in ns) if (ss[k] != ns[k] || sp[k] != np[k]) die(k ": sido sums " ss[k] "/" sp[k] " != national " ns[k] "/" np[k]) }
' "$ECO/sido_schools_2000_2024.csv" > "$tmp.body"
finish schools_sido.csv "region,year,school_level,schools,students" -k1,1 -k2,2n -k3,3

# ---------------------------------------------------------------------------
# s3. school_closures.csv  (national closures (폐교) of one year as
#    published, economy/school_closures.csv rows with sido 00, period_type
#    year or year_planned and period_start = period_end).  series names the
#    counting basis, from the basis text: jin = MOE data compiled from the 17
#    education offices for Rep. Jin Sun-mi (2025-02); edaily = MOE data as
#    reported by edaily; park = consolidation closures for Rep. Park
#    Sung-hoon (2026-02).  Series must not be mixed.  confirmed copied (true
#    when printed on the cited page itself).  The per-sido multi-year and
#    cumulative rows stay in the source copy only.
#    Other rows are skipped on their first four fields (some hold a doubled
#    quote, which csv() does not read).
#    Checks: 12 fields; 4-digit years; level all/elementary/middle/high;
#    integer closures; confirmed true/false; a known basis; each
#    year-type-level-series once; 16 rows.
#    order: series, year, period_type, school_level
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("period_start,period_end,period_type,sido_code,sido,name_ko,school_level,closures,basis,source_url,confirmed,note"); next }
{ split($0, P, ",")  # the first four fields are never quoted
  if (P[4] != "00" || P[1] != P[2] || (P[3] != "year" && P[3] != "year_planned")) next
  if ((k = csv()) != 12) die("expected 12 fields, got " k)
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[7] != "all" && F[7] != "elementary" && F[7] != "middle" && F[7] != "high") die("unknown school_level " F[7])
  chk_int(F[8], "closures")
  if (F[11] != "true" && F[11] != "false") die("bad confirmed \"" F[11] "\"")
  if (index(F[9], "MOE data compiled from the 17 education offices, submitted to Rep. Jin Sun-mi") == 1) s = "jin"
  else if (index(F[9], "MOE data as reported by edaily") == 1) s = "edaily"
  else if (index(F[9], "MOE data on closures through consolidation") == 1) s = "park"
  else die("unknown basis \"" F[9] "\"")
  key(F[1] "," F[3] "," F[7] "," s); m++
  print s, F[1], F[3], F[7], F[8], F[11] }
END { if (died) exit 2
      FNR = 0
      if (m != 16) die("expected 16 rows, got " m) }
' "$ECO/school_closures.csv" > "$tmp.body"
finish school_closures.csv "series,year,period_type,school_level,closures,confirmed" -k1,1 -k2,2n -k3,3 -k4,4
# ===========================================================================
# Demography 2024-2025 (issue 14): vital statistics, fertility rates, the
# KOSTAT projection assumptions, international migration, foreign residents.

# ---------------------------------------------------------------------------
# z1. vital_sido.csv  (births and deaths by sido and the nation, 2000-2025,
#     KOSIS DT_1B8000G).  Checks: header; 14 fields; code 00 or a sido;
#     integer counts; births - deaths = natural_increase; each region-year
#     once; 456 rows.  order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,births,cbr_per_1000,deaths,cdr_per_1000,natural_increase,nir_per_1000,marriages,cmr_per_1000,divorces,cdivr_per_1000"); next }
{ nf(14); if ($1 != "00") sido($1); chk_int($4, "year"); chk_int($5, "births")
  chk_int($7, "deaths"); chk_sint($9, "natural_increase")
  if ($5 - $7 != $9 + 0) die("births - deaths != natural_increase")
  key($1 "," $4); m++
  print $1, $4, $5, $7 }
END { if (died) exit 2
      FNR = 0
      if (m != 456) die("expected 456 region-years, got " m) }
' "$DEM/sido_vital_statistics_2000_2025.csv" > "$tmp.body"
finish vital_sido.csv "region,year,births,deaths" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# z2. fertility_asfr.csv  (TFR and ASFR per 1,000 women by five-year group,
#     sido and nation, 2000-2025, KOSIS DT_1B81A17), one row per
#     region-year.  Checks: header; 10 fields; code 00 or a sido; measure tfr
#     (age_group total, 15-49) or asfr (the seven groups 15-19 .. 45-49 with
#     their age_start/age_end); units; numbers; each region-year-measure once;
#     every region-year complete; 456 region-years.  order: region, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("sido_code,sido,name_ko,year,measure,age_group,age_start,age_end,value,unit"); next }
{ nf(10); if ($1 != "00") sido($1); chk_int($4, "year"); chk_rate($9, "value")
  if ($5 == "tfr") {
      if ($6 != "total" || $7 != "15" || $8 != "49" || $10 != "births_per_woman")
          die("unexpected tfr row")
      g = "tfr"
  } else if ($5 == "asfr") {
      if ($6 !~ /^(15|20|25|30|35|40|45)-(19|24|29|34|39|44|49)$/ || $6 != $7 "-" $8 ||
          $8 - $7 != 4 || $10 != "births_per_1000_women") die("unexpected asfr row")
      g = $7
  } else die("unknown measure \"" $5 "\"")
  k = $1 "," $4
  key(k "," g)
  if (!(k in rows)) { rows[k] = 1; order[++n] = k }
  v[k "," g] = $9 }
END { if (died) exit 2
      FNR = 0
      for (i = 1; i <= n; i++) {
          k = order[i]; line = k "," v[k ",tfr"]
          if (!((k ",tfr") in v)) die("no tfr for " k)
          for (a = 15; a <= 45; a += 5) {
              if (!((k "," a) in v)) die("no asfr " a " for " k)
              line = line "," v[k "," a]
          }
          print line
      }
      if (n != 456) die("expected 456 region-years, got " n) }
' "$DEM/sido_tfr_asfr_2000_2025.csv" > "$tmp.body"
finish fertility_asfr.csv "region,year,tfr,asfr_15_19,asfr_20_24,asfr_25_29,asfr_30_34,asfr_35_39,asfr_40_44,asfr_45_49" -k1,1 -k2,2n

# ---------------------------------------------------------------------------
# z3. vital_national.csv  (national births, deaths, TFR, life expectancy at
#     birth by sex, 2000-2025, KOSIS DT_1B8000F; e0 empty where not yet
#     published: 2025).  Checks: header; 17 fields; integer counts; numbers
#     or empty e0; each year once; 26 rows.  order: year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,births,deaths,natural_increase,cbr_per_1000,cdr_per_1000,nir_per_1000,tfr,sex_ratio_at_birth,imr_per_1000_births,marriages,cmr_per_1000,divorces,cdivr_per_1000,e0_total,e0_male,e0_female"); next }
{ nf(17); chk_int($1, "year"); chk_int($2, "births"); chk_int($3, "deaths"); chk_rate($8, "tfr")
  if ($16 != "" || $17 != "") { chk_rate($16, "e0_male"); chk_rate($17, "e0_female") }
  key($1); m++
  print $1, $2, $3, $8, $16, $17 }
END { if (died) exit 2
      FNR = 0
      if (m != 26) die("expected 26 years, got " m) }
' "$DEM/national_vital_statistics_2000_2025.csv" > "$tmp.body"
finish vital_national.csv "year,births,deaths,tfr,e0_male,e0_female" -k1,1n

# ---------------------------------------------------------------------------
# z4. projection_assumptions.csv  (the assumptions of KOSTAT's national
#     projections as printed: TFR, e0, net international migration and the
#     cumulative marriage rate by variant; no projected population).  The
#     release text "KOSTAT <B>-based national (released <D>)" becomes
#     release_base = B and released = D.  Checks: header; 9 fields (RFC 4180);
#     release text; variant medium/high/low; indicator [a-z0-9_]; region 00;
#     year; value a number; unit; each release-variant-indicator-year once;
#     40 rows.  order: release_base, variant, indicator, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("release,variant,indicator,region,year,value,unit,source_url,note"); next }
{ if ((k = csv()) != 9) die("expected 9 fields, got " k)
  if (F[1] !~ /^KOSTAT (19|20)[0-9][0-9]-based national \(released (19|20)[0-9][0-9]-[01][0-9]-[0-3][0-9]\)$/)
      die("unexpected release \"" F[1] "\"")
  b = substr(F[1], 8, 4); d = substr(F[1], length(F[1]) - 10, 10)
  if (F[2] !~ /^(medium|high|low)$/) die("unknown variant \"" F[2] "\"")
  if (F[3] !~ /^[a-z0-9_]+$/) die("bad indicator \"" F[3] "\"")
  if (F[4] != "00") die("region must be 00")
  if (F[5] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[5] "\"")
  chk_rate(F[6], "value")
  if (F[7] !~ /^(births_per_woman|years|persons_per_year|ratio)$/) die("unknown unit \"" F[7] "\"")
  if (F[8] == "") die("no source_url")
  key(b "," F[2] "," F[3] "," F[5]); m++
  print b, d, F[2], F[3], F[5], F[6], F[7] }
END { if (died) exit 2
      FNR = 0
      if (m != 40) die("expected 40 rows, got " m) }
' "$DEM/kostat_projection_assumptions.csv" > "$tmp.body"
finish projection_assumptions.csv "release_base,released,variant,indicator,year,value,unit" -k1,1n -k3,3 -k4,4 -k5,5n

# ---------------------------------------------------------------------------
# z5. intl_migration.csv  (KOSTAT international migration statistics, stays
#     over 90 days, national, as printed: arrivals, departures, net; total,
#     Koreans, foreigners; some age groups).  Checks: header; 10 fields
#     (RFC 4180); series kostat_international_migration; region 00;
#     indicator [a-z0-9_-]; integer value (net may be negative); unit
#     persons; each year-indicator once; 44 rows.  order: year, indicator
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,sido_code,sido,name_ko,series,indicator,value,unit,source_url,note"); next }
{ if ((k = csv()) != 10) die("expected 10 fields, got " k)
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[2] != "00") die("region must be 00")
  if (F[5] != "kostat_international_migration") die("unknown series \"" F[5] "\"")
  if (F[6] !~ /^[a-z0-9_-]+$/) die("bad indicator \"" F[6] "\"")
  chk_sint(F[7], "value")
  if (F[8] != "persons") die("unit must be persons")
  if (F[9] == "") die("no source_url")
  key(F[1] "," F[6]); m++
  print F[1], F[6], F[7] }
END { if (died) exit 2
      FNR = 0
      if (m != 44) die("expected 44 rows, got " m) }
' "$DEM/national_international_migration_stated_2017_2024.csv" > "$tmp.body"
finish intl_migration.csv "year,indicator,value" -k1,1n -k2,2

# ---------------------------------------------------------------------------
# z6. foreign_residents.csv  (foreign residents as printed: MOIS 외국인주민
#     and census foreigners, national, capital region CAP and the sido
#     named).  Checks: header; 10 fields (RFC 4180); region 00, CAP or a
#     sido; series mois_foreign_residents or census_foreigners; indicator
#     [a-z0-9_]; unit persons (integer, may be negative for increases) or
#     pct (decimal); each year-region-series-indicator once; 75 rows.
#     order: year, series, region, indicator
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("year,sido_code,sido,name_ko,series,indicator,value,unit,source_url,note"); next }
{ if ((k = csv()) != 10) die("expected 10 fields, got " k)
  if (F[1] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[1] "\"")
  if (F[2] != "00" && F[2] != "CAP") sido(F[2])
  if (F[5] != "mois_foreign_residents" && F[5] != "census_foreigners")
      die("unknown series \"" F[5] "\"")
  if (F[6] !~ /^[a-z0-9_]+$/) die("bad indicator \"" F[6] "\"")
  if (F[8] == "persons") chk_sint(F[7], "value")
  else if (F[8] == "pct") chk_snum(F[7], "value")
  else die("unknown unit \"" F[8] "\"")
  if (F[9] == "") die("no source_url")
  key(F[1] "," F[2] "," F[5] "," F[6]); m++
  print F[1], F[2], F[5], F[6], F[7], F[8] }
END { if (died) exit 2
      FNR = 0
      if (m != 75) die("expected 75 rows, got " m) }
' "$DEM/foreign_residents_stated_2020_2024.csv" > "$tmp.body"
finish foreign_residents.csv "year,region,series,indicator,value,unit" -k1,1n -k3,3 -k2,2 -k4,4

# ---------------------------------------------------------------------------
# r1. projection_results_stated.csv  (RESULTS of KOSTAT's 2022-based
#     projections as printed in news reports of the releases: national
#     population by variant, provincial population, capital-region share,
#     change 2022-2052 and 65+ shares of the medium variant).  Projection
#     results are for comparison only (docs/model.md section 15.7): no
#     calibration reads them.  The release text "KOSTAT <B>-based
#     <national|provincial> (released <D>)" becomes release_base = B,
#     scope and released = D; region "capital" (Seoul + Incheon + Gyeonggi)
#     becomes CAP as in foreign_residents.csv.  Checks: header; 9 fields
#     (RFC 4180); release text; variant medium/high/low; region 00, capital
#     or a sido; indicator [a-z0-9_]; year; unit persons (integer, may be
#     negative for a change) or pct (decimal); non-empty URL; each
#     release-scope-variant-region-indicator-year once; 42 rows.
#     order: release_base, scope, variant, region, indicator, year
"$AWK" -F, -v OFS=, "$LIB"'
NR == 1 { hdr("release,variant,region,indicator,year,value,unit,source_url,note"); next }
{ if ((k = csv()) != 9) die("expected 9 fields, got " k)
  if (F[1] !~ /^KOSTAT (19|20)[0-9][0-9]-based (national|provincial) \(released (19|20)[0-9][0-9]-[01][0-9]-[0-3][0-9]\)$/)
      die("unexpected release \"" F[1] "\"")
  b = substr(F[1], 8, 4); d = substr(F[1], length(F[1]) - 10, 10)
  s = (index(F[1], "-based national (") ? "national" : "provincial")
  if (F[2] !~ /^(medium|high|low)$/) die("unknown variant \"" F[2] "\"")
  if (F[3] == "capital") r = "CAP"
  else { if (F[3] != "00") sido(F[3]); r = F[3] }
  if (F[4] !~ /^[a-z0-9_]+$/) die("bad indicator \"" F[4] "\"")
  if (F[5] !~ /^(19|20)[0-9][0-9]$/) die("bad year \"" F[5] "\"")
  if (F[7] == "persons") chk_sint(F[6], "value")
  else if (F[7] == "pct") chk_snum(F[6], "value")
  else die("unknown unit \"" F[7] "\"")
  if (F[8] == "") die("no source_url")
  key(b "," s "," F[2] "," r "," F[4] "," F[5]); m++
  print b, s, d, F[2], r, F[4], F[5], F[6], F[7] }
END { if (died) exit 2
      FNR = 0
      if (m != 42) die("expected 42 rows, got " m) }
' "$DEM/kostat_projection_results_stated.csv" > "$tmp.body"
finish projection_results_stated.csv "release_base,scope,released,variant,region,indicator,year,value,unit" -k1,1n -k2,2 -k4,4 -k5,5 -k6,6 -k7,7n
