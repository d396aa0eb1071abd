/*
 * test_levers.c — the lever table (levers.h) drives everything about a
 * scenario setting:
 *  - every setting in the table acts: set away from its default, one at a
 *    time, it changes the outputs, unless the table marks it pending;
 *  - every number's range and unit come out of the parser's message;
 *  - a resolved scenario written as JSON reads back to the same scenario
 *    (the dashboard editor posts exactly that);
 *  - docs/scenarios.md lists every setting of the table.
 */
#include "balance/datapack.h"
#include "balance/engine.h"
#include "balance/levers.h"
#include "balance/policy.h"
#include "balance/scenario.h"

#include "testcli.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bal_ctx *CTX;
static bal_datapack PK;

static void load_pack(void)
{
    CTX = bal_ctx_alloc();
    cr_assert_eq(bal_datapack_load(CTX, tu_data_dir(), &PK), BAL_OK, "%s", bal_ctx_message(CTX));
}

static void free_pack(void)
{
    bal_datapack_release(CTX, &PK);
    bal_ctx_free(CTX);
}

/* Set `value` at a lever path in root ("[]" is the list's first item),
   creating the objects on the way. Steals value. */
static void set_path(json_t *root, const char *path, json_t *value)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    json_t *o = root;
    char *save = NULL;
    char *part = strtok_r(buf, ".", &save);
    while (part) {
        char *next = strtok_r(NULL, ".", &save);
        const size_t n = strlen(part);
        const int item = n > 2 && strcmp(part + n - 2, "[]") == 0;
        if (item)
            part[n - 2] = '\0';
        if (next == NULL) {
            cr_assert(!item);
            json_object_set_new(o, part, value);
            return;
        }
        json_t *c = json_object_get(o, part);
        if (c == NULL) {
            c = item ? json_array() : json_object();
            json_object_set_new(o, part, c);
        }
        if (item) {
            if (json_array_size(c) == 0)
                json_array_append_new(c, json_object());
            c = json_array_get(c, 0);
        }
        o = c;
        part = next;
    }
}

/* A scenario of the lever's family with every part of it switched on, so
   that each setting has something to act on. */
static json_t *family_base(const char *family)
{
    const char *text = NULL;
    if (strcmp(family, "integration") == 0)
        text = "{\"name\": \"base\", \"levers\": {\"integration\": [{\"name\": \"U\", "
               "\"members\": [\"26\", \"48\"]}]}}";
    else if (strcmp(family, "decentralization") == 0)
        text = "{\"name\": \"base\", \"levers\": {\"decentralization\": {\"legislative\": "
               "{\"sectors\": [\"semiconductors\"]}, \"fiscal\": {\"preset\": \"germany\", "
               "\"new_levy\": 0.002}, \"executive\": {}}}}";
    else if (strcmp(family, "metropolises") == 0)
        text = "{\"name\": \"base\", \"levers\": {\"metropolises\": {\"hubs\": [{\"region\": "
               "\"29\", \"industry\": \"ai\"}, {\"region\": \"31\", \"industry\": "
               "\"future_cars\"}]}}}";
    else
        text = "{\"name\": \"base\", \"levers\": {\"metropolises\": {\"hubs\": [{\"region\": "
               "\"29\", \"industry\": \"ai\"}]}}}";
    json_error_t e;
    json_t *j = json_loads(text, 0, &e);
    cr_assert_not_null(j, "%s", e.text);
    return j;
}

/* A value away from the default for each kind of setting; NULL for the
   kinds that are not settings of the model (names, sections, files). */
static json_t *variant(const bal_lever *lv)
{
    switch (lv->kind) {
    case BAL_LK_NUMBER: {
        const double d = isnan(lv->def) ? lv->lo : lv->def;
        return json_real(d < lv->hi ? d + 0.4 * (lv->hi - d) : 0.5 * (lv->lo + d));
    }
    case BAL_LK_YEAR:
        /* the horizon earlier, a start or opening in 2030 (defaults: 2027,
           start + 8, start + 6) */
        return json_integer(strcmp(lv->path, "horizon") == 0 ? 2045 : 2030);
    case BAL_LK_PROVINCES: return json_pack("[sss]", "26", "48", "31");
    case BAL_LK_PROVINCE_SET: return json_pack("[s]", "26");
    case BAL_LK_PROVINCE: return json_string("48");
    case BAL_LK_PLACE: return json_string("46");
    case BAL_LK_SECTORS: return json_pack("[ss]", "semiconductors", "bio");
    case BAL_LK_INDUSTRY: return json_string("energy");
    case BAL_LK_PRESET: return json_string("united_states");
    default: return NULL;
    }
}

static void parse_json(json_t *j, bal_scenario *s)
{
    char *text = json_dumps(j, JSON_COMPACT);
    cr_assert_not_null(text);
    const int st = bal_scenario_parse(CTX, "test", text, strlen(text), NULL, &PK, s);
    cr_assert_eq(st, BAL_OK, "%s: %s (line %ld)", text, bal_ctx_message(CTX), bal_ctx_line(CTX));
    free(text);
}

