/*
 * balance/datapack.h — the observed data the model is calibrated on.
 *
 * bal_datapack_load() reads the tidy tables of a data pack directory
 * (data/kr/ by default; see data/kr/SOURCES.md) and validates them: header,
 * numbers, ranges, region codes, and totals against independent totals. On
 * the first problem it raises BAL_EIO (missing/unreadable file) or BAL_EDATA
 * with the file and 1-based line on the context, and returns that status; the
 * partially filled pack is released. Everything is stored densely, indexed by
 * year offset and region index; cells with no observation hold NAN.
 *
 * The series are held at sido level (index 0..nsido-1 of `regions`), except
 * the sigungu tables named below. The large municipal population tables are
 * read only on request, by bal_datapack_load_municipal().
 */
#ifndef BALANCE_DATAPACK_H
#define BALANCE_DATAPACK_H

#include "balance/core.h"
#include "balance/economy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A dense series over a contiguous range of years. */
typedef struct bal_yearly {
    int year0;      /* first year held */
    int nyears;     /* number of years held */
    int64_t stride; /* doubles per year */
    double *v;      /* nyears * stride values, NAN where not observed */
} bal_yearly;

/* Pointer to the block of `year` or NULL when out of range. */
double *bal_yearly_at(const bal_yearly *y, int year);
/* The block of `year`, growing the series to hold it (new cells NAN); NULL
   when out of memory. For the loaders (io layer). */
double *bal_yearly_touch(bal_ctx *ctx, bal_yearly *y, int year);
/* 1 when the first n values of `year` are all observed (not NAN). */
int bal_yearly_complete(const bal_yearly *y, int year, int64_t n);
/* Single-age population [region][sex][age] from five-year bands
   [region][sex][band], each band spread evenly over its single years
   (ASSUMPTIONS.md A14); the open band 100+ stays at age 100. */
void bal_datapack_bands_spread(const double *bands, int64_t nreg, double *pop);

/* Five-year population bands 0-4 ... 95-99 and the open band 100+. */
#define BAL_NBAND5 21
/* Mother's age groups 10-14 (published "<15") ... 45-49, 50-54 ("50+"). */
#define BAL_NFERT5 9
#define BAL_FERT5_AGE0 10
/* WPP abridged groups: 0, 1-4, 5-9, ..., 95-99, 100+. */
#define BAL_NWPP 22
/* Kinds of sigungu age-standardized death rates. */
enum { BAL_ASDR_TOTAL = 0, BAL_ASDR_FEMALE = 1, BAL_ASDR_MALE = 2, BAL_NASDR = 3 };

/* Items of grdp_industry.csv, in the order of the source. */
enum bal_grdp_item {
    BAL_GI_GRDP, BAL_GI_NET_TAXES, BAL_GI_GVA, BAL_GI_AGRI, BAL_GI_MINING_MFG, BAL_GI_MINING,
    BAL_GI_MFG, BAL_GI_MFG_FOOD, BAL_GI_MFG_TEXTILES, BAL_GI_MFG_WOOD_PAPER, BAL_GI_MFG_CHEM,
    BAL_GI_MFG_METALS, BAL_GI_MFG_ELECTRONIC, BAL_GI_MFG_MACHINERY, BAL_GI_UTILITIES,
    BAL_GI_CONSTRUCTION, BAL_GI_SERVICES, BAL_GI_WHOLESALE, BAL_GI_TRANSPORT,
    BAL_GI_ACCOMMODATION, BAL_GI_INFOCOM, BAL_GI_FINANCE, BAL_GI_REAL_ESTATE, BAL_GI_BUSINESS,
    BAL_GI_PUBLIC_ADMIN, BAL_GI_EDUCATION, BAL_GI_HEALTH, BAL_GI_CULTURE, BAL_NGITEM
};
const char *bal_datapack_grdp_item_name(int i);

/* A national fact of local_finance.csv with a numeric value. */
typedef struct bal_fact {
    int year;
    char name[64];
    char basis[64];
    double value;
} bal_fact;

/* A stated fiscal self-reliance ratio of a sido (fiscal_self_reliance.csv). */
typedef struct bal_fsr {
    int year;
    int64_t sido;
    double pct;
    char basis[64];
} bal_fsr;

/* The pack's dates (vintage.csv): every year the code needs, in one place. */
#define BAL_MAX_REPORT_YEARS 8
typedef struct bal_vintage {
    int base_year, base_month;   /* the base population: end of base_month of base_year */
    int horizon;                 /* last year of a projection */
    int report_years[BAL_MAX_REPORT_YEARS]; /* years `compare` shows */
    int nreport;
    int year_min, year_max;      /* years a table or scenario may name */
    int finance_year;            /* national and local tax facts */
    int budget_year;             /* local budget facts */
    int wpp_estimates_to;        /* last year of UN WPP estimates */
    int inputs_from;             /* first year of the migration model's inputs */
    int migration_fit_from, migration_fit_to; /* flow years of the migration fit */
    int hindcast_fit_from, hindcast_fit_to;   /* flow years of the hindcast's fit */
    int trend_year;              /* centre of the out-migration trend */
    int backtest_from_sido, backtest_from_sigungu; /* default backtest starts */
    int tfr_target_year;         /* default year a TFR target is reached */
} bal_vintage;

