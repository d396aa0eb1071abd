/*
 * scenario.c — read a scenario file (YAML, parsed by libfyaml) into a
 * bal_scenario, validating every key and value: an error names the file, the
 * line and what is wrong (docs/scenarios.md gives the format).
 */
#include "balance/scenario.h"

#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
    bal_ctx *ctx;
    const char *file;
    const bal_regions *regions;
    int64_t nsido;
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
    char msg[512];
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

static int number(reader *R, struct fy_node *n, const char *key, double lo, double hi, double *v)
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
        char range[96];
        snprintf(range, sizeof range, "%s: %g is out of range [%g, %g]", key, x, lo, hi);
        return bal_raise(R->ctx, BAL_EDATA, R->file, line_of(n), "%s", range);
    }
    *v = x;
    return BAL_OK;
}

static int year(reader *R, struct fy_node *n, const char *key, int *y)
{
    double v;
    int st = number(R, n, key, 2025, 2100, &v);
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

static int sector(reader *R, struct fy_node *n, const char *key, int strategic_only, int *k)
{
    int st = BAL_OK;
    const char *s = scalar(R, n, key, &st);
    if (s == NULL)
        return st;
    static const struct { const char *name; int k; } alias[] = {
        {"ai", BAL_SEC_AI_SOFTWARE}, {"bio", BAL_SEC_BIO}, {"energy", BAL_SEC_ENERGY},
        {"future_cars", BAL_SEC_FUTURE_CARS}, {"semiconductors", BAL_SEC_SEMICONDUCTOR}};
    int found = -1;
    for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++)
        if (strcmp(s, alias[i].name) == 0)
            found = alias[i].k;
    if (found < 0 && !strategic_only)
        found = bal_sector_find(s);
    if (found < 0)
        return err(R, n,
                   strategic_only
                       ? "%s: unknown industry '%s' (ai, bio, energy, future_cars, semiconductors)"
                       : "%s: unknown sector '%s' (see docs/model.md section 13.1)",
                   key, s);
    *k = found;
    return BAL_OK;
}

/* Iterate the pairs of mapping n, calling fn on each (key, value). */
typedef int (*pair_fn)(reader *R, const char *key, struct fy_node *kn, struct fy_node *v,
                       void *ud);

static int each_pair(reader *R, struct fy_node *n, const char *what, pair_fn fn, void *ud)
{
    if (n == NULL || !fy_node_is_mapping(n))
        return err(R, n, "%s: expected a mapping of settings", what);
    void *it = NULL;
    struct fy_node_pair *p;
    while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
        struct fy_node *k = fy_node_pair_key(p);
        const char *key = k && fy_node_is_scalar(k) ? fy_node_get_scalar0(k) : NULL;
        if (key == NULL)
            return err(R, k, "%s: keys must be plain names", what);
        int st = fn(R, key, k, fy_node_pair_value(p), ud);
        if (st)
            return st;
    }
    return BAL_OK;
}

static int unknown(reader *R, struct fy_node *k, const char *where, const char *key)
{
    return err(R, k, "%s: unknown setting '%s'", where, key);
}

/* ---- integration ---- */

static int union_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_union *u = ud;
    if (strcmp(key, "name") == 0) {
        int st = BAL_OK;
        const char *s = scalar(R, v, key, &st);
        if (s == NULL)
            return st;
        snprintf(u->name, sizeof u->name, "%s", s);
        return BAL_OK;
    }
    if (strcmp(key, "members") == 0) {
        if (v == NULL || !fy_node_is_sequence(v))
            return err(R, v ? v : k, "members: expected a list of provinces");
        void *it = NULL;
        struct fy_node *c;
        u->nmembers = 0;
        while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
            int64_t r;
            int st = region(R, c, "members", &r, NULL);
            if (st)
                return st;
            for (int i = 0; i < u->nmembers; i++)
                if (u->members[i] == r)
                    return err(R, c, "members: '%s' is named twice", fy_node_get_scalar0(c));
            if (u->nmembers == BAL_MAX_MEMBERS)
                return err(R, c, "members: too many");
            u->members[u->nmembers++] = r;
        }
        if (u->nmembers < 2)
            return err(R, v, "members: a union needs at least two provinces");
        return BAL_OK;
    }
    if (strcmp(key, "hq") == 0)
        return region(R, v, key, &u->hq, NULL);
    if (strcmp(key, "start") == 0)
        return year(R, v, key, &u->start);
    if (strcmp(key, "transport_open") == 0)
        return year(R, v, key, &u->transport_open);
    if (strcmp(key, "overhead_saving") == 0)
        return number(R, v, key, 0.0, 0.05, &u->overhead_saving);
    if (strcmp(key, "transport_cut") == 0)
        return number(R, v, key, 0.0, 0.8, &u->transport_cut);
    if (strcmp(key, "joint_industry") == 0)
        return number(R, v, key, 0.0, 1.0, &u->joint_industry);
    return unknown(R, k, "integration", key);
}

