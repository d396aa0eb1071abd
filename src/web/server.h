/*
 * server.h — `balance serve` (docs/api.md).
 */
#ifndef BALANCE_WEB_SERVER_H
#define BALANCE_WEB_SERVER_H

#include "balance/core.h"

typedef struct bal_serve_opts {
    const char *data;       /* data pack directory */
    const char *web;        /* dashboard folder (web/) */
    const char *scenarios;  /* shipped scenarios (scenarios/) */
    const char *bind;       /* IPv4 address, default 127.0.0.1 */
    int port;               /* default 8080; 0 = any free port */
    double request_deadline;/* seconds to receive a request's headers and body (default 10) */
    int per_ip;             /* connections at once from one address (default 32) */
} bal_serve_opts;

/* Serve until SIGINT or SIGTERM. */
int bal_serve(bal_ctx *ctx, const bal_serve_opts *o);

#endif
