/*
 * server.c — `balance serve`: the JSON API and the dashboard's static files
 * over libmicrohttpd (docs/api.md). A thin front end: every run goes through
 * the same engine calls as the CLI (bal_scenario_parse, bal_compare_run).
 *
 * Threads: a pool of MHD threads; the data pack is loaded once and only read;
 * each request has its own bal_ctx; model runs are bounded (BUSY → 503).
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "server.h"
#include "body.h"

#include "balance/compare.h"
#include "balance/economy.h"
#include "balance/engine.h"
#include "balance/run.h"
#include "balance/levers.h"
#include "balance/policy.h"
#include "balance/scenario.h"
#include "balance/store.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <libfyaml.h>
#include <limits.h>
#include <math.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BODY_MAX BAL_WEB_BODY_MAX
#define MAX_RUNS 2

/*
 * Connections (docs/api.md, "Limits"). Each connection has its own thread
 * (a model run blocks only its own client). libmicrohttpd closes a
 * connection idle for IDLE_TIMEOUT_S and refuses more than CONN_MAX at once
 * or --per-ip from one address. Its idle timeout restarts with every
 * byte, so a client that trickles its request a byte at a time could hold a
 * connection forever: the watchdog thread closes (shutdown) every
 * connection whose request (headers and body) is not complete
 * --request-deadline seconds after it began, and cancels the run of a client that
 * has gone (its socket reads end-of-file), freeing the run's slot.
 */
#define CONN_MAX 256
#define IDLE_TIMEOUT_S 10
#define WATCH_PERIOD_NS 200000000L

typedef struct conn {
    int fd;               /* -1: a free slot */
    double since;         /* when the request being received began (monotonic s) */
    int receiving;        /* 1 until the request is complete */
    int running;          /* a model run for it is in progress */
    atomic_int gone;      /* the client has gone: the run's cancel flag */
} conn;

typedef struct conns {
    pthread_mutex_t lock;
    conn slot[CONN_MAX];
    pthread_t watchdog;
    atomic_int stop;
    double deadline_s;    /* --request-deadline */
    int per_ip;           /* --per-ip */
    atomic_long deadline_closed, runs_canceled; /* counts, for the log and tests */
} conns;

typedef struct server {
    bal_datapack pk;
    char scen_dir[PATH_MAX];
    char web_dir[PATH_MAX];
    char *topo[2];
    size_t topo_len[2];
    atomic_int running;
    conns cn;
} server;

typedef struct request {
    char *body;
    size_t len;
    int too_big;
} request;

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* ---- connections ---- */

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    conns *cn = &((server *)cls)->cn;
    pthread_mutex_lock(&cn->lock);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *i =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = NULL;
        for (int k = 0; i != NULL && k < CONN_MAX; k++)
            if (cn->slot[k].fd < 0) {
                conn *q = &cn->slot[k];
                q->fd = i->connect_fd;
                q->since = now_s();
                q->receiving = 1;
                q->running = 0;
                atomic_store(&q->gone, 0);
                *socket_context = q;
                break;
            }
    } else if (*socket_context != NULL) { /* closed: before libmicrohttpd closes the fd */
        ((conn *)*socket_context)->fd = -1;
        *socket_context = NULL;
    }
    pthread_mutex_unlock(&cn->lock);
}

static conn *conn_of(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *i =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return i ? (conn *)i->socket_context : NULL;
}

/* Mark the connection's request as received (1) or a new one as begun (0). */
static void conn_received(server *S, struct MHD_Connection *c, int received)
{
    conn *q = conn_of(c);
    if (q == NULL)
        return;
    pthread_mutex_lock(&S->cn.lock);
    q->receiving = !received;
    if (!received)
        q->since = now_s();
    pthread_mutex_unlock(&S->cn.lock);
}

static void *watchdog(void *arg)
{
    server *S = arg;
    conns *cn = &S->cn;
    const struct timespec period = {0, WATCH_PERIOD_NS};
    while (!atomic_load(&cn->stop)) {
        nanosleep(&period, NULL);
        const double t = now_s();
        pthread_mutex_lock(&cn->lock);
        for (int k = 0; k < CONN_MAX; k++) {
            conn *q = &cn->slot[k];
            if (q->fd < 0)
                continue;
            if (q->receiving && t - q->since > cn->deadline_s) {
                /* libmicrohttpd then reads end-of-file and closes it */
                shutdown(q->fd, SHUT_RDWR);
                q->receiving = 0;
                atomic_fetch_add(&cn->deadline_closed, 1);
            } else if (q->running && !atomic_load(&q->gone)) {
                char b;
                const ssize_t n = recv(q->fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) {
                    atomic_store(&q->gone, 1);
                    atomic_fetch_add(&cn->runs_canceled, 1);
                }
            }
        }
        pthread_mutex_unlock(&cn->lock);
    }
    return NULL;
}

