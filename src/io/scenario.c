/*
 * scenario.c — read a scenario file (YAML, parsed by libfyaml) into a
 * bal_scenario, validating every key and value: an error names the file, the
 * line and what is wrong (docs/scenarios.md gives the format).
 */
#include "balance/scenario.h"
#include "balance/datapack.h"
#include "balance/levers.h"

#include <jansson.h>
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct reader {
    bal_ctx *ctx;
    const char *file;
    const bal_regions *regions;
    int64_t nsido;
    int year_lo, year_hi; /* years a scenario may name: the data's base year to its year_max */
} reader;

static int line_of(struct fy_node *n)
{
    if (n == NULL)
        return 0;
    struct fy_token *t = fy_node_get_scalar_token(n);
    if (t == NULL)
        return 0;
    const struct fy_mark *m = fy_token_start_mark(t);
    return m ? m->line + 1 : 0;
}

/* Line of a mapping or sequence: its first scalar (key or item). */
static int line_any(struct fy_node *n)
{
    if (n == NULL)
        return 0;
    if (fy_node_is_scalar(n))
        return line_of(n);
    void *it = NULL;
    if (fy_node_is_mapping(n)) {
        struct fy_node_pair *p = fy_node_mapping_iterate(n, &it);
        return p ? line_of(fy_node_pair_key(p)) : 0;
    }
    struct fy_node *c = fy_node_sequence_iterate(n, &it);
    return line_any(c);
}

/* A validation error at node n; the format is checked by the compiler. */
static int err(reader *R, struct fy_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int err(reader *R, struct fy_node *n, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return bal_raise(R->ctx, BAL_EDATA, R->file, line_any(n), "%s", msg);
}

static const char *scalar(reader *R, struct fy_node *n, const char *key, int *st)
{
    if (n == NULL || !fy_node_is_scalar(n)) {
        *st = err(R, n, "%s: expected a single value", key);
        return NULL;
    }
    return fy_node_get_scalar0(n);
}

static int number(reader *R, struct fy_node *n, const char *key, const char *unit, double lo,
                  double hi, double *v)
{
    int st = BAL_OK;
    const char *s = scalar(R, n, key, &st);
    if (s == NULL)
        return st;
    char *end = NULL;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(x))
        return err(R, n, "%s: not a number: '%s'", key, s);
    if (x < lo || x > hi) {
        return bal_raise(R->ctx, BAL_EDATA, R->file, line_of(n), "%s: %g is out of range [%g, %g]%s%s%s",
                         key, x, lo, hi, unit && *unit ? " (" : "", unit ? unit : "",
                         unit && *unit ? ")" : "");
    }
    *v = x;
    return BAL_OK;
}

static int year(reader *R, struct fy_node *n, const char *key, int lo, int hi, int *y)
{
    double v;
    int st = number(R, n, key, NULL, lo, hi, &v);
    if (st)
        return st;
    if (v != floor(v))
        return err(R, n, "%s: not a whole year", key);
    *y = (int)v;
    return BAL_OK;
}

/* A sido by code or English name; a sigungu (5-digit code or name) gives
   its sido and *sgg. */
static int region(reader *R, struct fy_node *n, const char *key, int64_t *sido, int64_t *sgg)
{
    int st = BAL_OK;
    const char *s = scalar(R, n, key, &st);
    if (s == NULL)
        return st;
    int64_t i = bal_regions_find(R->regions, s);
    if (i < 0)
        for (int64_t j = 0; j < R->regions->n && i < 0; j++)
            if (strcmp(R->regions->r[j].name_en, s) == 0 || strcmp(R->regions->r[j].name_ko, s) == 0)
                i = j;
    if (i < 0)
        return err(R, n, "%s: unknown region '%s'", key, s);
    if (i < R->nsido) {
        *sido = i;
        if (sgg)
            *sgg = -1;
        return BAL_OK;
    }
    if (sgg == NULL)
        return err(R, n, "%s: '%s' is a sigungu; a province (sido) is expected here", key, s);
    *sgg = i;
    *sido = R->regions->r[i].parent;
    return BAL_OK;
}

