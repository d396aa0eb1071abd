/* topo_area.c - area on the sphere of every feature of a TopoJSON object.
 *
 * Usage: topo-area [-p DIGITS] FILE.topo.json OBJECT_NAME CODE_PROPERTY
 *
 * Prints one line "CODE,AREA" per geometry of the GeometryCollection
 * OBJECT_NAME, in file order, no header.  CODE is the geometry's string
 * property CODE_PROPERTY; AREA is in km^2, printed with "%.*f" (DIGITS
 * decimals, default 1).  On bad input it prints "FILE: what is wrong" to
 * stderr and exits with status 1 (status 2 for a usage error).
 *
 * Decoding follows the TopoJSON specification (and topojson-client): with a
 * top-level "transform", arc positions are quantised integers, delta-encoded
 * within each arc, and position = value * scale + translate; without one they
 * are absolute longitude/latitude.  A ring is a list of arc indices; index
 * ~i (= -i-1) means arc i reversed.  Consecutive arcs of a ring must share
 * their joining point and the ring must be closed; anything else is an error.
 * Only Polygon and MultiPolygon geometries are accepted.
 *
 * The area is computed as d3-geo's geoArea does (d3-geo src/area.js):
 * edges are great-circle arcs; each edge contributes the signed spherical
 * excess of the triangle it forms with the south pole, via
 *     atan2(k * sin|dl|, cos p0 cos p1 + k cos|dl|) * sign(dl),
 *     k = sin p0 sin p1,  p = lat/2 + pi/4,
 * summed (compensated) over all rings of a polygon, holes included; a
 * negative polygon sum s means the complement, s + 2*pi; the area in
 * steradians is twice the sum.  In d3's convention exterior rings are
 * clockwise (in the lon/lat plane) and holes counter-clockwise, so holes
 * subtract.  A polygon larger than a hemisphere (2*pi sr) can only come from
 * rings wound the other way for the small regions this tool is meant for, so
 * it is rejected as an error instead of being reported as nearly the whole
 * sphere.  Steradians are converted with R = 6371.0088 km (IUGG mean radius
 * R1 of the WGS84 ellipsoid).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0088
#define PI 3.14159265358979323846
#define DEG (PI / 180.0)

static const char *g_file = "topo-area";

static _Noreturn void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", g_file);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static _Noreturn void usage(void)
{
    fputs("usage: topo-area [-p DIGITS] FILE.topo.json OBJECT_NAME CODE_PROPERTY\n"
          "prints CODE,AREA_KM2 for each geometry of the GeometryCollection OBJECT_NAME\n",
          stderr);
    exit(2);
}

/* Compensated (Neumaier) sum, standing in for d3's exact Adder. */
typedef struct {
    double s, c;
} sum_t;

static void sum_add(sum_t *a, double x)
{
    double t = a->s + x;
    if (fabs(a->s) >= fabs(x))
        a->c += (a->s - t) + x;
    else
        a->c += (x - t) + a->s;
    a->s = t;
}

static double sum_value(const sum_t *a) { return a->s + a->c; }

/* One decoded arc: n positions in degrees. */
typedef struct {
    size_t n;
    double *lon, *lat;
} arc_t;

typedef struct {
    arc_t *arcs;
    size_t narcs;
} topo_t;

static double number(const json_t *v, const char *what, size_t i)
{
    if (!json_is_number(v))
        fail("%s %zu: expected a number", what, i);
    double x = json_number_value(v);
    if (!isfinite(x))
        fail("%s %zu: non-finite number", what, i);
    return x;
}

