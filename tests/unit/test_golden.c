/*
 * test_golden.c — the golden outputs of tests/golden/CASES: each case runs the
 * built CLI (BALANCE_BIN) from the repository root and compares its stdout
 * with tests/golden/<file>. Text must be identical except numbers; a number
 * (in text, or a JSON value) may differ by a relative 1e-9 (absolute 1e-12
 * near zero): the model is deterministic, so any larger change is a change
 * of the model or of the output, to be reviewed as a diff (`make golden`).
 */
#include "testcli.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GOLDEN_REL 1e-9
#define GOLDEN_ABS 1e-12

static int close_enough(double a, double b)
{
    if (a == b)
        return 1;
    if (isnan(a) || isnan(b))
        return 0;
    return fabs(a - b) <= GOLDEN_ABS + GOLDEN_REL * fmax(fabs(a), fabs(b));
}

/* Length of the number token at s (digits with optional sign, thousands
   commas between digits, one decimal point, exponent), 0 if none. The value
   without commas goes to *v. */
static size_t number_at(const char *s, double *v)
{
    size_t i = 0;
    if ((s[0] == '-' || s[0] == '+') && isdigit((unsigned char)s[1]))
        i = 1;
    if (!isdigit((unsigned char)s[i]) &&
        !(s[i] == '.' && isdigit((unsigned char)s[i + 1])))
        return 0;
    char buf[64];
    size_t n = 0;
    if (i == 1)
        buf[n++] = s[0];
    int dot = 0;
    for (;; i++) {
        const char c = s[i];
        if (isdigit((unsigned char)c)) {
        } else if (c == ',' && isdigit((unsigned char)s[i + 1]) && i > 0 &&
                   isdigit((unsigned char)s[i - 1]) && !dot) {
            continue;
        } else if (c == '.' && !dot && isdigit((unsigned char)s[i + 1])) {
            dot = 1;
        } else if ((c == 'e' || c == 'E') && (isdigit((unsigned char)s[i + 1]) ||
                                              ((s[i + 1] == '-' || s[i + 1] == '+') &&
                                               isdigit((unsigned char)s[i + 2])))) {
            if (n + 2 < sizeof buf)
                buf[n++] = c;
            i++;
            dot = 1;
        } else {
            break;
        }
        if (n + 1 < sizeof buf)
            buf[n++] = s[i];
    }
    buf[n] = '\0';
    *v = strtod(buf, NULL);
    return i;
}

/* 1-based line of position p in s, and that line into out. */
static int line_of(const char *s, size_t p, char *out, size_t n)
{
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i < p; i++)
        if (s[i] == '\n') {
            line++;
            start = i + 1;
        }
    size_t end = start;
    while (s[end] && s[end] != '\n')
        end++;
    snprintf(out, n, "%.*s", (int)(end - start), s + start);
    return line;
}

/* NULL when a and b agree; else a message naming the first difference. */
static char *text_diff(const char *a, const char *b)
{
    size_t i = 0, j = 0;
    for (;;) {
        double x, y;
        const size_t la = number_at(a + i, &x), lb = number_at(b + j, &y);
        if (la && lb) {
            if (!close_enough(x, y))
                break;
            i += la, j += lb;
            continue;
        }
        if (a[i] != b[j] || (la != 0) != (lb != 0))
            break;
        if (a[i] == '\0')
            return NULL;
        i++, j++;
    }
    char la_[512], lb_[512];
    const int na = line_of(a, i, la_, sizeof la_);
    const int nb = line_of(b, j, lb_, sizeof lb_);
    char *msg = malloc(1400);
    snprintf(msg, 1400, "golden line %d: %s\n   output line %d: %s", na, la_, nb, lb_);
    return msg;
}

/* Compare JSON values; on a difference write its path and return 0. */
static int json_same(const json_t *a, const json_t *b, char *path, size_t n)
{
    const size_t len = strlen(path);
    if (json_is_number(a) && json_is_number(b)) {
        if (close_enough(json_number_value(a), json_number_value(b)))
            return 1;
        snprintf(path + len, n - len, ": %.17g in the golden, %.17g now",
                 json_number_value(a), json_number_value(b));
        return 0;
    }
    if (json_typeof(a) != json_typeof(b)) {
        snprintf(path + len, n - len, ": not the same type");
        return 0;
    }
    switch (json_typeof(a)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *va;
        if (json_object_size(a) != json_object_size(b)) {
            snprintf(path + len, n - len, ": %zu keys in the golden, %zu now",
                     json_object_size(a), json_object_size(b));
            return 0;
        }
        json_object_foreach((json_t *)a, key, va) {
            snprintf(path + len, n - len, ".%s", key);
            const json_t *vb = json_object_get(b, key);
            if (vb == NULL) {
                strncat(path, ": missing now", n - strlen(path) - 1);
                return 0;
            }
            if (!json_same(va, vb, path, n))
                return 0;
        }
        path[len] = '\0';
        return 1;
    }
    case JSON_ARRAY:
        if (json_array_size(a) != json_array_size(b)) {
            snprintf(path + len, n - len, ": %zu items in the golden, %zu now",
                     json_array_size(a), json_array_size(b));
            return 0;
        }
        for (size_t k = 0; k < json_array_size(a); k++) {
            snprintf(path + len, n - len, "[%zu]", k);
            if (!json_same(json_array_get(a, k), json_array_get(b, k), path, n))
                return 0;
        }
        path[len] = '\0';
        return 1;
    case JSON_STRING:
        if (strcmp(json_string_value(a), json_string_value(b)) == 0)
            return 1;
        snprintf(path + len, n - len, ": \"%.200s\" in the golden, \"%.200s\" now",
                 json_string_value(a), json_string_value(b));
        return 0;
    default:
        if (json_equal((json_t *)a, (json_t *)b))
            return 1;
        snprintf(path + len, n - len, ": differs");
        return 0;
    }
}

