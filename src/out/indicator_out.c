/*
 * indicator_out.c — the indicator table as output: an indicator's value as
 * every writer writes it, its title in tables, the whole table as JSON
 * (`balance indicators --format json`, GET /api/indicators).
 */
#include "balance/vocab_out.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

json_t *bal_indicator_json(int ind, double v)
{
    const double r = bal_indicator_round(ind, v);
    if (isnan(r))
        return json_null();
    /* whole numbers (0 decimals) as JSON integers: exact and cheap to print */
    if (ind >= 0 && ind < BAL_NIND_ALL && bal_indicators[ind].precision == 0 &&
        fabs(r) < 9.0e15)
        return json_integer((json_int_t)r);
    return json_real(r);
}

const char *bal_indicator_title(int ind, char *buf, size_t n)
{
    if (ind < 0 || ind >= BAL_NIND_ALL) {
        snprintf(buf, n, "?");
        return buf;
    }
    const bal_indicator_def *d = &bal_indicators[ind];
    if (strchr(d->unit, '%') || strstr(d->unit, "KRW"))
        snprintf(buf, n, "%s, %s", d->label, d->unit);
    else
        snprintf(buf, n, "%s", d->label);
    return buf;
}

json_t *bal_indicator_table_json(void)
{
    json_t *a = json_array();
    for (int i = 0; i < BAL_NIND_ALL && a; i++) {
        const bal_indicator_def *d = &bal_indicators[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:b, s:i}",
                              "name", d->name, "unit", d->unit, "label", d->label, "label_ko",
                              d->label_ko, "abbrev", d->abbrev, "precision", d->precision,
                              "shown", d->shown, "aggregation", bal_indicator_agg_name(d->agg), "rule", d->rule,
                              "where", d->where, "map", d->map, "compare", d->compare);
        /* titles as the tables show them: the label, with a percentage or
           money unit */
        char title[160], title_ko[160];
        bal_indicator_title(i, title, sizeof title);
        if (strchr(d->unit, '%'))
            snprintf(title_ko, sizeof title_ko, "%s, %%", d->label_ko);
        else
            snprintf(title_ko, sizeof title_ko, "%s", d->label_ko);
        if (o == NULL || json_object_set_new(o, "title", json_string(title)) ||
            json_object_set_new(o, "title_ko", json_string(title_ko))) {
            json_decref(o);
            json_decref(a);
            return NULL;
        }
        if (json_array_append_new(a, o)) {
            json_decref(a);
            return NULL;
        }
    }
    json_t *root = a ? json_object() : NULL;
    if (root == NULL || json_object_set_new(root, "indicators", a)) {
        json_decref(root);
        return NULL;
    }
    return root;
}
