/*
 * main.c — the `balance` command line: a thin layer over the library.
 *
 * It parses options (getopt_long), calls the engine, renders results and
 * picks the exit status: 0 success, 2 usage or data error, 1 anything else.
 * Errors are one line on stderr: `file:line: what is wrong` for data, or
 * `balance: what is wrong` otherwise.
 */
#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/levers.h"
#include "balance/compare.h"
#include "balance/scenario.h"
#include "balance/store.h"

#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <limits.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define VERSION "0.1.0"
#define EXIT_USAGE 2
#define EXIT_INTERNAL 1

enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON };

typedef struct options {
    const char *data;
    const char *out;
    int store;
    int from, to;
    int from_set, to_set;
    enum fmt format;
    double tfr_target;
    int tfr_target_year;
    double improve_scale;
    int mig_window;
    int mig_window_set;     /* given: the data must have that many years */
    int level;              /* BAL_LEVEL_SIDO or BAL_LEVEL_SIGUNGU */
    double local_halflife;
    int local_migration;    /* 0: --no-local-migration */
    int pivot;              /* --migration-model pivot */
    int economy;            /* 0: --no-economy (project only) */
    const char *region;     /* --region CODE, or NULL */
} options;

static const char *MAIN_HELP =
    "Balance — a simulator of South Korea's regional development policies.\n"
    "\n"
    "Usage: balance COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  project    project the population of the 17 provinces (sido) or the 229\n"
    "             municipalities (sigungu) year by year, by sex and age\n"
    "  backtest   start from an earlier observed year, project to the latest\n"
    "             observed year and report the error per province or municipality\n"
    "  calibrate  fit the migration model on the observed flows (maximum\n"
    "             likelihood), or test it out of sample with --hindcast\n"
    "  compare    run policy scenarios (scenarios/*.yaml) against the status quo\n"
    "             and print them side by side for 2035, 2045 and 2052\n"
    "  levers     list every scenario setting: type, default, range, unit, family,\n"
    "             the docs/model.md section of its channel (--format table|json)\n"
    "  indicators list every indicator: name, unit, labels, precision, aggregation\n"
    "             (--format table|json|md)\n"
    "  serve      the web dashboard and JSON API on http://127.0.0.1:8080/\n"
    "  help CMD   show the options of a command\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  --version      show the version\n"
    "\n"
    "Examples:\n"
    "  balance compare scenarios/*.yaml     # the main job: every shipped scenario\n"
    "  balance project                      # mid-2025 to 2052, table on stdout\n"
    "  balance project --format json --to 2040\n"
    "  balance project --level sigungu      # municipalities, local-extinction risk\n"
    "  balance project --region 47940       # one region's full series (Ulleung-gun)\n"
    "  balance backtest --from 2015\n"
    "  balance backtest --level sigungu --from 2023\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or bad data, 1 internal failure.\n";

static const char *PROJECT_HELP =
    "Usage: balance project [OPTIONS]\n"
    "\n"
    "Multiregional cohort-component projection by sex and single year of age\n"
    "(0..100+), in yearly steps, on the data pack's observed rates\n"
    "(docs/model.md). Results go to stdout and to a SQLite database.\n"
    "\n"
    "Options:\n"
    "  --level LEVEL      sido (default): the 17 provinces; sigungu: the 229\n"
    "                     municipalities nested in their provinces, with age groups,\n"
    "                     the local-extinction risk index and the count of sigungu\n"
    "                     at risk; province rows are sums of their municipalities\n"
    "  --region CODE      print one region's full series instead of the summary\n"
    "                     (a sigungu code implies --level sigungu; 00: the nation);\n"
    "                     with --format csv or json, only that region's rows plus\n"
    "                     the nation's (CSV rows 00, the JSON \"national\" object),\n"
    "                     the reference of every share; the store keeps every region\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --from YEAR        start year (default: 2025, the end-June 2025 base population;\n"
    "                     2013..2023 (sido) or 2022..2024 (sigungu) start from that\n"
    "                     year's observed year-end population, with rates estimated\n"
    "                     from data up to then)\n"
    "  --to YEAR          final year (default: 2052)\n"
    "  --format FMT       table (default), csv or json\n"
    "  --out DIR          store results in DIR/balance.db (default: out)\n"
    "  --no-store         do not write the results database\n"
    "  --tfr-target X     national total fertility rate to reach by --tfr-year,\n"
    "                     every province scaled alike (default: keep observed rates)\n"
    "  --tfr-year YEAR    year the TFR target is reached (default: 2040)\n"
    "  --mortality-improvement S\n"
    "                     multiple of the observed mortality decline (default: 1)\n"
    "  --migration-window N\n"
    "                     most recent years of flows pooled for migration rates (default:\n"
    "                     5, or fewer if the data have fewer up to the start year); a\n"
    "                     given N must not exceed the years with complete flows and\n"
    "                     population totals up to the start (from 2025: 8, 2013-2020)\n"
    "  --local-migration-halflife YEARS\n"
    "                     (sigungu) half-life of the within-province migration rates,\n"
    "                     which reflect the housing completions of 2022-2024 (default:\n"
    "                     5; 0 keeps them constant)\n"
    "  --migration-model M\n"
    "                     fixed (default): destination shares and out-migration rates\n"
    "                     as observed in the calibration years; pivot: they respond each\n"
    "                     year to population, GRDP per capita and employment through the\n"
    "                     estimated logit (docs/model.md section 12); the economy,\n"
    "                     public finance and services run alongside (migration reads\n"
    "                     their latest observed values, so --no-economy gives the\n"
    "                     same population)\n"
    "  --no-local-migration\n"
    "                     (sigungu) no within-province migration: every municipality\n"
    "                     migrates at its province's rates\n"
    "  --no-economy       demography only: no economy, public finance or services\n"
    "                     (their indicators are then empty)\n"
    "  -h, --help         show this help\n";

static const char *COMPARE_HELP =
    "Usage: balance compare [OPTIONS] SCENARIO.yaml...\n"
    "\n"
    "Run the status quo and each scenario (docs/scenarios.md) from the base year\n"
    "with the coupled model and print them side by side for 2035, 2045 and 2052:\n"
    "capital-region share, population outside the capital region, sigungu at risk\n"
    "and at high risk of extinction, GRDP per capita disparity across provinces\n"
    "(CV and Theil), national GDP, fiscal self-reliance and schools lost, plus the\n"
    "population of every union a scenario forms. A file that sets no lever\n"
    "(scenarios/status_quo.yaml) is the baseline [0] itself: it is not run or\n"
    "listed a second time (the table notes it).\n"
    "\n"
    "Options:\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --level L          sigungu (default) or sido (no sigungu risk counts)\n"
    "  --format F         table (default), csv or json\n"
    "  --out DIR          append every scenario's full results to DIR/balance.db,\n"
    "                     one transaction per scenario (default: out)\n"
    "  --no-store         do not write the results store\n"
    "  -h, --help         show this help\n";


static const char *BACKTEST_HELP =
    "Usage: balance backtest [OPTIONS]\n"
    "\n"
    "Start from the observed year-end population of --from, estimate every rate\n"
    "from data up to that year only, project to --to and compare each region's\n"
    "projected total with the observed year-end total of every year.\n"
    "\n"
    "Options:\n"
    "  --level LEVEL      sido (default; years 2013..2023) or sigungu (year-end\n"
    "                     residents 2022..2024; reports the error distribution\n"
    "                     over the 229 municipalities)\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --from YEAR        start year (default: 2015 for sido, 2022 for sigungu)\n"
    "  --to YEAR          last year compared (default: latest observed)\n"
    "  --format FMT       table (default), csv or json\n"
    "  --mortality-improvement S, --migration-window N,\n"
    "  --local-migration-halflife YEARS, --no-local-migration,\n"
    "  --migration-model M   as for project (pivot: refitted on flows up to --from)\n"
    "  -h, --help         show this help\n";

/* ---- error reporting ---- */

static int report(bal_ctx *ctx)
{
    int st = bal_ctx_status(ctx);
    const char *file = bal_ctx_file(ctx);
    long line = bal_ctx_line(ctx);
    if (file[0] && line > 0)
        fprintf(stderr, "%s:%ld: %s\n", file, line, bal_ctx_message(ctx));
    else if (file[0])
        fprintf(stderr, "%s: %s\n", file, bal_ctx_message(ctx));
    else
        fprintf(stderr, "balance: %s\n", bal_ctx_message(ctx));
    switch (st) {
    case BAL_EIO:
    case BAL_EDATA:
    case BAL_EUSAGE: return EXIT_USAGE;
    default: return EXIT_INTERNAL;
    }
}

static int usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "balance %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'balance %s --help'.\n", cmd);
    return EXIT_USAGE;
}

static int mkdir_p(const char *dir);

/* The usage error of getopt_long's ':' (a value missing) or '?' (unknown). */
static int bad_option(const char *cmd, int c, char **argv)
{
    return usage_error(cmd, c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
                       argv[optind - 1]);
}

/* "balance COMMAND ARGS..." for the store's provenance (argv[0] = COMMAND). */
static void command_line(int argc, char **argv, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "balance");
    for (int i = 0; i < argc && len < n - 1; i++)
        len += (size_t)snprintf(buf + len, n - len, " %s", argv[i]);
}

/* DIR/balance.db into db, creating DIR. */
static int store_path(bal_ctx *ctx, const char *dir, char *db, size_t n)
{
    if ((size_t)snprintf(db, n, "%s/balance.db", dir) >= n)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--out: path too long");
    if (mkdir_p(dir) != 0)
        return bal_raise(ctx, BAL_ESTORE, NULL, 0, "cannot create output directory '%s': %s", dir,
                         strerror(errno));
    return BAL_OK;
}

/* --format and --level values; 0 when valid. */
static int parse_format(const char *s, enum fmt *f)
{
    if (strcmp(s, "table") == 0)
        *f = FMT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *f = FMT_CSV;
    else if (strcmp(s, "json") == 0)
        *f = FMT_JSON;
    else
        return -1;
    return 0;
}

static int parse_level(const char *s, int *level)
{
    if (strcmp(s, "sido") == 0)
        *level = BAL_LEVEL_SIDO;
    else if (strcmp(s, "sigungu") == 0)
        *level = BAL_LEVEL_SIGUNGU;
    else
        return -1;
    return 0;
}

