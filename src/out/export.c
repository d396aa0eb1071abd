/*
 * export.c — projection results as JSON (jansson) and CSV.
 *
 * JSON schema (names are stable; checks read them):
 *   { "model": "balance", "level": "sido" | "sigungu",
 *     "years": [2025, ...],
 *     "regions": [ { "code": "11", "name": "Seoul", "name_ko": "서울특별시",
 *                    "level": "sido", "parent": null, "capital_region": true,
 *                    "area_km2": 605.2,
 *                    "population": [...], ..., "extinction_index": [...],
 *                    "births": [null, ...], ... } ],
 *     "national": { "population": [...], "capital_region_share": [...],
 *                   "sigungu_at_risk": [...], "sigungu_high_risk": [...],
 *                   "gdp": [...], "grdp_per_capita_cv": [...],
 *                   "grdp_per_capita_theil": [...], ... },
 *     "parameters": { "tfr_national": 0.72, ... } }
 * Every indicator of bal_indicator_name() is an array aligned with "years".
 * Flow arrays (births, deaths, migration) hold at element k the flow of the
 * year that ends at years[k]; element 0 is null. The sigungu counts exist in
 * sigungu runs only. In sigungu runs "regions" lists the 17 sido (sums of
 * their sigungu) and then the 229 sigungu.
 */
#include "balance/store.h"
#include "balance/compare.h"

#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <string.h>

/*
 * Precision of the written numbers: the indicator table's (`precision`
 * decimals, bal_indicator_round); JSON reals are then printed with
 * BAL_WRITE_DIGITS significant digits, which gives each rounded value in
 * its shortest form. Other numbers (areas, run parameters) keep 15 digits.
 */
