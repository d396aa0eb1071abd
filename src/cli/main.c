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
#include "balance/store.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
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
} options;

static const char *MAIN_HELP =
    "Balance — a simulator of South Korea's regional development policies.\n"
    "\n"
    "Usage: balance COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  project    project the population of the 17 provinces (sido) year by year\n"
    "  backtest   start from an earlier observed year, project to the latest\n"
    "             observed year and report the error per province\n"
    "  help CMD   show the options of a command\n"
    "\n"
    "Options:\n"
    "  -h, --help     show this help\n"
    "  --version      show the version\n"
    "\n"
    "Examples:\n"
    "  balance project                      # mid-2025 to 2052, table on stdout\n"
    "  balance project --format json --to 2040\n"
    "  balance backtest --from 2015\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or bad data, 1 internal failure.\n";

static const char *PROJECT_HELP =
    "Usage: balance project [OPTIONS]\n"
    "\n"
    "Multiregional cohort-component projection of the 17 provinces by sex and\n"
    "single year of age (0..100+), in yearly steps, on the data pack's observed\n"
    "rates (docs/model.md). Results go to stdout and to a SQLite database.\n"
    "\n"
    "Options:\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --from YEAR        start year (default: 2025, the end-June 2025 base population;\n"
    "                     2013..2023 start from that year's observed year-end\n"
    "                     population, with rates estimated from data up to then)\n"
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
    "                     most recent years of flows pooled for migration rates (default: 5)\n"
    "  -h, --help         show this help\n";

static const char *BACKTEST_HELP =
    "Usage: balance backtest [OPTIONS]\n"
    "\n"
    "Start from the observed year-end population of --from, estimate every rate\n"
    "from data up to that year only, project to --to and compare each province's\n"
    "projected total with the observed year-end total of every year.\n"
    "\n"
    "Options:\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --from YEAR        start year (default: 2015)\n"
    "  --to YEAR          last year compared (default: latest observed)\n"
    "  --format FMT       table (default), csv or json\n"
    "  --mortality-improvement S, --migration-window N   as for project\n"
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
       OPT_IMPROVE, OPT_WINDOW };

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
            if (strcmp(optarg, "table") == 0)
                o->format = FMT_TABLE;
            else if (strcmp(optarg, "csv") == 0)
                o->format = FMT_CSV;
            else if (strcmp(optarg, "json") == 0)
                o->format = FMT_JSON;
            else
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
            if (parse_int(optarg, 1, 30, &o->mig_window))
                return usage_error(cmd, "--migration-window: expected 1..30 years, not '%s'",
                                   optarg);
            break;
        case ':': return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
        default: return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
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
    bal_demog_params params;
    bal_calib_report rep;
    bal_projection proj;
    double *pop0;
    bal_run_param facts[24];
    int nfacts;
} job;

static void job_release(bal_ctx *ctx, job *j)
{
    bal_projection_release(ctx, &j->proj);
    bal_calib_report_release(ctx, &j->rep);
    bal_demog_params_release(ctx, &j->params);
    bal_free(ctx, j->pop0);
    bal_datapack_release(ctx, &j->pack);
}

static void fact(job *j, const char *key, double v)
{
    if (j->nfacts < (int)(sizeof j->facts / sizeof j->facts[0]))
        j->facts[j->nfacts++] = (bal_run_param){key, v};
}

static int run_job(bal_ctx *ctx, const options *o, int from, int to, job *j)
{
    int st = bal_datapack_load(ctx, o->data, &j->pack);
    if (st)
        return st;
    const int64_t ns = j->pack.nsido;
    j->pop0 = bal_malloc(ctx, (size_t)(ns * BAL_CELLS) * sizeof(double));
    if (j->pop0 == NULL)
        return BAL_ENOMEM;
    bal_calib_opts co;
    bal_calib_opts_default(&co);
    if (from == j->pack.base_year) {
        memcpy(j->pop0, j->pack.base_pop, (size_t)(ns * BAL_CELLS) * sizeof(double));
        co.base_time = from + (double)j->pack.base_month / 12.0;
    } else {
        if (from > j->pack.base_year)
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d is after the base year %d of the data", from,
                             j->pack.base_year);
        if ((st = bal_pop_from_bands(ctx, &j->pack, from, j->pop0)))
            return bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                             "--from %d: the data has no complete year-end population by age "
                             "for that year (use 2013..%d, or %d for the base)",
                             from, j->pack.pop5.year0 + j->pack.pop5.nyears - 1,
                             j->pack.base_year);
        co.base_time = from + 1.0;
    }
    co.base_year = from;
    co.improve_scale = o->improve_scale;
    co.mig_window = o->mig_window;
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
    if ((st = bal_project(ctx, &j->params, j->pop0, to, &j->proj)))
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
    return BAL_OK;
}