/* The five strategic industries by their scenario names. */
static const struct {
    const char *name;
    int k;
} INDUSTRY[] = {{"ai", BAL_SEC_AI_SOFTWARE},
                {"bio", BAL_SEC_BIO},
                {"energy", BAL_SEC_ENERGY},
                {"future_cars", BAL_SEC_FUTURE_CARS},
                {"semiconductors", BAL_SEC_SEMICONDUCTOR}};

const char *bal_scenario_industry_name(int i)
{
    return i >= 0 && i < (int)(sizeof INDUSTRY / sizeof INDUSTRY[0]) ? INDUSTRY[i].name : NULL;
}

static int sector(reader *R, struct fy_node *n, const char *key, int strategic_only, int *k)
{
    int st = BAL_OK;
    const char *s = scalar(R, n, key, &st);
    if (s == NULL)
        return st;
    int found = -1;
    for (size_t i = 0; i < sizeof INDUSTRY / sizeof INDUSTRY[0]; i++)
        if (strcmp(s, INDUSTRY[i].name) == 0)
            found = INDUSTRY[i].k;
    if (found < 0 && !strategic_only)
        found = bal_econ_sector_find(s);
    if (found < 0)
        return err(R, n,
                   strategic_only
                       ? "%s: unknown industry '%s' (ai, bio, energy, future_cars, semiconductors)"
                       : "%s: unknown sector '%s' (see docs/model.md section 13.1)",
                   key, s);
    *k = found;
    return BAL_OK;
}

/* ---- the settings, read through the lever table (levers.h) ---- */

/* "name, members, hq, ..." : the keys a section or list item accepts. */
static void keys_of(const bal_lever *parent, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < bal_nlevers && len + 1 < n; i++)
        if (bal_lever_is_child(&bal_levers[i], parent))
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "",
                                    bal_lever_key(&bal_levers[i]));
}

static const bal_lever *child(const bal_lever *parent, const char *key)
{
    for (int i = 0; i < bal_nlevers; i++)
        if (bal_lever_is_child(&bal_levers[i], parent) &&
            strcmp(bal_lever_key(&bal_levers[i]), key) == 0)
            return &bal_levers[i];
    return NULL;
}

static int read_section(reader *R, const bal_lever *sec, struct fy_node *n, char *obj);

