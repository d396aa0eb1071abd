/*
 * testutil.h — small helpers shared by the test files: fresh temp
 * directories, recursive removal, and a data directory made of symlinks to
 * the real pack with one table replaced.
 *
 * Everything is `static inline` so a file that does not use a helper gets no
 * unused-function warning. Helpers report failure by return value; tests
 * assert on it (criterion asserts end the test, so cleanup comes first).
 */
#ifndef BALANCE_TESTUTIL_H
#define BALANCE_TESTUTIL_H

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Directory of the data pack under test. */
/* 1 when s ends with suffix. */
static inline int tu_ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static inline const char *tu_data_dir(void)
{
    const char *d = getenv("BALANCE_DATA");
    return d && *d ? d : "data/kr";
}

/* Directory of the committed fixtures (relative to the project root). */
static inline const char *tu_fixtures_dir(void)
{
    const char *d = getenv("BALANCE_FIXTURES");
    return d && *d ? d : "tests/fixtures";
}

/* A fresh directory /tmp/balance-<tag>-XXXXXX; returns 0 and fills `out`. */
static inline int tu_mkdtemp(const char *tag, char *out, size_t n)
{
    if ((size_t)snprintf(out, n, "/tmp/balance-%s-XXXXXX", tag) >= n)
        return -1;
    return mkdtemp(out) ? 0 : -1;
}

/* rm -rf `path` (files, symlinks, directories; symlinks are not followed). */
static inline int tu_rm_rf(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISDIR(sb.st_mode))
        return unlink(path);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char sub[PATH_MAX];
        if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) >= sizeof sub) {
            rc = -1;
            continue;
        }
        if (tu_rm_rf(sub) != 0)
            rc = -1;
    }
    closedir(d);
    if (rmdir(path) != 0)
        rc = -1;
    return rc;
}

/* Absolute form of `path` (relative to the working directory); 0 on success. */
static inline int tu_abspath(const char *path, char *out, size_t n)
{
    if (path[0] == '/')
        return (size_t)snprintf(out, n, "%s", path) < n ? 0 : -1;
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd) == NULL)
        return -1;
    return (size_t)snprintf(out, n, "%s/%s", cwd, path) < n ? 0 : -1;
}

/* 1 if `path` exists (without following a final symlink). */
static inline int tu_exists(const char *path)
{
    struct stat sb;
    return lstat(path, &sb) == 0;
}

/*
 * Fill the existing directory `dst` with absolute symlinks to every *.csv of
 * the real data pack. Returns the number of links, or -1.
 */
static inline int tu_link_data(const char *dst)
{
    char src[PATH_MAX];
    if (tu_abspath(tu_data_dir(), src, sizeof src) != 0)
        return -1;
    DIR *d = opendir(src);
    if (d == NULL)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char from[PATH_MAX], to[PATH_MAX];
        if ((size_t)snprintf(from, sizeof from, "%s/%s", src, e->d_name) >= sizeof from ||
            (size_t)snprintf(to, sizeof to, "%s/%s", dst, e->d_name) >= sizeof to ||
            symlink(from, to) != 0) {
            closedir(d);
            return -1;
        }
        n++;
    }
    closedir(d);
    return n;
}

/*
 * In data directory `dst` (made by tu_link_data), replace `table` by a
 * symlink to the fixture tests/fixtures/bad/<fixture_case>/<table>. With
 * fixture_case NULL the table is only removed.
 */
static inline int tu_replace_table(const char *dst, const char *fixture_case, const char *table)
{
    char to[PATH_MAX];
    if ((size_t)snprintf(to, sizeof to, "%s/%s", dst, table) >= sizeof to)
        return -1;
    if (unlink(to) != 0)
        return -1;
    if (fixture_case == NULL)
        return 0;
    char rel[PATH_MAX], from[PATH_MAX];
    if ((size_t)snprintf(rel, sizeof rel, "%s/bad/%s/%s", tu_fixtures_dir(), fixture_case,
                         table) >= sizeof rel)
        return -1;
    if (tu_abspath(rel, from, sizeof from) != 0 || !tu_exists(from))
        return -1;
    return symlink(from, to);
}

