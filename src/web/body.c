/*
 * body.c — request bodies (body.h).
 */
#include "body.h"

#include <jansson.h>
#include <stdlib.h>

int bal_web_body_json(bal_ctx *ctx, const char *body, size_t len, char **out)
{
    *out = NULL;
    if (len > BAL_WEB_BODY_MAX)
        return bal_raise(ctx, BAL_EUSAGE, "request", 0, "request body larger than %d KiB",
                         BAL_WEB_BODY_MAX / 1024);
    size_t k = 0;
    while (k < len && (body[k] == ' ' || body[k] == '\t' || body[k] == '\n' || body[k] == '\r'))
        k++;
    if (k == len)
        return bal_raise(ctx, BAL_EDATA, "request", 1,
                         "empty scenario file (a scenario needs at least a 'name')");
    json_error_t jerr;
    json_t *j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (j == NULL)
        return bal_raise(ctx, BAL_EDATA, "request", jerr.line > 0 ? jerr.line : 1,
                         "not valid JSON: %s", jerr.text);
    if (!json_is_object(j)) {
        json_decref(j);
        return bal_raise(ctx, BAL_EDATA, "request", 1,
                         "expected a scenario object ({\"name\": ...})");
    }
    *out = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    return *out ? BAL_OK : bal_raise(ctx, BAL_ENOMEM, NULL, 0, "out of memory");
}