static int read_value(reader *R, const bal_lever *lv, struct fy_node *k, struct fy_node *v,
                      char *at)
{
    const char *key = bal_lever_key(lv);
    int st = BAL_OK;
    switch (lv->kind) {
    case BAL_LK_NUMBER:
        return number(R, v, key, lv->unit, lv->lo, lv->hi, (double *)(void *)at);
    case BAL_LK_YEAR:
        return year(R, v, key, R->year_lo, R->year_hi, (int *)(void *)at);
    case BAL_LK_TEXT: {
        const char *s = scalar(R, v, key, &st);
        if (s == NULL)
            return st;
        if (strlen(s) >= lv->cap) {
            char lim[32];
            snprintf(lim, sizeof lim, "%zu", lv->cap - 1);
            return err(R, v, "%s: longer than %s bytes", key, lim);
        }
        memcpy(at, s, strlen(s) + 1);
        return BAL_OK;
    }
    case BAL_LK_PROVINCE:
        return region(R, v, key, (int64_t *)(void *)at, NULL);
    case BAL_LK_PLACE:
        return region(R, v, key, (int64_t *)(void *)at, (int64_t *)(void *)at + 1);
    case BAL_LK_INDUSTRY:
        return sector(R, v, key, 1, (int *)(void *)at);
    case BAL_LK_PRESET: {
        const char *s = scalar(R, v, key, &st);
        if (s == NULL)
            return st;
        if (bal_policy_fiscal_preset(s, (double *)(void *)at) != 0)
            return err(R, v, "preset: unknown '%s' (today, germany, united_states)", s);
        return BAL_OK;
    }
    case BAL_LK_SECTORS:
    case BAL_LK_PROVINCES:
    case BAL_LK_PROVINCE_SET: {
        const char *what = lv->kind == BAL_LK_SECTORS ? "sectors" : "provinces";
        if (v == NULL || !fy_node_is_sequence(v)) {
            return err(R, v ? v : k, "%s: expected a list of %s", key, what);
        }
        int *count = lv->kind == BAL_LK_PROVINCES ? (int *)(void *)(at - lv->offset + (size_t)lv->flag)
                                                  : NULL;
        if (lv->kind == BAL_LK_SECTORS)
            *(unsigned *)(void *)at = 0;
        else if (count)
            *count = 0;
        else
            memset(at, 0, lv->cap);
        void *it = NULL;
        struct fy_node *c;
        while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
            if (lv->kind == BAL_LK_SECTORS) {
                int sec;
                if ((st = sector(R, c, key, 0, &sec)))
                    return st;
                *(unsigned *)(void *)at |= 1u << sec;
                continue;
            }
            int64_t r;
            if ((st = region(R, c, key, &r, NULL)))
                return st;
            if (count == NULL) {
                if ((size_t)r >= lv->cap)
                    return err(R, c, "%s: '%s' is beyond the provinces this build holds", key,
                               fy_node_get_scalar0(c));
                at[r] = 1;
                continue;
            }
            int64_t *list = (int64_t *)(void *)at;
            for (int i = 0; i < *count; i++)
                if (list[i] == r)
                    return err(R, c, "%s: '%s' is named twice", key, fy_node_get_scalar0(c));
            if ((size_t)*count == lv->cap)
                return err(R, c, "%s: too many", key);
            list[(*count)++] = r;
        }
        return BAL_OK;
    }
    default:
        return err(R, k, "%s: not a setting", key);
    }
}

/* The rules between settings of a union, checked once it is read. */
static int check_union(reader *R, struct fy_node *n, const bal_scenario *s, const bal_union *u)
{
    if (u->nmembers < 2)
        return err(R, n, "integration: a union needs 'members' (two or more provinces)");
    if (u->name[0] == '\0')
        return err(R, n, "integration: a union needs a 'name'");
    if (u->transport_open < u->start)
        return err(R, n, "integration: transport_open of '%s' is before its start", u->name);
    if (u->hq >= 0) {
        int in = 0;
        for (int i = 0; i < u->nmembers; i++)
            in |= u->members[i] == u->hq;
        if (!in)
            return err(R, n, "integration: the hq of '%s' is not one of its members", u->name);
    }
    for (int j = 0; j < s->nunions; j++)
        for (int a = 0; a < s->unions[j].nmembers; a++)
            for (int b = 0; b < u->nmembers; b++)
                if (s->unions[j].members[a] == u->members[b] &&
                    strcmp(s->unions[j].name, u->name) != 0)
                    return err(R, n, "integration: a province is in two unions ('%s')",
                               s->unions[j].name);
    return BAL_OK;
}

static int check_hub(reader *R, struct fy_node *n, const bal_metro *m, const bal_hub *h)
{
    if (h->sido < 0 || h->sector < 0)
        return err(R, n, "hub: needs 'region' and 'industry'");
    for (int i = 0; i < m->nhubs; i++) {
        if (m->hubs[i].sido == h->sido)
            return err(R, n, "hubs: a hub is named twice in %s", R->regions->r[h->sido].name_en);
        if (m->hubs[i].sector == h->sector)
            return err(R, n, "hubs: industry '%s' is given to two hubs",
                       bal_econ_sector_name(h->sector));
    }
    return BAL_OK;
}

/* A list of mappings: unions accumulate (one of the same name replaces the
   inherited one); hubs replace the inherited list. `obj` is the object
   holding the list. */