static int read_unions(reader *R, struct fy_node *v, bal_scenario *s)
{
    if (v == NULL || !fy_node_is_sequence(v))
        return err(R, v, "integration: expected a list of unions");
    void *it = NULL;
    struct fy_node *c;
    while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
        if (s->nunions == BAL_MAX_UNIONS)
            return err(R, c, "integration: at most 8 unions");
        bal_union *u = &s->unions[s->nunions];
        memset(u, 0, sizeof *u);
        u->hq = -1;
        u->start = 2027;
        u->overhead_saving = BAL_UNION_OVERHEAD;
        u->transport_cut = BAL_UNION_TRANSPORT;
        u->joint_industry = BAL_UNION_JOINT;
        int st = each_pair(R, c, "integration", union_pair, u);
        if (st)
            return st;
        if (u->nmembers < 2)
            return err(R, c, "integration: a union needs 'members' (two or more provinces)");
        if (u->name[0] == '\0')
            return err(R, c, "integration: a union needs a 'name'");
        if (u->transport_open == 0)
            u->transport_open = u->start + BAL_UNION_TRANSPORT_LAG;
        if (u->transport_open < u->start)
            return err(R, c, "integration: transport_open of '%s' is before its start", u->name);
        if (u->hq >= 0) {
            int in = 0;
            for (int i = 0; i < u->nmembers; i++)
                in |= u->members[i] == u->hq;
            if (!in)
                return err(R, c, "integration: the hq of '%s' is not one of its members", u->name);
        }
        for (int j = 0; j < s->nunions; j++)
            for (int a = 0; a < s->unions[j].nmembers; a++)
                for (int b = 0; b < u->nmembers; b++)
                    if (s->unions[j].members[a] == u->members[b] &&
                        strcmp(s->unions[j].name, u->name) != 0)
                        return err(R, c, "integration: a province is in two unions ('%s')",
                                   s->unions[j].name);
        /* a union of the same name replaces the inherited one */
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

/* ---- decentralization ---- */

static int leg_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_decentral *d = ud;
    if (strcmp(key, "sectors") == 0) {
        if (v == NULL || !fy_node_is_sequence(v))
            return err(R, v ? v : k, "sectors: expected a list of sectors");
        void *it = NULL;
        struct fy_node *c;
        d->leg_sectors = 0;
        while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
            int sec;
            int st = sector(R, c, "sectors", 0, &sec);
            if (st)
                return st;
            d->leg_sectors |= 1u << sec;
        }
        return BAL_OK;
    }
    if (strcmp(key, "productivity") == 0)
        return number(R, v, key, 0.0, 0.5, &d->leg_productivity);
    return unknown(R, k, "legislative", key);
}

static int fis_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_decentral *d = ud;
    if (strcmp(key, "preset") == 0) {
        int st = BAL_OK;
        const char *s = scalar(R, v, key, &st);
        if (s == NULL)
            return st;
        if (bal_fiscal_preset(s, d->local_share) != 0)
            return err(R, v, "preset: unknown '%s' (today, germany, united_states)", s);
        return BAL_OK;
    }
    static const char *const items[BAL_NTAX] = {"income", "corporate", "vat", "property",
                                                "other"};
    for (int i = 0; i < BAL_NTAX; i++)
        if (strcmp(key, items[i]) == 0)
            return number(R, v, key, 0.0, 1.0, &d->local_share[i]);
    if (strcmp(key, "new_levy") == 0)
        return number(R, v, key, 0.0, 0.05, &d->new_levy);
    if (strcmp(key, "invest_share") == 0)
        return number(R, v, key, 0.0, 1.0, &d->invest_share);
    return unknown(R, k, "fiscal", key);
}

static int exe_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_decentral *d = ud;
    if (strcmp(key, "efficiency") == 0)
        return number(R, v, key, 0.0, 0.2, &d->exe_efficiency);
    return unknown(R, k, "executive", key);
}

