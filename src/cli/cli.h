/*
 * cli.h — the `balance` command line: one option table for every command
 * (opts.c), the commands (main.c). The options of a run come from the
 * library's run-option table (balance/run.h); the table here adds those of
 * the front end (data directory, output, format, ...).
 */
#ifndef BALANCE_CLI_H
#define BALANCE_CLI_H

#include "balance/run.h"

#include <stddef.h>

#define EXIT_USAGE 2
#define EXIT_INTERNAL 1

/* Commands (bit set of the options each accepts). */
enum cli_cmd {
    CMD_PROJECT = 1, CMD_BACKTEST = 2, CMD_COMPARE = 4, CMD_CALIBRATE = 8, CMD_LEVERS = 16,
    CMD_INDICATORS = 32
};

enum fmt { FMT_TABLE, FMT_CSV, FMT_JSON, FMT_MD };

#define CLI_MAX_RUN_OPTS 64

/* What the command line asked for. The run options are kept as given and
   applied on the data pack's defaults once it is loaded (cli_run_opts). */
typedef struct cli {
    const char *cmd;             /* command name, for messages */
    unsigned cmd_bit;            /* enum cli_cmd */
    const char *data, *out, *region, *write;
    int store, hindcast;
    enum fmt format;
    int fit_from, fit_to, fit_from_set, fit_to_set; /* calibrate: flow years */
    const bal_run_opt *run[CLI_MAX_RUN_OPTS];
    const char *run_val[CLI_MAX_RUN_OPTS];
    int nrun;
    int first_arg;               /* index in argv of the first operand */
} cli;

/* Parse the options of command `cmd_bit` named `cmd`: -1 to go on, else an
   exit status (0 after --help). */
int cli_parse(unsigned cmd_bit, const char *cmd, int argc, char **argv, cli *c);
/* Print the help of a command (its usage and description, then every option
   of the table it accepts). */
void cli_help(unsigned cmd_bit);
/* The run options of `c` on the defaults of `pack`: 0, or an exit status
   after printing the error. */
int cli_run_opts(bal_ctx *ctx, const cli *c, const bal_datapack *pack, bal_run_opts *o);
/* 1 if run option `name` was given. */
int cli_given(const cli *c, const char *name);

/* Errors: one line on stderr and the exit status. */
int cli_report(bal_ctx *ctx);
int cli_usage_error(const char *cmd, const char *fmt, const char *arg);

#endif
