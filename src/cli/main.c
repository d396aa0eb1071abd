/*
 * main.c — the `balance` command line: a thin layer over the library.
 *
 * It parses options (getopt_long), calls the engine, renders results and
 * picks the exit status: 0 success, 2 usage or data error, 1 anything else.
 * Errors are one line on stderr: `file:line: what is wrong` for data, or
 * `balance: what is wrong` otherwise.
 */
#include "cli.h"

#include "balance/core.h"
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/levers.h"
#include "balance/migage.h"
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
#include <signal.h>
#include <string.h>
#include <sys/stat.h>

#define VERSION "0.1.0"

static const char *MAIN_HELP =
    "Balance — a simulator of South Korea's regional development policies.\n"
    "\n"
    "Usage: balance COMMAND [OPTIONS]\n"
    "\n"
    "Commands:\n"
    "  project    project the population of the provinces (sido) or the\n"
    "             municipalities (sigungu) year by year, by sex and age\n"
    "  backtest   start from an earlier observed year, project to the latest\n"
    "             observed year and report the error per province or municipality\n"
    "  calibrate  fit the migration model on the observed flows (maximum\n"
    "             likelihood), or test it out of sample with --hindcast\n"
    "  compare    run policy scenarios (scenarios/*.yaml) against the status quo\n"
    "             and print them side by side in the data's report years\n"
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
    "  balance project                      # base year to horizon, table on stdout\n"
    "  balance project --format json --to 2040\n"
    "  balance project --level sigungu      # municipalities, local-extinction risk\n"
    "  balance project --region 47940       # one region's full series (Ulleung-gun)\n"
    "  balance backtest --from 2015\n"
    "  balance backtest --level sigungu --from 2023\n"
    "\n"
    "Exit status: 0 success, 2 bad usage or bad data, 1 internal failure.\n";


/* "balance COMMAND ARGS..." for the store's provenance (argv[0] = COMMAND). */
static void command_line(int argc, char **argv, char *buf, size_t n)
{
    size_t len = (size_t)snprintf(buf, n, "balance");
    for (int i = 0; i < argc && len < n - 1; i++)
        len += (size_t)snprintf(buf + len, n - len, " %s", argv[i]);
}

static int mkdir_p(const char *dir);

/* DIR/balance.db into db, creating DIR. */
static int store_path(bal_ctx *ctx, const char *dir, char *db, size_t n)
{
    if ((size_t)snprintf(db, n, "%s/balance.db", dir) >= n)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--out: path too long");
    struct stat sb;
    if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--out: '%s' is not a directory", dir);
    if (mkdir_p(dir) != 0)
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--out: cannot create the directory '%s': %s",
                         dir, strerror(errno));
    return BAL_OK;
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

/* ---- shared: the data pack and a run of the engine ---- */

typedef struct job {
    bal_datapack pack;
    bal_run r;
} job;

static void job_release(bal_ctx *ctx, job *j)
{
    bal_run_release(ctx, &j->r);
    bal_datapack_release(ctx, &j->pack);
}

/* ---- project ---- */

/* `text` on stdout wrapped at 88 columns (words separated by single spaces). */
static void print_wrapped(const char *text)
{
    int col = 0;
    while (*text) {
        const char *sp = strchr(text, ' ');
        const int len = sp ? (int)(sp - text) : (int)strlen(text);
        if (col > 0 && col + 1 + len > 88) {
            printf("\n");
            col = 0;
        } else if (col > 0) {
            printf(" ");
            col++;
        }
        printf("%.*s", len, text);
        col += len;
        text += len;
        while (*text == ' ')
            text++;
    }
    printf("\n");
}