static int read_list(reader *R, const bal_lever *lv, struct fy_node *k, struct fy_node *v,
                     char *obj)
{
    const char *key = bal_lever_key(lv);
    const int is_union = strcmp(lv->path, "levers.integration") == 0;
    if (v == NULL || !fy_node_is_sequence(v))
        return err(R, v ? v : k,
                   is_union ? "%s: expected a list of unions" : "%s: expected a list of {region, industry}",
                   key);
    int *count = (int *)(void *)(obj + lv->flag);
    char *items = obj + lv->offset;
    if (!is_union)
        *count = 0;
    void *it = NULL;
    struct fy_node *c;
    while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
        if ((size_t)*count == lv->cap) {
            char lim[32];
            snprintf(lim, sizeof lim, "%zu", lv->cap);
            return err(R, c, "%s: at most %s", key, lim);
        }
        char *item = items + (size_t)*count * lv->size;
        memset(item, 0, lv->size);
        bal_lever_defaults(lv, item);
        int st = read_section(R, lv, c, item);
        if (st)
            return st;
        bal_lever_finish(lv, item);
        if (!is_union) {
            if ((st = check_hub(R, c, (const bal_metro *)(const void *)obj,
                                (const bal_hub *)(const void *)item)))
                return st;
            (*count)++;
            continue;
        }
        bal_scenario *s = (bal_scenario *)(void *)obj;
        const bal_union *u = (const bal_union *)(const void *)item;
        if ((st = check_union(R, c, s, u)))
            return st;
        int slot = s->nunions;
        for (int j = 0; j < s->nunions; j++)
            if (strcmp(s->unions[j].name, u->name) == 0)
                slot = j;
        if (slot != s->nunions)
            s->unions[slot] = *u;
        else
            s->nunions++;
    }
    return BAL_OK;
}

/* The key and value of pair p of a mapping of `parent` (NULL: the scenario's
   top level) and the row of the key; a key that is not a plain name or not a
   setting of that mapping is an error that lists the keys it accepts. */
static int pair_row(reader *R, const bal_lever *parent, const char *what, struct fy_node_pair *p,
                    struct fy_node **k, struct fy_node **v, const bal_lever **lv)
{
    *k = fy_node_pair_key(p);
    *v = fy_node_pair_value(p);
    const char *key = *k && fy_node_is_scalar(*k) ? fy_node_get_scalar0(*k) : NULL;
    if (key == NULL)
        return err(R, *k, "%s: keys must be plain names", what);
    if ((*lv = child(parent, key)) != NULL)
        return BAL_OK;
    char keys[512];
    keys_of(parent, keys, sizeof keys);
    const int top = parent && strcmp(parent->path, "levers") == 0;
    return err(R, *k, "%s: unknown %s '%s' (%s)", top ? "levers" : what,
               top ? "lever" : "setting", key, keys);
}

/* The settings of mapping n into obj, the object of section (or list) sec. */
static int read_section(reader *R, const bal_lever *sec, struct fy_node *n, char *obj)
{
    const char *what = sec->kind == BAL_LK_LIST
                           ? (strcmp(sec->path, "levers.integration") == 0 ? "integration" : "hub")
                           : bal_lever_key(sec);
    if (n == NULL || !fy_node_is_mapping(n))
        return err(R, n, "%s: expected a mapping of settings", what);
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
        struct fy_node *k, *v;
        const bal_lever *lv;
        int st = pair_row(R, sec, what, p, &k, &v, &lv);
        if (st)
            return st;
        if (lv->kind == BAL_LK_SECTION) {
            char *sub = obj + lv->offset;
            if (lv->flag >= 0)
                *(int *)(void *)(sub + lv->flag) = 1;
            st = read_section(R, lv, v, sub);
            if (st == BAL_OK && lv->flag >= 0)
                bal_lever_finish(lv, sub);
            if (st == BAL_OK && strcmp(lv->path, "levers.metropolises") == 0 &&
                ((bal_metro *)(void *)sub)->nhubs == 0)
                st = err(R, k, "metropolises: 'hubs' is required");
        } else if (lv->kind == BAL_LK_LIST) {
            st = read_list(R, lv, k, v, obj);
        } else {
            st = read_value(R, lv, k, v, obj + lv->offset);
        }
        if (st)
            return st;
    }
    return BAL_OK;
}