static int parse_int(const char *s, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_num(const char *s, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

enum { OPT_DATA = 256, OPT_FROM, OPT_TO, OPT_FORMAT, OPT_OUT, OPT_NOSTORE, OPT_TFR, OPT_TFRY,
       OPT_IMPROVE, OPT_WINDOW, OPT_LEVEL, OPT_REGION, OPT_HALFLIFE, OPT_NOLOCAL, OPT_MIGMODEL, OPT_NOECON };

static const struct option LONGOPTS[] = {
    {"data", required_argument, NULL, OPT_DATA},
    {"from", required_argument, NULL, OPT_FROM},
    {"to", required_argument, NULL, OPT_TO},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"out", required_argument, NULL, OPT_OUT},
    {"no-store", no_argument, NULL, OPT_NOSTORE},
    {"tfr-target", required_argument, NULL, OPT_TFR},
    {"tfr-year", required_argument, NULL, OPT_TFRY},
    {"mortality-improvement", required_argument, NULL, OPT_IMPROVE},
    {"migration-window", required_argument, NULL, OPT_WINDOW},
    {"level", required_argument, NULL, OPT_LEVEL},
    {"region", required_argument, NULL, OPT_REGION},
    {"local-migration-halflife", required_argument, NULL, OPT_HALFLIFE},
    {"no-local-migration", no_argument, NULL, OPT_NOLOCAL},
    {"migration-model", required_argument, NULL, OPT_MIGMODEL},
    {"no-economy", no_argument, NULL, OPT_NOECON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0}};

/* Returns -1 to continue, else an exit status. */
static int parse_options(const char *cmd, const char *help, int backtest, int argc, char **argv,
                         options *o)
{
    memset(o, 0, sizeof *o);
    o->data = "data/kr";
    o->out = "out";
    o->store = !backtest;
    o->format = FMT_TABLE;
    o->tfr_target_year = 2040;
    o->improve_scale = 1.0;
    o->mig_window = 5;
    o->level = BAL_LEVEL_SIDO;
    o->local_halflife = 5.0;
    o->local_migration = 1;
    o->economy = !backtest;
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", LONGOPTS, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(help, stdout); return 0;
        case OPT_DATA: o->data = optarg; break;
        case OPT_FROM:
            if (parse_int(optarg, 1900, 2100, &o->from))
                return usage_error(cmd, "--from: not a year: '%s'", optarg);
            o->from_set = 1;
            break;
        case OPT_TO:
            if (parse_int(optarg, 1900, 2200, &o->to))
                return usage_error(cmd, "--to: not a year: '%s'", optarg);
            o->to_set = 1;
            break;
        case OPT_FORMAT:
            if (parse_format(optarg, &o->format))
                return usage_error(cmd, "--format: expected table, csv or json, not '%s'",
                                   optarg);
            break;
        case OPT_OUT:
            if (backtest)
                return usage_error(cmd, "unknown option '%s'", "--out");
            o->out = optarg;
            break;
        case OPT_NOSTORE: o->store = 0; break;
        case OPT_TFR:
            if (backtest || parse_num(optarg, 0.1, 5.0, &o->tfr_target))
                return usage_error(cmd, "--tfr-target: expected a TFR in [0.1, 5], not '%s'",
                                   optarg);
            break;
        case OPT_TFRY:
            if (backtest || parse_int(optarg, 1900, 2200, &o->tfr_target_year))
                return usage_error(cmd, "--tfr-year: not a year: '%s'", optarg);
            break;
        case OPT_IMPROVE:
            if (parse_num(optarg, 0.0, 5.0, &o->improve_scale))
                return usage_error(cmd, "--mortality-improvement: expected 0..5, not '%s'",
                                   optarg);
            break;
        case OPT_WINDOW:
            if (parse_int(optarg, 1, BAL_MIG_WINDOW_MAX, &o->mig_window))
                return usage_error(cmd, "--migration-window: expected 1..30 years, not '%s'",
                                   optarg);
            o->mig_window_set = 1;
            break;
        case OPT_LEVEL:
            if (parse_level(optarg, &o->level))
                return usage_error(cmd, "--level: expected sido or sigungu, not '%s'", optarg);
            break;
        case OPT_HALFLIFE:
            if (parse_num(optarg, 0.0, 1000.0, &o->local_halflife))
                return usage_error(cmd,
                                   "--local-migration-halflife: expected 0..1000 years, not '%s'",
                                   optarg);
            break;
        case OPT_NOLOCAL: o->local_migration = 0; break;
        case OPT_NOECON:
            if (backtest)
                return usage_error(cmd, "unknown option '%s'", "--no-economy");
            o->economy = 0;
            break;
        case OPT_MIGMODEL:
            if (strcmp(optarg, "fixed") == 0)
                o->pivot = 0;
            else if (strcmp(optarg, "pivot") == 0)
                o->pivot = 1;
            else
                return usage_error(cmd, "--migration-model: expected fixed or pivot, not '%s'",
                                   optarg);
            break;
        case OPT_REGION:
            if (backtest)
                return usage_error(cmd, "unknown option '%s'", "--region");
            o->region = optarg;
            break;
        default: return bad_option(cmd, c, argv);
        }
    }
    if (optind < argc)
        return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    return -1;
}

/* Thousands separators for a rounded count. */
static const char *fmt_count(double v, char *buf, size_t n)
{
    char raw[32];
    long long x = llround(v);
    int neg = x < 0;
    snprintf(raw, sizeof raw, "%lld", neg ? -x : x);
    size_t len = strlen(raw), j = 0;
    if (neg && j + 1 < n)
        buf[j++] = '-';
    for (size_t i = 0; i < len && j + 1 < n; i++) {
        if (i > 0 && (len - i) % 3 == 0 && j + 1 < n)
            buf[j++] = ',';
        buf[j++] = raw[i];
    }
    buf[j] = '\0';
    return buf;
}

/* Indicator ind's value as the tables show it (indicator table: decimals
   `shown`; whole numbers with thousands separators; "-" when missing). */
static const char *fmt_shown(double v, int ind, char *buf, size_t n)
{
    const int d = ind >= 0 && ind < BAL_NIND_ALL ? bal_indicators[ind].shown : 2;
    if (isnan(v))
        snprintf(buf, n, "-");
    else if (d == 0)
        fmt_count(v, buf, n);
    else
        snprintf(buf, n, "%.*f", d, v);
    return buf;
}

/* One CSV field on stdout, quoted (RFC 4180) when needed. */
static void csv_field(const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, stdout);
        return;
    }
    putchar('"');
    for (; *s; s++) {
        if (*s == '"')
            putchar('"');
        putchar(*s);
    }
    putchar('"');
}

static int mkdir_p(const char *dir)
{
    char tmp[1024];
    if (snprintf(tmp, sizeof tmp, "%s", dir) >= (int)sizeof tmp)
        return -1;
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* ---- shared: data -> parameters -> projection ---- */

typedef struct job {
    bal_datapack pack;
    int level;
    bal_demog_params params;   /* sido */
    bal_calib_report rep;
    bal_demog_params mparams;  /* sigungu (level sigungu) */
    bal_muni_report mrep;
    bal_projection proj;       /* units: sido, or sigungu */
    bal_mig_run mrun;          /* --migration-model pivot */
    bal_couple couple;         /* economy, finance, services */
    bal_report report;
    double *pop0, *pop0_sgg;
    bal_run_param facts[32];
    int nfacts;
} job;

static void job_release(bal_ctx *ctx, job *j)
{
    bal_report_release(ctx, &j->report);
    bal_couple_release(ctx, &j->couple);
    bal_projection_release(ctx, &j->proj);
    bal_mig_run_release(ctx, &j->mrun);
    bal_muni_report_release(ctx, &j->mrep);
    bal_demog_params_release(ctx, &j->mparams);
    bal_calib_report_release(ctx, &j->rep);
    bal_demog_params_release(ctx, &j->params);
    bal_free(ctx, j->pop0);
    bal_free(ctx, j->pop0_sgg);
    bal_datapack_release(ctx, &j->pack);
}

static void fact(job *j, const char *key, double v)
{
    if (j->nfacts < (int)(sizeof j->facts / sizeof j->facts[0]))
        j->facts[j->nfacts++] = (bal_run_param){key, v};
}

/* Start populations for a year-end start: sido from the sido bands (sido
   level) or the sums of the sigungu bands (sigungu level). */
static int start_population(bal_ctx *ctx, job *j, int from)
{
    bal_datapack *pk = &j->pack;
    const int64_t ns = pk->nsido, ng = pk->regions.n - ns;
    if (j->level == BAL_LEVEL_SIDO) {
        if (bal_pop_from_bands(ctx, pk, from, j->pop0))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d: the data has no complete year-end population by age "
                             "for that year (use %d..%d, or %d for the base)",
                             from, pk->pop5.year0 + 2, pk->pop5.year0 + pk->pop5.nyears - 1,
                             pk->base_year);
        return BAL_OK;
    }
    if (bal_pop_from_sgg_bands(ctx, pk, from, j->pop0_sgg))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                         "--from %d: the data has no year-end population by age for the "
                         "sigungu in that year (use %d..%d, or %d for the base)",
                         from, pk->sgg_pop5.year0, pk->sgg_pop5.year0 + pk->sgg_pop5.nyears - 1,
                         pk->base_year);
    memset(j->pop0, 0, (size_t)(ns * BAL_CELLS) * sizeof(double));
    for (int64_t u = 0; u < ng; u++) {
        const int64_t g = pk->regions.r[ns + u].parent;
        for (int i = 0; i < BAL_CELLS; i++)
            j->pop0[g * BAL_CELLS + i] += j->pop0_sgg[u * BAL_CELLS + i];
    }
    return BAL_OK;
}