/* ---- project ---- */

static void print_table(const job *j, const options *o, int64_t run_id, const char *db)
{
    const bal_projection *pr = &j->proj;
    const bal_regions *R = &j->pack.regions;
    const int last = pr->nyears - 1;
    const int y0 = pr->year0, y1 = pr->year0 + last;
    char a[32], b[32], c[32];
    printf("Balance — population projection of the 17 provinces (sido), %d to %d\n", y0, y1);
    if (y0 == j->pack.base_year)
        printf("Start: registered population at end-June %d (data: %s)\n", y0, o->data);
    else
        printf("Start: registered population at end-December %d (data: %s)\n", y0, o->data);
    printf("Assumptions: fertility of %d (national TFR %.3f)%s; mortality of the %d\n"
           "life table, improving as in UN WPP %d-%02d to %d-%02d (x %.2f); internal migration\n"
           "rates and destinations of %d-%d; net international migration as observed %d-%d.\n"
           "(docs/model.md; data/kr/ASSUMPTIONS.md)\n\n",
           j->rep.fert_year, j->rep.tfr_national,
           j->params.tfr_target > 0 ? ", moving to the TFR target" : " held constant",
           j->rep.qx_year, j->rep.wpp_period0, (j->rep.wpp_period0 + 5) % 100,
           j->rep.wpp_period1, (j->rep.wpp_period1 + 5) % 100,
           j->params.improve_scale, j->rep.mig_year0, j->rep.mig_year1, j->rep.mig_year0,
           j->rep.mig_year1);
    char h0[16], h1[16], hs[16];
    snprintf(h0, sizeof h0, "pop %d", y0);
    snprintf(h1, sizeof h1, "pop %d", y1);
    snprintf(hs, sizeof hs, "share %d", y1);
    printf("%-4s %-18s %13s %13s %12s %8s %10s\n", "code", "province", h0, h1, "change",
           "change", hs);
    const double nat0 = bal_projection_total(pr, 0, -1), nat1 = bal_projection_total(pr, last, -1);
    for (int64_t r = 0; r < pr->nreg; r++) {
        double p0 = bal_projection_total(pr, 0, r), p1 = bal_projection_total(pr, last, r);
        printf("%-4s %-18s %13s %13s %12s %+7.1f%% %9.2f%%\n", R->r[r].code, R->r[r].name_en,
               fmt_count(p0, a, sizeof a), fmt_count(p1, b, sizeof b),
               fmt_count(p1 - p0, c, sizeof c), 100.0 * (p1 - p0) / p0, 100.0 * p1 / nat1);
    }
    printf("%-4s %-18s %13s %13s %12s %+7.1f%% %9.2f%%\n", "00", "Korea",
           fmt_count(nat0, a, sizeof a), fmt_count(nat1, b, sizeof b),
           fmt_count(nat1 - nat0, c, sizeof c), 100.0 * (nat1 - nat0) / nat0, 100.0);
    printf("\nCapital region (Seoul + Incheon + Gyeonggi), share of the population:\n ");
    for (int k = 0; k <= last; k++) {
        int y = y0 + k;
        if (k == 0 || k == last || (y % 10 == 5 && y0 % 10 == 5) || (y0 % 10 != 5 && y % 10 == 0))
            printf(" %d %.2f%%", y, bal_projection_capital_share(pr, R, k));
    }
    printf("\n");
    if (run_id > 0)
        printf("\nStored as run %lld in %s\n", (long long)run_id, db);
}