typedef struct top {
    bal_scenario *s;
    struct fy_node *extends, *levers;
} top;

/* The scenario's own keys: name, description, horizon now; extends and
   levers are kept for the loader (the parent is read first). */
static int read_top(reader *R, struct fy_node *n, top *t)
{
    if (n == NULL || !fy_node_is_mapping(n))
        return err(R, n, "scenario: expected a mapping of settings");
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
        struct fy_node *k, *v;
        const bal_lever *lv;
        int st = pair_row(R, NULL, "scenario", p, &k, &v, &lv);
        if (st)
            return st;
        if (lv->kind == BAL_LK_EXTENDS) {
            if (scalar(R, v, bal_lever_key(lv), &st) == NULL)
                return st;
            t->extends = v;
        } else if (lv->kind == BAL_LK_SECTION) {
            t->levers = v;
        } else if ((st = read_value(R, lv, k, v, (char *)t->s + lv->offset))) {
            return st;
        }
    }
    return BAL_OK;
}

/* A scenario is UTF-8 text of at most this many bytes (the largest shipped
   file is under 2 KiB). */
#define SCENARIO_MAX_BYTES (1 << 20)

/* 0 when text[0..len) is UTF-8 without NUL bytes (RFC 3629: no overlong
   forms, no surrogates, nothing above U+10FFFF); else the offset of the
   first byte that is not, plus one. Checked before libfyaml sees the text:
   its scanner loops on some invalid bytes (a directive "%" followed by 0xff). */
static size_t utf8_invalid_at(const unsigned char *t, size_t len)
{
    size_t i = 0;
    while (i < len) {
        const unsigned c = t[i];
        size_t n;
        unsigned lo = 0x80, hi = 0xbf;
        if (c == 0)
            return i + 1;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            lo = c == 0xe0 ? 0xa0 : 0x80;
            hi = c == 0xed ? 0x9f : 0xbf;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            lo = c == 0xf0 ? 0x90 : 0x80;
            hi = c == 0xf4 ? 0x8f : 0xbf;
        } else {
            return i + 1;
        }
        if (i + n >= len) /* the sequence runs past the end */
            return i + 1;
        for (size_t k = 1; k <= n; k++) {
            const unsigned d = t[i + k];
            if (k == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xbf))
                return i + 1;
        }
        i += n + 1;
    }
    return 0;
}

/* Parse a document from text (from a file when `text` is NULL: read whole
   into *owned, which the caller frees after the document); on an error
   raise it with the label and line. */
