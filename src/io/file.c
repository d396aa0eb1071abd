/*
 * file.c — a whole file into memory (bal_file_read, core.h): the data pack's
 * tables and the web server's static files.
 */
#include "balance/core.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

char *bal_file_read(bal_ctx *ctx, const char *path, size_t *len)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused
       below); it changes nothing for a regular file */
    const int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        bal_raise(ctx, BAL_EIO, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        bal_raise(ctx, BAL_EIO, path, 0,
                  "not a regular file (a device, FIFO or directory is never read)");
        return NULL;
    }
    if (sb.st_size > (off_t)BAL_FILE_MAX) {
        close(fd);
        bal_raise(ctx, BAL_EIO, path, 0, "larger than %d MiB: not read",
                  (int)(BAL_FILE_MAX >> 20));
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (f == NULL) {
        close(fd);
        bal_raise(ctx, BAL_EIO, path, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *data = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            if (cap >= BAL_FILE_MAX) { /* grew while being read */
                bal_free(ctx, data);
                fclose(f);
                bal_raise(ctx, BAL_EIO, path, 0, "larger than %d MiB: not read",
                          (int)(BAL_FILE_MAX >> 20));
                return NULL;
            }
            cap = cap ? 2 * cap : 65536;
            if (cap > BAL_FILE_MAX)
                cap = BAL_FILE_MAX;
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