static int cmd_project(bal_ctx *ctx, int argc, char **argv)
{
    options o;
    int rc = parse_options("project", PROJECT_HELP, 0, argc, argv, &o);
    if (rc >= 0)
        return rc;
    job j;
    memset(&j, 0, sizeof j);
    const int from = o.from_set ? o.from : 2025;
    const int to = o.to_set ? o.to : 2052;
    int st = run_job(ctx, &o, from, to, &j);
    char db[1100] = "";
    int64_t run_id = 0;
    if (st == BAL_OK && o.store) {
        snprintf(db, sizeof db, "%s/balance.db", o.out);
        if (mkdir_p(o.out) != 0)
            st = bal_raise(ctx, BAL_ESTORE, NULL, 0, "cannot create output directory '%s': %s",
                           o.out, strerror(errno));
        else {
            char cmdline[1024] = "balance";
            size_t n = strlen(cmdline);
            for (int i = 1; i < argc && n < sizeof cmdline - 1; i++)
                n += (size_t)snprintf(cmdline + n, sizeof cmdline - n, " %s", argv[i]);
            bal_run_info info = {cmdline, o.data, "status_quo", j.facts, j.nfacts};
            st = bal_store_write(ctx, db, &info, &j.pack.regions, &j.proj, &run_id);
        }
    }
    if (st == BAL_OK) {
        if (o.format == FMT_JSON)
            st = bal_export_json(ctx, stdout, &j.pack.regions, &j.proj, j.facts, j.nfacts);
        else if (o.format == FMT_CSV)
            st = bal_export_csv(ctx, stdout, &j.pack.regions, &j.proj);
        else
            print_table(&j, &o, run_id, db);
    }
    rc = st ? report(ctx) : 0;
    job_release(ctx, &j);
    return rc;
}

/* ---- backtest ---- */