static void check_case(const char *file, const char *args)
{
    char cmd[1024], tag[128];
    snprintf(tag, sizeof tag, "golden_%s", file);
    snprintf(cmd, sizeof cmd, "%s", args);
    setenv("LC_ALL", "C", 1);
    const int rc = run(tag, cmd);
    char *err = output(tag, "err");
    cr_assert_eq(rc, 0, "balance %s: exit %d: %s", args, rc, err);
    free(err);
    char *now = output(tag, "out");
    char gpath[512];
    snprintf(gpath, sizeof gpath, "tests/golden/%s", file);
    char *gold = tu_slurp(gpath);
    cr_assert_not_null(gold, "cannot read %s (run make golden)", gpath);
    if (tu_ends_with(file, ".json")) {
        json_error_t e1, e2;
        json_t *a = json_loads(gold, JSON_DECODE_ANY, &e1);
        json_t *b = json_loads(now, JSON_DECODE_ANY, &e2);
        cr_assert_not_null(a, "%s: line %d: %s", gpath, e1.line, e1.text);
        cr_assert_not_null(b, "balance %s: JSON line %d: %s", args, e2.line, e2.text);
        char path[2048] = "$";
        const int same = json_same(a, b, path, sizeof path);
        json_decref(a);
        json_decref(b);
        cr_expect(same, "%s differs from `balance %s` at %s\n(if intended: make golden, review "
                  "git diff tests/golden)", gpath, args, path);
    } else {
        char *d = text_diff(gold, now);
        cr_expect_null(d, "%s differs from `balance %s`:\n%s\n(if intended: make golden, "
                       "review git diff tests/golden)", gpath, args, d ? d : "");
        free(d);
    }
    free(gold);
    free(now);
}

/* Every case of tests/golden/CASES. */
Test(golden, cases, .init = tmp_init, .fini = tmp_fini, .timeout = 300)
{
    char *cases = tu_slurp("tests/golden/CASES");
    cr_assert_not_null(cases, "tests/golden/CASES: run the tests from the repository root");
    int n = 0;
    for (char *line = strtok(cases, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        cr_assert_not_null(tab, "tests/golden/CASES: no tab in '%s'", line);
        *tab = '\0';
        check_case(line, tab + 1);
        n++;
    }
    free(cases);
    cr_assert_geq(n, 8, "tests/golden/CASES lists %d cases", n);
}

/* The comparison itself: numbers within the tolerance pass, others fail. */
Test(golden, compare_text)
{
    cr_assert_null(text_diff("pop 1,234,567 and 0.25\n", "pop 1,234,567 and 0.25\n"));
    cr_assert_null(text_diff("x 1.0000000000001\n", "x 1.0000000000002\n"));
    char *d = text_diff("a\npop 1,234,567\n", "a\npop 1,234,568\n");
    cr_assert_not_null(d);
    cr_assert(strstr(d, "golden line 2: pop 1,234,567") != NULL, "%s", d);
    free(d);
    d = text_diff("share 52.44%\n", "share 52.45%\n");
    cr_assert_not_null(d);
    free(d);
    d = text_diff("2012-2021\n", "2012-2022\n");
    cr_assert_not_null(d);
    free(d);
    d = text_diff("abc\n", "abd\n");
    cr_assert_not_null(d);
    free(d);
    d = text_diff("abc\n", "abc\nmore\n");
    cr_assert_not_null(d);
    free(d);
    json_t *a = json_loads("{\"x\": [1, 2.5, \"s\"]}", 0, NULL);
    json_t *b = json_loads("{\"x\": [1, 2.5000000000001, \"s\"]}", 0, NULL);
    json_t *c = json_loads("{\"x\": [1, 2.6, \"s\"]}", 0, NULL);
    char path[256] = "$";
    cr_assert(json_same(a, b, path, sizeof path));
    cr_assert_not(json_same(a, c, path, sizeof path));
    cr_assert_str_eq(path, "$.x[1]: 2.5 in the golden, 2.6000000000000001 now");
    json_decref(a);
    json_decref(b);
    json_decref(c);
}