static int dec_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_decentral *d = ud;
    if (strcmp(key, "start") == 0)
        return year(R, v, key, &d->start);
    if (strcmp(key, "ramp") == 0)
        return number(R, v, key, 1.0, 30.0, &d->ramp);
    if (strcmp(key, "regions") == 0) {
        if (v == NULL || !fy_node_is_sequence(v))
            return err(R, v ? v : k, "regions: expected a list of provinces");
        memset(d->regions, 0, sizeof d->regions);
        void *it = NULL;
        struct fy_node *c;
        while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
            int64_t r;
            int st = region(R, c, "regions", &r, NULL);
            if (st)
                return st;
            d->regions[r] = 1;
        }
        return BAL_OK;
    }
    if (strcmp(key, "legislative") == 0) {
        d->leg_on = 1;
        if (d->leg_productivity == 0.0)
            d->leg_productivity = BAL_LEG_PRODUCTIVITY;
        return each_pair(R, v, key, leg_pair, d);
    }
    if (strcmp(key, "fiscal") == 0) {
        d->fis_on = 1;
        return each_pair(R, v, key, fis_pair, d);
    }
    if (strcmp(key, "executive") == 0) {
        d->exe_on = 1;
        if (d->exe_efficiency == 0.0)
            d->exe_efficiency = BAL_EXE_EFFICIENCY;
        return each_pair(R, v, key, exe_pair, d);
    }
    return unknown(R, k, "decentralization", key);
}

/* ---- metropolises ---- */

static int hub_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_hub *h = ud;
    if (strcmp(key, "region") == 0)
        return region(R, v, key, &h->sido, &h->sigungu);
    if (strcmp(key, "industry") == 0)
        return sector(R, v, key, 1, &h->sector);
    return unknown(R, k, "hub", key);
}

static int zone_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_metro *m = ud;
    if (strcmp(key, "productivity") == 0)
        return number(R, v, key, 0.0, 0.5, &m->zone_productivity);
    if (strcmp(key, "investment") == 0)
        return number(R, v, key, 0.0, 100.0, &m->zone_investment);
    return unknown(R, k, "special_zone", key);
}

static int fund_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_metro *m = ud;
    if (strcmp(key, "size") == 0)
        return number(R, v, key, 0.0, 100.0, &m->fund);
    if (strcmp(key, "deferral") == 0)
        return number(R, v, key, 0.0, 1.0, &m->fund_deferral);
    if (strcmp(key, "holding_reduction") == 0)
        return number(R, v, key, 0.0, 1.0, &m->fund_holding_cut);
    return unknown(R, k, "tax_free_fund", key);
}

static int infra_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_metro *m = ud;
    if (strcmp(key, "time_cut") == 0)
        return number(R, v, key, 0.0, 0.8, &m->infra_cut);
    if (strcmp(key, "cost") == 0)
        return number(R, v, key, 0.0, 500.0, &m->infra_cost);
    if (strcmp(key, "open") == 0)
        return year(R, v, key, &m->infra_open);
    return unknown(R, k, "infrastructure", key);
}

static int metro_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_metro *m = ud;
    if (strcmp(key, "start") == 0)
        return year(R, v, key, &m->start);
    if (strcmp(key, "ramp") == 0)
        return number(R, v, key, 1.0, 30.0, &m->ramp);
    if (strcmp(key, "hubs") == 0) {
        if (v == NULL || !fy_node_is_sequence(v))
            return err(R, v ? v : k, "hubs: expected a list of {region, industry}");
        void *it = NULL;
        struct fy_node *c;
        m->nhubs = 0;
        while ((c = fy_node_sequence_iterate(v, &it)) != NULL) {
            if (m->nhubs == BAL_MAX_HUBS)
                return err(R, c, "hubs: at most five");
            bal_hub h = {-1, -1, -1};
            int st = each_pair(R, c, "hub", hub_pair, &h);
            if (st)
                return st;
            if (h.sido < 0 || h.sector < 0)
                return err(R, c, "hub: needs 'region' and 'industry'");
            for (int i = 0; i < m->nhubs; i++) {
                if (m->hubs[i].sido == h.sido)
                    return err(R, c, "hubs: a hub is named twice in %s",
                               R->regions->r[h.sido].name_en);
                if (m->hubs[i].sector == h.sector)
                    return err(R, c, "hubs: industry '%s' is given to two hubs",
                               bal_sector_name(h.sector));
            }
            m->hubs[m->nhubs++] = h;
        }
        return BAL_OK;
    }
    if (strcmp(key, "special_zone") == 0)
        return each_pair(R, v, key, zone_pair, m);
    if (strcmp(key, "tax_free_fund") == 0)
        return each_pair(R, v, key, fund_pair, m);
    if (strcmp(key, "residential") == 0)
        return number(R, v, key, 0.0, 0.5, &m->residential);
    if (strcmp(key, "talent") == 0)
        return number(R, v, key, 0.0, 1e5, &m->talent);
    if (strcmp(key, "infrastructure") == 0)
        return each_pair(R, v, key, infra_pair, m);
    return unknown(R, k, "metropolises", key);
}