/* A context for a model run of connection c: canceled when its client goes. */
static bal_ctx *run_ctx(server *S, struct MHD_Connection *c)
{
    (void)S;
    bal_ctx *ctx = bal_ctx_alloc();
    conn *q = conn_of(c);
    if (ctx != NULL && q != NULL)
        bal_ctx_set_cancel(ctx, &q->gone);
    return ctx;
}

static void conn_running(server *S, struct MHD_Connection *c, int running)
{
    conn *q = conn_of(c);
    if (q == NULL)
        return;
    pthread_mutex_lock(&S->cn.lock);
    q->running = running;
    pthread_mutex_unlock(&S->cn.lock);
}

/* libmicrohttpd's messages, on stderr with the program's name; the ones that
   only say a client went away or was closed by the limits above (hundreds
   under a slow-client attack) are counted in /api/status instead. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char msg[512];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (strstr(msg, "closure") || strstr(msg, "timed out") || strstr(msg, "reset by peer") ||
        strstr(msg, "Server reached connection limit") || strstr(msg, "per IP"))
        return;
    fprintf(stderr, "balance serve: %s%s", msg, msg[0] && msg[strlen(msg) - 1] == '\n' ? "" : "\n");
}

/* GET /api/status: the limits and what they did since the start. */
static json_t *status_json(server *S)
{
    int open = 0;
    pthread_mutex_lock(&S->cn.lock);
    for (int k = 0; k < CONN_MAX; k++)
        open += S->cn.slot[k].fd >= 0;
    pthread_mutex_unlock(&S->cn.lock);
    json_t *j = json_object(), *lim = json_object();
    json_object_set_new(lim, "run_slots", json_integer(MAX_RUNS));
    json_object_set_new(lim, "connections", json_integer(CONN_MAX));
    json_object_set_new(lim, "connections_per_ip", json_integer(S->cn.per_ip));
    json_object_set_new(lim, "idle_timeout_s", json_integer(IDLE_TIMEOUT_S));
    json_object_set_new(lim, "request_deadline_s", json_real(S->cn.deadline_s));
    json_object_set_new(lim, "body_max_bytes", json_integer(BODY_MAX));
    json_object_set_new(j, "limits", lim);
    json_object_set_new(j, "runs_in_progress", json_integer(atomic_load(&S->running)));
    json_object_set_new(j, "connections_open", json_integer(open));
    json_object_set_new(j, "requests_closed_at_deadline",
                        json_integer(atomic_load(&S->cn.deadline_closed)));
    json_object_set_new(j, "runs_canceled", json_integer(atomic_load(&S->cn.runs_canceled)));
    return j;
}

/* ---- responses ---- */

static enum MHD_Result send_bytes(struct MHD_Connection *c, unsigned code, const char *type,
                                  void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, data, mode);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ret = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned code, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(BAL_WRITE_DIGITS)) : NULL;
    json_decref(j);
    if (s == NULL)
        return send_bytes(c, 500, "application/json", (void *)"{\"error\":\"out of memory\"}",
                          25, MHD_RESPMEM_PERSISTENT);
    return send_bytes(c, code, "application/json", s, strlen(s), MHD_RESPMEM_MUST_FREE);
}

static enum MHD_Result send_error(struct MHD_Connection *c, unsigned code, const char *msg)
{
    json_t *j = json_object();
    json_object_set_new(j, "error", json_string(msg));
    json_object_set_new(j, "status", json_integer(code));
    return send_json(c, code, j);
}

/* The error of a failed library call: "file:line: message". */
static enum MHD_Result send_ctx_error(struct MHD_Connection *c, bal_ctx *ctx, unsigned code)
{
    char msg[1200];
    const char *f = bal_ctx_file(ctx);
    if (f && *f)
        snprintf(msg, sizeof msg, "%s:%ld: %s", f, bal_ctx_line(ctx), bal_ctx_message(ctx));
    else
        snprintf(msg, sizeof msg, "%s", bal_ctx_message(ctx));
    return send_error(c, code, msg);
}