static void decode_arcs(const json_t *root, topo_t *t)
{
    const json_t *arcs = json_object_get(root, "arcs");
    if (!json_is_array(arcs))
        fail("no \"arcs\" array");

    const json_t *tr = json_object_get(root, "transform");
    int quantized = tr != NULL;
    double kx = 1, ky = 1, dx = 0, dy = 0;
    if (quantized) {
        const json_t *sc = json_object_get(tr, "scale");
        const json_t *tl = json_object_get(tr, "translate");
        if (!json_is_object(tr) || !json_is_array(sc) || !json_is_array(tl) ||
            json_array_size(sc) != 2 || json_array_size(tl) != 2)
            fail("\"transform\" must have two-element \"scale\" and \"translate\"");
        kx = number(json_array_get(sc, 0), "transform scale", 0);
        ky = number(json_array_get(sc, 1), "transform scale", 1);
        dx = number(json_array_get(tl, 0), "transform translate", 0);
        dy = number(json_array_get(tl, 1), "transform translate", 1);
        if (!(kx > 0) || !(ky > 0))
            fail("transform scale must be positive");
    }

    t->narcs = json_array_size(arcs);
    t->arcs = calloc(t->narcs ? t->narcs : 1, sizeof *t->arcs);
    if (!t->arcs)
        fail("out of memory");
    for (size_t i = 0; i < t->narcs; i++) {
        const json_t *a = json_array_get(arcs, i);
        if (!json_is_array(a) || json_array_size(a) == 0)
            fail("arc %zu: not a non-empty array of positions", i);
        arc_t *arc = &t->arcs[i];
        arc->n = json_array_size(a);
        arc->lon = malloc(arc->n * sizeof *arc->lon);
        arc->lat = malloc(arc->n * sizeof *arc->lat);
        if (!arc->lon || !arc->lat)
            fail("out of memory");
        json_int_t qx = 0, qy = 0;
        for (size_t j = 0; j < arc->n; j++) {
            const json_t *p = json_array_get(a, j);
            if (!json_is_array(p) || json_array_size(p) < 2)
                fail("arc %zu position %zu: not a [x, y] array", i, j);
            const json_t *px = json_array_get(p, 0), *py = json_array_get(p, 1);
            double lon, lat;
            if (quantized) {
                if (!json_is_integer(px) || !json_is_integer(py))
                    fail("arc %zu position %zu: quantised position is not integer", i, j);
                qx += json_integer_value(px);
                qy += json_integer_value(py);
                if (qx > 1000000000000LL || qx < -1000000000000LL ||
                    qy > 1000000000000LL || qy < -1000000000000LL)
                    fail("arc %zu position %zu: quantised position out of range", i, j);
                lon = (double)qx * kx + dx;
                lat = (double)qy * ky + dy;
            } else {
                lon = number(px, "arc position", j);
                lat = number(py, "arc position", j);
            }
            if (lon < -180 || lon > 180 || lat < -90 || lat > 90)
                fail("arc %zu position %zu: (%g, %g) is not a longitude/latitude", i, j,
                     lon, lat);
            arc->lon[j] = lon;
            arc->lat[j] = lat;
        }
    }
}

/* d3-geo area stream, one ring at a time. */
typedef struct {
    sum_t *ring_sum;     /* polygon accumulator (all rings of one polygon) */
    size_t npoints;      /* points of the current ring streamed so far */
    double lon00, lat00;  /* first point, degrees */
    double lambda0, cos_phi0, sin_phi0;
} ring_t;

static void area_point(ring_t *r, double lon, double lat)
{
    double lambda = lon * DEG, phi = lat * DEG / 2 + PI / 4;
    if (r->npoints++ == 0) {
        r->lon00 = lon;
        r->lat00 = lat;
        r->lambda0 = lambda;
        r->cos_phi0 = cos(phi);
        r->sin_phi0 = sin(phi);
        return;
    }
    double dlambda = lambda - r->lambda0;
    double sd = dlambda >= 0 ? 1.0 : -1.0;
    double ad = sd * dlambda;
    double cos_phi = cos(phi), sin_phi = sin(phi);
    double k = r->sin_phi0 * sin_phi;
    double u = r->cos_phi0 * cos_phi + k * cos(ad);
    double v = k * sd * sin(ad);
    sum_add(r->ring_sum, atan2(v, u));
    r->lambda0 = lambda;
    r->cos_phi0 = cos_phi;
    r->sin_phi0 = sin_phi;
}

/* Stream one ring (array of arc indices) into the polygon sum.  The closing
 * point (equal to the first) is not streamed; the closing edge is added at
 * the end, as d3's geoStream + areaRingEnd do. */
static void area_ring(const topo_t *t, const json_t *ring, sum_t *poly_sum, const char *code,
                      size_t pi, size_t ri)
{
    if (!json_is_array(ring) || json_array_size(ring) == 0)
        fail("geometry %s polygon %zu ring %zu: not a non-empty array of arc indices", code,
             pi, ri);

    /* Collect the stitched points first (to check closure, then drop the
     * duplicate closing point). */
    size_t cap = 0, n = 0;
    for (size_t i = 0; i < json_array_size(ring); i++) {
        const json_t *ix = json_array_get(ring, i);
        if (!json_is_integer(ix))
            fail("geometry %s polygon %zu ring %zu: arc index is not an integer", code, pi, ri);
        json_int_t a = json_integer_value(ix);
        json_int_t ai = a >= 0 ? a : ~a;
        if ((unsigned long long)ai >= t->narcs)
            fail("geometry %s polygon %zu ring %zu: arc index %lld out of range (%zu arcs)",
                 code, pi, ri, (long long)a, t->narcs);
        cap += t->arcs[ai].n;
    }
    double *lon = malloc(cap * sizeof *lon), *lat = malloc(cap * sizeof *lat);
    if (!lon || !lat)
        fail("out of memory");
    for (size_t i = 0; i < json_array_size(ring); i++) {
        json_int_t a = json_integer_value(json_array_get(ring, i));
        int rev = a < 0;
        const arc_t *arc = &t->arcs[rev ? ~a : a];
        for (size_t j = 0; j < arc->n; j++) {
            size_t jj = rev ? arc->n - 1 - j : j;
            if (j == 0 && n > 0) {
                if (arc->lon[jj] != lon[n - 1] || arc->lat[jj] != lat[n - 1])
                    fail("geometry %s polygon %zu ring %zu: arc %lld does not start where "
                         "the previous arc ends",
                         code, pi, ri, (long long)a);
                continue;
            }
            lon[n] = arc->lon[jj];
            lat[n] = arc->lat[jj];
            n++;
        }
    }
    if (n < 4)
        fail("geometry %s polygon %zu ring %zu: fewer than 4 positions", code, pi, ri);
    if (lon[0] != lon[n - 1] || lat[0] != lat[n - 1])
        fail("geometry %s polygon %zu ring %zu: ring is not closed", code, pi, ri);

    ring_t r = {.ring_sum = poly_sum};
    for (size_t i = 0; i + 1 < n; i++)
        area_point(&r, lon[i], lat[i]);
    area_point(&r, r.lon00, r.lat00); /* closing edge */
    free(lon);
    free(lat);
}

