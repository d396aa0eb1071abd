/*
 * balance/couple.h — the economy, public finance and services in a projection: the
 * stages of a coupled year (engine/couple.c; docs/model.md §13).
 */
#ifndef BALANCE_COUPLE_H
#define BALANCE_COUPLE_H

#include "balance/projection.h"
#include "balance/economy.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Economy, finance and services in the projection (docs/model.md §13) -- */

/* Settings of the economy with their documented defaults (ASSUMPTIONS.md). */
typedef struct bal_econ_opts {
    double alpha, delta, kappa, eps, tau0, eta, growth;
    double need_density_elast;    /* standard need per person ∝ density^-x (A33) */
    double speed_kmh;             /* straight-line km per hour for base travel times */
    double strat_hi[BAL_NSEC];    /* share of the parent item that is the strategic
                                     industry where a cluster is documented */
    double strat_lo[BAL_NSEC];    /* ... and where none is */
    bal_svc_params svc;
    int couple;                   /* 0: no economy (demography only) */
} bal_econ_opts;
void bal_couple_opts_default(bal_econ_opts *o);

/* Base economy parameters from the pack: value added by sector (with the
   strategic splits), net product taxes, employment rates, travel times. */
int bal_couple_econ_calibrate(bal_ctx *ctx, const bal_datapack *pack, const bal_econ_opts *o,
                       bal_econ_params *ep);

/* Called before the economy of `year` is computed: a policy sets c->lev
   (and may change c->fp); nothing else. */
typedef int (*bal_lever_fn)(bal_ctx *ctx, void *ud, int year, bal_couple *c);

/* The coupled run (the yearly order of ../DESIGN.md): before each
   demographic step, with that year's population: economy → finance →
   services → attractiveness → migration. In a plain run the migration
   shares stay the calibrated ones (the validated path); with a reference
   run `ref` (the status quo), migration responds to the deviation of this
   run's inputs from the reference's (§13.4). */
struct bal_couple {
    const bal_datapack *pack;
    int level, year0, nyears;
    int64_t ns, nunit;
    bal_econ_params ep;
    bal_econ_levers lev;
    bal_econ_state es;
    bal_fin_params fp;
    bal_fin_state fs;
    bal_svc_params svc;
    double need_density_elast;
    bal_lever_fn levers;
    void *levers_ud;
    const bal_attract *ref;   /* reference inputs per year, or NULL */
    bal_mig_run *mig;         /* needed when ref is set; without ref, migration
                                 follows the pivot model (bal_mig_hook) after
                                 the economy of each year, or NULL: calibrated */
    bal_attract rec;          /* this run's inputs per year [ns][BAL_NATTR] */
    int done;                 /* years computed */
    /* results per year index: [nyears][ns] */
    double *grdp, *emp, *emp_rate, *wage, *fsr, *budget, *lat, *subsidy, *local_tax,
        *own, *pop, *p15;
    double *nat_tax;          /* [nyears] national taxes */
    /* per unit: [nyears][nunit] (units = sido in sido runs) */
    double *u_emp, *u_grdp, *schools, *transit, *physicians;
    double *u_w0;             /* [nunit] base employment weights */
    double *u_p0;             /* [nunit] base population 15-64 */
    double *u_rural;          /* [nunit] 1 for a county (군) in sigungu runs */
    double *scratch;          /* [3][ns] */
    /* set by a policy each year (reset to no effect before the lever call):
       the amenity input of each sido (GRDP-per-capita log points) and the
       travel times migration feels (pairs cut by transport policies) */
    double *amenity;          /* [ns] */
    double *mig_travel;       /* [ns][ns] */

    /* ---- Schools (docs/model.md §13.3; engine/couple.c schools_step) ----
       Per sigungu s and level l [nsgg][BAL_NSCHOOL]: the register's stock
       n0 (main + branch), the base mean size m0 and the closure threshold;
       the unit of each sigungu [nsgg]; per unit the base pupils
       [nunit][BAL_NSCHOOL]; per year [nyears][nunit][BAL_NSCHOOL] the pupil
       factor's running minimum, the schools operating and closed since the
       first year. schools_closed [nyears][nunit] sums the levels (schools,
       above, the operating ones). One block, sized at init. */
    double *sch_block;
    double *sch_n0, *sch_m0, *sch_t, *sch_unit, *sch_p0, *sch_g, *sch_open, *sch_closed;
    double *schools_closed;
};

/* Set up for units of a projection with parameters p from population pop0
   (year0) to year1. */
int bal_couple_init(bal_ctx *ctx, bal_couple *c, const bal_datapack *pack,
                    const bal_econ_opts *o, const bal_demog_params *p, const double *pop0,
                    int year0, int year1, int level);
void bal_couple_release(bal_ctx *ctx, bal_couple *c);
/* The stages of a year, called in this order by bal_simulate with the
   population `pop` (units × cells) of `year`:
   the scenario's levers (c->levers; reset to no policy first), */
int bal_couple_levers(bal_ctx *ctx, bal_couple *c, int year);
/* 2. the economy (employment, output, wages by sido), */
int bal_couple_economy(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                       const bal_demog_params *p);
/* 3. public finance (after its economy), */
int bal_couple_finance(bal_ctx *ctx, bal_couple *c, int year);
/* 4. services and the units' employment and output, */
int bal_couple_services(bal_ctx *ctx, bal_couple *c, int year, const double *pop,
                        const bal_demog_params *p);
/* 5. attractiveness: the migration model's inputs of the year (c->rec), */
int bal_couple_attract(bal_ctx *ctx, bal_couple *c, int year);
/* 6. with a reference run (c->ref, c->mig): the migration rates m of the
   step from `year`, from the deviation of this run's inputs from the
   reference's and the travel times the policies cut. */
int bal_couple_migration(bal_ctx *ctx, const bal_couple *c, int year, const bal_demog_params *p,
                         bal_demog_rates *m);
/* Today's local share of each tax item (BAL_NTAX: income, corporate, VAT,
   property, other), local / (national + local) revenue of the vintage's
   finance year, as the finance model is calibrated (docs/model.md §13.2). */
int bal_couple_tax_shares(bal_ctx *ctx, const bal_datapack *pack, double *share);
/* bal_simulate with the coupled economy (and c->mig without a reference). */
int bal_couple_project(bal_ctx *ctx, bal_couple *c, const bal_demog_params *p,
                       const double *pop0, int year1, bal_projection *out);

#ifdef __cplusplus
}
#endif
#endif
