/*
 * serve_main.c — the `balance-serve` program that `balance serve` runs: the
 * options, then bal_serve (server.c). Kept apart from the `balance` binary
 * so that only the server links libmicrohttpd.
 */
#include "server.h"

#include "balance/engine.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const SERVE_HELP =
    "Usage: balance serve [OPTIONS]\n"
    "\n"
    "Start the web dashboard and its JSON API (docs/api.md) over the same engine\n"
    "as the CLI. Open the printed address in a browser; Ctrl-C stops.\n"
    "\n"
    "Options:\n"
    "  --port N           TCP port (default 8080; 0 = any free port)\n"
    "  --bind ADDR        IPv4 address to listen on (default 127.0.0.1)\n"
    "  --data DIR         data pack directory (default: data/kr)\n"
    "  --web DIR          dashboard folder (default: web)\n"
    "  --scenarios DIR    shipped scenarios (default: scenarios)\n"
    "  --request-deadline SECONDS\n"
    "                     time a client has to send a request's headers and body,\n"
    "                     however slowly it sends them (default: 10; 1..600)\n"
    "  --per-ip N         connections at once from one address (default: 32;\n"
    "                     1..256, the most at once)\n"
    "  -h, --help         show this help\n";

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "balance serve: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'balance serve --help'.\n");
    return 2;
}

int main(int argc, char **argv)
{
    /* before the server's threads start: GSL's process-wide handler must
       not abort a run (the library maps GSL statuses to errors) */
    bal_gsl_init();
    bal_serve_opts o = {"data/kr", "web", "scenarios", "127.0.0.1", 8080, 10.0, 32};
    static const struct option opts[] = {{"port", required_argument, NULL, 'p'},
                                         {"bind", required_argument, NULL, 'b'},
                                         {"data", required_argument, NULL, 'd'},
                                         {"web", required_argument, NULL, 'w'},
                                         {"scenarios", required_argument, NULL, 's'},
                                         {"request-deadline", required_argument, NULL, 'D'},
                                         {"per-ip", required_argument, NULL, 'I'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(SERVE_HELP, stdout); return 0;
        case 'p': {
            char *end;
            errno = 0;
            const long v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || errno || v < 0 || v > 65535)
                return usage("--port: expected 0..65535, not '%s'", optarg);
            o.port = (int)v;
            break;
        }
        case 'D':
        case 'I': {
            char *end;
            errno = 0;
            const long v = strtol(optarg, &end, 10);
            const long hi = c == 'D' ? 600 : 256;
            if (*optarg == '\0' || *end != '\0' || errno || v < 1 || v > hi)
                return usage(c == 'D' ? "--request-deadline: expected 1..600 seconds, not '%s'"
                                      : "--per-ip: expected 1..256, not '%s'",
                             optarg);
            if (c == 'D')
                o.request_deadline = (double)v;
            else
                o.per_ip = (int)v;
            break;
        }
        case 'b': o.bind = optarg; break;
        case 'd': o.data = optarg; break;
        case 'w': o.web = optarg; break;
        case 's': o.scenarios = optarg; break;
        default:
            return usage(c == ':' ? "option '%s' needs a value" : "unknown option '%s'",
                         argv[optind - 1]);
        }
    }
    if (optind < argc)
        return usage("unexpected argument '%s'", argv[optind]);
    bal_ctx *ctx = bal_ctx_alloc();
    if (ctx == NULL)
        return 1;
    int rc = 0;
    if (bal_serve(ctx, &o) != BAL_OK) {
        const char *file = bal_ctx_file(ctx);
        if (file[0])
            fprintf(stderr, "%s:%ld: %s\n", file, bal_ctx_line(ctx), bal_ctx_message(ctx));
        else
            fprintf(stderr, "balance serve: %s\n", bal_ctx_message(ctx));
        rc = bal_ctx_status(ctx) == BAL_EINTERNAL || bal_ctx_status(ctx) == BAL_ENOMEM ? 1 : 2;
    }
    bal_ctx_free(ctx);
    return rc;
}
