/*
 * opts.c — one option table for every command of `balance`: the front end's
 * own options below, then the run options of the library's table
 * (bal_run_options). getopt_long's table and every command's help are built
 * from it, so an option is described once.
 */
#include "cli.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_DATA = 1, OPT_OUT, OPT_NOSTORE, OPT_FORMAT, OPT_FORMAT_DOC, OPT_REGION, OPT_FIT_FROM,
       OPT_FIT_TO, OPT_HINDCAST, OPT_WRITE };

typedef struct cli_opt {
    const char *name;
    const char *arg;   /* NULL: no argument */
    unsigned cmds;     /* enum cli_cmd bits */
    int id;
    const char *help;
} cli_opt;

#define DATA_CMDS (CMD_PROJECT | CMD_BACKTEST | CMD_COMPARE | CMD_CALIBRATE | CMD_LEVERS)

static const cli_opt FRONT[] = {
    {"data", "DIR", DATA_CMDS, OPT_DATA, "data pack directory (default: data/kr)"},
    {"region", "CODE", CMD_PROJECT, OPT_REGION,
     "print one region's full series instead of the summary (a sigungu code\n"
     "implies --level sigungu; 00: the nation); with --format csv or json, only\n"
     "that region's rows plus the nation's (CSV rows 00, the JSON \"national\"\n"
     "object), the reference of every share; the store keeps every region"},
    {"format", "FMT", CMD_PROJECT | CMD_BACKTEST | CMD_COMPARE, OPT_FORMAT,
     "table (default), csv or json"},
    {"format", "FMT", CMD_LEVERS | CMD_INDICATORS, OPT_FORMAT_DOC,
     "table (default), json (as the web API serves it) or md (the Markdown\n"
     "table of the docs: make docs)"},
    {"out", "DIR", CMD_PROJECT | CMD_COMPARE, OPT_OUT,
     "store results in DIR/balance.db, every run (every scenario of compare) in\n"
     "its own transaction (default: out)"},
    {"no-store", NULL, CMD_PROJECT | CMD_COMPARE, OPT_NOSTORE, "do not write the results store"},
    {"from", "YEAR", CMD_CALIBRATE, OPT_FIT_FROM,
     "first flow year fitted (default: the data's migration_fit_from; inputs of\n"
     "the year before each flow year are needed)"},
    {"to", "YEAR", CMD_CALIBRATE, OPT_FIT_TO,
     "last flow year fitted (default: the data's migration_fit_to)"},
    {"hindcast", NULL, CMD_CALIBRATE, OPT_HINDCAST,
     "fit on the flows up to the data's hindcast_fit_to only, predict the years\n"
     "after it and compare with the fixed-shares model (out of sample)"},
    {"write", "FILE", CMD_CALIBRATE, OPT_WRITE,
     "also write the fitted parameters as CSV (the data pack's\n"
     "migration_params.csv is this command's output)"},
};
#define NFRONT ((int)(sizeof FRONT / sizeof FRONT[0]))

/* Commands a run option applies to: its table's, and compare's level. */
static unsigned run_cmds(const bal_run_opt *o)
{
    unsigned m = 0;
    if (o->commands & BAL_RO_PROJECT)
        m |= CMD_PROJECT;
    if (o->commands & BAL_RO_BACKTEST)
        m |= CMD_BACKTEST;
    if (strcmp(o->name, "level") == 0)
        m |= CMD_COMPARE;
    return m;
}