static int same_results(const bal_scn_result *a, const bal_scn_result *b)
{
    const bal_report *x = &a->report, *y = &b->report;
    if (x->nyears != y->nyears || x->nout != y->nout)
        return 0;
    const size_t nv = (size_t)x->nout * (size_t)x->nyears * BAL_NIND;
    return memcmp(x->val, y->val, nv * sizeof(double)) == 0 &&
           memcmp(x->nat, y->nat, (size_t)x->nyears * BAL_NIND * sizeof(double)) == 0 &&
           memcmp(a->policy.cost, b->policy.cost, (size_t)x->nyears * sizeof(double)) == 0;
}

/* Every setting, one at a time away from its default in a scenario of its
   family, changes the results (sido level, to 2052); pending ones are
   reported and skipped. */
static void acts(const char *family)
{
    const bal_lever *which[64];
    bal_scenario sc[64];
    int n = 0;
    json_t *base = family_base(family);
    parse_json(base, &sc[n++]);
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        if (strcmp(lv->family, strcmp(family, "scenario_horizon") == 0 ? "scenario" : family) != 0)
            continue;
        json_t *v = variant(lv);
        if (v == NULL)
            continue;
        if (lv->pending) {
            json_decref(v);
            cr_log_info("levers: %s is pending: %s", lv->path, lv->pending);
            continue;
        }
        cr_assert_lt(n, 64);
        json_t *j = json_deep_copy(base);
        set_path(j, lv->path, v);
        char name[64];
        snprintf(name, sizeof name, "v%d", n);
        json_object_set_new(j, "name", json_string(name));
        parse_json(j, &sc[n]);
        json_decref(j);
        which[n++] = lv;
    }
    json_decref(base);
    cr_assert_gt(n, 1, "no setting of family %s was checked", family);
    bal_scn_result *res = calloc((size_t)n + 1, sizeof *res);
    cr_assert_not_null(res);
    cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, sc, n, res), BAL_OK, "%s",
                 bal_ctx_message(CTX));
    for (int i = 1; i < n; i++)
        cr_expect_not(same_results(&res[1], &res[i + 1]),
                      "%s: set away from its default, it changes no output: give it a channel "
                      "or mark it pending in src/model/levers.c",
                      which[i]->path);
    for (int i = 0; i <= n; i++)
        bal_compare_result_release(CTX, &res[i]);
    free(res);
}

Test(levers, integration_settings_act, .init = load_pack, .fini = free_pack, .timeout = 300)
{
    acts("integration");
}

Test(levers, decentralization_settings_act, .init = load_pack, .fini = free_pack,
     .timeout = 300)
{
    acts("decentralization");
}

Test(levers, metropolises_settings_act, .init = load_pack, .fini = free_pack, .timeout = 300)
{
    acts("metropolises");
}

Test(levers, horizon_acts, .init = load_pack, .fini = free_pack, .timeout = 300)
{
    acts("scenario_horizon");
}

/* Each kind a setting may have is either a model setting with a variant in
   this file or one of the non-model kinds: a new kind needs a variant. */
Test(levers, every_kind_is_covered)
{
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        const int model = !(lv->kind == BAL_LK_SECTION || lv->kind == BAL_LK_LIST ||
                            lv->kind == BAL_LK_TEXT || lv->kind == BAL_LK_EXTENDS);
        json_t *v = variant(lv);
        cr_expect_eq(v != NULL, model, "%s: kind %s has no variant in test_levers.c", lv->path,
                     bal_lever_kind_name(lv->kind));
        json_decref(v);
        cr_expect_not_null(bal_lever_find(lv->path));
        cr_expect(lv->label && lv->label[0] && lv->label_ko && lv->label_ko[0], "%s: no label",
                  lv->path);
        if (lv->kind == BAL_LK_NUMBER) {
            cr_expect(lv->lo < lv->hi, "%s: empty range", lv->path);
            cr_expect(isnan(lv->def) || (lv->def >= lv->lo && lv->def <= lv->hi),
                      "%s: default outside its range", lv->path);
            cr_expect(lv->unit[0], "%s: no unit", lv->path);
        }
        if (lv->kind == BAL_LK_YEAR)
            cr_expect(lv->lo == 0.0 && lv->hi == 0.0 && lv->unit[0],
                      "%s: a year's range comes from the data pack (lo = hi = 0)", lv->path);
        if (strcmp(lv->family, "scenario") != 0)
            cr_expect(lv->doc[0], "%s: no docs/model.md section", lv->path);
    }
}

/* Out of range: the message gives the key, the value, the range and the
   unit of the table, at the value's line. */