/* ---- data ---- */

static json_t *regions_json(const server *S)
{
    json_t *a = json_array();
    const bal_regions *R = &S->pk.regions;
    for (int64_t i = 0; i < R->n; i++) {
        const bal_region *g = &R->r[i];
        json_t *o = json_object();
        json_object_set_new(o, "code", json_string(g->code));
        json_object_set_new(o, "name", json_string(g->name_en));
        json_object_set_new(o, "name_ko", json_string(g->name_ko));
        json_object_set_new(o, "level", json_string(g->level == BAL_LEVEL_SIDO ? "sido" : "sigungu"));
        json_object_set_new(o, "parent", g->parent >= 0 ? json_string(R->r[g->parent].code)
                                                          : json_null());
        json_object_set_new(o, "capital_region", json_boolean(g->capital_region));
        json_object_set_new(o, "area_km2", json_real(g->area_km2));
        json_array_append_new(a, o);
    }
    json_t *j = json_object();
    json_object_set_new(j, "regions", a);
    return j;
}

/* A scenario file as JSON (libfyaml emits the YAML as JSON). */
static json_t *yaml_as_json(const char *path)
{
    struct fy_document *d = fy_document_build_from_file(NULL, path);
    if (d == NULL)
        return NULL;
    char *s = fy_emit_document_to_string(d, FYECF_MODE_JSON_ONELINE);
    fy_document_destroy(d);
    if (s == NULL)
        return NULL;
    json_t *j = json_loads(s, 0, NULL);
    free(s);
    return j;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *scenarios_json(const server *S, bal_ctx *ctx)
{
    DIR *d = opendir(S->scen_dir);
    if (d == NULL)
        return NULL;
    char *names[128];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 128) {
        const size_t l = strlen(e->d_name);
        /* a name strdup cannot copy (out of memory) is left out of the list */
        if (l > 5 && strcmp(e->d_name + l - 5, ".yaml") == 0 &&
            (names[n] = strdup(e->d_name)) != NULL)
            n++;
    }
    closedir(d);
    if (n > 1)
        qsort(names, (size_t)n, sizeof names[0], by_str);
    json_t *a = json_array();
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX + 256];
        snprintf(path, sizeof path, "%s/%s", S->scen_dir, names[i]);
        bal_scenario sc;
        if (bal_scenario_load(ctx, path, &S->pk, &sc) == BAL_OK) {
            json_t *o = json_object();
            json_object_set_new(o, "file", json_string(names[i]));
            json_object_set_new(o, "name", json_string(sc.name));
            json_object_set_new(o, "description", json_string(sc.description));
            json_object_set_new(o, "status_quo", json_boolean(bal_policy_is_status_quo(&sc)));
            json_t *spec = yaml_as_json(path);
            json_object_set_new(o, "spec", spec ? spec : json_null());
            /* every setting written out (inherited ones too): what the
               dashboard editor loads and posts back unchanged */
            json_t *res = bal_scenario_json(&sc, &S->pk.regions, S->pk.nsido);
            json_object_set_new(o, "resolved", res ? res : json_null());
            json_array_append_new(a, o);
        }
        free(names[i]);
    }
    json_t *j = json_object();
    json_object_set_new(j, "scenarios", a);
    return j;
}

/* Indicators sent per region by /api/run: the dashboard's map layers (the
   indicator table's `map` flag). */
static json_t *series_json(const bal_report *rp, const bal_regions *R)
{
    json_t *regs = json_object();
    for (int64_t i = -1; i < rp->nout; i++) {
        json_t *o = json_object();
        for (int q = 0; q < BAL_NIND; q++) {
            if (!bal_indicators[q].map)
                continue;
            json_t *a = json_array();
            for (int k = 0; k < rp->nyears; k++) {
                json_array_append_new(a, bal_indicator_json(q, bal_report_row(rp, i, k)[q]));
            }
            json_object_set_new(o, bal_indicator_name(q), a);
        }
        json_object_set_new(regs, i < 0 ? "00" : R->r[rp->region[i]].code, o);
    }
    return regs;
}

/* Parse a scenario from request text; on error answer 400. */
static int parse_scenario(server *S, bal_ctx *ctx, const char *text, size_t len,
                          bal_scenario *sc)
{
    return bal_scenario_parse(ctx, "request", text, len, S->scen_dir, &S->pk, sc);
}