static struct fy_document *parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                                 char **owned, int *st)
{
    *owned = NULL;
    *st = BAL_OK;
    if (text == NULL) {
        struct stat sb;
        if (stat(label, &sb) != 0) {
            *st = bal_raise(ctx, BAL_EIO, label, 0, "cannot open the scenario file");
            return NULL;
        }
        if (!S_ISREG(sb.st_mode)) {
            *st = bal_raise(ctx, BAL_EDATA, label, 0, "not a regular file");
            return NULL;
        }
        if (sb.st_size > SCENARIO_MAX_BYTES) {
            *st = bal_raise(ctx, BAL_EDATA, label, 0, "scenario file larger than %d bytes",
                            SCENARIO_MAX_BYTES);
            return NULL;
        }
        if ((*owned = bal_file_read(ctx, label, &len)) == NULL) {
            *st = bal_ctx_status(ctx);
            return NULL;
        }
        text = *owned;
    }
    const size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad) {
        long line = 1;
        for (size_t i = 0; i + 1 < bad; i++)
            line += text[i] == '\n';
        *st = bal_raise(ctx, BAL_EDATA, label, line,
                        "not a text file: byte 0x%02x is not UTF-8 (scenario files are YAML text)",
                        (unsigned char)text[bad - 1]);
        return NULL;
    }
    size_t blank = 0;
    while (blank < len && (text[blank] == ' ' || text[blank] == '\t' || text[blank] == '\n' ||
                           text[blank] == '\r'))
        blank++;
    if (blank == len) {
        *st = bal_raise(ctx, BAL_EDATA, label, 1,
                        "empty scenario file (a scenario needs at least a 'name')");
        return NULL;
    }
    /* only comments (and blank lines, document markers): say so, not "parse error" */
    int only_comments = 1;
    for (size_t k = 0; k < len && only_comments;) {
        size_t e = k;
        while (e < len && text[e] != '\n')
            e++;
        size_t b = k;
        while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r'))
            b++;
        if (b + 3 <= e && (strncmp(text + b, "---", 3) == 0 || strncmp(text + b, "...", 3) == 0)) {
            b += 3; /* a document marker alone (or with a comment) on its line */
            while (b < e && (text[b] == ' ' || text[b] == '\t' || text[b] == '\r'))
                b++;
        }
        if (b < e && text[b] != '#')
            only_comments = 0;
        k = e + 1;
    }
    if (only_comments) {
        *st = bal_raise(ctx, BAL_EDATA, label, 1,
                        "no settings: the file holds only comments (a scenario needs at least "
                        "a 'name')");
        return NULL;
    }
    /* Quote escapes ('') inside single-quoted text: libfyaml 0.7.12 leaks its
       scalar buffer on them (found by tests/fuzz/fuzz_scenario.c with 68
       bytes; the server's 1.9 GB leak was the same), so such text is refused
       before the parser: double quotes write any text. Comments and
       double-quoted text are skipped; '' alone (the empty text) is allowed. */
    {
        long ln = 1;
        int line_start = 1;
        for (size_t k = 0; k < len; k++) {
            const char ch = text[k];
            if (ch == '\n') {
                ln++;
                line_start = 1;
                continue;
            }
            const int after_space = line_start || text[k - 1] == ' ' || text[k - 1] == '\t';
            line_start = 0;
            if (ch == '#' && after_space) { /* a comment: to the end of the line */
                while (k + 1 < len && text[k + 1] != '\n')
                    k++;
            } else if (ch == '"') { /* double-quoted: to the closing quote */
                for (k++; k < len && text[k] != '"'; k++) {
                    if (text[k] == '\\' && k + 1 < len)
                        k++;
                    else if (text[k] == '\n')
                        ln++;
                }
            } else if (ch == '\'') { /* single-quoted: to the closing quote */
                for (k++; k < len; k++) {
                    if (text[k] == '\'') {
                        if (k + 1 < len && text[k + 1] == '\'') {
                            *st = bal_raise(ctx, BAL_EDATA, label, ln,
                                            "'' inside single-quoted text: write the text in "
                                            "double quotes");
                            return NULL;
                        }
                        break;
                    }
                    if (text[k] == '\n')
                        ln++;
                }
            }
        }
    }
    /* Tabs and explicit keys ("? key"): the scenario format uses neither, and
       libfyaml 0.7.12 writes through a null pointer on a file of tabs after a
       "?" key (found by tests/fuzz/fuzz_scenario.c; the input is in
       tests/fuzz/regress/fuzz_scenario/): refused before the parser. */
    {
        long ln = 1;
        int at_line_start = 1;
        for (size_t k = 0; k < len; k++) {
            const char ch = text[k];
            if (ch == '\t') {
                *st = bal_raise(ctx, BAL_EDATA, label, ln,
                                "a tab character: scenario files are indented with spaces "
                                "(YAML does not allow tabs for indentation)");
                return NULL;
            }
            if (at_line_start && ch == '?' && (k + 1 == len || text[k + 1] == ' ' ||
                                               text[k + 1] == '\n' || text[k + 1] == '\r')) {
                *st = bal_raise(ctx, BAL_EDATA, label, ln,
                                "an explicit key ('? '): scenario keys are plain names");
                return NULL;
            }
            if (ch == '\n') {
                ln++;
                at_line_start = 1;
            } else if (ch != ' ') {
                at_line_start = 0;
            }
        }
    }
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.level = FYET_ERROR;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (diag)
        fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG, .diag = diag};
    struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
    if (doc == NULL) {
        void *it = NULL;
        struct fy_diag_error *e = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
        int ln = e ? e->line : 0;
        if (e && e->fyt) {
            const struct fy_mark *mk = fy_token_start_mark(e->fyt);
            if (mk)
                ln = mk->line + 1;
        }
        *st = bal_raise(ctx, BAL_EDATA, label, ln, "not valid YAML: %s",
                        e && e->msg ? e->msg : "parse error");
    }
    if (diag)
        fy_diag_destroy(diag);
    return doc;
}

