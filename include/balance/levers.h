/*
 * balance/levers.h — the lever table: every setting of a scenario file,
 * defined once (docs/design.md, "Adding a lever").
 *
 * Each row gives the setting's YAML path, its type, unit, default and range,
 * its policy family, the docs/model.md section that documents its channel
 * and, for a setting that is parsed but has no channel yet, the reason. The
 * scenario reader (io/scenario.c) parses, defaults and validates from it;
 * `balance levers` and GET /api/levers print it; the dashboard editor builds
 * its controls from it; the scenario writer (bal_scenario_json) writes a
 * resolved scenario back in the same shape; tests check that every setting
 * acts and that docs/scenarios.md lists each row.
 *
 * Paths: "levers.integration[].start" is the `start` of every item of the
 * list `levers.integration`. A section's fields live in its own object
 * (bal_scenario, bal_decentral, bal_metro, bal_union or bal_hub), at
 * `offset` from the object of its parent.
 */
#ifndef BALANCE_LEVERS_H
#define BALANCE_LEVERS_H

#include "balance/core.h"
#include "balance/policy.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum bal_lever_kind {
    BAL_LK_SECTION,       /* a mapping of settings; `flag` (if >= 0) is set to 1 when named */
    BAL_LK_LIST,          /* a list of mappings: items of `size` bytes at `offset`, count at
                             `flag`, at most `cap` */
    BAL_LK_NUMBER,        /* double in [lo, hi]; default NAN: today's value (from the data) */
    BAL_LK_YEAR,          /* int year in [lo, hi]; def_after > 0: default = sibling start + it */
    BAL_LK_TEXT,          /* char[cap] */
    BAL_LK_EXTENDS,       /* the file a scenario starts from (read by the loader itself) */
    BAL_LK_PROVINCE,      /* int64 sido index, -1 for none; code or name */
    BAL_LK_PROVINCES,     /* int64[cap] sido indices, count at `flag` */
    BAL_LK_PROVINCE_SET,  /* unsigned char[BAL_MAX_SIDO]: 1 for each sido named (default all) */
    BAL_LK_PLACE,         /* a sido or sigungu: int64 sido at offset, int64 sigungu (or -1) next */
    BAL_LK_SECTORS,       /* unsigned bit set of sectors (docs/model.md §13.1) */
    BAL_LK_INDUSTRY,      /* int: one of the five strategic industries */
    BAL_LK_PRESET         /* a tax-assignment preset written into double[BAL_NTAX] at offset */
};

typedef struct bal_lever {
    const char *path;     /* YAML path, e.g. "levers.decentralization.fiscal.income" */
    int kind;             /* enum bal_lever_kind */
    size_t offset;        /* the value (a section: its object) in its parent's object */
    ptrdiff_t flag;       /* section: its `on` int, or -1; list, provinces: the count */
    size_t cap;           /* list, provinces: capacity; text: buffer size */
    size_t size;          /* list: item size */
    const char *unit;     /* "fraction", "year", "trillion KRW a year", ... ("" if none) */
    double def, lo, hi;   /* number and year: default and inclusive range */
    int def_after;        /* year: default = the sibling `start` + def_after (0: `def`) */
    const char *def_text; /* the default as shown when not a number ("every province") */
    const char *family;   /* "scenario", "integration", "decentralization", "metropolises" */
    const char *doc;      /* docs/model.md section of its channel, e.g. "14.3" */
    const char *label;    /* English, for tables and the dashboard */
    const char *label_ko; /* Korean */
    const char *pending;  /* NULL, or why the setting is read but has no channel yet */
} bal_lever;

/* The table, in document order (a section before its settings). */
extern const bal_lever bal_levers[];
extern const int bal_nlevers;

/* Row of `path`, or NULL. */
const bal_lever *bal_lever_find(const char *path);
/* Last component of a row's path ("levers.integration[].start" -> "start"). */
const char *bal_lever_key(const bal_lever *lv);
/* Name of a kind ("number", "year", "province", ...). */
const char *bal_lever_kind_name(int kind);
/* 1 if `lv` is a direct child of the section or list `parent` (NULL: top). */
int bal_lever_is_child(const bal_lever *lv, const bal_lever *parent);

/* The tax item (0..BAL_NTAX-1, enum bal_tax) whose local share row `lv`
   sets, or -1 when it is not a tax share. */
int bal_lever_tax_item(const bal_lever *lv);

/* Set every default of the settings under `parent` (NULL: the whole
   scenario) in `obj`, the parent's object, skipping list items (those get
   theirs when an item is created). Years with def_after are left 0 until
   bal_lever_finish. */
void bal_lever_defaults(const bal_lever *parent, void *obj);
/* After a section or list item is read: years still 0 that default to
   start + def_after get it. */
void bal_lever_finish(const bal_lever *parent, void *obj);

#ifdef __cplusplus
}
#endif
#endif
