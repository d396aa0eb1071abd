/*
 * export.c — projection results as JSON (jansson) and CSV.
 *
 * JSON schema (names are stable; checks read them):
 *   { "model": "balance", "level": "sido",
 *     "years": [2025, ...],
 *     "regions": [ { "code": "11", "name": "Seoul", "name_ko": "서울특별시",
 *                    "level": "sido", "capital_region": true,
 *                    "population": [...], "population_female": [...], ...,
 *                    "births": [null, ...], ... } ],
 *     "national": { "population": [...], "capital_region_share": [...], ... },
 *     "parameters": { "tfr_national": 0.72, ... } }
 * Flow arrays (births, deaths, migration) are aligned with "years": element k
 * is the flow of the year that ends at years[k]; element 0 is null.
 */
#include "balance/store.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* Arrays of every indicator for region r (or national when r < 0). */
static int add_series(json_t *obj, const bal_projection *pr, int64_t r)
{
    json_t *arr[BAL_NIND];
    for (int j = 0; j < BAL_NIND; j++) {
        arr[j] = json_array();
        if (arr[j] == NULL || json_object_set_new(obj, bal_indicator_name(j), arr[j]) != 0)
            return -1;
    }
    for (int k = 0; k < pr->nyears; k++) {
        double v[BAL_NIND];
        bal_projection_values(pr, k, r, v);
        for (int j = 0; j < BAL_NIND; j++)
            if (json_array_append_new(arr[j], num(v[j])) != 0)
                return -1;
    }
    return 0;
}

int bal_export_json(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_projection *pr,
                    const bal_run_param *params, int nparams)
{
    int rc = BAL_ENOMEM;
    json_t *root = json_object();
    json_t *years = json_array(), *regs = json_array(), *nat = json_object();
    json_t *share = json_array(), *pars = json_object();
    if (!root || json_object_set_new(root, "model", json_string("balance")) ||
        json_object_set_new(root, "level", json_string("sido")) ||
        json_object_set_new(root, "years", years) || json_object_set_new(root, "regions", regs) ||
        json_object_set_new(root, "national", nat) ||
        json_object_set_new(root, "parameters", pars))
        goto done;
    for (int k = 0; k < pr->nyears; k++)
        if (json_array_append_new(years, json_integer(pr->year0 + k)) ||
            json_array_append_new(share, json_real(bal_projection_capital_share(pr, regions, k))))
            goto done;
    for (int64_t r = 0; r < pr->nreg; r++) {
        const bal_region *g = &regions->r[r];
        json_t *o = json_object();
        if (!o || json_array_append_new(regs, o) ||
            json_object_set_new(o, "code", json_string(g->code)) ||
            json_object_set_new(o, "name", json_string(g->name_en)) ||
            json_object_set_new(o, "name_ko", json_string(g->name_ko)) ||
            json_object_set_new(o, "level", json_string("sido")) ||
            json_object_set_new(o, "capital_region", json_boolean(g->capital_region)) ||
            add_series(o, pr, r))
            goto done;
    }
    if (add_series(nat, pr, -1))
        goto done;
    /* json_object_set_new takes the reference even when it fails */
    json_t *owned = share;
    share = NULL;
    if (json_object_set_new(nat, "capital_region_share", owned))
        goto done;
    for (int i = 0; i < nparams; i++)
        if (json_object_set_new(pars, params[i].key, num(params[i].value)))
            goto done;
    if (json_dumpf(root, f, JSON_INDENT(1) | JSON_REAL_PRECISION(12)) != 0 || fputc('\n', f) == EOF) {
        rc = bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write JSON output");
        goto done;
    }
    rc = BAL_OK;
done:
    if (rc == BAL_ENOMEM)
        bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory building JSON");
    json_decref(share);
    json_decref(root);
    return rc;
}

/* One CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
static void csv_text(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int bal_export_csv(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_projection *pr)
{
    fprintf(f, "year,code,name");
    for (int j = 0; j < BAL_NIND; j++)
        fprintf(f, ",%s", bal_indicator_name(j));
    fprintf(f, ",capital_region_share\n");
    for (int k = 0; k < pr->nyears; k++)
        for (int64_t r = 0; r <= pr->nreg; r++) {
            const int national = r == pr->nreg;
            double v[BAL_NIND];
            bal_projection_values(pr, k, national ? -1 : r, v);
            fprintf(f, "%d,%s,", pr->year0 + k, national ? "00" : regions->r[r].code);
            csv_text(f, national ? "Korea" : regions->r[r].name_en);
            for (int j = 0; j < BAL_NIND; j++) {
                if (isnan(v[j]))
                    fputs(",", f);
                else
                    fprintf(f, ",%.3f", v[j]);
            }
            if (national)
                fprintf(f, ",%.6f\n", bal_projection_capital_share(pr, regions, k));
            else
                fputs(",\n", f);
        }
    if (ferror(f))
        return bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write CSV output");
    return BAL_OK;
}
