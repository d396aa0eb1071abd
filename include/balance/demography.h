/*
 * balance/demography.h — multiregional cohort-component projection.
 *
 * Pure computation: no I/O, no globals, no allocation inside the yearly step
 * (the workspace is sized once by bal_demog_work_alloc). Populations are flat
 * [region][sex][age] blocks (see bal_pidx), ages 0..99 and 100+.
 *
 * Regions may be nested in groups (sigungu in their sido): migration then has
 * two levels. A flat run (the 17 sido) has one region per group.
 *
 * Method (docs/model.md gives the equations and sources). For a step from
 * mid-year t to mid-year t+1, in each region r of group g:
 *   1. internal migration on the start population:
 *      a. between groups: out O = o(r,s,a) P; the group's out-migrants go to
 *         group h with destination shares d(g,h) (rows sum to 1; ages 20-34
 *         may have their own, dest_young) and are
 *         shared among h's regions in proportion to their start population
 *         of the same sex and age;
 *      b. within a group (nested runs): regions with a negative net rate
 *         v(r,s,a) < 0 send -v P into the group's pool, which goes to the
 *         regions with v > 0 in proportion to v P: zero-sum in the group;
 *   2. net international migration N(r,s,a), a count, limited to what is
 *      there so no cell goes negative;
 *   3. survival and ageing of that population with region- and year-specific
 *      survival ratios S = L(a+1)/L(a) from a life table, the open group
 *      100+ closing with T(100)/T(99);
 *   4. births B = sum_a f(r,a) (F(a) + F(a-1))/2 on the women of step 2,
 *      split by the male share at birth, surviving to age 0 with L(0)/l(0).
 * The accounts satisfy exactly (up to rounding)
 *   P(t+1) = P(t) + births - deaths + in - out + in_local - out_local
 *            + international,
 * with in/out between groups and in_local/out_local within a group (zero in
 * a flat run). Every group must hold at least one region.
 */
#ifndef BALANCE_DEMOGRAPHY_H
#define BALANCE_DEMOGRAPHY_H

#include "balance/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Broad age groups of the destination attractiveness by age (issue 14,
   balance/migage.h), by age at the END of the step: 0-14, 15-24, 25-34,
   35-49, 50-64, 65+. A mover aged a at the start is in the group of a + 1. */
#define BAL_MIGB 6
static inline int bal_migb_of_end_age(int age)
{
    return age < 15 ? 0 : age < 25 ? 1 : age < 35 ? 2 : age < 50 ? 3 : age < 65 ? 4 : 5;
}
static inline int bal_migb_of_start_age(int age)
{
    return bal_migb_of_end_age(age < 100 ? age + 1 : 100);
}

/* Ages of the young movers whose destination choice may differ (20-34). */
#define BAL_YOUNG_LO 20
#define BAL_YOUNG_HI 34

/* ---- Life table ---------------------------------------------------------- */

/*
 * Complete life table from central death rates m[0..100] (100 = 100+) for one
 * sex. a(x) = 1/2 except a(0), from Andreev & Kingkade (2015) as in the HMD
 * Methods Protocol v6, and the open group L(100+) = l(100)/m(100).
 * Outputs (each BAL_NAGE long, any may be NULL): q, l (radix 1), L.
 * Survival ratios for projection: surv[a] = L(a+1)/L(a) for a < 99,
 * surv[99] = surv[100] = T(100)/T(99); *surv_birth = L(0)/l(0).
 * Returns BAL_EUSAGE if any m is negative or not finite, or m(100) is 0.
 */
int bal_demog_lifetable(bal_ctx *ctx, const double *m, int male, double *q, double *l, double *L,
                  double *surv, double *surv_birth);

/* Life expectancy at birth from central death rates (same conventions). */
double bal_demog_lifetable_e0(const double *m, int male);

/* Andreev-Kingkade a(0) given m(0). */
double bal_demog_a0(double m0, int male);

/* ---- Parameters ---------------------------------------------------------- */