/* POST /api/run: the scenario (JSON) against the status quo. */
static enum MHD_Result api_run(server *S, struct MHD_Connection *c, const request *rq)
{
    bal_ctx *ctx = run_ctx(S, c);
    if (ctx == NULL)
        return send_error(c, 500, "out of memory");
    bal_scenario sc;
    /* the body is read by jansson; only its canonical compact form reaches
       the scenario parser (libfyaml), never the client's bytes */
    char *text = NULL;
    int st = bal_web_body_json(ctx, rq->body ? rq->body : "", rq->len, &text);
    if (st == BAL_OK)
        st = parse_scenario(S, ctx, text, strlen(text), &sc);
    free(text);
    if (st != BAL_OK) {
        enum MHD_Result r = send_ctx_error(c, ctx, st == BAL_ENOMEM ? 500 : 400);
        bal_ctx_free(ctx);
        return r;
    }
    bal_scn_result res[2];
    st = bal_compare_run(ctx, &S->pk, BAL_LEVEL_SIGUNGU, &sc, 1, res);
    if (st != BAL_OK) {
        enum MHD_Result r = send_ctx_error(c, ctx, 500);
        bal_ctx_free(ctx);
        return r;
    }
    json_t *j = json_object(), *years = json_array();
    for (int k = 0; k < res[1].report.nyears; k++)
        json_array_append_new(years, json_integer(res[1].report.year0 + k));
    json_object_set_new(j, "name", json_string(sc.name));
    json_object_set_new(j, "description", json_string(sc.description));
    json_object_set_new(j, "years", years);
    json_t *inds = json_array();
    for (int q = 0; q < BAL_NIND; q++)
        if (bal_indicators[q].map)
            json_array_append_new(inds, json_string(bal_indicator_name(q)));
    json_object_set_new(j, "indicators", inds);
    json_object_set_new(j, "compare", bal_compare_json(res, 1, &S->pk, BAL_LEVEL_SIGUNGU));
    json_object_set_new(j, "scenario", series_json(&res[1].report, &S->pk.regions));
    json_object_set_new(j, "status_quo", series_json(&res[0].report, &S->pk.regions));
    for (int i = 0; i < 2; i++)
        bal_compare_result_release(ctx, &res[i]);
    bal_ctx_free(ctx);
    return send_json(c, 200, j);
}

/* POST /api/compare: {"scenarios": [scenario, ...]} (at most 8). */
static enum MHD_Result api_compare(server *S, struct MHD_Connection *c, const request *rq)
{
    json_error_t jerr;
    json_t *in = json_loadb(rq->body ? rq->body : "", rq->len, 0, &jerr);
    if (in == NULL) {
        char msg[300];
        snprintf(msg, sizeof msg, "request:%d: not valid JSON: %s", jerr.line, jerr.text);
        return send_error(c, 400, msg);
    }
    json_t *arr = json_object_get(in, "scenarios");
    const size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
    if (n < 1 || n > 8) {
        json_decref(in);
        return send_error(c, 400, "request: 'scenarios' must be a list of 1 to 8 scenarios");
    }
    bal_ctx *ctx = run_ctx(S, c);
    bal_scenario *sc = calloc(n, sizeof *sc);
    bal_scn_result *res = calloc(n + 1, sizeof *res);
    enum MHD_Result ret;
    int st = ctx && sc && res ? BAL_OK : BAL_ENOMEM;
    for (size_t i = 0; st == BAL_OK && i < n; i++) {
        if (!json_is_object(json_array_get(arr, i))) {
            st = bal_raise(ctx, BAL_EDATA, "request", 1,
                           "scenarios[%zu]: expected a scenario object", i);
            break;
        }
        char *t = json_dumps(json_array_get(arr, i), JSON_COMPACT);
        st = t ? parse_scenario(S, ctx, t, strlen(t), &sc[i]) : BAL_ENOMEM;
        free(t);
    }
    if (st == BAL_OK)
        st = bal_compare_run(ctx, &S->pk, BAL_LEVEL_SIGUNGU, sc, (int)n, res);
    if (st == BAL_ENOMEM || ctx == NULL)
        ret = send_error(c, 500, "out of memory");
    else if (st != BAL_OK)
        ret = send_ctx_error(c, ctx, st == BAL_EDATA ? 400 : 500);
    else
        ret = send_json(c, 200, bal_compare_json(res, (int)n, &S->pk, BAL_LEVEL_SIGUNGU));
    for (size_t i = 0; res && st == BAL_OK && i <= n; i++)
        bal_compare_result_release(ctx, &res[i]);
    free(res);
    free(sc);
    bal_ctx_free(ctx);
    json_decref(in);
    return ret;
}