/* Whole file into a malloc'd NUL-terminated string (NULL on failure). */
static inline char *tu_slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
        if (n + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (buf)
        buf[n] = '\0';
    return buf;
}

/* Write `text` to `path`; 0 on success. */
static inline int tu_write(const char *path, const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    size_t w = fwrite(text, 1, len, f);
    return fclose(f) == 0 && w == len ? 0 : -1;
}

/* Absolute path of `table` in the real data pack; 0 on success. */
static inline int tu_data_path(const char *table, char *out, size_t n)
{
    char rel[PATH_MAX];
    if ((size_t)snprintf(rel, sizeof rel, "%s/%s", tu_data_dir(), table) >= sizeof rel)
        return -1;
    return tu_abspath(rel, out, n);
}

/*
 * 1-based number of the first line of the real `table` that starts with
 * `prefix`, or -1. When `line` is not NULL the line is copied there (without
 * its newline, truncated to n - 1 bytes).
 */
static inline long tu_table_find(const char *table, const char *prefix, char *line, size_t n)
{
    char path[PATH_MAX];
    if (tu_data_path(table, path, sizeof path) != 0)
        return -1;
    char *text = tu_slurp(path);
    if (text == NULL)
        return -1;
    const size_t plen = strlen(prefix);
    long no = 1, found = -1;
    for (char *p = text; *p; no++) {
        char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len >= plen && strncmp(p, prefix, plen) == 0) {
            found = no;
            if (line && n > 0) {
                size_t k = len < n - 1 ? len : n - 1;
                memcpy(line, p, k);
                line[k] = '\0';
            }
            break;
        }
        if (end == NULL)
            break;
        p = end + 1;
    }
    free(text);
    return found;
}

/*
 * In data directory `dst` (made by tu_link_data), replace `table` by a copy
 * of the real table in which line `line` (1-based) is replaced by `text`
 * (or deleted when `text` is NULL). Large tables are edited at test time so
 * no big fixture is committed. 0 on success, -1 if the line does not exist.
 */
static inline int tu_edit_table(const char *dst, const char *table, long line, const char *text)
{
    char src[PATH_MAX], to[PATH_MAX];
    if (tu_data_path(table, src, sizeof src) != 0 ||
        (size_t)snprintf(to, sizeof to, "%s/%s", dst, table) >= sizeof to)
        return -1;
    char *orig = tu_slurp(src);
    if (orig == NULL)
        return -1;
    const size_t olen = strlen(orig), tlen = text ? strlen(text) : 0;
    char *out = malloc(olen + tlen + 2);
    if (out == NULL) {
        free(orig);
        return -1;
    }
    size_t w = 0;
    long no = 1;
    int done = 0;
    for (char *p = orig; *p; no++) {
        char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) + 1 : strlen(p);
        if (no == line) {
            if (text) {
                memcpy(out + w, text, tlen);
                w += tlen;
                out[w++] = '\n';
            }
            done = 1;
        } else {
            memcpy(out + w, p, len);
            w += len;
        }
        p += len;
    }
    free(orig);
    int rc = -1;
    if (done && unlink(to) == 0)
        rc = tu_write(to, out, w);
    free(out);
    return rc;
}

/* In data directory `dst`, make `table` a symlink to the real table again. */
static inline int tu_restore_table(const char *dst, const char *table)
{
    char src[PATH_MAX], to[PATH_MAX];
    if (tu_data_path(table, src, sizeof src) != 0 ||
        (size_t)snprintf(to, sizeof to, "%s/%s", dst, table) >= sizeof to)
        return -1;
    if (unlink(to) != 0 && errno != ENOENT)
        return -1;
    return symlink(src, to);
}

#endif