typedef struct bal_demog_params {
    int64_t nreg;        /* regions */
    int base_year;       /* label of the start year (results are labelled base_year, +1, ...) */
    double base_time;    /* calendar time of the start population: 2025.5 for end-June 2025,
                            2016.0 for end-December 2015 */

    /* Mortality: m(r,s,a,t) = mx_base(s,a) * mort_mult(r,s) *
       exp(-improve(s,a) * improve_scale * (tau - mx_time)),
       tau = base_time + (year - base_year) + 1/2, the middle of the step. */
    double *mx_base;     /* [sex][age] national central death rates */
    double mx_time;      /* calendar time the base rates refer to (2018.5 for the 2018 table) */
    double *improve;     /* [sex][age] annual rate of decline of m */
    double improve_scale;
    double *mort_mult;   /* [region][sex] hazard multiplier, population mean 1 */

    /* Fertility: births per woman-year at single age a (by the exposure of
       the step); zero outside 10..54. */
    double *asfr;        /* [region][age] */
    double *male_share;  /* [region] share of boys among births */
    double tfr_reference;/* national TFR the target is relative to (set by calibration) */
    double tfr_target;   /* <= 0: rates stay constant; else every region's rates are
                            scaled by 1 + (tfr_target / tfr_reference - 1) * progress */
    int tfr_target_year; /* year the target is reached; linear in TFR */

    /* Nesting: ngroup == nreg and group == NULL for a flat run (region r is
       group r); otherwise group[r] is the group of region r. */
    int64_t ngroup;
    int64_t *group;      /* [region] or NULL */

    /* Internal migration between groups. */
    double *outrate;     /* [region][sex][age] probability of leaving the group in a year */
    double *dest;        /* [orig group][dest group] shares, rows sum to 1, diagonal 0 */
    /* Shares for the movers aged BAL_YOUNG_LO..BAL_YOUNG_HI when young_dest
       is set (the migration model's age response); else dest serves all. */
    double *dest_young;  /* [orig group][dest group], same rules as dest */
    int young_dest;
    /* Within a group: net rate per start population (see the file comment);
       NULL in a flat run. The rates fade with a half-life (years after the
       base year; <= 0 keeps them constant). */
    double *redist;      /* [region][sex][age] */
    double redist_halflife;

    /* Net international migration (and registration adjustments): counts a year. */
    double *intl;        /* [region][sex][age] */

    /* Paths of a projection variant (variant.h; docs/model.md §15), per
       step k = year - base_year, 0..path_n-1 (the last entry serves later
       steps): multipliers of the fertility rates (all regions alike), of the
       national death rates by sex, and of the international migration counts.
       path_n == 0 (the `constant` variant): no paths, every multiplier 1.
       Allocated by calibration (bal_demog_params_paths), freed with the set. */
    int path_n;
    double *path_fert;   /* [k] */
    double *path_mort;   /* [k][sex] */
    double *path_intl;   /* [k] */
    /* Destination attractiveness by age group (issue 14, engine/migage.c):
       the movers of group b from group g go to h with shares
       d(g,h) γ(h,b) / Σ_l d(g,l) γ(l,b) (d = dest or dest_young as above),
       b = bal_migb_of_start_age(a). NULL: γ = 1 (the shares as they are).
       Owned by the parameters (freed by bal_demog_params_release). */
    double *dest_age;    /* [group][BAL_MIGB], positive */
} bal_demog_params;

/* Allocate all arrays of a parameter set for `nreg` regions, zeroed (flat). */
int bal_demog_params_init(bal_ctx *ctx, bal_demog_params *p, int64_t nreg);
/* Same for `nreg` regions in `ngroup` groups: also allocates group (all 0)
   and redist (zero). */
int bal_demog_params_init_nested(bal_ctx *ctx, bal_demog_params *p, int64_t nreg,
                                 int64_t ngroup);
void bal_demog_params_release(bal_ctx *ctx, bal_demog_params *p);
/* Allocate the variant paths of `p` for n steps, every multiplier 1 (n > 0),
   or drop them (n == 0). */
int bal_demog_params_paths(bal_ctx *ctx, bal_demog_params *p, int n);
/* Copy the variant paths of `from` into `to` (municipal parameters). */
int bal_demog_params_copy_paths(bal_ctx *ctx, bal_demog_params *to, const bal_demog_params *from);