static json_t *num(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* The national series and summaries written (all but the policy cost). */
static int national_extra(int j)
{
    return j >= BAL_NIND && j < BAL_NIND_ALL && j != BAL_IND_COST_CUMULATIVE;
}

/* Arrays of every indicator for output region i (national when i < 0). */
static int add_series(json_t *obj, const bal_report *rep, int64_t i)
{
    json_t *arr[BAL_NIND];
    for (int j = 0; j < BAL_NIND; j++) {
        arr[j] = json_array();
        if (arr[j] == NULL || json_object_set_new(obj, bal_indicator_name(j), arr[j]) != 0)
            return -1;
    }
    for (int k = 0; k < rep->nyears; k++) {
        const double *v = bal_report_row(rep, i, k);
        for (int j = 0; j < BAL_NIND; j++)
            if (json_array_append_new(arr[j], bal_indicator_json(j, v[j])) != 0)
                return -1;
    }
    return 0;
}

/* The national series and summaries of the indicator table, each under its
   name; a series with no value in any year (the sigungu counts of a sido
   run, the economy's without it) is left out. */
static int add_national(json_t *obj, const bal_report *rep)
{
    for (int j = BAL_NIND; j < BAL_NIND_ALL; j++) {
        if (!national_extra(j))
            continue;
        int any = 0;
        for (int k = 0; k < rep->nyears; k++)
            any |= !isnan(bal_report_value(rep, -1, j, k));
        if (!any)
            continue;
        json_t *a = json_array();
        if (a == NULL || json_object_set_new(obj, bal_indicator_name(j), a) != 0)
            return -1;
        for (int k = 0; k < rep->nyears; k++)
            if (json_array_append_new(a, bal_indicator_json(j, bal_report_value(rep, -1, j, k))) != 0)
                return -1;
    }
    return 0;
}

/* json_dumpf writes every token with its own fwrite (a stdio lock each,
   ~700,000 calls for a sigungu run); json_dump_callback into this 64 KiB
   buffer hands stdio whole blocks. */
typedef struct dump_buf {
    FILE *f;
    size_t n;
    int failed;
    char b[1 << 16];
} dump_buf;

static int dump_flush(dump_buf *d)
{
    if (d->n > 0 && fwrite(d->b, 1, d->n, d->f) != d->n)
        d->failed = 1;
    d->n = 0;
    return d->failed ? -1 : 0;
}

static int dump_put(const char *s, size_t len, void *arg)
{
    dump_buf *d = arg;
    if (len > sizeof d->b - d->n && dump_flush(d) != 0)
        return -1;
    if (len > sizeof d->b) /* larger than the buffer: straight through */
        return fwrite(s, 1, len, d->f) == len ? 0 : (d->failed = 1, -1);
    memcpy(d->b + d->n, s, len);
    d->n += len;
    return 0;
}

static const char *level_name(int level)
{
    return level == BAL_LEVEL_SIGUNGU ? "sigungu" : "sido";
}

/* The object of output region i: its names and every indicator's array;
   NULL when out of memory. */
static json_t *region_object(const bal_regions *regions, const bal_report *rep, int64_t i)
{
    const bal_region *g = &regions->r[rep->region[i]];
    json_t *o = json_object();
    if (!o || json_object_set_new(o, "code", json_string(g->code)) ||
        json_object_set_new(o, "name", json_string(g->name_en)) ||
        json_object_set_new(o, "name_ko", json_string(g->name_ko)) ||
        json_object_set_new(o, "level", json_string(level_name(g->level))) ||
        json_object_set_new(o, "parent",
                            g->parent >= 0 ? json_string(regions->r[g->parent].code) : json_null()) ||
        json_object_set_new(o, "capital_region", json_boolean(g->capital_region)) ||
        json_object_set_new(o, "area_km2", num(g->area_km2)) || add_series(o, rep, i)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * The regions are streamed: each region's object is built, dumped and freed
 * in turn, so the whole tree (~180,000 values for a sigungu run) never
 * exists at once. The document's frame (model, level, years, national,
 * parameters) is dumped by jansson with "regions" an empty array, and the
 * regions' dumps are written between its brackets, separated by commas as
 * jansson's compact dump separates array items: every token is jansson's.
 * The second half of the regions is built and dumped on a helper thread
 * into a memory stream while the calling thread writes the first half; the
 * bytes are the same as one thread's (checked by the goldens).
 */
enum { SPLIT_MIN = 64 }; /* fewer regions: one thread */
typedef struct half {
    const bal_regions *regions;
    const bal_report *rep;
    int64_t from, to; /* output regions from .. to - 1 */
    int comma;        /* a comma before the first */
    dump_buf *d;      /* where they are dumped */
    int failed; /* 1 cannot write, 2 out of memory */
} half;

static const size_t DUMP_FLAGS = JSON_COMPACT | JSON_REAL_PRECISION(BAL_WRITE_DIGITS);

static void *dump_half(void *arg)
{
    half *h = arg;
    for (int64_t i = h->from; i < h->to && !h->failed; i++) {
        json_t *o = region_object(h->regions, h->rep, i);
        if (o == NULL)
            h->failed = 2; /* out of memory */
        else if (((i > h->from || h->comma) && dump_put(",", 1, h->d) != 0) ||
                 json_dump_callback(o, dump_put, h->d, DUMP_FLAGS) != 0)
            h->failed = 1; /* cannot write */
        json_decref(o);
    }
    return NULL;
}

/* The frame of the document: everything but the regions' objects. */
static json_t *frame(const bal_report *rep, const bal_run_param *params, int nparams)
{
    json_t *root = json_object();
    json_t *years = json_array(), *regs = json_array(), *nat = json_object();
    json_t *pars = json_object();
    int bad = !root || json_object_set_new(root, "model", json_string("balance")) ||
              json_object_set_new(root, "level", json_string(level_name(rep->level))) ||
              json_object_set_new(root, "years", years) || json_object_set_new(root, "regions", regs) ||
              json_object_set_new(root, "national", nat) || json_object_set_new(root, "parameters", pars);
    for (int k = 0; k < rep->nyears && !bad; k++)
        bad = json_array_append_new(years, json_integer(rep->year0 + k)) != 0;
    bad = bad || add_series(nat, rep, -1) || add_national(nat, rep);
    for (int i = 0; i < nparams && !bad; i++)
        bad = json_object_set_new(pars, params[i].key,
                                  params[i].text ? json_string(params[i].text)
                                                 : num(params[i].value)) != 0;
    if (bad) {
        json_decref(root);
        return NULL;
    }
    return root;
}

int bal_export_json(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_report *rep,
                    int64_t only, const bal_run_param *params, int nparams)
{
    static const char SPLICE[] = "\"regions\":[";
    json_t *root = frame(rep, params, nparams);
    char *text = root ? json_dumps(root, DUMP_FLAGS) : NULL;
    json_decref(root);
    /* the first "regions" in the text is the key: model, level and years
       come before it and hold no such string */
    const char *cut = text ? strstr(text, SPLICE) : NULL;
    dump_buf *d = bal_malloc(ctx, sizeof *d), *d2 = NULL;
    if (cut == NULL || d == NULL) {
        free(text);
        bal_free(ctx, d);
        return bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory building JSON");
    }
    cut += sizeof SPLICE - 1;
    d->f = f;
    d->n = 0;
    d->failed = 0;
    int64_t from = 0, to = rep->nout;
    if (only != BAL_EXPORT_ALL) {
        from = only >= 0 && only < rep->nout ? only : 0;
        to = only >= 0 && only < rep->nout ? only + 1 : 0;
    }
    half mine = {regions, rep, from, to, 0, d, 0};
    half other = {regions, rep, to, to, 1, NULL, 0};
    char *mem = NULL;
    size_t memlen = 0;
    FILE *ms = NULL;
    pthread_t helper;
    int helping = 0;
    if (to - from >= SPLIT_MIN && (d2 = bal_malloc(ctx, sizeof *d2)) != NULL &&
        (ms = open_memstream(&mem, &memlen)) != NULL) {
        d2->f = ms;
        d2->n = 0;
        d2->failed = 0;
        other.from = mine.to = from + (to - from + 1) / 2;
        other.d = d2;
        helping = pthread_create(&helper, NULL, dump_half, &other) == 0;
        if (!helping)
            mine.to = to; /* no thread: all here */
    }
    int failed = dump_put(text, (size_t)(cut - text), d) != 0;
    if (!failed)
        dump_half(&mine);
    if (helping) {
        pthread_join(helper, NULL);
        failed |= other.failed || dump_flush(d2) != 0;
    }
    if (ms != NULL)
        failed |= fclose(ms) != 0;
    failed = failed || mine.failed || dump_flush(d) != 0 ||
             (helping && memlen > 0 && fwrite(mem, 1, memlen, f) != memlen) ||
             dump_put(cut, strlen(cut), d) != 0 || dump_put("\n", 1, d) != 0 || dump_flush(d) != 0;
    free(mem);
    free(text);
    bal_free(ctx, d2);
    bal_free(ctx, d);
    if (mine.failed == 2 || other.failed == 2)
        return bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory building JSON");
    if (failed)
        return bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write JSON output");
    return BAL_OK;
}

/* Output region i selected by `only` (BAL_EXPORT_ALL, _NATION or an index). */
static int selected(int64_t only, int64_t i)
{
    return only == BAL_EXPORT_ALL || only == i;
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

/* One CSV number field with its separator: `decimals` digits after the
   point, empty for NAN (not applicable). */
static void csv_value(FILE *f, double v, int decimals)
{
    fputc(',', f);
    if (!isnan(v))
        fprintf(f, "%.*f", decimals, v);
}

int bal_export_csv(bal_ctx *ctx, FILE *f, const bal_regions *regions, const bal_report *rep,
                   int64_t only)
{
    fprintf(f, "year,code,name,level,parent");
    for (int j = 0; j < BAL_NIND_ALL; j++)
        if (j < BAL_NIND || national_extra(j))
            fprintf(f, ",%s", bal_indicator_name(j));
    fputc('\n', f);
    for (int k = 0; k < rep->nyears; k++)
        for (int64_t i = 0; i <= rep->nout; i++) {
            const int national = i == rep->nout;
            if (!national && !selected(only, i))
                continue;
            const bal_region *g = national ? NULL : &regions->r[rep->region[i]];
            const double *v = bal_report_row(rep, national ? -1 : i, k);
            fprintf(f, "%d,%s,", rep->year0 + k, national ? "00" : g->code);
            csv_text(f, national ? "Korea" : g->name_en);
            fprintf(f, ",%s,%s", national ? "nation" : level_name(g->level),
                    !national && g->parent >= 0 ? regions->r[g->parent].code : "");
            for (int j = 0; j < BAL_NIND; j++)
                csv_value(f, v[j], bal_indicators[j].precision);
            /* the national series: values for the nation, empty for a region */
            for (int j = BAL_NIND; j < BAL_NIND_ALL; j++)
                if (national_extra(j))
                    csv_value(f, national ? bal_report_value(rep, -1, j, k) : (double)NAN,
                              bal_indicators[j].precision);
            fputc('\n', f);
        }
    if (ferror(f))
        return bal_raise(ctx, BAL_EIO, NULL, 0, "cannot write CSV output");
    return BAL_OK;
}