static void print_assumptions(const job *j)
{
    const bal_calib_report *c = &j->r.rep;
    char line[512];
    snprintf(line, sizeof line, "Population: %s.", bal_population_concept);
    print_wrapped(line);
    if (c->variant == BAL_VARIANT_CONSTANT)
        printf("Variant: constant (rates held at the jump-off).\n");
    else {
        char n0[32], n1[32];
        printf("Variant: %s (KOSTAT %d-based assumptions to %d: TFR to %.2f by %d, e0 to\n"
               "%.1f F / %.1f M by %d, net international migration %s to %s a year,\n"
               "applied to the register's as a ratio).\n",
               bal_variants[c->variant].name, c->release_base, c->path_last, c->tfr_ultimate,
               c->tfr_ultimate_year, c->e0_target[BAL_FEMALE], c->e0_target[BAL_MALE],
               c->path_last, fmt_count(c->nim0, n0, sizeof n0),
               fmt_count(c->nim_last, n1, sizeof n1));
    }
    snprintf(line, sizeof line,
           "Assumptions: fertility of %d (national TFR %.3f; age pattern %d-%d)%s; mortality "
           "of the %d life table (e0 %.1f F / %.1f M), improving as in UN WPP %d-%02d to %d-%02d "
           "(x %.2f); internal migration rates and destinations of %d-%d; net international "
           "migration as observed %d-%d.",
           c->fert_year, c->tfr_national, c->fert_year0, c->fert_year,
           j->r.params.tfr_target > 0              ? ", moving to the TFR target"
           : c->variant == BAL_VARIANT_CONSTANT ? " held constant"
                                                : ", following the variant",
           c->qx_year, c->e0_jump[BAL_FEMALE], c->e0_jump[BAL_MALE], c->wpp_period0,
           (c->wpp_period0 + 5) % 100, c->wpp_period1, (c->wpp_period1 + 5) % 100,
           j->r.params.improve_scale, c->mig_year0, c->mig_year1, c->intl_year0, c->intl_year1);
    print_wrapped(line);
    if (j->r.level == BAL_LEVEL_SIGUNGU) {
        printf("Municipalities: fertility relative to the province from children 0-4 per\n"
               "woman at the start; mortality from the %d age-standardized death rates;\n",
               j->r.mrep.asdr_year);
        if (j->r.mrep.resid_pairs > 0)
            printf("within-province migration from the residents tables of %d-%d.\n",
                   j->r.mrep.resid_year0, j->r.mrep.resid_year1);
        else
            printf("no within-province migration data before the start (province rates only).\n");
    }
    printf("(docs/model.md; data/kr/ASSUMPTIONS.md)\n\n");
}