static int run_job(bal_ctx *ctx, const options *o, int from, int to, job *j)
{
    int st = bal_datapack_load(ctx, o->data, &j->pack);
    if (st)
        return st;
    j->level = o->level;
    const int muni = j->level == BAL_LEVEL_SIGUNGU;
    if (muni && (st = bal_datapack_load_municipal(ctx, &j->pack)))
        return st;
    const int64_t ns = j->pack.nsido, ng = j->pack.regions.n - ns;
    j->pop0 = bal_malloc(ctx, (size_t)(ns * BAL_CELLS) * sizeof(double));
    if (muni)
        j->pop0_sgg = bal_malloc(ctx, (size_t)(ng * BAL_CELLS) * sizeof(double));
    if (j->pop0 == NULL || (muni && j->pop0_sgg == NULL))
        return BAL_ENOMEM;
    bal_calib_opts co;
    bal_calib_opts_default(&co, &j->pack);
    if (from == j->pack.base_year) {
        memcpy(j->pop0, j->pack.base_pop, (size_t)(ns * BAL_CELLS) * sizeof(double));
        if (muni)
            memcpy(j->pop0_sgg, j->pack.base_pop_sgg, (size_t)(ng * BAL_CELLS) * sizeof(double));
        co.base_time = from + (double)j->pack.base_month / 12.0;
    } else {
        if (from > j->pack.base_year)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d is after the base year %d of the data", from,
                             j->pack.base_year);
        if ((st = start_population(ctx, j, from)))
            return st;
        co.base_time = from + 1.0;
    }
    co.base_year = from;
    co.improve_scale = o->improve_scale;
    co.mig_window = o->mig_window;
    co.mig_window_exact = o->mig_window_set;
    co.local_halflife = o->local_halflife;
    co.local_migration = o->local_migration;
    if (o->tfr_target > 0.0) {
        if (o->tfr_target_year <= from)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--tfr-year %d must follow --from %d",
                             o->tfr_target_year, from);
        co.tfr_target = o->tfr_target;
        co.tfr_target_year = o->tfr_target_year;
    }
    if (to < from)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--to %d is before --from %d", to, from);
    if ((st = bal_calibrate(ctx, &j->pack, &co, j->pop0, &j->params, &j->rep)))
        return st;
    if (muni && (st = bal_calibrate_municipal(ctx, &j->pack, &co, &j->params, j->pop0_sgg,
                                              &j->mparams, &j->mrep)))
        return st;
    bal_demog_params *pp = muni ? &j->mparams : &j->params;
    const double *start = muni ? j->pop0_sgg : j->pop0;
    if (o->pivot) {
        /* the migration model: base shares of the calibration window; its
           coefficients from migration_params.csv, or refitted on the flows up
           to the start when the file's fit reaches beyond it (backtests) */
        if ((st = bal_mig_run_init(ctx, &j->mrun, &j->pack, pp, j->rep.mig_year1,
                                   j->rep.mig_year1 - j->rep.mig_year0 + 1)))
            return st;
        if (from < j->pack.mig_fit_to) {
            bal_mig_fit fp, fo;
            if ((st = bal_mig_fit_run(ctx, &j->pack, BAL_MIG_PIVOT, 2001, from, &fp)) ||
                (st = bal_mig_fit_run(ctx, &j->pack, BAL_MIG_OUT, 2001, from, &fo)))
                return st;
            j->mrun.model.beta[BAL_ATTR_LOG_POP] = fp.coef[0];
            j->mrun.model.beta[BAL_ATTR_GRDP_PC] = fp.coef[1];
            j->mrun.model.beta[BAL_ATTR_EMPLOYMENT] = fp.coef[2];
            j->mrun.model.theta[BAL_ATTR_GRDP_PC] = fo.coef[0];
            j->mrun.model.theta[BAL_ATTR_EMPLOYMENT] = fo.coef[1];
        }
        if (o->economy) {
            /* the coupled economy alongside: each year the economy, then the
               pivot migration (the population path is that of --no-economy) */
            bal_econ_opts eo;
            bal_econ_opts_default(&eo);
            if ((st = bal_couple_init(ctx, &j->couple, &j->pack, &eo, pp, start, from, to,
                                      j->level)))
                return st;
            j->couple.mig = &j->mrun;
            if ((st = bal_couple_project(ctx, &j->couple, pp, start, to, &j->proj)))
                return st;
        } else {
            const bal_sim sim = {pp, NULL, &j->mrun};
            if ((st = bal_simulate(ctx, &sim, start, to, &j->proj)))
                return st;
        }
    } else if (o->economy) {
        /* the coupled model (docs/model.md §13); the economy's base is the
           data pack's, so it runs from the base year only */
        bal_econ_opts eo;
        bal_econ_opts_default(&eo);
        if ((st = bal_couple_init(ctx, &j->couple, &j->pack, &eo, pp, start, from, to,
                                  j->level)) ||
            (st = bal_couple_project(ctx, &j->couple, pp, start, to, &j->proj)))
            return st;
    } else if ((st = bal_project(ctx, pp, start, to, &j->proj))) {
        return st;
    }
    if ((st = bal_report_build(ctx, &j->proj, &j->pack.regions, j->level, &j->report)))
        return st;
    if (j->couple.done && (st = bal_report_economy(ctx, &j->couple, &j->report)))
        return st;
    fact(j, "base_year", from);
    fact(j, "base_time", co.base_time);
    fact(j, "final_year", to);
    fact(j, "tfr_national", j->rep.tfr_national);
    fact(j, "tfr_target", co.tfr_target);
    fact(j, "tfr_target_year", co.tfr_target > 0 ? (double)co.tfr_target_year : (double)NAN);
    fact(j, "fertility_year", j->rep.fert_year);
    fact(j, "life_table_year", j->rep.qx_year);
    fact(j, "e0_female", j->rep.e0[BAL_FEMALE]);
    fact(j, "e0_male", j->rep.e0[BAL_MALE]);
    fact(j, "mortality_improvement_scale", co.improve_scale);
    fact(j, "mortality_improvement_periods_from", j->rep.wpp_period0);
    fact(j, "mortality_improvement_periods_to", j->rep.wpp_period1);
    fact(j, "regional_mortality_asdr_year", j->rep.asdr_year);
    fact(j, "migration_years_from", j->rep.mig_year0);
    fact(j, "migration_years_to", j->rep.mig_year1);
    fact(j, "migration_model_pivot", o->pivot);
    if (muni) {
        fact(j, "municipal_asdr_year", j->mrep.asdr_year);
        fact(j, "municipal_migration_pairs", j->mrep.resid_pairs);
        fact(j, "municipal_migration_halflife", co.local_halflife);
        fact(j, "municipal_migration_from", j->mrep.resid_pairs ? (double)j->mrep.resid_year0 : (double)NAN);
        fact(j, "municipal_migration_to", j->mrep.resid_pairs ? (double)j->mrep.resid_year1 : (double)NAN);
    }
    return BAL_OK;
}

/* ---- project ---- */

static void print_assumptions(const job *j)
{
    printf("Assumptions: fertility of %d (national TFR %.3f)%s; mortality of the %d\n"
           "life table, improving as in UN WPP %d-%02d to %d-%02d (x %.2f); internal migration\n"
           "rates and destinations of %d-%d; net international migration as observed %d-%d.\n",
           j->rep.fert_year, j->rep.tfr_national,
           j->params.tfr_target > 0 ? ", moving to the TFR target" : " held constant",
           j->rep.qx_year, j->rep.wpp_period0, (j->rep.wpp_period0 + 5) % 100,
           j->rep.wpp_period1, (j->rep.wpp_period1 + 5) % 100, j->params.improve_scale,
           j->rep.mig_year0, j->rep.mig_year1, j->rep.mig_year0, j->rep.mig_year1);
    if (j->level == BAL_LEVEL_SIGUNGU) {
        printf("Municipalities: fertility relative to the province from children 0-4 per\n"
               "woman at the start; mortality from the %d age-standardized death rates;\n",
               j->mrep.asdr_year);
        if (j->mrep.resid_pairs > 0)
            printf("within-province migration from the residents tables of %d-%d.\n",
                   j->mrep.resid_year0, j->mrep.resid_year1);
        else
            printf("no within-province migration data before the start (province rates only).\n");
    }
    printf("(docs/model.md; data/kr/ASSUMPTIONS.md)\n\n");
}

static void print_start(const job *j, const options *o, const char *what)
{
    const int y0 = j->report.year0, y1 = y0 + j->report.nyears - 1;
    printf("Balance — population projection of %s, %d to %d\n", what, y0, y1);
    if (y0 == j->pack.base_year)
        printf("Start: registered population at end-June %d (data: %s)\n", y0, o->data);
    else
        printf("Start: %s population at end-December %d (data: %s)\n",
               j->level == BAL_LEVEL_SIGUNGU ? "resident registered" : "registered", y0,
               o->data);
}

/* Years shown in summaries: the first, every 10th (aligned on the start's
   last digit when it is 5), the last. */
static int shown_year(int y0, int k, int last)
{
    int y = y0 + k;
    return k == 0 || k == last || (y0 % 10 == 5 ? y % 10 == 5 : y % 10 == 0);
}

static void print_capital_share(const bal_report *rp)
{
    const int last = rp->nyears - 1;
    printf("\nCapital region (Seoul + Incheon + Gyeonggi), share of the population:\n ");
    for (int k = 0; k <= last; k++)
        if (shown_year(rp->year0, k, last))
            printf(" %d %.2f%%", rp->year0 + k, rp->capital_share[k]);
    printf("\n");
}