/* One published national closure count (school_closures.csv). */
typedef struct bal_school_closure {
    char series[16]; /* counting basis: "jin", "edaily", "park" (never mixed) */
    int year;
    int planned;     /* 1: period_type year_planned */
    int level;       /* BAL_SCHOOL_*, or -1 for all levels */
    double closures;
    int confirmed;
} bal_school_closure;
/* Name of school level l ("elementary", "middle", "high"). */
const char *bal_school_level_name(int l);
/* A published assumption of a KOSTAT national projection
   (projection_assumptions.csv): the release (its base year and the year it
   was published), the variant, the indicator, the year and the value. */
typedef struct bal_proj_assumption {
    int release_base;       /* e.g. 2022 for the 2022-based release */
    int released;           /* year of publication (2023 for 2023-12-14) */
    char variant[8];        /* medium, high, low */
    char indicator[48];     /* total_fertility_rate, life_expectancy_at_birth_female, ... */
    int year;
    double value;
} bal_proj_assumption;

/* A figure as printed (intl_migration.csv, foreign_residents.csv). */
typedef struct bal_stated {
    int year;
    int64_t region;         /* sido index, BAL_STATED_NATION or BAL_STATED_CAPITAL */
    char series[40];
    char indicator[48];
    double value;
    int pct;                /* 1: percent, 0: persons */
} bal_stated;
enum { BAL_STATED_NATION = -1, BAL_STATED_CAPITAL = -2 };

/* Columns of the published fertility table: the TFR, then the seven ASFR groups. */
#define BAL_NASFR5 7
#define BAL_ASFR5_AGE0 15