/* Area of one polygon (array of rings) in steradians. */
static double area_polygon(const topo_t *t, const json_t *poly, const char *code, size_t pi)
{
    if (!json_is_array(poly) || json_array_size(poly) == 0)
        fail("geometry %s polygon %zu: not a non-empty array of rings", code, pi);
    sum_t s = {0, 0};
    for (size_t ri = 0; ri < json_array_size(poly); ri++)
        area_ring(t, json_array_get(poly, ri), &s, code, pi, ri);
    double v = sum_value(&s);
    if (v < 0)
        v += 2 * PI;
    double sr = 2 * v;
    if (sr > 2 * PI)
        fail("geometry %s polygon %zu: area %.6g sr exceeds a hemisphere; exterior rings "
             "must be clockwise and holes counter-clockwise (d3 convention)",
             code, pi, sr);
    return sr;
}

int main(int argc, char **argv)
{
    int digits = 1;
    int argi = 1;
    if (argi < argc && strcmp(argv[argi], "-p") == 0) {
        if (argi + 1 >= argc)
            usage();
        char *end;
        errno = 0;
        long d = strtol(argv[argi + 1], &end, 10);
        if (errno || *end || end == argv[argi + 1] || d < 0 || d > 12)
            usage();
        digits = (int)d;
        argi += 2;
    }
    if (argc - argi != 3)
        usage();
    g_file = argv[argi];
    const char *objname = argv[argi + 1], *prop = argv[argi + 2];

    json_error_t err;
    json_t *root = json_load_file(g_file, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        if (err.line > 0)
            fail("line %d column %d: %s", err.line, err.column, err.text);
        fail("%s", err.text);
    }
    const json_t *type = json_object_get(root, "type");
    if (!json_is_string(type) || strcmp(json_string_value(type), "Topology") != 0)
        fail("not a TopoJSON Topology");

    topo_t t = {0};
    decode_arcs(root, &t);

    const json_t *objects = json_object_get(root, "objects");
    const json_t *obj = json_is_object(objects) ? json_object_get(objects, objname) : NULL;
    if (!obj)
        fail("no object \"%s\"", objname);
    const json_t *otype = json_object_get(obj, "type");
    const json_t *geoms = json_object_get(obj, "geometries");
    if (!json_is_string(otype) || strcmp(json_string_value(otype), "GeometryCollection") != 0 ||
        !json_is_array(geoms))
        fail("object \"%s\" is not a GeometryCollection", objname);
    if (json_array_size(geoms) == 0)
        fail("object \"%s\" has no geometries", objname);

    for (size_t gi = 0; gi < json_array_size(geoms); gi++) {
        const json_t *g = json_array_get(geoms, gi);
        const json_t *props = json_object_get(g, "properties");
        const json_t *cv = json_is_object(props) ? json_object_get(props, prop) : NULL;
        if (!json_is_string(cv))
            fail("geometry %zu of \"%s\": property \"%s\" missing or not a string", gi, objname,
                 prop);
        const char *code = json_string_value(cv);
        if (*code == '\0' || strpbrk(code, ",\"\r\n") != NULL)
            fail("geometry %zu of \"%s\": property \"%s\" is empty or not CSV-safe", gi,
                 objname, prop);

        const json_t *gt = json_object_get(g, "type");
        const json_t *garcs = json_object_get(g, "arcs");
        const char *gts = json_is_string(gt) ? json_string_value(gt) : "";
        double sr = 0;
        if (strcmp(gts, "Polygon") == 0) {
            sr = area_polygon(&t, garcs, code, 0);
        } else if (strcmp(gts, "MultiPolygon") == 0) {
            if (!json_is_array(garcs) || json_array_size(garcs) == 0)
                fail("geometry %s: MultiPolygon without polygons", code);
            sum_t s = {0, 0};
            for (size_t pi = 0; pi < json_array_size(garcs); pi++)
                sum_add(&s, area_polygon(&t, json_array_get(garcs, pi), code, pi));
            sr = sum_value(&s);
        } else {
            fail("geometry %s: type \"%s\" is not Polygon or MultiPolygon", code, gts);
        }
        printf("%s,%.*f\n", code, digits, sr * EARTH_RADIUS_KM * EARTH_RADIUS_KM);
    }

    for (size_t i = 0; i < t.narcs; i++) {
        free(t.arcs[i].lon);
        free(t.arcs[i].lat);
    }
    free(t.arcs);
    json_decref(root);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        g_file = "topo-area";
        fail("error writing output");
    }
    return 0;
}
