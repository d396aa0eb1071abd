/*
 * file.c — a whole file into memory (bal_file_read, core.h): the data pack's
 * tables and the web server's static files.
 */
#include "balance/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

char *bal_file_read(bal_ctx *ctx, const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        bal_raise(ctx, BAL_EIO, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? 2 * cap : 65536;
            char *nd = bal_realloc(ctx, data, cap + 1);
            if (nd == NULL) {
                bal_free(ctx, data);
                fclose(f);
                return NULL;
            }
            data = nd;
        }
        size_t got = fread(data + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        bal_free(ctx, data);
        bal_raise(ctx, BAL_EIO, path, 0, "read error");
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}