typedef struct bal_datapack {
    char *dir;              /* directory it was read from */
    bal_vintage vintage;    /* vintage.csv */
    bal_regions regions;    /* sido then sigungu */
    int64_t nsido;

    /* Base population, end of base_month of base_year (the vintage's):
       [sido][sex][age]. */
    int base_year, base_month;
    double *base_pop;

    /* Year-end population by sex and 5-year band: per year [sido][sex][band]. */
    bal_yearly pop5;
    /* Year-end total population: per year [sido]. */
    bal_yearly pop_total;
    /* Births by mother's age group, both sexes: per year [sido][group]. */
    bal_yearly births5;
    /* Birth totals: per year [sido][4] = total, male, female, age unknown. */
    bal_yearly births_tot;
    /* National life-table qx: per year [sex][age] (2010 and 2018). */
    bal_yearly qx;
    /* UN WPP central death rates: per 5-year period start [sex][group]. */
    bal_yearly mx_wpp;
    /* Sigungu age-standardized death rates per 100k: per year [sigungu][kind];
       the sigungu index is region index - nsido. */
    bal_yearly asdr;
    /* Sigungu population used as weights: per year [sigungu] (year-end
       residents 2022-2024, and the end-June total of the base year). */
    bal_yearly sgg_pop;
    /* Internal migrants, KOSIS orientation (orig = move-out): per year [orig][dest]. */
    bal_yearly od;
    /* Distances between population-weighted centroids, km: [orig][dest]. */
    double *dist_km;
    /* 1 when two sido share a boundary: [orig][dest]. */
    unsigned char *contiguous;

    /* Regional economy inputs, per year [sido + 1]: index nsido is the nation.
       GRDP per capita, thousand KRW, old-base series (grdp_per_capita.csv);
       employment rate of the population 15+, percent (labor_force.csv). */
    bal_yearly grdp_pc;
    bal_yearly emp_rate;

    /* Migration model coefficients (migration_params.csv, written by
       `balance calibrate --write`): destination choice of the pivot model and
       out-migration response, per attractiveness input (migration.h). */
    double mig_beta[8], mig_theta[8];
    int mig_fit_from, mig_fit_to;
    /* Age response (model "age" rows): k and w of bal_mig_model; 1 and 0
       (no age difference) when the file has none. */
    double mig_young_scale, mig_young_share;
    double mig_gravity_dist;    /* gravity log-distance coefficient (< 0) */

    /* Economy (docs/model.md §13): GRDP by economic activity, nominal million
       KRW of grdp_item_year (old base), [sido + nation][BAL_NGITEM]
       (grdp_industry.csv); employment rate 15-64 [sido + nation] per year
       (labor_force.csv); documented strategic clusters per sido and sector
       (industry_clusters.csv); employed persons per sigungu, thousands, NAN
       where not surveyed (labor_force_sigungu.csv); national finance facts
       (local_finance.csv) and stated sido fiscal self-reliance ratios
       (fiscal_self_reliance.csv). */
    double *grdp_item;
    int grdp_item_year;
    bal_yearly emp_rate_1564;
    /* individual income per capita, thousand KRW, re-based series
       (grdp_per_capita_new.csv; used only as ratios to the nation's) */
    bal_yearly income_pc;
    unsigned char *cluster;     /* [sido][BAL_NSEC] */
    double *sgg_employed;       /* [sigungu] */
    bal_fact *facts;
    int nfacts;
    bal_fsr *fsr;
    int nfsr;

    /* Municipal tables (bal_datapack_load_municipal; NULL before). The
       sigungu index is region index - nsido. */
    int municipal_loaded;
    /* Base population by sigungu, end-June base_year, total registered:
       [sigungu][sex][age]; sums to base_pop by sido exactly. */
    double *base_pop_sgg;
    /* Year-end residents-only population by sex and 5-year band:
       per year [sigungu][sex][band]. */
    bal_yearly sgg_pop5;

    /* ---- Schools (src/io/datapack_schools.c; docs/model.md §13.3) ----
       Register of operating schools on 2026-03-20 per sigungu and level
       (elementary, middle, high): main schools (본교) and branch campuses
       (분교장), [sigungu][BAL_NSCHOOL] (schools_register.csv). Main schools
       and students per year, [sido + nation][BAL_NSCHOOL][2] (schools,
       students; index nsido the nation), 1 April 2000-2024
       (schools_sido.csv). National closures of one year as published
       (school_closures.csv). */
    double *school_main, *school_branch;
    bal_yearly school_sido;
    bal_school_closure *school_closures;
    int nschool_closures;
    /* ---- Demography to 2024-2025 (issue 14; src/io/datapack_demog.c) ----
       Births and deaths by place of residence (vital_sido.csv): per year
       [sido + 1][2], index nsido the nation, 0 births, 1 deaths; the nation
       equals the sum of the sido. */
    bal_yearly vital;
    /* Published TFR and ASFR per 1,000 women (fertility_asfr.csv): per year
       [sido + 1][1 + BAL_NASFR5], 0 the TFR, 1.. the groups 15-19 .. 45-49. */
    bal_yearly asfr;
    /* National vital statistics (vital_national.csv): per year [5] = births,
       deaths, TFR, e0 male, e0 female (e0 NAN where not yet published). */
    bal_yearly vital_nat;
    /* KOSTAT projection assumptions (projection_assumptions.csv). */
    bal_proj_assumption *passum;
    int npassum;
    /* International migration (intl_migration.csv, national) and foreign
       residents (foreign_residents.csv) as printed. */
    bal_stated *intl_stated;
    int nintl_stated;
    bal_stated *foreign;
    int nforeign;
    /* ---- Internal migration to 2024 (issue 14; src/io/datapack_mig.c) ---- */
    /* Published margins of the flows per year [sido][BAL_MIGTOT_N]
       (migration_totals.csv, KOSIS DT_1B26003_A01): in-migrants and
       out-migrants (moves within the sido included), moves within the sido,
       net migration; checked against the margins of migration_od.csv. */
    bal_yearly mig_tot;
    /* Year-end RESIDENTS-ONLY (거주자) population by sex and 5-year band, per
       year [sido][sex][band] (population_age5_residents.csv, 2022-2024: the
       only year-end 2024 table by age); totals checked against
       sigungu_totals.csv. */
    bal_yearly pop5_res;
    /* Sido index of each sigungu at the reference date of each year-end of
       sigungu_totals.csv, per year [sigungu] (NAN: no row): boundary changes
       (Gunwi: Gyeongbuk to Daegu in 2023) between two year-end tables. */
    bal_yearly sgg_parent;
} bal_datapack;

/* Columns of bal_datapack.mig_tot. */
enum { BAL_MIGTOT_IN, BAL_MIGTOT_OUT, BAL_MIGTOT_WITHIN, BAL_MIGTOT_NET, BAL_MIGTOT_N };

/* Load and validate the pack in `dir`. See the file comment for errors. */
int bal_datapack_load(bal_ctx *ctx, const char *dir, bal_datapack *pack);
/* Read the municipal population tables into a loaded pack (population_base_sigungu.csv
   checked against population_base.csv by sido and sex; population_sigungu_age5.csv
   against sigungu_totals.csv). Same error rules; on failure the municipal part
   is released and the rest of the pack kept. The two tables are read side by
   side, the second on a helper thread (its own context, ctx's allocator: see
   bal_ctx_alloc_like); the errors and their order are those of reading them
   one after the other. */
int bal_datapack_load_municipal(bal_ctx *ctx, bal_datapack *pack);
/* Read the school tables (schools_register.csv, schools_sido.csv,
   school_closures.csv) into a pack whose regions are loaded; called by
   bal_datapack_load. Same error rules. */
int bal_datapack_load_schools(bal_ctx *ctx, bal_datapack *pack);
/* Release the school tables of a pack. */
void bal_datapack_release_schools(bal_ctx *ctx, bal_datapack *pack);
/* Value of fact `name` of `year` in local_finance.csv or tax_items.csv (the
   first row when several bases), NAN if absent. */
double bal_datapack_fact(const bal_datapack *pk, int year, const char *name);
/* Release everything a pack holds; safe on a zeroed or released pack. */
void bal_datapack_release(bal_ctx *ctx, bal_datapack *pack);

#ifdef __cplusplus
}
#endif
#endif