static int load(bal_ctx *ctx, const char *path, const char *text, size_t len,
                const char *base_dir, const bal_datapack *pk, bal_scenario *s, int depth)
{
    if (depth > 8)
        return bal_raise(ctx, BAL_EDATA, path, 0, "extends: chain too long (a cycle?)");
    const int64_t nsido = pk->nsido;
    if (nsido < 1 || nsido > BAL_MAX_SIDO) /* the scenario's per-sido arrays */
        return bal_raise(ctx, BAL_EUSAGE, NULL, 0, "scenario: %lld sido (1..%d supported)",
                         (long long)nsido, BAL_MAX_SIDO);
    int st;
    char *owned;
    struct fy_document *doc = parse(ctx, path, text, len, &owned, &st);
    if (doc == NULL) {
        bal_free(ctx, owned);
        return st;
    }
    reader R = {ctx, path, &pk->regions, nsido, pk->vintage.base_year, pk->vintage.year_max};
    struct fy_node *root = fy_document_root(doc);
    top t = {s, NULL, NULL};
    if (root == NULL)
        st = bal_raise(ctx, BAL_EDATA, path, 1, "empty scenario file");
    else
        st = read_top(&R, root, &t);
    if (st == BAL_OK && t.extends) {
        /* the parent first, relative to this file's directory (or base_dir) */
        const char *rel = fy_node_get_scalar0(t.extends);
        char parent[PATH_MAX];
        const char *slash = text ? NULL : strrchr(path, '/');
        if (strstr(rel, "..") != NULL && text)
            st = err(&R, t.extends, "extends: '%s' must name a shipped scenario", rel);
        else if (rel[0] == '/' && !text)
            snprintf(parent, sizeof parent, "%s", rel);
        else if (text)
            snprintf(parent, sizeof parent, "%s/%s", base_dir ? base_dir : ".", rel);
        else if (slash == NULL)
            snprintf(parent, sizeof parent, "%s", rel);
        else
            snprintf(parent, sizeof parent, "%.*s/%s", (int)(slash - path), path, rel);
        if (st == BAL_OK) {
            bal_scenario mine = *s;
            bal_policy_scenario_init(s);
            st = load(ctx, parent, NULL, 0, NULL, pk, s, depth + 1);
            if (st == BAL_OK) {
                snprintf(s->extends, sizeof s->extends, "%s", rel);
                snprintf(s->name, sizeof s->name, "%s", mine.name);
                snprintf(s->description, sizeof s->description, "%s", mine.description);
                if (mine.horizon != 0)
                    s->horizon = mine.horizon;
            }
        }
    }
    if (st == BAL_OK && t.levers)
        st = read_section(&R, bal_lever_find("levers"), t.levers, (char *)s);
    if (st == BAL_OK && s->name[0] == '\0')
        st = bal_raise(ctx, BAL_EDATA, path, 1, "scenario: 'name' is required");
    fy_document_destroy(doc);
    bal_free(ctx, owned);
    return st;
}

int bal_scenario_parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                       const char *base_dir, const bal_datapack *pk, bal_scenario *s)
{
    bal_policy_scenario_init(s);
    int st = load(ctx, label, text, len, base_dir, pk, s, 0);
    if (st == BAL_OK && s->horizon == 0) /* none given: the data's */
        s->horizon = pk->vintage.horizon;
    return st;
}

int bal_scenario_load(bal_ctx *ctx, const char *path, const bal_datapack *pk, bal_scenario *s)
{
    return bal_scenario_parse(ctx, path, NULL, 0, NULL, pk, s);
}

