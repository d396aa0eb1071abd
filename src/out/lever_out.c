/*
 * lever_out.c — the lever table as JSON (`balance levers --format json`,
 * GET /api/levers), with what a front end needs to draw each control.
 */
#include "balance/scenario.h"
#include "balance/vocab_out.h"

#include <math.h>
#include <string.h>

/* What the dashboard editor (and any other front end) needs beyond the row
   itself to draw a control: "switch" on a section that is on only when
   named, "max_items" on a list, "choices" on sectors, industry and preset
   rows, "preset_shares" on the preset row (each preset's local shares by the
   key of the tax-item row; today's shares, NAN here, are left out). */
static int lever_controls(const bal_lever *lv, json_t *o)
{
    int bad = 0;
    json_t *ch = NULL;
    if (lv->kind == BAL_LK_SECTION && lv->flag >= 0)
        return json_object_set_new(o, "switch", json_true());
    if (lv->kind == BAL_LK_LIST)
        return json_object_set_new(o, "max_items", json_integer((json_int_t)lv->cap));
    if (lv->kind == BAL_LK_SECTORS) {
        ch = json_array();
        for (int k = 0; k < BAL_NSEC && ch; k++)
            bad |= json_array_append_new(ch, json_string(bal_econ_sector_name(k)));
    } else if (lv->kind == BAL_LK_INDUSTRY) {
        ch = json_array();
        const char *name;
        for (int k = 0; (name = bal_scenario_industry_name(k)) != NULL && ch; k++)
            bad |= json_array_append_new(ch, json_string(name));
    } else if (lv->kind == BAL_LK_PRESET) {
        ch = json_array();
        json_t *shares = json_object();
        const char *name;
        for (int k = 0; (name = bal_policy_fiscal_preset_name(k)) != NULL && ch && shares && !bad; k++) {
            double v[BAL_NTAX];
            json_t *p = json_object();
            bad |= p == NULL || bal_policy_fiscal_preset(name, v) != 0;
            /* the tax-item rows: the preset's siblings stored in its array */
            const size_t dir = strlen(lv->path) - strlen(bal_lever_key(lv));
            for (int m = 0; m < bal_nlevers && p && !bad; m++) {
                const bal_lever *it = &bal_levers[m];
                if (it->kind != BAL_LK_NUMBER || it->offset < lv->offset ||
                    it->offset >= lv->offset + sizeof v || strncmp(it->path, lv->path, dir) != 0)
                    continue;
                const double x = v[(it->offset - lv->offset) / sizeof v[0]];
                if (!isnan(x))
                    bad |= json_object_set_new(p, bal_lever_key(it), json_real(x));
            }
            bad |= json_array_append_new(ch, json_string(name));
            bad |= json_object_set_new(shares, name, p);
        }
        bad |= shares == NULL || json_object_set_new(o, "preset_shares", shares);
    } else {
        return 0;
    }
    return bad || ch == NULL || json_object_set_new(o, "choices", ch);
}

json_t *bal_lever_table_json(const double *today)
{
    json_t *a = json_array();
    for (int i = 0; i < bal_nlevers && a; i++) {
        const bal_lever *lv = &bal_levers[i];
        const int numeric = lv->kind == BAL_LK_NUMBER || lv->kind == BAL_LK_YEAR;
        json_t *o = json_pack(
            "{s:s, s:s, s:s, s:o, s:s?, s:o, s:o, s:s, s:s, s:s, s:s, s:o}", "path", lv->path,
            "key", bal_lever_key(lv), "type", bal_lever_kind_name(lv->kind), "default",
            numeric && !lv->def_after && !isnan(lv->def) ? json_real(lv->def) : json_null(),
            "default_text", lv->def_text, "min", numeric ? json_real(lv->lo) : json_null(), "max",
            numeric ? json_real(lv->hi) : json_null(), "unit", lv->unit, "family", lv->family,
            "doc", lv->doc, "label", lv->label, "pending",
            lv->pending ? json_string(lv->pending) : json_null());
        if (o == NULL || json_object_set_new(o, "label_ko", json_string(lv->label_ko)) ||
            (lv->def_after && json_object_set_new(o, "default_after_start",
                                                  json_integer(lv->def_after))) ||
            lever_controls(lv, o) ||
            (today && bal_lever_tax_item(lv) >= 0 &&
             json_object_set_new(o, "today", json_real(today[bal_lever_tax_item(lv)])))) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
        if (json_array_append_new(a, o)) { /* o is released by jansson */
            json_decref(a);
            return NULL;
        }
    }
    json_t *root = a ? json_object() : NULL;
    if (root == NULL || json_object_set_new(root, "levers", a)) {
        json_decref(root);
        return NULL;
    }
    return root;
}