/* Total fertility rate of region r implied by p->asfr (births per woman). */
double bal_demog_tfr(const bal_demog_params *p, int64_t r);

/* Check the parameter set: rates in range, shares summing to 1, finite values. */
int bal_demog_params_check(bal_ctx *ctx, const bal_demog_params *p);

/* ---- Migration rates of a run --------------------------------------------- */

/*
 * The migration rates a step uses when a run makes them respond to the
 * regions (the migration model, policies): the run's own copy, so that the
 * calibrated parameters stay unchanged during a run and between runs.
 * Same layout and rules as the fields of the same names in bal_demog_params.
 */
typedef struct bal_demog_rates {
    int64_t nreg, ngroup;
    double *outrate;     /* [region][sex][age] */
    double *dest;        /* [orig group][dest group] */
    double *dest_young;  /* [orig group][dest group] */
    int young_dest;
} bal_demog_rates;

/* Allocate and fill with p's calibrated rates. */
int bal_demog_rates_init(bal_ctx *ctx, bal_demog_rates *m, const bal_demog_params *p);
/* Back to p's calibrated rates. */
void bal_demog_rates_reset(bal_demog_rates *m, const bal_demog_params *p);
void bal_demog_rates_release(bal_ctx *ctx, bal_demog_rates *m);

/* ---- Yearly step --------------------------------------------------------- */

/* Per-region accounts of one step (persons). */
typedef struct bal_demog_accounts {
    double *births;      /* [region] */
    double *deaths;      /* [region], infants included */
    double *in;          /* [region] internal in-migrants from other groups */
    double *out;         /* [region] internal out-migrants to other groups */
    double *in_local;    /* [region] in-migrants from the same group (nested runs) */
    double *out_local;   /* [region] out-migrants to the same group (nested runs) */
    double *intl;        /* [region] net international, as applied */
} bal_demog_accounts;

typedef struct bal_demog_work bal_demog_work;

bal_demog_work *bal_demog_work_alloc(bal_ctx *ctx, int64_t nreg, int64_t ngroup);
void bal_demog_work_free(bal_ctx *ctx, bal_demog_work *w);

/*
 * Project one year: `pop_in` is mid-year `year`, `pop_out` mid-year year+1
 * (both [region][sex][age], must not overlap). Migration between groups uses
 * the rates `m` of the run, or p's calibrated ones when m is NULL. `acc`
 * arrays (nreg each) are overwritten. Allocates nothing; reads p and m only.
 */
int bal_demog_step(bal_ctx *ctx, const bal_demog_params *p, const bal_demog_rates *m, int year,
                   const double *pop_in, double *pop_out, bal_demog_accounts *acc,
                   bal_demog_work *w);

/*
 * The same step in two parts, so that a driver can run the second on several
 * threads: bal_demog_step_begin does what links the regions (migration
 * between and within groups, international migration, the year's national
 * death rates and fertility factor, kept in w); bal_demog_step_survive then
 * does survival and births for regions r0..r1-1, reading w and p only and
 * writing only those regions' rows of pop_out and acc, with its own scratch
 * (one per thread). Each region's numbers are those of bal_demog_step, bit
 * for bit, whatever the split. survive returns -1 on death rates that are
 * not finite and non-negative (the caller raises), else 0.
 */
typedef struct bal_demog_scratch {
    double m[BAL_NAGE], q[BAL_NAGE], l[BAL_NAGE], L[BAL_NAGE], surv[BAL_NAGE];
} bal_demog_scratch;
int bal_demog_step_begin(bal_ctx *ctx, const bal_demog_params *p, const bal_demog_rates *m,
                         int year, const double *pop_in, bal_demog_accounts *acc,
                         bal_demog_work *w);
int bal_demog_step_survive(const bal_demog_params *p, const bal_demog_work *w, int64_t r0,
                           int64_t r1, double *pop_out, bal_demog_accounts *acc,
                           bal_demog_scratch *sc);

#ifdef __cplusplus
}
#endif
#endif