/* ---- writing: a resolved scenario and the lever table as JSON ---- */

static const char *industry_name(int k)
{
    for (size_t i = 0; i < sizeof INDUSTRY / sizeof INDUSTRY[0]; i++)
        if (INDUSTRY[i].k == k)
            return INDUSTRY[i].name;
    return bal_econ_sector_name(k);
}

static json_t *code_of(const bal_regions *R, int64_t i)
{
    return json_string(R->r[i].code);
}

/* The settings of `sec` in obj; NULL when out of memory. */
static json_t *write_section(const bal_lever *sec, const char *obj, const bal_regions *R,
                             int64_t nsido)
{
    json_t *o = json_object();
    int bad = o == NULL;
    for (int i = 0; i < bal_nlevers && !bad; i++) {
        const bal_lever *lv = &bal_levers[i];
        if (!bal_lever_is_child(lv, sec))
            continue;
        const char *at = obj + lv->offset;
        json_t *v = NULL;
        switch (lv->kind) {
        case BAL_LK_SECTION:
            if (lv->flag >= 0 && *(const int *)(const void *)(at + lv->flag) == 0)
                continue;
            v = write_section(lv, at, R, nsido);
            bad = v == NULL;
            if (v && lv->flag < 0 && json_object_size(v) == 0) {
                json_decref(v);
                continue;
            }
            break;
        case BAL_LK_LIST: {
            const int n = *(const int *)(const void *)(obj + lv->flag);
            if (n == 0)
                continue;
            v = json_array();
            for (int k = 0; k < n && v; k++)
                if (json_array_append_new(v, write_section(lv, at + (size_t)k * lv->size, R,
                                                           nsido)))
                    bad = 1;
            break;
        }
        case BAL_LK_NUMBER: {
            const double x = *(const double *)(const void *)at;
            if (isnan(x))
                continue;
            v = json_real(x);
            break;
        }
        case BAL_LK_YEAR: v = json_integer(*(const int *)(const void *)at); break;
        case BAL_LK_TEXT:
            if (at[0] == '\0')
                continue;
            v = json_string(at);
            break;
        case BAL_LK_PROVINCE: {
            const int64_t r = *(const int64_t *)(const void *)at;
            if (r < 0)
                continue;
            v = code_of(R, r);
            break;
        }
        case BAL_LK_PLACE: {
            const int64_t *p = (const int64_t *)(const void *)at;
            v = code_of(R, p[1] >= 0 ? p[1] : p[0]);
            break;
        }
        case BAL_LK_PROVINCES: {
            const int n = *(const int *)(const void *)(obj + lv->flag);
            v = json_array();
            for (int k = 0; k < n && v; k++)
                bad |= json_array_append_new(v, code_of(R, ((const int64_t *)(const void *)at)[k]));
            break;
        }
        case BAL_LK_PROVINCE_SET: {
            int64_t all = 1;
            for (int64_t r = 0; r < nsido && (size_t)r < lv->cap; r++)
                all &= at[r] != 0;
            if (all)
                continue;
            v = json_array();
            for (int64_t r = 0; r < nsido && (size_t)r < lv->cap && v; r++)
                if (at[r])
                    bad |= json_array_append_new(v, code_of(R, r));
            break;
        }
        case BAL_LK_SECTORS: {
            const unsigned set = *(const unsigned *)(const void *)at;
            v = json_array();
            for (int k = 0; k < BAL_NSEC && v; k++)
                if (set >> k & 1u)
                    bad |= json_array_append_new(v, json_string(bal_econ_sector_name(k)));
            break;
        }
        case BAL_LK_INDUSTRY: v = json_string(industry_name(*(const int *)(const void *)at)); break;
        default: continue; /* extends (resolved), presets (written as their shares) */
        }
        if (v == NULL || json_object_set_new(o, bal_lever_key(lv), v) != 0)
            bad = 1;
    }
    if (bad) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *bal_scenario_json(const bal_scenario *s, const bal_regions *regions, int64_t nsido)
{
    return write_section(NULL, (const char *)s, regions, nsido);
}