/* GET /api/results.csv?scenario=FILE (a shipped scenario, default the status
   quo): its full results, every region and indicator. */
static enum MHD_Result api_csv(server *S, struct MHD_Connection *c)
{
    const char *name = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "scenario");
    if (name == NULL || *name == '\0')
        name = "status_quo";
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return send_error(c, 400, "scenario: letters, digits, '_' and '-' only");
    char path[PATH_MAX + 300];
    snprintf(path, sizeof path, "%s/%s.yaml", S->scen_dir, name);
    if (access(path, R_OK) != 0)
        return send_error(c, 404, "scenario: no such shipped scenario");
    bal_ctx *ctx = run_ctx(S, c);
    bal_scenario sc;
    bal_scn_result res[2];
    int st = bal_scenario_load(ctx, path, &S->pk, &sc);
    if (st == BAL_OK)
        st = bal_compare_run(ctx, &S->pk, BAL_LEVEL_SIGUNGU, &sc, 1, res);
    if (st != BAL_OK) {
        enum MHD_Result r = send_ctx_error(c, ctx, 500);
        bal_ctx_free(ctx);
        return r;
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f)
        st = bal_export_csv(ctx, f, &S->pk.regions, &res[1].report, BAL_EXPORT_ALL);
    if (f)
        fclose(f);
    for (int i = 0; i < 2; i++)
        bal_compare_result_release(ctx, &res[i]);
    bal_ctx_free(ctx);
    if (f == NULL || st != BAL_OK) {
        free(buf);
        return send_error(c, 500, "cannot write CSV");
    }
    return send_bytes(c, 200, "text/csv; charset=utf-8", buf, len, MHD_RESPMEM_MUST_FREE);
}

/* The run options of a request body {"level": "sigungu", "to": 2040, ...}:
   the keys of the library's run-option table (bal_run_options, the CLI's
   options of the same names), on the data's defaults. 0, or an HTTP status
   with the message in ctx. */
static unsigned run_options(const server *S, bal_ctx *ctx, const request *rq, unsigned command,
                            bal_run_opts *o, int *given_from, int *given_to)
{
    bal_run_opts_default(o, &S->pk);
    *given_from = *given_to = 0;
    if (rq->len == 0)
        return 0;
    json_error_t jerr;
    json_t *in = json_loadb(rq->body, rq->len, 0, &jerr);
    if (in == NULL || !json_is_object(in)) {
        bal_raise(ctx, BAL_EDATA, "request", in ? 1 : jerr.line,
                  in ? "expected an object of options" : "not valid JSON: %s", jerr.text);
        json_decref(in);
        return 400;
    }
    const char *key;
    json_t *v;
    unsigned status = 0;
    json_object_foreach(in, key, v) {
        const bal_run_opt *opt = bal_run_opt_find(key);
        if (opt == NULL || strcmp(opt->key, key) != 0 || !(opt->commands & command)) {
            bal_raise(ctx, BAL_EDATA, "request", 1, "unknown option '%.64s'", key);
            status = 400;
            break;
        }
        char text[64];
        const char *value = text;
        if (opt->kind == BAL_RO_FLAG) {
            if (!json_is_true(v))
                continue; /* false: the default */
            value = NULL;
        } else if (json_is_string(v)) {
            value = json_string_value(v);
        } else if (json_is_integer(v)) {
            snprintf(text, sizeof text, "%lld", (long long)json_integer_value(v));
        } else if (json_is_real(v)) {
            snprintf(text, sizeof text, "%.17g", json_real_value(v));
        } else {
            bal_raise(ctx, BAL_EDATA, "request", 1, "%s: expected a number or a name", key);
            status = 400;
            break;
        }
        if (bal_run_opt_set(ctx, opt, value, o) != BAL_OK) {
            status = 400;
            break;
        }
        *given_from |= strcmp(opt->key, "from") == 0;
        *given_to |= strcmp(opt->key, "to") == 0;
    }
    json_decref(in);
    return status;
}

/* POST /api/project and /api/backtest: the JSON of `balance project
   --format json` and `balance backtest --format json` for the options of the
   body (an object of run options; empty: the defaults). */
