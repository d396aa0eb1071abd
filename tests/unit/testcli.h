/*
 * testcli.h — helpers for tests that run the built `balance` command
 * (BALANCE_BIN, default build/balance): a per-test temp directory, running
 * the CLI with stdout/stderr captured there, and SQLite one-value queries.
 * Static functions, included by each test file that needs them.
 */
#ifndef BALANCE_TESTCLI_H
#define BALANCE_TESTCLI_H

#include "testutil.h"

#include <criterion/criterion.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static char TMP[256];

static inline void tmp_init(void)
{
    cr_assert_eq(tu_mkdtemp("cli", TMP, sizeof TMP), 0);
}

static inline void tmp_fini(void)
{
    if (TMP[0])
        tu_rm_rf(TMP);
}

static inline const char *bin(void)
{
    const char *b = getenv("BALANCE_BIN");
    return b && *b ? b : "build/balance";
}

/* Run `balance ARGS` with stdout/stderr into TMP/<tag>.out and TMP/<tag>.err;
   returns the exit status (or -1 if it did not exit normally). */
static inline int run(const char *tag, const char *args)
{
    char cmd[4096];
    int n = snprintf(cmd, sizeof cmd, "'%s' %s >'%s/%s.out' 2>'%s/%s.err'", bin(), args, TMP,
                     tag, TMP, tag);
    cr_assert(n > 0 && (size_t)n < sizeof cmd);
    int ws = system(cmd);
    if (ws == -1 || !WIFEXITED(ws))
        return -1;
    return WEXITSTATUS(ws);
}

/* Contents of TMP/<tag>.<ext> (caller frees). */
static inline char *output(const char *tag, const char *ext)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.%s", TMP, tag, ext);
    char *s = tu_slurp(path);
    cr_assert_not_null(s, "cannot read %s", path);
    return s;
}

/* The generated block of docs/<doc> between the lines "<!-- <marker>:begin"
   and "<!-- <marker>:end" must be exactly what `balance <args>` prints (make
   docs regenerates it). Returns the whole document (caller frees). */
static inline char *doc_block_matches(const char *doc, const char *marker, const char *args)
{
    char root[1024], path[1200], mark[64];
    cr_assert_eq(tu_abspath(tu_data_dir(), root, sizeof root), 0);
    *strstr(root, "/data/kr") = '\0';
    snprintf(path, sizeof path, "%s/docs/%s", root, doc);
    char *text = tu_slurp(path);
    cr_assert_not_null(text, "%s", path);
    cr_assert_eq(run("md", args), 0, "balance %s", args);
    char *md = output("md", "out");
    snprintf(mark, sizeof mark, "<!-- %s:begin", marker);
    const char *begin = strstr(text, mark);
    cr_assert_not_null(begin, "docs/%s has no %s:begin marker", doc, marker);
    begin = strchr(begin, '\n') + 1;
    snprintf(mark, sizeof mark, "<!-- %s:end", marker);
    const char *end = strstr(begin, mark);
    cr_assert_not_null(end, "docs/%s has no %s:end marker", doc, marker);
    cr_expect((size_t)(end - begin) == strlen(md) && strncmp(begin, md, strlen(md)) == 0,
              "docs/%s: the %s block differs from `balance %s` (run make docs)", doc, marker,
              args);
    free(md);
    return text;
}

static inline long long q_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    long long v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static inline double q_double(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
                 sqlite3_errmsg(db));
    double v = NAN;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_double(st, 0);
    sqlite3_finalize(st);
    return v;
}

#endif