static int cmd_backtest(bal_ctx *ctx, int argc, char **argv)
{
    options o;
    int rc = parse_options("backtest", BACKTEST_HELP, 1, argc, argv, &o);
    if (rc >= 0)
        return rc;
    job j;
    memset(&j, 0, sizeof j);
    const int from = o.from_set ? o.from : 2015;
    int st = bal_datapack_load(ctx, o.data, &j.pack);
    int to = 0;
    if (st == BAL_OK) {
        to = o.to_set ? o.to : j.pack.pop_total.year0 + j.pack.pop_total.nyears - 1;
        if (to <= from || to > j.pack.pop_total.year0 + j.pack.pop_total.nyears - 1)
            st = bal_raise(ctx, BAL_EUSAGE, NULL, 0,
                           "--to must be after --from and at most %d, the last observed year",
                           j.pack.pop_total.year0 + j.pack.pop_total.nyears - 1);
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
    const int64_t n = pr->nreg;
    const int ny = pr->nyears;
    /* errors per year and province; naive benchmark: population held constant */
    double *ape = calloc((size_t)(ny * n), sizeof(double));
    double *mape = calloc((size_t)ny, sizeof(double));
    double *naive = calloc((size_t)ny, sizeof(double));
    double *nat_err = calloc((size_t)ny, sizeof(double));
    if (!ape || !mape || !naive || !nat_err) {
        free(ape), free(mape), free(naive), free(nat_err);
        job_release(ctx, &j);
        fprintf(stderr, "balance: out of memory\n");
        return EXIT_INTERNAL;
    }
    const double *obs0 = bal_yearly_at(&j.pack.pop_total, from);
    for (int k = 1; k < ny; k++) {
        const double *obs = bal_yearly_at(&j.pack.pop_total, from + k);
        double on = 0.0, pn = 0.0;
        for (int64_t r = 0; r < n; r++) {
            double p = bal_projection_total(pr, k, r);
            ape[k * n + r] = 100.0 * (p - obs[r]) / obs[r];
            mape[k] += fabs(ape[k * n + r]) / (double)n;
            naive[k] += 100.0 * fabs(obs0[r] - obs[r]) / obs[r] / (double)n;
            on += obs[r];
            pn += p;
        }
        nat_err[k] = 100.0 * (pn - on) / on;
    }
    const int last = ny - 1;
    int64_t worst = 0;
    for (int64_t r = 1; r < n; r++)
        if (fabs(ape[last * n + r]) > fabs(ape[last * n + worst]))
            worst = r;
    const double *obsL = bal_yearly_at(&j.pack.pop_total, to);
    if (o.format == FMT_JSON) {
        json_t *root = json_object(), *years = json_array(), *m = json_array(), *nv = json_array(),
               *ne = json_array(), *regs = json_array();
        json_object_set_new(root, "from", json_integer(from));
        json_object_set_new(root, "to", json_integer(to));
        for (int k = 1; k < ny; k++) {
            json_array_append_new(years, json_integer(from + k));
            json_array_append_new(m, json_real(mape[k]));
            json_array_append_new(nv, json_real(naive[k]));
            json_array_append_new(ne, json_real(nat_err[k]));
        }
        json_object_set_new(root, "years", years);
        json_object_set_new(root, "mape_pct", m);
        json_object_set_new(root, "naive_constant_mape_pct", nv);
        json_object_set_new(root, "national_error_pct", ne);
        for (int64_t r = 0; r < n; r++) {
            json_t *o1 = json_object(), *e = json_array(), *obs = json_array(),
                   *proj = json_array();
            for (int k = 1; k < ny; k++) {
                json_array_append_new(e, json_real(ape[k * n + r]));
                json_array_append_new(obs, json_real(bal_yearly_at(&j.pack.pop_total, from + k)[r]));
                json_array_append_new(proj, json_real(bal_projection_total(pr, k, r)));
            }
            json_object_set_new(o1, "code", json_string(R->r[r].code));
            json_object_set_new(o1, "name", json_string(R->r[r].name_en));
            json_object_set_new(o1, "observed", obs);
            json_object_set_new(o1, "projected", proj);
            json_object_set_new(o1, "error_pct", e);
            json_array_append_new(regs, o1);
        }
        json_object_set_new(root, "regions", regs);
        json_object_set_new(root, "worst_region", json_string(R->r[worst].code));
        json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10));
        putchar('\n');
        json_decref(root);
    } else if (o.format == FMT_CSV) {
        printf("year,code,name,observed,projected,error_pct\n");
        for (int k = 1; k < ny; k++)
            for (int64_t r = 0; r < n; r++)
                printf("%d,%s,%s,%.0f,%.1f,%.4f\n", from + k, R->r[r].code, R->r[r].name_en,
                       bal_yearly_at(&j.pack.pop_total, from + k)[r],
                       bal_projection_total(pr, k, r), ape[k * n + r]);
    } else {
        char a[32], b[32];
        printf("Balance backtest: start from the observed end-%d population, rates from\n"
               "data up to %d only (fertility %d, migration %d-%d, life table %d),\n"
               "projected to %d and compared with the observed year-end totals.\n\n",
               from, from, j.rep.fert_year, j.rep.mig_year0, j.rep.mig_year1, j.rep.qx_year,
               to);
        printf("%-4s %-18s %13s %13s %9s\n", "code", "province", "observed", "projected",
               "error");
        for (int64_t r = 0; r < n; r++)
            printf("%-4s %-18s %13s %13s %+8.2f%%\n", R->r[r].code, R->r[r].name_en,
                   fmt_count(obsL[r], a, sizeof a),
                   fmt_count(bal_projection_total(pr, last, r), b, sizeof b), ape[last * n + r]);
        printf("\n%-6s %10s %12s %14s\n", "year", "MAPE", "naive MAPE", "national error");
        for (int k = 1; k < ny; k++)
            printf("%-6d %9.2f%% %11.2f%% %+13.2f%%\n", from + k, mape[k], naive[k], nat_err[k]);
        printf("\nWorst province in %d: %s (%s), %+.2f%%. Naive = population held at its\n"
               "%d value.\n",
               to, R->r[worst].name_en, R->r[worst].code, ape[last * n + worst], from);
    }
    free(ape), free(mape), free(naive), free(nat_err);
    job_release(ctx, &j);
    return 0;
}

int main(int argc, char **argv)
{
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
    else {
        fprintf(stderr, "balance: unknown command '%s'\nTry 'balance --help'.\n", cmd);
        rc = EXIT_USAGE;
    }
    bal_ctx_free(ctx);
    return rc;
}