Test(levers, range_messages_from_the_table, .init = load_pack, .fini = free_pack)
{
    int checked = 0;
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        if (lv->kind != BAL_LK_NUMBER)
            continue;
        json_t *j = family_base(lv->family);
        set_path(j, lv->path, json_real(lv->hi + 1.0));
        char *text = json_dumps(j, JSON_INDENT(1));
        json_decref(j);
        bal_scenario s;
        const int st = bal_scenario_parse(CTX, "req", text, strlen(text), NULL, &PK, &s);
        cr_assert_eq(st, BAL_EDATA, "%s", lv->path);
        char want[256];
        snprintf(want, sizeof want, "%s: %g is out of range [%g, %g] (%s)", bal_lever_key(lv),
                 lv->hi + 1.0, lv->lo, lv->hi, lv->unit);
        cr_expect_str_eq(bal_ctx_message(CTX), want);
        /* the line of the offending value */
        char key[80];
        snprintf(key, sizeof key, "\"%s\": %g", bal_lever_key(lv), lv->hi + 1.0);
        const char *at = strstr(text, key);
        cr_assert_not_null(at, "%s in %s", key, text);
        long line = 1;
        for (const char *p = text; p < at; p++)
            line += *p == '\n';
        cr_expect_eq(bal_ctx_line(CTX), line, "%s", lv->path);
        free(text);
        checked++;
    }
    cr_assert_geq(checked, 20);
}

/* Written out resolved and read back, every shipped scenario is the same
   scenario: same JSON, and the same results as the file. */
Test(levers, resolved_json_round_trip, .init = load_pack, .fini = free_pack, .timeout = 300)
{
    static const char *const files[] = {"combined", "decentralization", "integration_all",
                                        "integration_busan_gyeongnam", "integration_chungcheong",
                                        "integration_daegu_gyeongbuk", "metropolises",
                                        "metropolises_delayed", "status_quo"};
    char root[1024];
    cr_assert_eq(tu_abspath(tu_data_dir(), root, sizeof root), 0);
    *strstr(root, "/data/kr") = '\0';
    bal_scenario sc[2];
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/scenarios/%s.yaml", root, files[f]);
        cr_assert_eq(bal_scenario_load(CTX, path, &PK, &sc[0]), BAL_OK, "%s",
                     bal_ctx_message(CTX));
        json_t *a = bal_scenario_json(&sc[0], &PK.regions, PK.nsido);
        cr_assert_not_null(a);
        cr_assert_null(json_object_get(a, "extends"), "%s: extends written", files[f]);
        parse_json(a, &sc[1]);
        json_t *b = bal_scenario_json(&sc[1], &PK.regions, PK.nsido);
        cr_assert(json_equal(a, b), "%s: JSON changes when read back", files[f]);
        json_decref(a);
        json_decref(b);
        if (strcmp(files[f], "combined") == 0 || strcmp(files[f], "metropolises_delayed") == 0) {
            bal_scn_result res[3];
            cr_assert_eq(bal_compare_run(CTX, &PK, BAL_LEVEL_SIDO, sc, 2, res), BAL_OK);
            cr_expect(same_results(&res[1], &res[2]), "%s: results differ when read back",
                      files[f]);
            for (int i = 0; i < 3; i++)
                bal_compare_result_release(CTX, &res[i]);
        }
    }
}

/* docs/scenarios.md holds the lever table exactly as `balance levers
   --format md` prints it (make docs), so every setting is documented. */
Test(levers, documented_in_scenarios_md, .init = tmp_init, .fini = tmp_fini)
{
    char *doc = doc_block_matches("scenarios.md", "levers", "levers --format md");
    for (int i = 0; i < bal_nlevers; i++) {
        char want[160];
        snprintf(want, sizeof want, "| `%s` |", bal_levers[i].path);
        cr_expect(strstr(doc, want) != NULL, "docs/scenarios.md does not list %s", want);
    }
    free(doc);
}

/* The fiscal items' "today": each tax share row maps to its tax item, and
   today's share is local / (national + local) revenue of the vintage's
   finance year (VAT: the local consumption tax against the national VAT). */
Test(levers, today_tax_shares, .init = load_pack, .fini = free_pack)
{
    static const char *const items[BAL_NTAX] = {"income", "corporate", "vat", "property",
                                                "other"};
    for (int k = 0; k < BAL_NTAX; k++) {
        char path[96];
        snprintf(path, sizeof path, "levers.decentralization.fiscal.%s", items[k]);
        cr_assert_eq(bal_lever_tax_item(bal_lever_find(path)), k, "%s", path);
    }
    cr_assert_eq(bal_lever_tax_item(bal_lever_find("levers.decentralization.fiscal.new_levy")), -1);
    cr_assert_eq(bal_lever_tax_item(bal_lever_find("levers.metropolises.talent")), -1);
    double share[BAL_NTAX];
    cr_assert_eq(bal_couple_tax_shares(CTX, &PK, share), BAL_OK, "%s", bal_ctx_message(CTX));
    const int y = PK.vintage.finance_year;
    const double vat = bal_datapack_fact(&PK, y, "national_vat");
    const double cons = bal_datapack_fact(&PK, y, "local_consumption_tax_revenue");
    cr_assert(fabs(share[BAL_TAX_VAT] - cons / (vat + cons)) < 1e-15);
    for (int k = 0; k < BAL_NTAX; k++)
        cr_assert(share[k] > 0.0 && share[k] < 1.0, "%s: %g", items[k], share[k]);
}