static const struct {
    unsigned bit;
    const char *usage, *what;
} COMMANDS[] = {
    {CMD_PROJECT, "balance project [OPTIONS]",
     "Multiregional cohort-component projection by sex and single year of age\n"
     "(0..100+), in yearly steps, with the coupled economy, public finance and\n"
     "services (docs/model.md), from the data's base year to its horizon (the\n"
     "dates of data/kr/vintage.csv). Results go to stdout and to a SQLite database.\n"},
    {CMD_BACKTEST, "balance backtest [OPTIONS]",
     "Start from the observed year-end population of --from, estimate every rate\n"
     "from data up to that year only, project to --to and compare each region's\n"
     "projected total with the observed year-end total of every year (default\n"
     "start: the data's backtest_from_sido or backtest_from_sigungu).\n"},
    {CMD_COMPARE, "balance compare [OPTIONS] SCENARIO.yaml...",
     "Run the status quo and each scenario (docs/scenarios.md) from the base year\n"
     "with the coupled model and print them side by side in the data's report\n"
     "years: every indicator of `balance indicators` marked for the comparison,\n"
     "plus the population of every union a scenario forms. A file that sets no\n"
     "lever (scenarios/status_quo.yaml) is the baseline [0] itself: it is not run\n"
     "or listed a second time (the table notes it). Level sigungu unless --level\n"
     "sido.\n"},
    {CMD_CALIBRATE, "balance calibrate [OPTIONS]",
     "Fit the migration model on the observed province-to-province flows by\n"
     "maximum likelihood (docs/model.md section 12): destination choice, as a\n"
     "gravity logit and as a pivot logit on pair constants, and the out-migration\n"
     "response of origins. Prints coefficients, standard errors (plain and\n"
     "scaled by the Pearson dispersion) and goodness of fit.\n"},
    {CMD_LEVERS, "balance levers [--format table|json|md]",
     "Every setting a scenario file may give (docs/scenarios.md), from the lever\n"
     "table of the library: YAML path, type, default, range, unit, policy family\n"
     "and the docs/model.md section that documents its channel. Settings marked\n"
     "'pending' are read and checked but have no channel yet (the reason is given).\n"},
    {CMD_INDICATORS, "balance indicators [--format table|json|md]",
     "Every indicator Balance reports, from the indicator table of the library:\n"
     "name (JSON, CSV, SQLite), unit, label, decimals written, how a province or\n"
     "the nation follows from its units, where it is defined.\n"},
};
#define NCOMMANDS ((int)(sizeof COMMANDS / sizeof COMMANDS[0]))

/* One option: its name and argument, then the help words wrapped to 80
   columns under each other. */
static void print_opt(const char *name, const char *arg, const char *help)
{
    enum { INDENT = 21, WIDTH = 80 };
    char head[64];
    snprintf(head, sizeof head, "--%s%s%s", name, arg ? " " : "", arg ? arg : "");
    if (strlen(head) <= INDENT - 3)
        printf("  %-*s", INDENT - 2, head);
    else
        printf("  %s\n%*s", head, INDENT, "");
    int col = INDENT;
    const char *p = help;
    while (*p) {
        while (*p == ' ' || *p == '\n')
            p++;
        size_t len = strcspn(p, " \n");
        if (len == 0)
            break;
        if (col > INDENT && col + 1 + (int)len > WIDTH) {
            printf("\n%*s", INDENT, "");
            col = INDENT;
        } else if (col > INDENT) {
            putchar(' ');
            col++;
        }
        printf("%.*s", (int)len, p);
        col += (int)len;
        p += len;
    }
    putchar('\n');
}

void cli_help(unsigned cmd_bit)
{
    for (int i = 0; i < NCOMMANDS; i++) {
        if (COMMANDS[i].bit != cmd_bit)
            continue;
        printf("Usage: %s\n\n%s\nOptions:\n", COMMANDS[i].usage, COMMANDS[i].what);
    }
    for (int i = 0; i < NFRONT; i++)
        if (FRONT[i].cmds & cmd_bit)
            print_opt(FRONT[i].name, FRONT[i].arg, FRONT[i].help);
    for (int i = 0; i < bal_nrun_options; i++)
        if (run_cmds(&bal_run_options[i]) & cmd_bit) {
            const bal_run_opt *o = &bal_run_options[i];
            if (cmd_bit == CMD_COMPARE)
                print_opt(o->name, o->arg, "sigungu (default) or sido (no sigungu risk counts)");
            else
                print_opt(o->name, o->arg, o->help);
        }
    print_opt("help", NULL, "show this help");
}

int cli_usage_error(const char *cmd, const char *fmt, const char *arg)
{
    fprintf(stderr, "balance %s: ", cmd);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'balance %s --help'.\n", cmd);
    return EXIT_USAGE;
}

int cli_report(bal_ctx *ctx)
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

static int parse_year(const char *s, int *y)
{
    char *end;
    const long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1000 || v > 9999)
        return -1;
    *y = (int)v;
    return 0;
}