static enum MHD_Result api_project(server *S, struct MHD_Connection *c, const request *rq,
                                   int backtest)
{
    bal_ctx *ctx = run_ctx(S, c);
    if (ctx == NULL)
        return send_error(c, 500, "out of memory");
    bal_run_opts o;
    int given_from, given_to;
    const unsigned bad = run_options(S, ctx, rq, backtest ? BAL_RO_BACKTEST : BAL_RO_PROJECT, &o,
                                     &given_from, &given_to);
    if (bad) {
        enum MHD_Result r = send_ctx_error(c, ctx, bad);
        bal_ctx_free(ctx);
        return r;
    }
    char *buf = NULL;
    size_t len = 0;
    int st;
    if (backtest) {
        bal_backtest b;
        o.economy = 0;
        /* the default start and end of a backtest at the level asked */
        if (!given_from)
            o.from = bal_backtest_default_from(&S->pk, o.level);
        if (!given_to)
            o.to = bal_backtest_last_year(&S->pk, o.level);
        st = bal_backtest_run(ctx, &S->pk, &o, &b);
        if (st == BAL_OK) {
            json_t *j = bal_backtest_json(&b, &S->pk.regions);
            buf = j ? json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
            len = buf ? strlen(buf) : 0;
            json_decref(j);
            if (buf == NULL)
                st = bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory");
            bal_backtest_release(ctx, &b);
        }
    } else {
        bal_run run;
        st = bal_run_project(ctx, &S->pk, &o, &run);
        FILE *f = st == BAL_OK ? open_memstream(&buf, &len) : NULL;
        if (st == BAL_OK && f == NULL)
            st = bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory");
        if (f) {
            st = bal_export_json(ctx, f, &S->pk.regions, &run.report, BAL_EXPORT_ALL, run.facts,
                                 run.nfacts);
            fclose(f);
        }
        bal_run_release(ctx, &run);
    }
    enum MHD_Result r;
    if (st == BAL_OK)
        r = send_bytes(c, 200, "application/json", buf, len, MHD_RESPMEM_MUST_FREE);
    else {
        free(buf);
        r = send_ctx_error(c, ctx, st == BAL_EUSAGE || st == BAL_EDATA ? 400 : 500);
    }
    bal_ctx_free(ctx);
    return r;
}

/* ---- static files ---- */

static const char *mime(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot == NULL)
        return "application/octet-stream";
    if (strcmp(dot, ".html") == 0)
        return "text/html; charset=utf-8";
    if (strcmp(dot, ".js") == 0 || strcmp(dot, ".mjs") == 0)
        return "text/javascript; charset=utf-8";
    if (strcmp(dot, ".css") == 0)
        return "text/css; charset=utf-8";
    if (strcmp(dot, ".json") == 0)
        return "application/json";
    if (strcmp(dot, ".svg") == 0)
        return "image/svg+xml";
    if (strcmp(dot, ".png") == 0)
        return "image/png";
    return "application/octet-stream";
}

/* A file of the dashboard's folder: `url` is checked (no "..", no hidden
   names, no node_modules except the two vendored libraries) and its real
   path must lie inside web_dir. */