/* The economy, public finance and services summary (nation; and per sido). */
static void print_economy(const job *j)
{
    const bal_report *rp = &j->report;
    if (rp->gdp_cv == NULL)
        return;
    const bal_regions *R = &j->pack.regions;
    const int last = rp->nyears - 1;
    int cols[8], nc = 0;
    for (int k = 0; k <= last && nc < 8; k++)
        if (shown_year(rp->year0, k, last))
            cols[nc++] = k;
    char a[32];
    printf("\nEconomy, public finance and services (docs/model.md section 13; money in KRW of\n"
           "2022, old-base regional accounts):\n%-38s", "");
    for (int c = 0; c < nc; c++)
        printf(" %10d", rp->year0 + cols[c]);
    static const int ROWS[] = {BAL_IND_GDP_TOTAL,       BAL_IND_GRDP_PC,   BAL_IND_EMPLOYMENT,
                               BAL_IND_EMPLOYMENT_RATE, BAL_IND_FISCAL_SELF_RELIANCE,
                               BAL_IND_SCHOOLS,         BAL_IND_PHYSICIANS, BAL_IND_GDP_CV,
                               BAL_IND_GDP_THEIL};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        char title[128];
        printf("\n%-38s", bal_indicator_title(ROWS[i], title, sizeof title));
        for (int c = 0; c < nc; c++)
            printf(" %10s", fmt_shown(bal_report_value(rp, -1, ROWS[i], cols[c]), ROWS[i], a,
                                      sizeof a));
    }
    printf("\n\n%-4s %-18s %12s %12s %9s %9s %9s\n", "code", "province", "GRDP pc first",
           "GRDP pc last", "emp. rate", "FSR first", "FSR last");
    for (int64_t r = 0; r < R->nsido; r++) {
        const double *v0 = bal_report_row(rp, r, 0), *v1 = bal_report_row(rp, r, last);
        printf("%-4s %-18s %12s", R->r[r].code, R->r[r].name_en,
               fmt_count(v0[BAL_IND_GRDP_PC], a, sizeof a));
        printf(" %12s %8.1f%% %8.1f%% %8.1f%%\n", fmt_count(v1[BAL_IND_GRDP_PC], a, sizeof a),
               v1[BAL_IND_EMPLOYMENT_RATE], v0[BAL_IND_FISCAL_SELF_RELIANCE],
               v1[BAL_IND_FISCAL_SELF_RELIANCE]);
    }
    printf("(GRDP per capita in thousand KRW; FSR = fiscal self-reliance of all local\n"
           "governments of the province)\n");
}

static void print_sido_table(const job *j, const options *o)
{
    const bal_report *rp = &j->report;
    const bal_regions *R = &j->pack.regions;
    const int last = rp->nyears - 1;
    const int y0 = rp->year0, y1 = y0 + last;
    char a[32], b[32], c[32];
    print_start(j, o, "the 17 provinces (sido)");
    print_assumptions(j);
    char h0[16], h1[16], hs[16];
    snprintf(h0, sizeof h0, "pop %d", y0);
    snprintf(h1, sizeof h1, "pop %d", y1);
    snprintf(hs, sizeof hs, "share %d", y1);
    printf("%-4s %-18s %13s %13s %12s %8s %10s\n", "code", "province", h0, h1, "change",
           "change", hs);
    const double nat0 = bal_report_row(rp, -1, 0)[BAL_IND_POPULATION];
    const double nat1 = bal_report_row(rp, -1, last)[BAL_IND_POPULATION];
    for (int64_t r = 0; r < R->nsido; r++) {
        double p0 = bal_report_row(rp, r, 0)[BAL_IND_POPULATION];
        double p1 = bal_report_row(rp, r, last)[BAL_IND_POPULATION];
        printf("%-4s %-18s %13s %13s %12s %+7.1f%% %9.2f%%\n", R->r[r].code, R->r[r].name_en,
               fmt_count(p0, a, sizeof a), fmt_count(p1, b, sizeof b),
               fmt_count(p1 - p0, c, sizeof c), 100.0 * (p1 - p0) / p0, 100.0 * p1 / nat1);
    }
    printf("%-4s %-18s %13s %13s %12s %+7.1f%% %9.2f%%\n", "00", "Korea",
           fmt_count(nat0, a, sizeof a), fmt_count(nat1, b, sizeof b),
           fmt_count(nat1 - nat0, c, sizeof c), 100.0 * (nat1 - nat0) / nat0, 100.0);
    print_capital_share(rp);
    print_economy(j);
}

typedef struct shrink {
    int64_t i;      /* output region */
    double change;  /* percent */
} shrink;

static int by_change(const void *x, const void *y)
{
    const shrink *a = x, *b = y;
    if (a->change != b->change)
        return a->change < b->change ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static void print_sigungu_table(const job *j, const options *o)
{
    const bal_report *rp = &j->report;
    const bal_regions *R = &j->pack.regions;
    const int64_t ns = R->nsido, n = rp->nout - ns;
    const int last = rp->nyears - 1;
    const int y0 = rp->year0, y1 = y0 + last;
    char a[32], b[32];
    print_start(j, o, "the 229 municipalities (sigungu)");
    print_assumptions(j);
    int cols[8], nc = 0;
    for (int k = 0; k <= last && nc < 8; k++)
        if (shown_year(y0, k, last))
            cols[nc++] = k;
    printf("%-34s", "");
    for (int c = 0; c < nc; c++)
        printf(" %12d", y0 + cols[c]);
    static const int ROWS[] = {BAL_IND_POPULATION,     BAL_IND_CAPITAL_SHARE,
                               BAL_IND_SHARE_65_PLUS,  BAL_IND_SCHOOL_AGE,
                               BAL_IND_EXTINCTION_INDEX, BAL_IND_AT_RISK,
                               BAL_IND_HIGH_RISK};
    for (size_t i = 0; i < sizeof ROWS / sizeof ROWS[0]; i++) {
        char title[128];
        printf("\n%-34s", bal_indicator_title(ROWS[i], title, sizeof title));
        for (int c = 0; c < nc; c++)
            printf(" %12s", fmt_shown(bal_report_value(rp, -1, ROWS[i], cols[c]), ROWS[i], a,
                                      sizeof a));
    }
    int shrinking = 0;
    for (int64_t u = 0; u < n; u++) {
        double p0 = bal_report_row(rp, ns + u, 0)[BAL_IND_POPULATION];
        double p1 = bal_report_row(rp, ns + u, last)[BAL_IND_POPULATION];
        shrinking += p1 < p0;
    }
    printf("\n%-34s %12d of %lld\n", "Sigungu shrinking by the end", shrinking, (long long)n);

    shrink *list = malloc((size_t)n * sizeof *list);
    if (list == NULL)
        return;
    for (int64_t u = 0; u < n; u++) {
        double p0 = bal_report_row(rp, ns + u, 0)[BAL_IND_POPULATION];
        double p1 = bal_report_row(rp, ns + u, last)[BAL_IND_POPULATION];
        list[u] = (shrink){ns + u, p0 > 0.0 ? 100.0 * (p1 - p0) / p0 : 0.0};
    }
    qsort(list, (size_t)n, sizeof *list, by_change);
    char h0[16], h1[16], e0[16], e1[16];
    snprintf(h0, sizeof h0, "pop %d", y0);
    snprintf(h1, sizeof h1, "pop %d", y1);
    snprintf(e0, sizeof e0, "index %d", y0);
    snprintf(e1, sizeof e1, "index %d", y1);
    printf("\nThe 20 fastest-shrinking municipalities, %d to %d:\n", y0, y1);
    printf("%-5s %-20s %-18s %11s %11s %8s %10s %10s\n", "code", "municipality", "province", h0,
           h1, "change", e0, e1);
    for (int64_t i = 0; i < n && i < 20; i++) {
        const bal_region *g = &R->r[list[i].i];
        const double *v0 = bal_report_row(rp, list[i].i, 0);
        const double *v1 = bal_report_row(rp, list[i].i, last);
        printf("%-5s %-20s %-18s %11s %11s %+7.1f%% %10.3f %10.3f\n", g->code, g->name_en,
               R->r[g->parent].name_en, fmt_count(v0[BAL_IND_POPULATION], a, sizeof a),
               fmt_count(v1[BAL_IND_POPULATION], b, sizeof b), list[i].change,
               v0[BAL_IND_EXTINCTION_INDEX], v1[BAL_IND_EXTINCTION_INDEX]);
    }
    free(list);
    printf("\nProvinces are the sums of their municipalities: see --format csv|json, or\n"
           "--region CODE for one region's series. Index = women 20-39 / persons 65+.\n");
    print_capital_share(rp);
    print_economy(j);
}

/* One region's full series (output region i, or the nation when i < 0). */
static void print_region(const job *j, int64_t i)
{
    const bal_report *rp = &j->report;
    const bal_regions *R = &j->pack.regions;
    char a[32];
    if (i < 0) {
        printf("Korea (00), %s-level run\n", j->level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido");
    } else {
        const bal_region *g = &R->r[rp->region[i]];
        printf("%s %s (%s), %s", g->name_en, g->name_ko, g->code,
               g->level == BAL_LEVEL_SIDO ? "province" : "municipality");
        if (g->parent >= 0)
            printf(" in %s", R->r[g->parent].name_en);
        printf(", %.1f km2%s\n", g->area_km2,
               g->level == BAL_LEVEL_SIDO && j->level == BAL_LEVEL_SIGUNGU
                   ? "; sum of its municipalities"
                   : "");
    }
    static const struct { int ind, width; } COLS[] = {
        {BAL_IND_POPULATION, 11}, {BAL_IND_AGE_0_14, 9},        {BAL_IND_AGE_15_64, 11},
        {BAL_IND_AGE_65_PLUS, 9}, {BAL_IND_SCHOOL_AGE, 9},      {BAL_IND_OLD_AGE_DEPENDENCY, 8},
        {BAL_IND_EXTINCTION_INDEX, 8}, {BAL_IND_BIRTHS, 9},     {BAL_IND_DEATHS, 9},
        {BAL_IND_NET_INTERNAL, 9}, {BAL_IND_NET_INTERNATIONAL, 9}};
    const size_t ncol = sizeof COLS / sizeof COLS[0];
    printf("%-5s", "year");
    for (size_t c = 0; c < ncol; c++)
        printf(" %*s", COLS[c].width, bal_indicators[COLS[c].ind].abbrev);
    printf("\n");
    for (int k = 0; k < rp->nyears; k++) {
        printf("%-5d", rp->year0 + k);
        for (size_t c = 0; c < ncol; c++) {
            const double v = bal_report_row(rp, i, k)[COLS[c].ind];
            printf(" %*s", COLS[c].width, isnan(v) ? "" : fmt_shown(v, COLS[c].ind, a, sizeof a));
        }
        printf("\n");
    }
    printf("\nOADR = old-age dependency ratio, 65+ per 100 aged 15-64; index = local-extinction\n"
           "risk index, women 20-39 / persons 65+ (< 0.5 at risk, < 0.2 high risk); flows are\n"
           "those of the year ending mid-year (net int = net internal migration%s).\n",
           i >= 0 && R->r[rp->region[i]].level == BAL_LEVEL_SIDO ? " between provinces" : "");
}

/* Output region of `code` in the report, -1 for "00", -2 if absent. */
static int64_t report_find(const job *j, const char *code)
{
    if (strcmp(code, "00") == 0)
        return -1;
    int64_t r = bal_regions_find(&j->pack.regions, code);
    for (int64_t i = 0; r >= 0 && i < j->report.nout; i++)
        if (j->report.region[i] == r)
            return i;
    return -2;
}

/* The CSV or JSON rendering of a finished projection. */
/* The report as CSV or JSON; `only`: BAL_EXPORT_ALL, BAL_EXPORT_NATION or
   one output region (with the nation). */
static int export_report(bal_ctx *ctx, FILE *f, const options *o, const job *j, int64_t only)
{
    if (o->format == FMT_JSON)
        return bal_export_json(ctx, f, &j->pack.regions, &j->report, only, j->facts, j->nfacts);
    return bal_export_csv(ctx, f, &j->pack.regions, &j->report, only);
}

/* The store's half of store_beside_export, on its own thread and context. */
typedef struct store_job {
    const char *db;
    const bal_run_info *info;
    const job *j;
    bal_ctx *ctx;
    int st;
    int64_t run_id;
} store_job;

static void *store_thread(void *arg)
{
    store_job *s = arg;
    s->st = bal_store_write(s->ctx, s->db, s->info, &s->j->pack.regions, &s->j->report,
                            &s->run_id);
    return NULL;
}

/*
 * Store the run and write its CSV or JSON, side by side on two threads: both
 * only read the finished report, and each costs about as much as the other
 * (SQLite inserts; number formatting), so on two cores the whole sigungu run
 * is about a third faster (docs/performance.md). The output is rendered into
 * memory and reaches stdout only after the store has committed, so a failed
 * store still prints nothing, as when the two ran one after the other. The
 * store's error, if any, wins over the writer's.
 */
static int store_beside_export(bal_ctx *ctx, const options *o, const job *j, int64_t only,
                               const char *db, const bal_run_info *info)
{
    store_job s = {db, info, j, bal_ctx_alloc(), BAL_OK, 0};
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = s.ctx ? open_memstream(&buf, &len) : NULL;
    if (mem == NULL) {
        bal_ctx_free(s.ctx);
        return bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory for the output");
    }
    pthread_t t;
    const int threaded = pthread_create(&t, NULL, store_thread, &s) == 0;
    if (!threaded) /* no second thread: one after the other */
        store_thread(&s);
    int st = export_report(ctx, mem, o, j, only);
    if (fclose(mem) != 0 && st == BAL_OK)
        st = bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory for the output");
    if (threaded)
        pthread_join(t, NULL);
    if (s.st != BAL_OK) {
        const char *file = bal_ctx_file(s.ctx);
        st = bal_raise(ctx, s.st, file[0] ? file : NULL, bal_ctx_line(s.ctx), "%s",
                       bal_ctx_message(s.ctx));
    } else if (st == BAL_OK && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)) {
        st = bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write the output");
    }
    free(buf);
    bal_ctx_free(s.ctx);
    return st;
}

static int cmd_project(bal_ctx *ctx, int argc, char **argv)
{
    options o;
    int rc = parse_options("project", PROJECT_HELP, 0, argc, argv, &o);
    if (rc >= 0)
        return rc;
    /* a municipal code asks for the municipal run */
    if (o.region && strlen(o.region) == 5)
        o.level = BAL_LEVEL_SIGUNGU;
    job j;
    memset(&j, 0, sizeof j);
    const int from = o.from_set ? o.from : 2025;
    const int to = o.to_set ? o.to : 2052;
    int st = run_job(ctx, &o, from, to, &j);
    int64_t region = -1;
    if (st == BAL_OK && o.region && (region = report_find(&j, o.region)) == -2)
        st = bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                       "--region: unknown region code '%s' (see data/kr/regions.csv)", o.region);
    /* --region: that region's rows (the nation's only for "00") */
    const int64_t only = o.region == NULL ? BAL_EXPORT_ALL
                         : region < 0     ? BAL_EXPORT_NATION
                                          : region;
    char db[1100] = "";
    int64_t run_id = 0;
    int written = 0; /* the CSV or JSON went out with the store */
    if (st == BAL_OK && o.store) {
        if ((st = store_path(ctx, o.out, db, sizeof db)) == BAL_OK) {
            char cmdline[1024];
            command_line(argc, argv, cmdline, sizeof cmdline);
            bal_run_info info = {cmdline, o.data, "status_quo", j.facts, j.nfacts};
            if (o.format == FMT_TABLE) {
                st = bal_store_write(ctx, db, &info, &j.pack.regions, &j.report, &run_id);
            } else {
                st = store_beside_export(ctx, &o, &j, only, db, &info);
                written = 1;
            }
        }
    }
    if (st == BAL_OK && !written) {
        if (o.format != FMT_TABLE)
            st = export_report(ctx, stdout, &o, &j, only);
        else {
            if (o.region)
                print_region(&j, region);
            else if (j.level == BAL_LEVEL_SIGUNGU)
                print_sigungu_table(&j, &o);
            else
                print_sido_table(&j, &o);
            if (run_id > 0)
                printf("\nStored as run %lld in %s\n", (long long)run_id, db);
        }
    }
    rc = st ? report(ctx) : 0;
    job_release(ctx, &j);
    return rc;
}

