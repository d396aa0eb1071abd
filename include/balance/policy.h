/*
 * balance/policy.h — policy scenarios: every lever of the source articles,
 * each with one documented channel into the economy, finance or migration
 * inputs (docs/model.md §14). The scenario struct is plain data; reading it
 * from a file is io (scenario.c), applying it each year is the engine
 * (policy.c).
 */
#ifndef BALANCE_POLICY_H
#define BALANCE_POLICY_H

#include "balance/core.h"
#include "balance/economy.h"

#ifdef __cplusplus
extern "C" {
#endif

#define BAL_MAX_UNIONS 8
#define BAL_MAX_HUBS 5

/* Administrative integration of sido (docs/model.md §14.2). */
typedef struct bal_union {
    char name[64];
    int nmembers;
    int64_t members[BAL_MAX_SIDO];    /* sido indices */
    int64_t hq;                       /* sido index of the headquarters, or -1 */
    int start;                        /* first year in effect */
    int transport_open;               /* year the integrated transport opens (0: start + 8) */
    double overhead_saving;  /* share of the members' local budgets saved, reinvested */
    double transport_cut;    /* cut of travel times between members (fraction) */
    double joint_industry;   /* extra cut of the frictions of the joint labour market */
} bal_union;

/* State-like decentralization (§14.3): three separately settable parts. */
typedef struct bal_decentral {
    int on;
    int start;
    double ramp;              /* years to full effect (1 = at once) */
    /* legislative autonomy: deregulation of chosen sectors */
    int leg_on;
    unsigned leg_sectors;     /* bit k: sector k */
    double leg_productivity;  /* productivity gain of those sectors (fraction) */
    /* fiscal independence: local shares of tax items (NAN = unchanged), new levies */
    int fis_on;
    double local_share[BAL_NTAX];
    double new_levy;          /* new local levies, fraction of GDP */
    double invest_share;      /* share of a budget gain (loss) over the status quo invested */
    /* executive power over transport, housing and economic development */
    int exe_on;
    double exe_efficiency;    /* productivity gain of the region's economy (fraction) */
    unsigned char regions[BAL_MAX_SIDO]; /* 1: applies to sido r (all by default) */
} bal_decentral;

typedef struct bal_hub {
    int64_t sido;             /* sido index (a sigungu hub is placed in its sido) */
    int64_t sigungu;          /* region index of a sigungu hub, or -1 */
    int sector;               /* strategic sector (enum bal_sector) */
} bal_hub;

/* Five major metropolises (§14.4). */
typedef struct bal_metro {
    int on;                   /* 1 when the scenario names the lever */
    int nhubs;
    bal_hub hubs[BAL_MAX_HUBS];
    int start;                /* implementation year */
    double ramp;              /* years to full effect: 2 = the pledge, more = delay */
    double zone_productivity; /* regulation-free special zone: productivity of the hub's industry */
    double zone_investment;   /* investment in the hub's industry, trillion KRW a year per hub */
    double fund;              /* tax-free funds: capital redirected, trillion KRW a year in all */
    double fund_deferral;     /* share of the capital-gains tax deferred */
    double fund_holding_cut;  /* reduction of the tax for the holding period (fraction) */
    double residential;       /* residential environment: attractiveness, in GRDP-per-capita
                                 log points */
    double talent;            /* skilled workers moved to each hub (institutes, Meister) */
    double infra_cut;         /* travel-time cut between a hub and its neighbours */
    int infra_open;           /* year the new links open (0: start + 6) */
    double infra_cost;        /* national infrastructure plan, trillion KRW in all */
    double infra_years;       /* years over which the plan's cost is spent (2: the pledge) */
} bal_metro;

typedef struct bal_scenario {
    char name[64];
    char description[512];
    char extends[256];
    int horizon;              /* last year (default 2052) */
    int nunions;
    bal_union unions[BAL_MAX_UNIONS];
    bal_decentral dec;
    bal_metro metro;
} bal_scenario;

/* The status quo: no lever named, every setting at its default of the lever
   table (levers.h; docs/model.md §14, ASSUMPTIONS.md A35-A44). */
void bal_policy_scenario_init(bal_scenario *s);
/* 1 if the scenario sets no lever (it is the status quo). */
int bal_policy_is_status_quo(const bal_scenario *s);

/* Ramp factor of a lever that starts in `start` and reaches full effect
   after `ramp` years: 0 before, (year − start + 1) / ramp, capped at 1. */
double bal_policy_ramp(int year, int start, double ramp);

/* Share of a plan costing `years` years (spent evenly from `start`; a
   fraction of a year takes its fraction in the last year) that falls in
   `year`: the shares over all years sum to 1. */
double bal_policy_spread_share(int year, int start, double years);

/* Tax-assignment presets (§14.3): local shares of income, corporate, VAT,
   property and other taxes. Returns -1 for an unknown name. */
int bal_policy_fiscal_preset(const char *name, double *local_share);
/* Name of preset i (0, 1, ...), NULL past the last. */
const char *bal_policy_fiscal_preset_name(int i);

#ifdef __cplusplus
}
#endif
#endif