static int lever_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    bal_scenario *s = ud;
    if (strcmp(key, "integration") == 0)
        return read_unions(R, v, s);
    if (strcmp(key, "decentralization") == 0) {
        if (!s->dec.on) {
            s->dec.on = 1;
            for (int64_t r = 0; r < R->nsido; r++)
                s->dec.regions[r] = 1;
        }
        return each_pair(R, v, key, dec_pair, &s->dec);
    }
    if (strcmp(key, "metropolises") == 0) {
        if (s->metro.nhubs == 0)
            bal_metro_defaults(&s->metro);
        int st = each_pair(R, v, key, metro_pair, &s->metro);
        if (st == BAL_OK && s->metro.infra_open == 0)
            s->metro.infra_open = s->metro.start + BAL_INFRA_LAG;
        if (st == BAL_OK && s->metro.nhubs == 0)
            return err(R, k, "metropolises: 'hubs' is required");
        return st;
    }
    return err(R, k, "levers: unknown lever '%s' (integration, decentralization, metropolises)",
               key);
}

typedef struct top {
    bal_scenario *s;
    struct fy_node *extends, *levers;
} top;

static int top_pair(reader *R, const char *key, struct fy_node *k, struct fy_node *v, void *ud)
{
    top *t = ud;
    int st = BAL_OK;
    if (strcmp(key, "name") == 0 || strcmp(key, "description") == 0) {
        const char *s = scalar(R, v, key, &st);
        if (s == NULL)
            return st;
        if (key[0] == 'n')
            snprintf(t->s->name, sizeof t->s->name, "%s", s);
        else
            snprintf(t->s->description, sizeof t->s->description, "%s", s);
        return BAL_OK;
    }
    if (strcmp(key, "horizon") == 0)
        return year(R, v, key, &t->s->horizon);
    if (strcmp(key, "extends") == 0) {
        if (scalar(R, v, key, &st) == NULL)
            return st;
        t->extends = v;
        return BAL_OK;
    }
    if (strcmp(key, "levers") == 0) {
        t->levers = v;
        return BAL_OK;
    }
    return unknown(R, k, "scenario", key);
}

/* Parse a document from a file (text == NULL) or from text; on a syntax error
   raise it with the label and line. */
static struct fy_document *parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                                 int *st)
{
    struct fy_diag_cfg dc;
    fy_diag_cfg_default(&dc);
    dc.fp = NULL;
    dc.level = FYET_ERROR;
    struct fy_diag *diag = fy_diag_create(&dc);
    if (diag)
        fy_diag_set_collect_errors(diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG, .diag = diag};
    struct fy_document *doc = text ? fy_document_build_from_string(&cfg, text, len)
                                   : fy_document_build_from_file(&cfg, label);
    *st = BAL_OK;
    if (doc == NULL) {
        FILE *f = text ? NULL : fopen(label, "r");
        if (!text && f == NULL) {
            *st = bal_raise(ctx, BAL_EIO, label, 0, "cannot open the scenario file");
        } else {
            if (f)
                fclose(f);
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
    }
    if (diag)
        fy_diag_destroy(diag);
    return doc;
}

static int load(bal_ctx *ctx, const char *path, const char *text, size_t len,
                const char *base_dir, const bal_regions *regions, int64_t nsido, bal_scenario *s,
                int depth)
{
    if (depth > 8)
        return bal_raise(ctx, BAL_EDATA, path, 0, "extends: chain too long (a cycle?)");
    int st;
    struct fy_document *doc = parse(ctx, path, text, len, &st);
    if (doc == NULL)
        return st;
    reader R = {ctx, path, regions, nsido};
    struct fy_node *root = fy_document_root(doc);
    top t = {s, NULL, NULL};
    if (root == NULL)
        st = bal_raise(ctx, BAL_EDATA, path, 1, "empty scenario file");
    else
        st = each_pair(&R, root, "scenario", top_pair, &t);
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
            bal_scenario_init(s);
            st = load(ctx, parent, NULL, 0, NULL, regions, nsido, s, depth + 1);
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
        st = each_pair(&R, t.levers, "levers", lever_pair, s);
    if (st == BAL_OK && s->name[0] == '\0')
        st = bal_raise(ctx, BAL_EDATA, path, 1, "scenario: 'name' is required");
    fy_document_destroy(doc);
    return st;
}

int bal_scenario_parse(bal_ctx *ctx, const char *label, const char *text, size_t len,
                       const char *base_dir, const bal_regions *regions, int64_t nsido,
                       bal_scenario *s)
{
    bal_scenario_init(s);
    s->horizon = 0;
    int st = load(ctx, label, text, len, base_dir, regions, nsido, s, 0);
    if (st == BAL_OK && s->horizon == 0)
        s->horizon = 2052;
    return st;
}

int bal_scenario_load(bal_ctx *ctx, const char *path, const bal_regions *regions, int64_t nsido,
                      bal_scenario *s)
{
    bal_scenario_init(s);
    s->horizon = 0;
    int st = load(ctx, path, NULL, 0, NULL, regions, nsido, s, 0);
    if (st == BAL_OK && s->horizon == 0)
        s->horizon = 2052;
    return st;
}