/* ---- backtest ---- */

/* Observed year-end total of output unit u in `year` (sido: registered;
   sigungu: residents). */
static double observed(const job *j, int64_t u, int year)
{
    if (j->level == BAL_LEVEL_SIGUNGU)
        return bal_yearly_at(&j->pack.sgg_pop, year)[u];
    return bal_yearly_at(&j->pack.pop_total, year)[u];
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Quantile q of sorted v[0..n-1] (type 7, linear interpolation). */
static double quantile(const double *v, int64_t n, double q)
{
    double h = (double)(n - 1) * q;
    int64_t lo = (int64_t)floor(h);
    if (lo >= n - 1)
        return v[n - 1];
    return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

typedef struct errstat {
    double mape, median, p90, max, naive_mape, naive_median, national;
} errstat;

static int cmd_backtest(bal_ctx *ctx, int argc, char **argv)
{
    options o;
    int rc = parse_options("backtest", BACKTEST_HELP, 1, argc, argv, &o);
    if (rc >= 0)
        return rc;
    job j;
    memset(&j, 0, sizeof j);
    const int muni = o.level == BAL_LEVEL_SIGUNGU;
    const int from = o.from_set ? o.from : (muni ? 2022 : 2015);
    int st = bal_datapack_load(ctx, o.data, &j.pack);
    if (st == BAL_OK && muni)
        st = bal_datapack_load_municipal(ctx, &j.pack);
    int to = 0;
    if (st == BAL_OK) {
        const bal_yearly *obs = muni ? &j.pack.sgg_pop5 : &j.pack.pop_total;
        const int lastobs = obs->year0 + obs->nyears - 1;
        to = o.to_set ? o.to : lastobs;
        if (to <= from || to > lastobs)
            st = bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                           "--to must be after --from and at most %d, the last observed year",
                           lastobs);
        bal_datapack_release(ctx, &j.pack);
    }
    if (st == BAL_OK)
        st = run_job(ctx, &o, from, to, &j);
    if (st) {
        rc = report(ctx);
        job_release(ctx, &j);
        return rc;
    }
    const bal_projection *pr = &j.proj;
    const bal_regions *R = &j.pack.regions;
    const int64_t n = pr->nreg, off = muni ? R->nsido : 0;
    const int ny = pr->nyears;
    /* errors per year and unit; naive benchmark: population held constant */
    double *ape = calloc((size_t)(ny * n), sizeof(double));
    double *sorted = calloc((size_t)n, sizeof(double));
    double *nsorted = calloc((size_t)n, sizeof(double));
    errstat *es = calloc((size_t)ny, sizeof *es);
    if (!ape || !sorted || !nsorted || !es) {
        free(ape), free(sorted), free(nsorted), free(es);
        job_release(ctx, &j);
        fprintf(stderr, "balance: out of memory\n");
        return EXIT_INTERNAL;
    }
    for (int k = 1; k < ny; k++) {
        double on = 0.0, pn = 0.0;
        for (int64_t r = 0; r < n; r++) {
            double ob = observed(&j, r, from + k), ob0 = observed(&j, r, from);
            double p = bal_projection_total(pr, k, r);
            ape[k * n + r] = 100.0 * (p - ob) / ob;
            sorted[r] = fabs(ape[k * n + r]);
            nsorted[r] = 100.0 * fabs(ob0 - ob) / ob;
            es[k].mape += sorted[r] / (double)n;
            es[k].naive_mape += nsorted[r] / (double)n;
            on += ob;
            pn += p;
        }
        qsort(sorted, (size_t)n, sizeof(double), cmp_double);
        qsort(nsorted, (size_t)n, sizeof(double), cmp_double);
        es[k].median = quantile(sorted, n, 0.5);
        es[k].p90 = quantile(sorted, n, 0.9);
        es[k].max = sorted[n - 1];
        es[k].naive_median = quantile(nsorted, n, 0.5);
        es[k].national = 100.0 * (pn - on) / on;
    }
    const int last = ny - 1;
    int64_t worst = 0;
    for (int64_t r = 1; r < n; r++)
        if (fabs(ape[last * n + r]) > fabs(ape[last * n + worst]))
            worst = r;
    const char *unit = muni ? "municipality" : "province";
    if (o.format == FMT_JSON) {
        json_t *root = json_object(), *years = json_array(), *regs = json_array();
        json_t *m = json_array(), *md = json_array(), *p90 = json_array(), *mx = json_array(),
               *nv = json_array(), *nmd = json_array(), *ne = json_array();
        int bad = !root || !years || !regs || !m || !md || !p90 || !mx || !nv || !nmd || !ne;
        for (int k = 1; k < ny && !bad; k++)
            bad = json_array_append_new(years, json_integer(from + k)) ||
                  json_array_append_new(m, json_real(es[k].mape)) ||
                  json_array_append_new(md, json_real(es[k].median)) ||
                  json_array_append_new(p90, json_real(es[k].p90)) ||
                  json_array_append_new(mx, json_real(es[k].max)) ||
                  json_array_append_new(nv, json_real(es[k].naive_mape)) ||
                  json_array_append_new(nmd, json_real(es[k].naive_median)) ||
                  json_array_append_new(ne, json_real(es[k].national));
        for (int64_t r = 0; r < n && !bad; r++) {
            json_t *o1 = json_object(), *e = json_array(), *obs = json_array(),
                   *proj = json_array();
            bad = !o1 || !e || !obs || !proj;
            for (int k = 1; k < ny && !bad; k++)
                bad = json_array_append_new(e, json_real(ape[k * n + r])) ||
                      json_array_append_new(obs, json_real(observed(&j, r, from + k))) ||
                      json_array_append_new(proj, json_real(bal_projection_total(pr, k, r)));
            bad = bad || json_object_set_new(o1, "code", json_string(R->r[off + r].code)) ||
                  json_object_set_new(o1, "name", json_string(R->r[off + r].name_en)) ||
                  json_object_set_new(o1, "observed", obs) ||
                  json_object_set_new(o1, "projected", proj) ||
                  json_object_set_new(o1, "error_pct", e) || json_array_append_new(regs, o1);
        }
        bad = bad || json_object_set_new(root, "level", json_string(muni ? "sigungu" : "sido")) ||
              json_object_set_new(root, "from", json_integer(from)) ||
              json_object_set_new(root, "to", json_integer(to)) ||
              json_object_set_new(root, "years", years) ||
              json_object_set_new(root, "mape_pct", m) ||
              json_object_set_new(root, "median_ape_pct", md) ||
              json_object_set_new(root, "p90_ape_pct", p90) ||
              json_object_set_new(root, "max_ape_pct", mx) ||
              json_object_set_new(root, "naive_constant_mape_pct", nv) ||
              json_object_set_new(root, "naive_constant_median_ape_pct", nmd) ||
              json_object_set_new(root, "national_error_pct", ne) ||
              json_object_set_new(root, "regions", regs) ||
              json_object_set_new(root, "worst_region",
                                  json_string(R->r[off + worst].code)) ||
              json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0;
        putchar('\n');
        json_decref(root);
        if (bad) {
            free(ape), free(sorted), free(nsorted), free(es);
            job_release(ctx, &j);
            fprintf(stderr, "balance: cannot build or write the JSON output\n");
            return EXIT_INTERNAL;
        }
    } else if (o.format == FMT_CSV) {
        printf("year,code,name,observed,projected,error_pct\n");
        for (int k = 1; k < ny; k++)
            for (int64_t r = 0; r < n; r++) {
                printf("%d,%s,", from + k, R->r[off + r].code);
                csv_field(R->r[off + r].name_en);
                printf(",%.0f,%.1f,%.4f\n", observed(&j, r, from + k),
                       bal_projection_total(pr, k, r), ape[k * n + r]);
            }
    } else {
        printf("Balance backtest (%s): start from the observed end-%d population, rates\n"
               "from data up to %d only (fertility %d, migration %d-%d, life table %d),\n"
               "projected to %d and compared with the observed year-end totals%s.\n",
               muni ? "229 sigungu" : "17 sido", from, from, j.rep.fert_year, j.rep.mig_year0,
               j.rep.mig_year1, j.rep.qx_year, to, muni ? " (residents)" : "");
        if (muni && j.mrep.resid_pairs > 0)
            printf("Within-province migration: residual of the sigungu tables %d-%d.\n",
                   j.mrep.resid_year0, j.mrep.resid_year1);
        else if (muni)
            printf("Within-province migration: none (%s).\n",
                   o.local_migration ? "no sigungu tables before the start" : "switched off");
        printf("\n");
        if (!muni) {
            char a[32], b[32];
            printf("%-4s %-18s %13s %13s %9s\n", "code", "province", "observed", "projected",
                   "error");
            for (int64_t r = 0; r < n; r++)
                printf("%-4s %-18s %13s %13s %+8.2f%%\n", R->r[r].code, R->r[r].name_en,
                       fmt_count(observed(&j, r, to), a, sizeof a),
                       fmt_count(bal_projection_total(pr, last, r), b, sizeof b),
                       ape[last * n + r]);
            printf("\n");
        }
        printf("Absolute percentage error of each %s's total, across the %lld %s:\n",
               unit, (long long)n, muni ? "municipalities" : "provinces");
        printf("%-6s %8s %8s %8s %8s %12s %12s %10s\n", "year", "mean", "median", "p90", "max",
               "naive mean", "naive median", "national");
        for (int k = 1; k < ny; k++)
            printf("%-6d %7.2f%% %7.2f%% %7.2f%% %7.2f%% %11.2f%% %11.2f%% %+9.2f%%\n", from + k,
                   es[k].mape, es[k].median, es[k].p90, es[k].max, es[k].naive_mape,
                   es[k].naive_median, es[k].national);
        printf("\nWorst %s in %d: %s (%s), %+.2f%%. Naive = population held at its\n"
               "%d value.\n",
               unit, to, R->r[off + worst].name_en, R->r[off + worst].code,
               ape[last * n + worst], from);
    }
    free(ape), free(sorted), free(nsorted), free(es);
    job_release(ctx, &j);
    return 0;
}

/* ---- calibrate ---- */

static const char *CALIBRATE_HELP =
    "Usage: balance calibrate [OPTIONS]\n"
    "\n"
    "Fit the migration model on the observed province-to-province flows by\n"
    "maximum likelihood (docs/model.md section 12): destination choice, as a\n"
    "gravity logit and as a pivot logit on pair constants, and the out-migration\n"
    "response of origins. Prints coefficients, standard errors (plain and\n"
    "scaled by the Pearson dispersion) and goodness of fit.\n"
    "\n"
    "Options:\n"
    "  --data DIR     data pack directory (default: data/kr)\n"
    "  --from YEAR    first flow year fitted (default: 2001; inputs of the year\n"
    "                 before each flow year are needed)\n"
    "  --to YEAR      last flow year fitted (default: 2020, the last observed)\n"
    "  --hindcast     fit on flows up to 2015 only, predict 2016-2020 and compare\n"
    "                 with the fixed-shares model (out of sample)\n"
    "  --write FILE   also write the fitted parameters as CSV (the data pack's\n"
    "                 migration_params.csv is this command's output)\n"
    "  -h, --help     show this help\n";

static void print_fit(const bal_mig_fit *f)
{
    printf("\n%s (flows %d-%d, %lld origin-years, %.0f movers, %d iterations)\n",
           bal_mig_spec_name(f->spec), f->year0, f->year1, (long long)f->nsit, f->movers,
           f->iterations);
    printf("  %-26s %12s %12s %12s\n", "coefficient", "estimate", "std.err", "quasi s.e.");
    if (f->spec == BAL_MIG_OUT)
        printf("  %-26s %12.6f %12.6f %12s\n", "trend (per decade)", f->trend, f->trend_se, "");
    for (int k = 0; k < f->k; k++)
        printf("  %-26s %12.6f %12.6f %12.6f\n", f->names[k], f->coef[k], f->se[k],
               f->se_quasi[k]);
    if (f->spec != BAL_MIG_OUT)
        printf("  log-likelihood %.1f, null (equal shares) %.1f, McFadden rho2 %.4f\n", f->ll,
               f->ll_null, 1.0 - f->ll / f->ll_null);
    printf("  Pearson dispersion %.1f (cells %lld, parameters %lld)\n", f->dispersion,
           (long long)f->ncells, (long long)f->nparams);
}

static void print_young(const bal_mig_young *y)
{
    printf("\nage response (population_age5.csv, year pairs from %d to %d, %d province-years,\n"
           "%d province(s) founded inside the panel left out)\n",
           y->year0, y->year1 + 1, y->nobs, y->nexcluded);
    printf("  within slopes on log GRDP per capita (rel.): ages 20-34 %.6f, others %.6f\n",
           y->b_young, y->b_other);
    printf("  %-26s %12s %12s\n", "parameter", "estimate", "robust s.e.");
    printf("  %-26s %12.6f %12.6f\n", "young_response_ratio", y->s, y->s_se);
    printf("  %-26s %12.6f %12.6f\n", "young_scale", y->k, y->k_se);
    printf("  %-26s %12.6f\n", "young_mover_share", y->w);
    printf("  (young_scale = ratio / %.4f, the age profile's gross-intensity ratio)\n",
           y->m_ratio);
}

static int write_params(const char *path, const bal_mig_fit *const *fits, int n, int y0, int y1,
                        const bal_mig_young *yg)
{
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    fprintf(f, "model,parameter,estimate,std_error,quasi_std_error,fit_from,fit_to\n");
    for (int i = 0; i < n; i++) {
        const bal_mig_fit *x = fits[i];
        if (x->spec == BAL_MIG_OUT)
            fprintf(f, "%s,trend_per_decade,%.10g,%.10g,,%d,%d\n", bal_mig_spec_name(x->spec),
                    x->trend, x->trend_se, y0, y1);
        for (int k = 0; k < x->k; k++)
            fprintf(f, "%s,%s,%.10g,%.10g,%.10g,%d,%d\n", bal_mig_spec_name(x->spec), x->names[k],
                    x->coef[k], x->se[k], x->se_quasi[k], y0, y1);
    }
    fprintf(f, "age,young_response_ratio,%.10g,%.10g,,%d,%d\n", yg->s, yg->s_se, yg->year0,
            yg->year1 + 1);
    fprintf(f, "age,young_scale,%.10g,%.10g,,%d,%d\n", yg->k, yg->k_se, yg->year0,
            yg->year1 + 1);
    fprintf(f, "age,young_mover_share,%.10g,,,%d,%d\n", yg->w, yg->year0, yg->year1 + 1);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

static int cmd_calibrate(bal_ctx *ctx, int argc, char **argv)
{
    const char *data = "data/kr", *write = NULL;
    int y0 = 2001, y1 = 2020, hind = 0;
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"hindcast", no_argument, NULL, 'H'},
                                         {"write", required_argument, NULL, 'w'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(CALIBRATE_HELP, stdout); return 0;
        case 'd': data = optarg; break;
        case 'f':
            if (parse_int(optarg, 1971, 2100, &y0))
                return usage_error("calibrate", "--from: not a flow year: '%s'", optarg);
            break;
        case 't':
            if (parse_int(optarg, 1971, 2100, &y1))
                return usage_error("calibrate", "--to: not a flow year: '%s'", optarg);
            break;
        case 'H': hind = 1; break;
        case 'w': write = optarg; break;
        default: return bad_option("calibrate", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("calibrate", "unexpected argument '%s'", argv[optind]);
    if (y1 < y0)
        return usage_error("calibrate", "--to must not be before --from%s", "");
    bal_datapack pk;
    int st = bal_datapack_load(ctx, data, &pk);
    if (st)
        return report(ctx);
    if (hind) {
        bal_mig_hind h;
        st = bal_mig_hindcast(ctx, &pk, 2015, 2016, 2020, &h);
        if (st == BAL_OK) {
            printf("Migration hindcast: fitted on flows 2001-2015, predicting the destination\n"
                   "shares of 2016-2020 given each origin's observed out-migrants.\n");
            print_fit(&h.gravity);
            print_fit(&h.pivot);
            printf("\n%-6s %28s %34s\n", "year", "flow error (WAPE %)",
                   "log-likelihood per mover");
            printf("%-6s %9s %9s %9s %11s %11s %11s\n", "", "fixed", "gravity", "pivot", "fixed",
                   "gravity", "pivot");
            for (int k = 0; k <= h.year1 - h.year0; k++)
                printf("%-6d %8.2f%% %8.2f%% %8.2f%% %11.4f %11.4f %11.4f\n", h.year0 + k,
                       h.wape[0][k], h.wape[1][k], h.wape[2][k], h.llpm[0][k], h.llpm[1][k],
                       h.llpm[2][k]);
            printf("\nfixed = pooled shares 2011-2015 (the foundation model); WAPE = sum of\n"
                   "|predicted - observed| flows over all movers.\n");
        }
    } else {
        bal_mig_fit g, pv, o;
        bal_mig_young yg;
        bal_calib_opts co;
        bal_calib_opts_default(&co, &pk);
        st = bal_mig_fit_run(ctx, &pk, BAL_MIG_GRAVITY, y0, y1, &g);
        if (st == BAL_OK)
            st = bal_mig_fit_run(ctx, &pk, BAL_MIG_PIVOT, y0, y1, &pv);
        if (st == BAL_OK)
            st = bal_mig_fit_run(ctx, &pk, BAL_MIG_OUT, y0, y1, &o);
        if (st == BAL_OK)
            st = bal_mig_young_fit(ctx, &pk, &co.rc, &yg);
        if (st == BAL_OK) {
            printf("Migration model, maximum likelihood on the province flows (data: %s)\n", data);
            print_fit(&g);
            print_fit(&pv);
            print_fit(&o);
            print_young(&yg);
            const bal_mig_fit *all[3] = {&g, &pv, &o};
            if (write && write_params(write, all, 3, g.year0, g.year1, &yg) != 0)
                st = bal_raise(ctx, BAL_EIO, write, 0, "cannot write the parameter file: %s",
                               strerror(errno));
            else if (write)
                printf("\nParameters written to %s\n", write);
        }
    }
    bal_datapack_release(ctx, &pk);
    return st ? report(ctx) : 0;
}

/* ---- compare ---- */

static const char *scn_name(const bal_scn_result *r)
{
    return r->sc ? r->sc->name : "status_quo (baseline)";
}

static int cmd_compare(bal_ctx *ctx, int argc, char **argv)
{
    const char *data = "data/kr", *out = "out";
    int level = BAL_LEVEL_SIGUNGU, store = 1;
    enum fmt format = FMT_TABLE;
    static const struct option opts[] = {{"data", required_argument, NULL, 'd'},
                                         {"level", required_argument, NULL, 'l'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"out", required_argument, NULL, 'o'},
                                         {"no-store", no_argument, NULL, 'n'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(COMPARE_HELP, stdout); return 0;
        case 'd': data = optarg; break;
        case 'o': out = optarg; break;
        case 'n': store = 0; break;
        case 'l':
            if (parse_level(optarg, &level))
                return usage_error("compare", "--level: expected sido or sigungu, not '%s'", optarg);
            break;
        case 'f':
            if (parse_format(optarg, &format))
                return usage_error("compare", "--format: expected table, csv or json, not '%s'",
                                   optarg);
            break;
        default: return bad_option("compare", c, argv);
        }
    }
    int n = argc - optind;
    if (n < 1)
        return usage_error("compare", "no scenario file given (e.g. scenarios/*.yaml)%s", "");
    if (n > 32)
        return usage_error("compare", "at most 32 scenarios%s", "");
    bal_datapack pk;
    int st = bal_datapack_load(ctx, data, &pk);
    if (st == BAL_OK && level == BAL_LEVEL_SIGUNGU)
        st = bal_datapack_load_municipal(ctx, &pk);
    if (st) {
        bal_datapack_release(ctx, &pk);
        return report(ctx);
    }
    bal_scenario *sc = bal_calloc(ctx, (size_t)n, sizeof *sc);
    bal_scn_result *res = bal_calloc(ctx, (size_t)n + 1, sizeof *res);
    if (sc == NULL || res == NULL)
        st = BAL_ENOMEM;
    for (int i = 0; st == BAL_OK && i < n; i++) {
        st = bal_scenario_load(ctx, argv[optind + i], &pk, &sc[i]);
        for (int j = 0; st == BAL_OK && j < i; j++)
            if (strcmp(sc[j].name, sc[i].name) == 0)
                st = bal_raise(ctx, BAL_EDATA, argv[optind + i], 0,
                               "name: '%s' is also the name of %s", sc[i].name, argv[optind + j]);
    }
    /* a file that sets no lever is the status quo: the baseline [0] itself,
       not run or listed a second time */
    const char *same[32];
    int nsame = 0, nrun = 0;
    for (int i = 0; st == BAL_OK && i < n; i++) {
        if (bal_scenario_is_status_quo(&sc[i]))
            same[nsame++] = argv[optind + i];
        else
            sc[nrun++] = sc[i];
    }
    if (st == BAL_OK) {
        n = nrun;
        if (format == FMT_TABLE)
            fprintf(stderr, "balance: running the status quo and %d scenario(s) at %s level...\n",
                    n, level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido");
        st = bal_compare_run(ctx, &pk, level, sc, n, res);
    }
    /* the years shown: the data pack's report years */
    const int *YEARS = pk.vintage.report_years, NY = pk.vintage.nreport;
    if (st == BAL_OK && format == FMT_TABLE) {
        printf("Balance — policy scenarios against the status quo, %s level (docs/model.md §14)\n",
               level == BAL_LEVEL_SIGUNGU ? "municipal" : "provincial");
        for (int i = 0; i <= n; i++)
            printf("  [%d] %s%s%s\n", i, scn_name(&res[i]), res[i].sc && res[i].sc->description[0]
                                                               ? ": " : "",
                   res[i].sc ? res[i].sc->description : "");
        for (int i = 0; i < nsame; i++)
            printf("  (%s sets no lever: it is the baseline [0], not run again)\n", same[i]);
        int ids[BAL_NIND_ALL];
        const int nq = bal_compare_indicators(ids, BAL_NIND_ALL);
        for (int q = 0; q < nq; q++) {
            const int ind = ids[q];
            if ((ind == BAL_IND_AT_RISK || ind == BAL_IND_HIGH_RISK) && level != BAL_LEVEL_SIGUNGU)
                continue;
            char title[128];
            printf("\n%-40s", bal_indicator_title(ind, title, sizeof title));
            for (int i = 0; i <= n; i++)
                printf(" %11s%d]", "[", i);
            for (int y = 0; y < NY; y++) {
                printf("\n  %-38d", YEARS[y]);
                for (int i = 0; i <= n; i++) {
                    char b[48];
                    printf(" %13s", fmt_shown(bal_compare_value(&res[i], ind, YEARS[y]), ind, b,
                                              sizeof b));
                }
            }
            printf("\n");
        }
        for (int i = 1; i <= n; i++)
            for (int u = 0; u < res[i].sc->nunions; u++) {
                const bal_union *un = &res[i].sc->unions[u];
                char a[32], b[32];
                printf("\n[%d] union %s, population (status quo -> scenario):", i, un->name);
                for (int y = 0; y < NY; y++)
                    printf(" %d %s -> %s", YEARS[y], fmt_count(bal_union_population(&res[0], un, YEARS[y]), a,
                                                              sizeof a),
                           fmt_count(bal_union_population(&res[i], un, YEARS[y]), b, sizeof b));
                printf("\n");
            }
    } else if (st == BAL_OK && format == FMT_CSV) {
        printf("scenario,indicator,year,value\n");
        int ids[BAL_NIND_ALL];
        const int nq = bal_compare_indicators(ids, BAL_NIND_ALL);
        for (int i = 0; i <= n; i++)
            for (int q = 0; q < nq; q++)
                for (int y = 0; y < NY; y++) {
                    const double v = bal_compare_value(&res[i], ids[q], YEARS[y]);
                    csv_field(i == 0 ? "status_quo" : res[i].sc->name);
                    printf(",%s,%d,", bal_indicator_name(ids[q]), YEARS[y]);
                    if (!isnan(v))
                        printf("%.*f", bal_indicators[ids[q]].precision, v);
                    printf("\n");
                }
    } else if (st == BAL_OK) {
        json_t *root = bal_compare_json(res, n, &pk, level);
        if (root == NULL)
            st = bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory building JSON");
        else if (json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(BAL_WRITE_DIGITS)) != 0)
            st = bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write JSON output");
        putchar('\n');
        json_decref(root);
    }
    if (st == BAL_OK && store) {
        char db[1100], cmdline[1024];
        st = store_path(ctx, out, db, sizeof db);
        command_line(argc, argv, cmdline, sizeof cmdline);
        for (int i = 0; st == BAL_OK && i <= n; i++) {
            int64_t id;
            bal_run_info info = {cmdline, data, i == 0 ? "status_quo" : res[i].sc->name, NULL, 0};
            st = bal_store_write(ctx, db, &info, &pk.regions, &res[i].report, &id);
            if (st == BAL_OK && format == FMT_TABLE && (i == 0 || i == n))
                printf("%s run %lld in %s\n", i == 0 ? "\nStored: first" : "Stored: last",
                       (long long)id, db);
        }
    }
    for (int i = 0; res && i <= n; i++)
        bal_scn_result_release(ctx, &res[i]);
    bal_free(ctx, res);
    bal_free(ctx, sc);
    bal_datapack_release(ctx, &pk);
    return st ? report(ctx) : 0;
}

static const char *LEVERS_HELP =
    "Usage: balance levers [--format table|json|md]\n"
    "\n"
    "Every setting a scenario file may give (docs/scenarios.md), from the lever\n"
    "table of the library: YAML path, type, default, range, unit, policy family\n"
    "and the docs/model.md section that documents its channel. Settings marked\n"
    "'pending' are read and checked but have no channel yet (the reason is given).\n"
    "\n"
    "Options:\n"
    "  --format F     table (default), json (the same as GET /api/levers) or md\n"
    "                 (the Markdown table of docs/scenarios.md: make docs)\n"
    "  -h, --help     show this help\n";

static void print_default(const bal_lever *lv, char *buf, size_t n)
{
    if ((lv->kind == BAL_LK_NUMBER || lv->kind == BAL_LK_YEAR) && !lv->def_after &&
        !isnan(lv->def))
        snprintf(buf, n, "%g", lv->def);
    else
        snprintf(buf, n, "%s", lv->def_text ? lv->def_text : "");
}

static int cmd_levers(int argc, char **argv)
{
    enum fmt format = FMT_TABLE;
    int md = 0;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(LEVERS_HELP, stdout); return 0;
        case 'f':
            md = strcmp(optarg, "md") == 0;
            if (!md && (parse_format(optarg, &format) || format == FMT_CSV))
                return usage_error("levers", "--format: expected table, json or md, not '%s'",
                                   optarg);
            break;
        default: return bad_option("levers", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("levers", "unexpected argument '%s'", argv[optind]);
    if (format == FMT_JSON) {
        json_t *j = bal_levers_json();
        const int bad = j == NULL || json_dumpf(j, stdout, JSON_INDENT(1)) != 0;
        json_decref(j);
        putchar('\n');
        if (bad) {
            fprintf(stderr, "balance: cannot write the lever table\n");
            return EXIT_INTERNAL;
        }
        return 0;
    }
    if (md) {
        printf("| Setting | Type | Default | Range | Unit | Channel | What it is |\n"
               "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < bal_nlevers; i++) {
            const bal_lever *lv = &bal_levers[i];
            char def[64], range[48] = "";
            print_default(lv, def, sizeof def);
            if (lv->kind == BAL_LK_NUMBER)
                snprintf(range, sizeof range, "%g–%g", lv->lo, lv->hi);
            else if (lv->kind == BAL_LK_YEAR)
                snprintf(range, sizeof range, "base year–year_max of vintage.csv");
            printf("| `%s` | %s | %s | %s | %s | %s%s | %s%s%s |\n", lv->path,
                   bal_lever_kind_name(lv->kind), def, range, lv->unit, lv->doc[0] ? "§" : "",
                   lv->doc, lv->label, lv->pending ? ". **Pending:** " : "",
                   lv->pending ? lv->pending : "");
        }
        return 0;
    }
    printf("Balance — scenario settings (docs/scenarios.md; channels: docs/model.md section)\n\n");
    printf("%-52s %-12s %-24s %-17s %-6s %s\n", "setting (YAML path)", "type", "default", "range",
           "model", "unit");
    int npending = 0;
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        char def[64], range[48] = "";
        print_default(lv, def, sizeof def);
        if (lv->kind == BAL_LK_NUMBER)
            snprintf(range, sizeof range, "%g..%g", lv->lo, lv->hi);
        else if (lv->kind == BAL_LK_YEAR)
            snprintf(range, sizeof range, "the data's years");
        printf("%-52s %-12s %-24s %-17s %-6s %s%s\n", lv->path, bal_lever_kind_name(lv->kind),
               def, range, lv->doc[0] ? lv->doc : "-", lv->unit, lv->pending ? " [pending]" : "");
        npending += lv->pending != NULL;
    }
    printf("\n%d settings; %d pending (read and checked, no channel yet):\n", bal_nlevers,
           npending);
    for (int i = 0; i < bal_nlevers; i++)
        if (bal_levers[i].pending)
            printf("  %s: %s\n", bal_levers[i].path, bal_levers[i].pending);
    return 0;
}

static const char *INDICATORS_HELP =
    "Usage: balance indicators [--format table|json|md]\n"
    "\n"
    "Every indicator Balance reports, from the indicator table of the library:\n"
    "name (JSON, CSV, SQLite), unit, label, decimals written, how a province or\n"
    "the nation follows from its units, where it is defined.\n"
    "\n"
    "Options:\n"
    "  --format F     table (default), json (GET /api/indicators) or md (the table of\n"
    "                 docs/model.md section 10: make docs)\n"
    "  -h, --help     show this help\n";

static int cmd_indicators(int argc, char **argv)
{
    enum fmt format = FMT_TABLE;
    int md = 0;
    static const struct option opts[] = {{"format", required_argument, NULL, 'f'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(INDICATORS_HELP, stdout); return 0;
        case 'f':
            md = strcmp(optarg, "md") == 0;
            if (!md && (parse_format(optarg, &format) || format == FMT_CSV))
                return usage_error("indicators", "--format: expected table, json or md, not '%s'",
                                   optarg);
            break;
        default: return bad_option("indicators", c, argv);
        }
    }
    if (optind < argc)
        return usage_error("indicators", "unexpected argument '%s'", argv[optind]);
    static const char *const AGG[] = {"sum", "ratio", "national"};
    if (format == FMT_JSON) {
        json_t *j = bal_indicators_json();
        const int bad = j == NULL || json_dumpf(j, stdout, JSON_INDENT(1)) != 0;
        json_decref(j);
        putchar('\n');
        if (bad) {
            fprintf(stderr, "balance: cannot write the indicator table\n");
            return EXIT_INTERNAL;
        }
        return 0;
    }
    if (md) {
        printf("| Name | Unit | Label | 한국어 | Decimals | Aggregation | Where |\n"
               "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < BAL_NIND_ALL; i++) {
            const bal_indicator_def *d = &bal_indicators[i];
            const int plain = strcmp(d->rule, "sum") == 0;
            printf("| `%s` | %s | %s | %s | %d | %s%s%s | %s |\n", d->name, d->unit, d->label,
                   d->label_ko, d->precision, AGG[d->agg], plain ? "" : ": ",
                   plain ? "" : d->rule, d->where);
        }
        return 0;
    }
    printf("Balance — indicators (docs/model.md section 10)\n\n%-30s %-26s %-8s %-9s %s\n",
           "name", "unit", "decimals", "agg.", "label");
    for (int i = 0; i < BAL_NIND_ALL; i++) {
        const bal_indicator_def *d = &bal_indicators[i];
        printf("%-30s %-26s %-8d %-9s %s\n", d->name, d->unit, d->precision, AGG[d->agg],
               d->label);
    }
    return 0;
}

/* `balance serve` runs the web server, a separate program next to this one
   (build/balance-serve): only it links the HTTP library. */
static int cmd_serve(char **argv)
{
    char self[PATH_MAX], path[PATH_MAX + 16];
    const ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        fprintf(stderr, "balance serve: cannot find the balance program's folder\n");
        return EXIT_INTERNAL;
    }
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (slash)
        *slash = '\0';
    snprintf(path, sizeof path, "%s/balance-serve", self);
    argv[0] = path;
    execv(path, argv);
    fprintf(stderr, "balance serve: cannot run %s: %s (build it: make build/balance-serve)\n",
            path, strerror(errno));
    return EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
    bal_gsl_init(); /* numerical failures are statuses, never an abort */
    if (argc < 2) {
        fputs(MAIN_HELP, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
        fputs(MAIN_HELP, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("balance %s\n", VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        if (argc < 3)
            fputs(MAIN_HELP, stdout);
        else if (strcmp(argv[2], "project") == 0)
            fputs(PROJECT_HELP, stdout);
        else if (strcmp(argv[2], "backtest") == 0)
            fputs(BACKTEST_HELP, stdout);
        else if (strcmp(argv[2], "calibrate") == 0)
            fputs(CALIBRATE_HELP, stdout);
        else if (strcmp(argv[2], "compare") == 0)
            fputs(COMPARE_HELP, stdout);
        else if (strcmp(argv[2], "levers") == 0)
            fputs(LEVERS_HELP, stdout);
        else if (strcmp(argv[2], "indicators") == 0)
            fputs(INDICATORS_HELP, stdout);
        else if (strcmp(argv[2], "serve") == 0) {
            char *args[] = {argv[2], (char *)"--help", NULL};
            return cmd_serve(args);
        }
        else
            return usage_error("help", "unknown command '%s'", argv[2]);
        return 0;
    }
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL) {
        fprintf(stderr, "balance: out of memory\n");
        return EXIT_INTERNAL;
    }
    int rc;
    if (strcmp(cmd, "project") == 0)
        rc = cmd_project(ctx, argc - 1, argv + 1);
    else if (strcmp(cmd, "backtest") == 0)
        rc = cmd_backtest(ctx, argc - 1, argv + 1);
    else if (strcmp(cmd, "calibrate") == 0)
        rc = cmd_calibrate(ctx, argc - 1, argv + 1);
    else if (strcmp(cmd, "compare") == 0)
        rc = cmd_compare(ctx, argc - 1, argv + 1);
    else if (strcmp(cmd, "serve") == 0)
        rc = cmd_serve(argv + 1);
    else if (strcmp(cmd, "levers") == 0)
        rc = cmd_levers(argc - 1, argv + 1);
    else if (strcmp(cmd, "indicators") == 0)
        rc = cmd_indicators(argc - 1, argv + 1);
    else {
        fprintf(stderr, "balance: unknown command '%s'\nTry 'balance --help'.\n", cmd);
        rc = EXIT_USAGE;
    }
    bal_ctx_free(ctx);
    return rc;
}
