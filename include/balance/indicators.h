/*
 * balance/indicators.h — the indicator table: every indicator Balance
 * reports, defined once (name, unit, English and Korean label, precision,
 * aggregation rule). The report (engine/report.c), the JSON, CSV and SQLite
 * writers, the CLI tables, `compare` and the dashboard (GET /api/indicators)
 * read it; docs/model.md §10 lists it (`balance indicators --format md`).
 */
#ifndef BALANCE_INDICATORS_H
#define BALANCE_INDICATORS_H

#ifdef __cplusplus
extern "C" {
#endif

/* Indicators of a region in a year, in this order (the report's per-region
   rows: bal_report.val, .nat). Counts are persons; the flows are those of
   the year that ends at that year (NAN for the first). Then the national
   series (one value per year for the nation) and the comparison summaries. */
enum bal_indicator {
    BAL_IND_POPULATION, BAL_IND_POPULATION_FEMALE, BAL_IND_POPULATION_MALE,
    BAL_IND_AGE_0_14, BAL_IND_AGE_15_64, BAL_IND_AGE_65_PLUS, BAL_IND_SCHOOL_AGE,
    BAL_IND_WOMEN_20_39,
    BAL_IND_OLD_AGE_DEPENDENCY, /* 100 * (65+) / (15-64) */
    BAL_IND_EXTINCTION_INDEX,   /* women 20-39 / persons 65+ */
    BAL_IND_SHARE_65_PLUS,      /* 100 * (65+) / population */
    BAL_IND_EXTINCTION_RELATIVE, /* extinction index / the nation's */
    /* economy, finance, services (§13; NAN without the economy): */
    BAL_IND_GRDP,               /* billion KRW of 2022 (old-base accounts) */
    BAL_IND_GRDP_PC,            /* thousand KRW per person */
    BAL_IND_EMPLOYMENT,         /* persons employed */
    BAL_IND_EMPLOYMENT_RATE,    /* percent of the population 15+ */
    BAL_IND_FISCAL_SELF_RELIANCE, /* percent (sido and nation only) */
    BAL_IND_BUDGET_PC,          /* local budget, thousand KRW per person (sido, nation) */
    BAL_IND_SCHOOLS,            /* schools operating: the register less the closures */
    BAL_IND_SCHOOLS_CLOSED,     /* schools closed since the first year (cumulative) */
    BAL_IND_TRANSIT,            /* sigungu whose density sustains scheduled buses */
    BAL_IND_PHYSICIANS,         /* physicians at the national rate per person */
    BAL_IND_BIRTHS, BAL_IND_DEATHS, BAL_IND_INTERNAL_IN, BAL_IND_INTERNAL_OUT,
    BAL_IND_NET_INTERNAL, BAL_IND_NET_INTERNATIONAL,
    BAL_NIND, /* per-region indicators */
    /* national series (bal_report: capital_share, at_risk, high_risk,
       gdp_cv, gdp_theil; the KEIS classes and the units losing more than
       30 % of their population: risk_class, pop_loss) */
    BAL_IND_CAPITAL_SHARE = BAL_NIND, BAL_IND_AT_RISK, BAL_IND_HIGH_RISK,
    BAL_IND_RISK_VERY_LOW, BAL_IND_RISK_NORMAL, BAL_IND_RISK_CAUTION, BAL_IND_RISK_ENTRY,
    BAL_IND_POP_LOSS_30, BAL_IND_GDP_CV, BAL_IND_GDP_THEIL,
    /* comparison summaries (compare.h) */
    BAL_IND_OUTSIDE_CAPITAL, BAL_IND_GDP_TOTAL, BAL_IND_COST_CUMULATIVE,
    BAL_NIND_ALL
};
#define BAL_IND_FIRST_FLOW BAL_IND_BIRTHS

/* How the value of a group (a province from its municipalities, the nation
   from its provinces) follows from its units'. */
enum bal_ind_agg {
    BAL_AGG_SUM,       /* the sum of the units' values */
    BAL_AGG_RATIO,     /* a ratio recomputed from the group's sums (`rule`) */
    BAL_AGG_NATIONAL   /* one value for the nation, from the whole run (`rule`) */
};

typedef struct bal_indicator_def {
    int id;               /* enum bal_indicator (the row's index) */
    const char *name;     /* stable snake_case name: JSON, CSV, SQLite, API */
    const char *unit;     /* "persons", "%", "billion KRW (2022)", ... */
    const char *label;    /* English, for tables and the dashboard */
    const char *label_ko; /* Korean */
    const char *abbrev;   /* column heading in narrow tables ("OADR", "65+") */
    int precision;        /* decimals written (JSON, CSV, SQLite) */
    int shown;            /* decimals shown in the CLI tables and the dashboard */
    int agg;              /* enum bal_ind_agg */
    const char *rule;     /* the aggregation or definition in words */
    const char *where;    /* levels where it is defined: "all", "sido, nation", "nation" */
    int map;              /* 1: a layer of the dashboard map (sent per region by /api/run) */
    int compare;          /* position in `balance compare` (1..), 0: not compared */
} bal_indicator_def;

/* The table, indexed by enum bal_indicator (bal_indicators[i].id == i). */
extern const bal_indicator_def bal_indicators[BAL_NIND_ALL];

/* Stable snake_case name of an indicator, "" if out of range. */
const char *bal_indicator_name(int ind);
/* Name of an aggregation rule (enum bal_ind_agg): "sum", "ratio", "national". */
const char *bal_indicator_agg_name(int agg);
/* Id of the indicator called `name`, or -1. */
int bal_indicator_find(const char *name);
/* v rounded to the decimals of indicator ind (its `precision`), as every
   writer stores it; NAN stays NAN. Printed with 15 significant digits
   (BAL_WRITE_DIGITS), a rounded value comes out in its shortest form. */
double bal_indicator_round(int ind, double v);
#define BAL_WRITE_DIGITS 15

/* The indicators of `balance compare`, in their order: their ids into
   ids[] (at most n); returns the count. */
int bal_indicator_compared(int *ids, int n);

#ifdef __cplusplus
}
#endif
#endif