static enum MHD_Result serve_static(server *S, struct MHD_Connection *c, const char *url)
{
    static const struct { const char *url, *file; } vendor[] = {
        {"/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js"},
        {"/vendor/topojson-client.min.js", "node_modules/topojson-client/dist/topojson-client.min.js"}};
    const char *rel = NULL;
    for (size_t i = 0; i < sizeof vendor / sizeof vendor[0]; i++)
        if (strcmp(url, vendor[i].url) == 0)
            rel = vendor[i].file;
    if (rel == NULL) {
        if (strcmp(url, "/") == 0)
            url = "/index.html";
        if (strstr(url, "..") || strstr(url, "/.") || strstr(url, "//") ||
            strncmp(url, "/node_modules", 13) == 0 || strncmp(url, "/tests", 6) == 0 ||
            strchr(url, '\\'))
            return send_error(c, 404, "not found");
        rel = url + 1;
    }
    char path[PATH_MAX + 300], real[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", S->web_dir, rel);
    const size_t wl = strlen(S->web_dir);
    struct stat sb;
    if (realpath(path, real) == NULL || strncmp(real, S->web_dir, wl) != 0 || real[wl] != '/' ||
        stat(real, &sb) != 0 || !S_ISREG(sb.st_mode))
        return send_error(c, 404, "not found");
    size_t len = 0;
    bal_ctx *ctx = bal_ctx_alloc();
    char *buf = ctx ? bal_file_read(ctx, real, &len) : NULL;
    enum MHD_Result r = buf ? send_bytes(c, 200, mime(real), buf, len, MHD_RESPMEM_MUST_COPY)
                            : send_error(c, 500, "cannot read file");
    bal_free(ctx, buf);
    bal_ctx_free(ctx);
    return r;
}

/* ---- dispatch ---- */

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)version;
    server *S = cls;
    const int post = strcmp(method, "POST") == 0;
    if (*con_cls == NULL) {
        request *rq = calloc(1, sizeof *rq);
        if (rq == NULL)
            return MHD_NO;
        *con_cls = rq;
        return MHD_YES;
    }
    request *rq = *con_cls;
    if (*upload_size > 0) {
        if (!rq->too_big) {
            if (rq->len + *upload_size > BODY_MAX) {
                rq->too_big = 1;
            } else {
                char *nb = realloc(rq->body, rq->len + *upload_size + 1);
                if (nb == NULL)
                    return MHD_NO;
                memcpy(nb + rq->len, upload, *upload_size);
                rq->body = nb;
                rq->len += *upload_size;
                rq->body[rq->len] = '\0';
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    conn_received(S, c, 1);
    if (rq->too_big)
        return send_error(c, 413, "request body larger than 64 KiB");
    const int api = strncmp(url, "/api/", 5) == 0;
    if (!api) {
        if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
            return send_error(c, 405, "method not allowed");
        return serve_static(S, c, url);
    }
    if (strcmp(url, "/api/regions") == 0 || strcmp(url, "/api/scenarios") == 0 ||
        strcmp(url, "/api/geometry/sido") == 0 || strcmp(url, "/api/geometry/sigungu") == 0 ||
        strcmp(url, "/api/results.csv") == 0 || strcmp(url, "/api/indicators") == 0 ||
        strcmp(url, "/api/levers") == 0 || strcmp(url, "/api/status") == 0) {
        if (strcmp(method, "GET") != 0)
            return send_error(c, 405, "method not allowed: use GET");
        if (strcmp(url, "/api/regions") == 0)
            return send_json(c, 200, regions_json(S));
        if (strcmp(url, "/api/status") == 0)
            return send_json(c, 200, status_json(S));
        if (strcmp(url, "/api/levers") == 0) {
            /* today's local tax shares of the data, shown by the editor */
            double today[BAL_NTAX];
            bal_ctx *tctx = bal_ctx_alloc();
            const int ok = tctx && bal_couple_tax_shares(tctx, &S->pk, today) == BAL_OK;
            bal_ctx_free(tctx);
            json_t *j = bal_lever_table_json(ok ? today : NULL);
            return j ? send_json(c, 200, j) : send_error(c, 500, "out of memory");
        }
        if (strcmp(url, "/api/indicators") == 0)
            return send_json(c, 200, bal_indicator_table_json());
        if (strncmp(url, "/api/geometry/", 14) == 0) {
            const int k = strcmp(url + 14, "sido") == 0 ? 0 : 1;
            return send_bytes(c, 200, "application/json", S->topo[k], S->topo_len[k],
                              MHD_RESPMEM_PERSISTENT);
        }
        if (strcmp(url, "/api/scenarios") == 0) {
            bal_ctx *ctx = bal_ctx_alloc();
            json_t *j = ctx ? scenarios_json(S, ctx) : NULL;
            bal_ctx_free(ctx);
            return j ? send_json(c, 200, j) : send_error(c, 500, "cannot list the scenarios");
        }
    }
    const int run = strcmp(url, "/api/run") == 0, cmp = strcmp(url, "/api/compare") == 0;
    const int csv = strcmp(url, "/api/results.csv") == 0;
    const int proj = strcmp(url, "/api/project") == 0, bt = strcmp(url, "/api/backtest") == 0;
    if (!run && !cmp && !csv && !proj && !bt)
        return send_error(c, 404, "no such endpoint (see docs/api.md)");
    if ((run || cmp || proj || bt) && !post)
        return send_error(c, 405, "method not allowed: use POST");
    /* bounded concurrent model runs */
    if (atomic_fetch_add(&S->running, 1) >= MAX_RUNS) {
        atomic_fetch_sub(&S->running, 1);
        return send_error(c, 503, "busy: too many runs at once, retry");
    }
    conn_running(S, c, 1);
    enum MHD_Result r = run    ? api_run(S, c, rq)
                        : cmp  ? api_compare(S, c, rq)
                        : proj ? api_project(S, c, rq, 0)
                        : bt   ? api_project(S, c, rq, 1)
                               : api_csv(S, c);
    conn_running(S, c, 0);
    atomic_fetch_sub(&S->running, 1);
    return r;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)toe;
    conn_received(cls, c, 0); /* a next request on the connection: a new deadline */
    request *rq = *con_cls;
    if (rq) {
        free(rq->body);
        free(rq);
    }
    *con_cls = NULL;
}

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

int bal_serve(bal_ctx *ctx, const bal_serve_opts *o)
{
    server S0 = {0}; /* the daemon's shared, read-only state, alive until the daemon stops */
    server *const Sp = &S0;
#define S (*Sp)
    int st = bal_datapack_load(ctx, o->data, &S.pk);
    if (st == BAL_OK)
        st = bal_datapack_load_municipal(ctx, &S.pk);
    if (st)
        return st;
    if (realpath(o->web, S.web_dir) == NULL || realpath(o->scenarios, S.scen_dir) == NULL) {
        bal_datapack_release(ctx, &S.pk);
        return bal_raise(ctx, BAL_EIO, NULL, 0, "cannot find the dashboard folder '%s' or the "
                         "scenarios folder '%s'", o->web, o->scenarios);
    }
    static const char *const topo[2] = {"source/geo/sido.topo.json", "source/geo/sigungu.topo.json"};
    for (int k = 0; k < 2; k++) {
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", o->data, topo[k]);
        S.topo[k] = bal_file_read(ctx, path, &S.topo_len[k]);
        if (S.topo[k] == NULL) {
            st = bal_ctx_status(ctx);
            break;
        }
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)o->port);
    if (st == BAL_OK && inet_pton(AF_INET, o->bind, &addr.sin_addr) != 1)
        st = bal_raise(ctx, BAL_EUSAGE, NULL, 0, "--bind: not an IPv4 address: '%s'", o->bind);
    struct MHD_Daemon *d = NULL;
    if (st == BAL_OK) {
        pthread_mutex_init(&S.cn.lock, NULL);
        S.cn.deadline_s = o->request_deadline > 0.0 ? o->request_deadline : 10.0;
        S.cn.per_ip = o->per_ip > 0 ? o->per_ip : 32;
        for (int k = 0; k < CONN_MAX; k++)
            S.cn.slot[k].fd = -1;
        d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
                                 MHD_USE_POLL | MHD_USE_ERROR_LOG,
                             (uint16_t)o->port, NULL, NULL, handler, &S,
                             MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
                             MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                             MHD_OPTION_CONNECTION_LIMIT, (unsigned int)CONN_MAX,
                             MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned int)o->per_ip,
                             MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)IDLE_TIMEOUT_S,
                             MHD_OPTION_NOTIFY_CONNECTION, on_connection, &S,
                             MHD_OPTION_NOTIFY_COMPLETED, completed, &S, MHD_OPTION_END);
        if (d != NULL && pthread_create(&S.cn.watchdog, NULL, watchdog, &S) != 0) {
            MHD_stop_daemon(d);
            d = NULL;
        }
        if (d == NULL)
            st = bal_raise(ctx, BAL_EIO, NULL, 0, "cannot listen on %s:%d (port in use?)", o->bind,
                           o->port);
    }
    if (st == BAL_OK) {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        printf("Balance dashboard on http://%s:%u/ (API: /api/...; Ctrl-C stops)\n", o->bind,
               info ? (unsigned)info->port : (unsigned)o->port);
        fflush(stdout);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        while (!stop_flag)
            pause();
        MHD_stop_daemon(d);
        atomic_store(&S.cn.stop, 1);
        pthread_join(S.cn.watchdog, NULL);
        fprintf(stderr, "balance serve: %ld slow requests closed at the deadline, %ld runs "
                "canceled (client gone)\n", atomic_load(&S.cn.deadline_closed),
                atomic_load(&S.cn.runs_canceled));
    }
    bal_free(ctx, S.topo[0]);
    bal_free(ctx, S.topo[1]);
    bal_datapack_release(ctx, &S.pk);
    return st;
#undef S
}