int cli_parse(unsigned cmd_bit, const char *cmd, int argc, char **argv, cli *c)
{
    memset(c, 0, sizeof *c);
    c->cmd = cmd;
    c->cmd_bit = cmd_bit;
    c->data = "data/kr";
    c->out = "out";
    c->store = 1;
    c->format = FMT_TABLE;
    /* getopt_long's table: val 256 + i for FRONT[i], 512 + i for the run options */
    struct option lo[NFRONT + 64 + 2];
    int n = 0;
    for (int i = 0; i < NFRONT; i++)
        if (FRONT[i].cmds & cmd_bit)
            lo[n++] = (struct option){FRONT[i].name, FRONT[i].arg ? required_argument : no_argument,
                                      NULL, 256 + i};
    for (int i = 0; i < bal_nrun_options && n < NFRONT + 64; i++)
        if (run_cmds(&bal_run_options[i]) & cmd_bit)
            lo[n++] = (struct option){bal_run_options[i].name,
                                      bal_run_options[i].kind == BAL_RO_FLAG ? no_argument
                                                                             : required_argument,
                                      NULL, 512 + i};
    lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
    lo[n] = (struct option){NULL, 0, NULL, 0};
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, ":h", lo, NULL)) != -1) {
        if (ch == 'h') {
            cli_help(cmd_bit);
            return 0;
        }
        if (ch == ':' || ch == '?')
            return cli_usage_error(cmd, ch == ':' ? "option '%s' needs a value"
                                                  : "unknown option '%s'",
                                   argv[optind - 1]);
        if (ch >= 512) {
            if (c->nrun == CLI_MAX_RUN_OPTS)
                return cli_usage_error(cmd, "too many options%s", "");
            c->run[c->nrun] = &bal_run_options[ch - 512];
            c->run_val[c->nrun++] = optarg;
            continue;
        }
        const int fi = ch - 256;
        if (fi < 0 || fi >= NFRONT)
            return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        switch (FRONT[fi].id) {
        case OPT_DATA: c->data = optarg; break;
        case OPT_OUT: c->out = optarg; break;
        case OPT_NOSTORE: c->store = 0; break;
        case OPT_REGION: c->region = optarg; break;
        case OPT_WRITE: c->write = optarg; break;
        case OPT_HINDCAST: c->hindcast = 1; break;
        case OPT_FORMAT:
        case OPT_FORMAT_DOC:
            if (strcmp(optarg, "table") == 0)
                c->format = FMT_TABLE;
            else if (strcmp(optarg, "json") == 0)
                c->format = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0 && FRONT[fi].id == OPT_FORMAT)
                c->format = FMT_CSV;
            else if (strcmp(optarg, "md") == 0 && FRONT[fi].id == OPT_FORMAT_DOC)
                c->format = FMT_MD;
            else
                return cli_usage_error(cmd,
                                       FRONT[fi].id == OPT_FORMAT
                                           ? "--format: expected table, csv or json, not '%s'"
                                           : "--format: expected table, json or md, not '%s'",
                                       optarg);
            break;
        case OPT_FIT_FROM:
        case OPT_FIT_TO: {
            const int from = FRONT[fi].id == OPT_FIT_FROM;
            if (parse_year(optarg, from ? &c->fit_from : &c->fit_to))
                return cli_usage_error(cmd, from ? "--from: not a flow year: '%s'"
                                                 : "--to: not a flow year: '%s'",
                                       optarg);
            *(from ? &c->fit_from_set : &c->fit_to_set) = 1;
            break;
        }
        default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    c->first_arg = optind;
    if (optind < argc && cmd_bit != CMD_COMPARE)
        return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    /* the values of the run options are checked now, before any data is read
       (their ranges do not depend on the data) */
    bal_ctx *ctx = bal_ctx_alloc();
    bal_run_opts scratch;
    memset(&scratch, 0, sizeof scratch);
    for (int i = 0; ctx && i < c->nrun; i++)
        if (bal_run_opt_set(ctx, c->run[i], c->run_val[i], &scratch) != BAL_OK) {
            const int rc = cli_usage_error(cmd, "%s", bal_ctx_message(ctx));
            bal_ctx_free(ctx);
            return rc;
        }
    bal_ctx_free(ctx);
    return -1;
}

int cli_given(const cli *c, const char *name)
{
    for (int i = 0; i < c->nrun; i++)
        if (strcmp(c->run[i]->name, name) == 0)
            return 1;
    return 0;
}

int cli_run_opts(bal_ctx *ctx, const cli *c, const bal_datapack *pack, bal_run_opts *o)
{
    bal_run_opts_default(o, pack);
    for (int i = 0; i < c->nrun; i++)
        if (bal_run_opt_set(ctx, c->run[i], c->run_val[i], o) != BAL_OK)
            return cli_usage_error(c->cmd, "%s", bal_ctx_message(ctx));
    return 0;
}