static void print_start(const job *j, const cli *o, const char *what)
{
    const int y0 = j->r.report.year0, y1 = y0 + j->r.report.nyears - 1;
    printf("Balance — population projection of %s, %d to %d\n", what, y0, y1);
    if (y0 == j->pack.base_year)
        printf("Start: registered population at end-June %d (data: %s)\n", y0, o->data);
    else
        printf("Start: %s population at end-December %d (data: %s)\n",
               j->r.level == BAL_LEVEL_SIGUNGU ? "resident registered" : "registered", y0,
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
    const bal_report *rp = &j->r.report;
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
                               BAL_IND_SCHOOLS,         BAL_IND_SCHOOLS_CLOSED,
                               BAL_IND_PHYSICIANS,      BAL_IND_GDP_CV,
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

static void print_sido_table(const job *j, const cli *o)
{
    const bal_report *rp = &j->r.report;
    const bal_regions *R = &j->pack.regions;
    const int last = rp->nyears - 1;
    const int y0 = rp->year0, y1 = y0 + last;
    char a[32], b[32], c[32];
    char what[64];
    snprintf(what, sizeof what, "the %lld provinces (sido)", (long long)R->nsido);
    print_start(j, o, what);
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

static void print_sigungu_table(const job *j, const cli *o)
{
    const bal_report *rp = &j->r.report;
    const bal_regions *R = &j->pack.regions;
    const int64_t ns = R->nsido, n = rp->nout - ns;
    const int last = rp->nyears - 1;
    const int y0 = rp->year0, y1 = y0 + last;
    char a[32], b[32];
    char what[64];
    snprintf(what, sizeof what, "the %lld municipalities (sigungu)", (long long)n);
    print_start(j, o, what);
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
                               BAL_IND_HIGH_RISK, BAL_IND_RISK_ENTRY,
                               BAL_IND_POP_LOSS_30};
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
    const bal_report *rp = &j->r.report;
    const bal_regions *R = &j->pack.regions;
    char a[32];
    if (i < 0) {
        printf("Korea (00), %s-level run\n", j->r.level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido");
    } else {
        const bal_region *g = &R->r[rp->region[i]];
        printf("%s %s (%s), %s", g->name_en, g->name_ko, g->code,
               g->level == BAL_LEVEL_SIDO ? "province" : "municipality");
        if (g->parent >= 0)
            printf(" in %s", R->r[g->parent].name_en);
        printf(", %.1f km2%s\n", g->area_km2,
               g->level == BAL_LEVEL_SIDO && j->r.level == BAL_LEVEL_SIGUNGU
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
    for (int64_t i = 0; r >= 0 && i < j->r.report.nout; i++)
        if (j->r.report.region[i] == r)
            return i;
    return -2;
}

/* The CSV or JSON rendering of a finished projection. */
/* The report as CSV or JSON; `only`: BAL_EXPORT_ALL, BAL_EXPORT_NATION or
   one output region (with the nation). */
static int export_report(bal_ctx *ctx, FILE *f, const cli *o, const job *j, int64_t only)
{
    if (o->format == FMT_JSON)
        return bal_export_json(ctx, f, &j->pack.regions, &j->r.report, only, j->r.facts, j->r.nfacts);
    return bal_export_csv(ctx, f, &j->pack.regions, &j->r.report, only);
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
    s->st = bal_store_write(s->ctx, s->db, s->info, &s->j->pack.regions, &s->j->r.report,
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
static int store_beside_export(bal_ctx *ctx, const cli *o, const job *j, int64_t only,
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
    cli o;
    int rc = cli_parse(CMD_PROJECT, "project", argc, argv, &o);
    if (rc >= 0)
        return rc;
    job j;
    memset(&j, 0, sizeof j);
    bal_run_opts ro;
    /* the level first: a municipal code asks for the municipal run */
    int st = bal_datapack_load(ctx, o.data, &j.pack);
    if (st) {
        job_release(ctx, &j);
        return cli_report(ctx);
    }
    if ((rc = cli_run_opts(ctx, &o, &j.pack, &ro)) != 0) {
        job_release(ctx, &j);
        return rc;
    }
    if (o.region && strlen(o.region) == 5)
        ro.level = BAL_LEVEL_SIGUNGU;
    if (ro.level == BAL_LEVEL_SIGUNGU)
        st = bal_datapack_load_municipal(ctx, &j.pack);
    if (st == BAL_OK)
        st = bal_run_project(ctx, &j.pack, &ro, &j.r);
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
            bal_run_info info = {cmdline, o.data, "status_quo", j.r.facts, j.r.nfacts};
            if (o.format == FMT_TABLE) {
                st = bal_store_write(ctx, db, &info, &j.pack.regions, &j.r.report, &run_id);
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
            else if (j.r.level == BAL_LEVEL_SIGUNGU)
                print_sigungu_table(&j, &o);
            else
                print_sido_table(&j, &o);
            if (run_id > 0)
                printf("\nStored as run %lld in %s\n", (long long)run_id, db);
        }
    }
    rc = st ? cli_report(ctx) : 0;
    job_release(ctx, &j);
    return rc;
}

/* ---- backtest ---- */

static int cmd_backtest(bal_ctx *ctx, int argc, char **argv)
{
    cli o;
    int rc = cli_parse(CMD_BACKTEST, "backtest", argc, argv, &o);
    if (rc >= 0)
        return rc;
    job j;
    memset(&j, 0, sizeof j);
    bal_backtest bt;
    memset(&bt, 0, sizeof bt);
    bal_run_opts ro;
    int st = bal_datapack_load(ctx, o.data, &j.pack);
    if (st == BAL_OK && (rc = cli_run_opts(ctx, &o, &j.pack, &ro)) != 0) {
        job_release(ctx, &j);
        return rc;
    }
    if (st == BAL_OK) {
        /* a backtest: demography only, from the data's backtest start to the
           last observed year unless given */
        ro.economy = 0;
        if (ro.level == BAL_LEVEL_SIGUNGU)
            st = bal_datapack_load_municipal(ctx, &j.pack);
        if (!cli_given(&o, "from"))
            ro.from = bal_backtest_default_from(&j.pack, ro.level);
        if (!cli_given(&o, "to"))
            ro.to = bal_backtest_last_year(&j.pack, ro.level);
    }
    if (st == BAL_OK)
        st = bal_backtest_run(ctx, &j.pack, &ro, &bt);
    if (st) {
        rc = cli_report(ctx);
        bal_backtest_release(ctx, &bt);
        job_release(ctx, &j);
        return rc;
    }
    const int muni = bt.level == BAL_LEVEL_SIGUNGU;
    const int from = bt.from, to = bt.to, ny = bt.nyears;
    const int64_t n = bt.n, off = bt.offset, worst = bt.worst;
    const bal_regions *R = &j.pack.regions;
    const bal_run *run = &bt.run;
    const double *ape = bt.ape;
    const bal_backtest_year *es = bt.year;
#define OBSERVED(r, k) bt.observed[(size_t)(k) * (size_t)n + (size_t)(r)]
#define PROJECTED(r, k) bt.projected[(size_t)(k) * (size_t)n + (size_t)(r)]
    const int last = ny - 1;
    const char *unit = muni ? "municipality" : "province";
    if (o.format == FMT_JSON) {
        json_t *root = bal_backtest_json(&bt, R);
        const int bad = root == NULL ||
                        json_dumpf(root, stdout, JSON_INDENT(1) | JSON_REAL_PRECISION(10)) != 0;
        putchar('\n');
        json_decref(root);
        if (bad) {
            bal_backtest_release(ctx, &bt);
            job_release(ctx, &j);
            fprintf(stderr, "balance: cannot build or write the JSON output\n");
            return EXIT_INTERNAL;
        }
    } else if (o.format == FMT_CSV) {
        printf("year,code,name,observed,projected,error_pct\n");
        for (int k = 1; k < ny; k++)
            for (int64_t r = 0; r < n && es[k].observed; r++) {
                printf("%d,%s,", from + k, R->r[off + r].code);
                csv_field(R->r[off + r].name_en);
                printf(",%.0f,%.1f,%.4f\n", OBSERVED(r, k),
                       PROJECTED(r, k), ape[k * n + r]);
            }
    } else {
        printf("Balance backtest (%lld %s): start from the observed end-%d population, rates\n"
               "from data up to %d only (fertility %d, migration %d-%d, life table %d),\n"
               "projected to %d and compared with the observed year-end totals%s.\n",
               (long long)n, muni ? "sigungu" : "sido", from, from, run->rep.fert_year, run->rep.mig_year0,
               run->rep.mig_year1, run->rep.qx_year, to, muni ? " (residents)" : "");
        if (muni && run->mrep.resid_pairs > 0)
            printf("Within-province migration: residual of the sigungu tables %d-%d.\n",
                   run->mrep.resid_year0, run->mrep.resid_year1);
        else if (muni)
            printf("Within-province migration: none (%s).\n",
                   run->opts.local_migration ? "no sigungu tables before the start" : "switched off");
        printf("\n");
        if (!muni) {
            char a[32], b[32];
            printf("%-4s %-18s %13s %13s %9s\n", "code", "province", "observed", "projected",
                   "error");
            for (int64_t r = 0; r < n; r++)
                printf("%-4s %-18s %13s %13s %+8.2f%%\n", R->r[r].code, R->r[r].name_en,
                       fmt_count(OBSERVED(r, last), a, sizeof a),
                       fmt_count(PROJECTED(r, last), b, sizeof b),
                       ape[last * n + r]);
            printf("\n");
        }
        printf("Absolute percentage error of each %s's total, across the %lld %s:\n",
               unit, (long long)n, muni ? "municipalities" : "provinces");
        printf("%-8s %8s %8s %8s %8s %11s %12s %9s %9s\n", "year", "mean", "median", "p90",
               "max", "naive mean", "naive median", "national", "naive nat");
        for (int k = 1; k < ny; k++) {
            char when[16];
            if (k == last && bt.base_point)
                snprintf(when, sizeof when, "%d-%02d", from + k, bt.base_month);
            else
                snprintf(when, sizeof when, "%d", from + k);
            if (!es[k].observed)
                printf("%-8s (no observed year-end population)\n", when);
            else
                printf("%-8s %7.2f%% %7.2f%% %7.2f%% %7.2f%% %10.2f%% %11.2f%% %+8.2f%% %+8.2f%%\n",
                       when, es[k].mape, es[k].median, es[k].p90, es[k].max, es[k].naive_mape,
                       es[k].naive_median, es[k].national, es[k].naive_national);
        }
        if (bt.base_point)
            printf("\n%d-%02d: the base population (end of month %d), against the projection\n"
                   "interpolated linearly between the year-ends %d and %d.\n",
                   to, bt.base_month, bt.base_month, to - 1, to);
        char last_when[16];
        snprintf(last_when, sizeof last_when, bt.base_point ? "%d-%02d" : "%d", to, bt.base_month);
        printf("\nWorst %s in %s: %s (%s), %+.2f%%. Naive = population held at its\n"
               "%d value; national = signed error of the national total.\n",
               unit, last_when, R->r[off + worst].name_en, R->r[off + worst].code,
               ape[last * n + worst], from);
    }
#undef OBSERVED
#undef PROJECTED
    bal_backtest_release(ctx, &bt);
    job_release(ctx, &j);
    return 0;
}

/* ---- calibrate ---- */

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

/* The age pattern of the base run's migration (docs/model.md §5.1): observed
   net migration by province and broad age group against the model before
   (Rogers-Castro) and after the fit, persons a year. */
static int print_age_fit(bal_ctx *ctx, const bal_datapack *pk)
{
    bal_calib_opts co;
    bal_calib_opts_default(&co, pk);
    bal_demog_params p;
    bal_calib_report rep;
    int st = bal_calib_run(ctx, pk, &co, pk->base_pop, &p, &rep);
    if (st)
        return st;
    if (rep.mig_age_pairs == 0) {
        printf("\nage pattern: no age tables for the migration window, Rogers-Castro kept\n");
    } else {
        printf("\nage pattern of migration (flows %d-%d, %d year pairs of age tables):\n"
               "internal net migration a year by age at the year's end: observed (the\n"
               "residual's internal part) / model before the fit (Rogers-Castro) / after;\n"
               "gamma = destination attractiveness by group\n",
               rep.mig_year0, rep.mig_year1, rep.mig_age_pairs);
        printf("%-5s", "code");
        for (int b = 0; b < BAL_MIGB; b++)
            printf(" %26s", bal_migb_label(b));
        printf("\n");
        double ss_rc = 0.0, ss_fit = 0.0, ss_obs = 0.0;
        for (int64_t r = 0; r < pk->nsido; r++) {
            printf("%-5s", pk->regions.r[r].code);
            for (int b = 0; b < BAL_MIGB; b++) {
                const size_t i = (size_t)(r * BAL_MIGB + b);
                printf(" %8.0f/%8.0f/%8.0f", rep.mig_age_obs[i], rep.mig_age_rc[i],
                       rep.mig_age_fit[i]);
                ss_rc += pow(rep.mig_age_rc[i] - rep.mig_age_obs[i], 2.0);
                ss_fit += pow(rep.mig_age_fit[i] - rep.mig_age_obs[i], 2.0);
                ss_obs += pow(rep.mig_age_obs[i], 2.0);
            }
            printf("\n%-5s", "gamma");
            for (int b = 0; b < BAL_MIGB; b++)
                printf(" %26.4f", rep.mig_age_gamma[r * BAL_MIGB + b]);
            printf("\n");
        }
        const double nc = (double)(pk->nsido * BAL_MIGB);
        printf("root mean square error over the %d cells: before %.0f, after %.3g "
               "(observed root mean square %.0f)\n",
               (int)nc, sqrt(ss_rc / nc), sqrt(ss_fit / nc), sqrt(ss_obs / nc));
    }
    bal_calib_report_release(ctx, &rep);
    bal_demog_params_release(ctx, &p);
    return BAL_OK;
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
    cli opt;
    int rc = cli_parse(CMD_CALIBRATE, "calibrate", argc, argv, &opt);
    if (rc >= 0)
        return rc;
    const char *data = opt.data, *write = opt.write;
    const int hind = opt.hindcast;
    bal_datapack pk;
    int st = bal_datapack_load(ctx, data, &pk);
    if (st)
        return cli_report(ctx);
    const bal_vintage *v = &pk.vintage;
    const int y0 = opt.fit_from_set ? opt.fit_from : v->migration_fit_from;
    const int y1 = opt.fit_to_set ? opt.fit_to : v->migration_fit_to;
    if (y1 < y0) {
        bal_datapack_release(ctx, &pk);
        return cli_usage_error("calibrate", "--to must not be before --from%s", "");
    }
    if (hind) {
        bal_mig_hind h;
        st = bal_mig_hindcast(ctx, &pk, v->hindcast_fit_to, v->hindcast_fit_to + 1,
                              v->migration_fit_to, &h);
        if (st == BAL_OK) {
            printf("Migration hindcast: fitted on flows %d-%d, predicting the destination\n"
                   "shares of %d-%d given each origin's observed out-migrants.\n",
                   v->hindcast_fit_from, v->hindcast_fit_to, v->hindcast_fit_to + 1,
                   v->migration_fit_to);
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
            printf("\nfixed = pooled shares %d-%d (the foundation model); WAPE = sum of\n"
                   "|predicted - observed| flows over all movers.\n",
                   v->hindcast_fit_to - 4, v->hindcast_fit_to);
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
            st = print_age_fit(ctx, &pk);
        }
        if (st == BAL_OK) {
            const bal_mig_fit *all[3] = {&g, &pv, &o};
            if (write && write_params(write, all, 3, g.year0, g.year1, &yg) != 0)
                st = bal_raise(ctx, BAL_EIO, write, 0, "cannot write the parameter file: %s",
                               strerror(errno));
            else if (write)
                printf("\nParameters written to %s\n", write);
        }
    }
    bal_datapack_release(ctx, &pk);
    return st ? cli_report(ctx) : 0;
}

/* ---- compare ---- */

static const char *scn_name(const bal_scn_result *r)
{
    return r->sc ? r->sc->name : "status_quo (baseline)";
}

/*
 * A time bound on reading a scenario file: the YAML parser (libfyaml) has
 * looped forever on some hostile bytes (the checks before it refuse those
 * known; tests/fuzz/fuzz_scenario.c searches for more). Should a file still
 * take longer than PARSE_GUARD_S seconds, the process says so and exits 2
 * rather than hang. Nothing has been stored at that point.
 */
enum { PARSE_GUARD_S = 20 };
static const char *volatile guarded_file;

static void parse_guard_fired(int sig)
{
    (void)sig;
    static const char a[] = "balance: ";
    static const char b[] = ": reading this scenario file took too long (over 20 s); not a "
                            "scenario the YAML parser can read\n";
    const char *f = guarded_file ? guarded_file : "?";
    /* only async-signal-safe calls here */
    ssize_t n = write(STDERR_FILENO, a, sizeof a - 1);
    n += write(STDERR_FILENO, f, strlen(f));
    n += write(STDERR_FILENO, b, sizeof b - 1);
    (void)n; /* nothing to do if stderr is gone */
    _exit(2);
}

static void parse_guard_on(const char *file)
{
    guarded_file = file;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = parse_guard_fired;
    sigaction(SIGALRM, &sa, NULL);
    alarm(PARSE_GUARD_S);
}

static void parse_guard_off(void)
{
    alarm(0);
    guarded_file = NULL;
}

static int cmd_compare(bal_ctx *ctx, int argc, char **argv)
{
    cli o;
    int rc = cli_parse(CMD_COMPARE, "compare", argc, argv, &o);
    if (rc >= 0)
        return rc;
    const char *data = o.data, *out = o.out;
    const int store = o.store;
    const enum fmt format = o.format;
    /* sigungu unless --level sido */
    int level = BAL_LEVEL_SIGUNGU;
    for (int i = 0; i < o.nrun; i++)
        if (strcmp(o.run[i]->name, "level") == 0)
            level = strcmp(o.run_val[i], "sido") == 0 ? BAL_LEVEL_SIDO : BAL_LEVEL_SIGUNGU;
    optind = o.first_arg;
    int n = argc - optind;
    if (n < 1)
        return cli_usage_error("compare", "no scenario file given (e.g. scenarios/*.yaml)%s", "");
    if (n > 32)
        return cli_usage_error("compare", "at most 32 scenarios%s", "");
    bal_datapack pk;
    int st = bal_datapack_load(ctx, data, &pk);
    if (st == BAL_OK && level == BAL_LEVEL_SIGUNGU)
        st = bal_datapack_load_municipal(ctx, &pk);
    if (st) {
        bal_datapack_release(ctx, &pk);
        return cli_report(ctx);
    }
    bal_scenario *sc = bal_calloc(ctx, (size_t)n, sizeof *sc);
    bal_scn_result *res = bal_calloc(ctx, (size_t)n + 1, sizeof *res);
    if (sc == NULL || res == NULL)
        st = BAL_ENOMEM;
    for (int i = 0; st == BAL_OK && i < n; i++) {
        parse_guard_on(argv[optind + i]);
        st = bal_scenario_load(ctx, argv[optind + i], &pk, &sc[i]);
        parse_guard_off();
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
        if (bal_policy_is_status_quo(&sc[i]))
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
        printf("Variant %s; population: the resident register of Korean nationals (foreigners\n"
               "excluded).\n",
               bal_variants[bal_variant_resolve(&pk, BAL_VARIANT_DEFAULT, pk.base_year)].name);
        for (int i = 0; i <= n; i++)
            printf("  [%d] %s%s%s\n", i, scn_name(&res[i]), res[i].sc && res[i].sc->description[0]
                                                               ? ": " : "",
                   res[i].sc ? res[i].sc->description : "");
        for (int i = 0; i < nsame; i++)
            printf("  (%s sets no lever: it is the baseline [0], not run again)\n", same[i]);
        int ids[BAL_NIND_ALL];
        const int nq = bal_indicator_compared(ids, BAL_NIND_ALL);
        for (int q = 0; q < nq; q++) {
            const int ind = ids[q];
            if (ind >= BAL_IND_AT_RISK && ind <= BAL_IND_POP_LOSS_30 && level != BAL_LEVEL_SIGUNGU)
                continue; /* counts of sigungu */
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
                    printf(" %d %s -> %s", YEARS[y], fmt_count(bal_compare_union_population(&res[0], un, YEARS[y]), a,
                                                              sizeof a),
                           fmt_count(bal_compare_union_population(&res[i], un, YEARS[y]), b, sizeof b));
                printf("\n");
            }
    } else if (st == BAL_OK && format == FMT_CSV) {
        printf("scenario,indicator,year,value\n");
        int ids[BAL_NIND_ALL];
        const int nq = bal_indicator_compared(ids, BAL_NIND_ALL);
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
        /* every scenario of the comparison in one transaction: all or none */
        const bal_run_param pars[] = {
            {"variant", NAN,
             bal_variants[bal_variant_resolve(&pk, BAL_VARIANT_DEFAULT, pk.base_year)].name},
            {"population_concept", NAN, bal_population_concept}};
        bal_run_info *info = st == BAL_OK ? bal_calloc(ctx, (size_t)n + 1, sizeof *info) : NULL;
        bal_store_item *items = info ? bal_calloc(ctx, (size_t)n + 1, sizeof *items) : NULL;
        int64_t *ids = items ? bal_calloc(ctx, (size_t)n + 1, sizeof *ids) : NULL;
        if (st == BAL_OK && ids == NULL)
            st = bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory");
        for (int i = 0; st == BAL_OK && i <= n; i++) {
            info[i] = (bal_run_info){cmdline, data, i == 0 ? "status_quo" : res[i].sc->name,
                                     pars, 2};
            items[i] = (bal_store_item){&info[i], &pk.regions, &res[i].report};
        }
        if (st == BAL_OK)
            st = bal_store_write_batch(ctx, db, items, n + 1, ids);
        if (st == BAL_OK && format == FMT_TABLE)
            printf("\nStored: runs %lld-%lld (%d scenarios, one transaction) in %s\n",
                   (long long)ids[0], (long long)ids[n], n + 1, db);
        bal_free(ctx, ids);
        bal_free(ctx, items);
        bal_free(ctx, info);
    }
    for (int i = 0; res && i <= n; i++)
        bal_compare_result_release(ctx, &res[i]);
    bal_free(ctx, res);
    bal_free(ctx, sc);
    bal_datapack_release(ctx, &pk);
    return st ? cli_report(ctx) : 0;
}

/* A vocabulary table as indented JSON on stdout (j is released); the exit
   status. */
static int print_table_json(json_t *j, const char *what)
{
    const int bad = j == NULL || json_dumpf(j, stdout, JSON_INDENT(1)) != 0;
    json_decref(j);
    putchar('\n');
    if (bad) {
        fprintf(stderr, "balance: cannot write the %s table\n", what);
        return EXIT_INTERNAL;
    }
    return 0;
}

/* The range of a lever row as the tables show it. */
static void lever_range(const bal_lever *lv, int md, char *buf, size_t n)
{
    buf[0] = '\0';
    if (lv->kind == BAL_LK_NUMBER)
        snprintf(buf, n, md ? "%g–%g" : "%g..%g", lv->lo, lv->hi);
    else if (lv->kind == BAL_LK_YEAR)
        snprintf(buf, n, "%s", md ? "base year–year_max of vintage.csv" : "the data's years");
}

static void print_default(const bal_lever *lv, const double *today, char *buf, size_t n)
{
    const int k = bal_lever_tax_item(lv);
    if ((lv->kind == BAL_LK_NUMBER || lv->kind == BAL_LK_YEAR) && !lv->def_after &&
        !isnan(lv->def))
        snprintf(buf, n, "%g", lv->def);
    else if (today && k >= 0)
        snprintf(buf, n, "%s, %.3f", lv->def_text ? lv->def_text : "", today[k]);
    else
        snprintf(buf, n, "%s", lv->def_text ? lv->def_text : "");
}

static int cmd_levers(int argc, char **argv)
{
    cli o;
    int rc = cli_parse(CMD_LEVERS, "levers", argc, argv, &o);
    if (rc >= 0)
        return rc;
    const enum fmt format = o.format;
    const int md = format == FMT_MD;
    /* today's local tax shares of the data pack (the fiscal items' default) */
    double today[BAL_NTAX];
    bal_ctx *ctx = bal_ctx_alloc();
    bal_datapack pk;
    int st = ctx ? bal_datapack_load(ctx, o.data, &pk) : BAL_ENOMEM;
    if (st == BAL_OK)
        st = bal_couple_tax_shares(ctx, &pk, today);
    bal_datapack_release(ctx, &pk);
    if (st != BAL_OK) {
        rc = ctx ? cli_report(ctx) : EXIT_INTERNAL;
        bal_ctx_free(ctx);
        return rc;
    }
    bal_ctx_free(ctx);
    if (format == FMT_JSON)
        return print_table_json(bal_lever_table_json(today), "lever");
    if (md) {
        printf("| Setting | Type | Default | Range | Unit | Channel | What it is |\n"
               "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < bal_nlevers; i++) {
            const bal_lever *lv = &bal_levers[i];
            char def[64], range[48];
            print_default(lv, today, def, sizeof def);
            lever_range(lv, 1, range, sizeof range);
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
        char def[64], range[48];
        print_default(lv, today, def, sizeof def);
        lever_range(lv, 0, range, sizeof range);
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

static int cmd_indicators(int argc, char **argv)
{
    cli o;
    int rc = cli_parse(CMD_INDICATORS, "indicators", argc, argv, &o);
    if (rc >= 0)
        return rc;
    const enum fmt format = o.format;
    const int md = format == FMT_MD;
    if (format == FMT_JSON)
        return print_table_json(bal_indicator_table_json(), "indicator");
    if (md) {
        printf("| Name | Unit | Label | 한국어 | Decimals | Aggregation | Where |\n"
               "|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < BAL_NIND_ALL; i++) {
            const bal_indicator_def *d = &bal_indicators[i];
            const int plain = strcmp(d->rule, "sum") == 0;
            printf("| `%s` | %s | %s | %s | %d | %s%s%s | %s |\n", d->name, d->unit, d->label,
                   d->label_ko, d->precision, bal_indicator_agg_name(d->agg), plain ? "" : ": ",
                   plain ? "" : d->rule, d->where);
        }
        return 0;
    }
    printf("Balance — indicators (docs/model.md section 10)\n\n%-30s %-26s %-8s %-9s %s\n",
           "name", "unit", "decimals", "agg.", "label");
    for (int i = 0; i < BAL_NIND_ALL; i++) {
        const bal_indicator_def *d = &bal_indicators[i];
        printf("%-30s %-26s %-8d %-9s %s\n", d->name, d->unit, d->precision, bal_indicator_agg_name(d->agg),
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
            cli_help(CMD_PROJECT);
        else if (strcmp(argv[2], "backtest") == 0)
            cli_help(CMD_BACKTEST);
        else if (strcmp(argv[2], "calibrate") == 0)
            cli_help(CMD_CALIBRATE);
        else if (strcmp(argv[2], "compare") == 0)
            cli_help(CMD_COMPARE);
        else if (strcmp(argv[2], "levers") == 0)
            cli_help(CMD_LEVERS);
        else if (strcmp(argv[2], "indicators") == 0)
            cli_help(CMD_INDICATORS);
        else if (strcmp(argv[2], "serve") == 0) {
            char *args[] = {argv[2], (char *)"--help", NULL};
            return cmd_serve(args);
        }
        else
            return cli_usage_error("help", "unknown command '%s'", argv[2]);
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
