/*
 * levers.c — the lever table (levers.h): every scenario setting once, with
 * its type, unit, default, range, family, documentation and, for a setting
 * without a channel yet, why. Defaults and ranges: docs/model.md §14 and
 * data/kr/ASSUMPTIONS.md A35-A44 (the sources are there). Pure data and
 * small pure helpers; no I/O.
 */
#include "balance/levers.h"

#include <math.h>
#include <string.h>

#define UNI offsetof(bal_scenario, unions)
#define DEC(f) offsetof(bal_decentral, f)
#define MET(f) offsetof(bal_metro, f)
#define UNF(f) offsetof(bal_union, f)
#define HUB(f) offsetof(bal_hub, f)
#define SHARE(i) (offsetof(bal_decentral, local_share) + (size_t)(i) * sizeof(double))

/* Years a scenario may name come from the data pack (its base year to its
   year_max, vintage.csv): a year row's lo and hi are 0. The default start
   of the levers, 2027, is a policy date, not the data's: the year the second
   relocation of public institutions is to begin (docs/model.md §14.1,
   docs/levers-evidence.md §3f; A44 gives the range). */
#define YEAR_LO 0.0
#define YEAR_HI 0.0

const bal_lever bal_levers[] = {
    /* ---- the scenario ---- */
    {.path = "name", .kind = BAL_LK_TEXT, .offset = offsetof(bal_scenario, name), .flag = -1,
     .cap = sizeof(((bal_scenario *)0)->name), .unit = "", .def_text = "(required)",
     .family = "scenario", .doc = "", .label = "Name, unique among the scenarios compared",
     .label_ko = "이름"},
    {.path = "description", .kind = BAL_LK_TEXT, .offset = offsetof(bal_scenario, description),
     .flag = -1, .cap = sizeof(((bal_scenario *)0)->description), .unit = "", .def_text = "",
     .family = "scenario", .doc = "", .label = "What the scenario is", .label_ko = "설명"},
    {.path = "horizon", .kind = BAL_LK_YEAR, .offset = offsetof(bal_scenario, horizon),
     .flag = -1, .unit = "year", .def = NAN, .lo = YEAR_LO, .hi = YEAR_HI,
     .def_text = "the data's horizon", .family = "scenario", .doc = "14.5",
     .label = "Last year projected",
     .label_ko = "전망 마지막 연도"},
    {.path = "extends", .kind = BAL_LK_EXTENDS, .offset = offsetof(bal_scenario, extends),
     .flag = -1, .cap = sizeof(((bal_scenario *)0)->extends), .unit = "", .def_text = "(none)",
     .family = "scenario", .doc = "",
     .label = "Scenario file this one starts from (its levers are applied on top)",
     .label_ko = "바탕 시나리오 파일"},
    {.path = "levers", .kind = BAL_LK_SECTION, .offset = 0, .flag = -1, .unit = "",
     .family = "scenario", .doc = "14", .label = "Policy levers", .label_ko = "정책 수단"},

    /* ---- administrative integration (§14.2) ---- */
    {.path = "levers.integration", .kind = BAL_LK_LIST, .offset = UNI,
     .flag = offsetof(bal_scenario, nunions), .cap = BAL_MAX_UNIONS, .size = sizeof(bal_union),
     .unit = "", .def_text = "(no union)", .family = "integration", .doc = "14.2",
     .label = "Administrative integration: unions of provinces",
     .label_ko = "행정 통합: 시도 통합"},
    {.path = "levers.integration[].name", .kind = BAL_LK_TEXT, .offset = UNF(name), .flag = -1,
     .cap = sizeof(((bal_union *)0)->name), .unit = "", .def_text = "(required)",
     .family = "integration", .doc = "14.2", .label = "Name of the union",
     .label_ko = "통합 명칭"},
    {.path = "levers.integration[].members", .kind = BAL_LK_PROVINCES, .offset = UNF(members),
     .flag = UNF(nmembers), .cap = BAL_MAX_SIDO, .unit = "provinces",
     .def_text = "(required, two or more)", .family = "integration", .doc = "14.2",
     .label = "Member provinces", .label_ko = "참여 시도"},
    {.path = "levers.integration[].hq", .kind = BAL_LK_PROVINCE, .offset = UNF(hq), .flag = -1,
     .unit = "province", .def_text = "(none)", .family = "integration", .doc = "14.2",
     .label = "Headquarters (a member)", .label_ko = "본부 소재지",
     .pending = "read and checked (must be a member) but no channel yet: the headquarters' "
                "public jobs and their pull come with the 'Policy channels' issue"},
    {.path = "levers.integration[].start", .kind = BAL_LK_YEAR, .offset = UNF(start), .flag = -1,
     .unit = "year", .def = 2027, .lo = YEAR_LO, .hi = YEAR_HI, .family = "integration",
     .doc = "14.2", .label = "First year in effect", .label_ko = "출범 연도"},
    {.path = "levers.integration[].transport_open", .kind = BAL_LK_YEAR,
     .offset = UNF(transport_open), .flag = -1, .unit = "year", .lo = YEAR_LO, .hi = YEAR_HI,
     .def_after = 8, .def_text = "start + 8", .family = "integration", .doc = "14.2",
     .label = "Year the integrated transport opens", .label_ko = "광역 교통 개통 연도"},
    {.path = "levers.integration[].overhead_saving", .kind = BAL_LK_NUMBER,
     .offset = UNF(overhead_saving), .flag = -1,
     .unit = "share of the members' local budgets a year", .def = 0.002, .lo = 0.0, .hi = 0.05,
     .family = "integration", .doc = "14.2", .label = "Overhead saved and reinvested",
     .label_ko = "행정 비용 절감분 (재투자)"},
    {.path = "levers.integration[].transport_cut", .kind = BAL_LK_NUMBER,
     .offset = UNF(transport_cut), .flag = -1, .unit = "fraction of travel time", .def = 0.30,
     .lo = 0.0, .hi = 0.8, .family = "integration", .doc = "14.2",
     .label = "Travel-time cut between members", .label_ko = "회원 시도 간 통행시간 단축"},
    {.path = "levers.integration[].joint_industry", .kind = BAL_LK_NUMBER,
     .offset = UNF(joint_industry), .flag = -1,
     .unit = "share of the labour-market friction removed", .def = 0.25, .lo = 0.0, .hi = 1.0,
     .family = "integration", .doc = "14.2", .label = "Joint industrial policy",
     .label_ko = "공동 산업정책 (노동시장 마찰 감소)"},

    /* ---- state-like decentralization (§14.3) ---- */
    {.path = "levers.decentralization", .kind = BAL_LK_SECTION,
     .offset = offsetof(bal_scenario, dec), .flag = DEC(on), .unit = "", .def_text = "(off)",
     .family = "decentralization", .doc = "14.3", .label = "State-like decentralization",
     .label_ko = "연방제 수준의 지방분권"},
    {.path = "levers.decentralization.start", .kind = BAL_LK_YEAR, .offset = DEC(start),
     .flag = -1, .unit = "year", .def = 2027, .lo = YEAR_LO, .hi = YEAR_HI,
     .family = "decentralization", .doc = "14.3", .label = "First year in effect",
     .label_ko = "시행 연도"},
    {.path = "levers.decentralization.ramp", .kind = BAL_LK_NUMBER, .offset = DEC(ramp),
     .flag = -1, .unit = "years to full effect", .def = 3.0, .lo = 1.0, .hi = 30.0,
     .family = "decentralization", .doc = "14.3", .label = "Years to full effect",
     .label_ko = "완전 시행까지 연수"},
    {.path = "levers.decentralization.regions", .kind = BAL_LK_PROVINCE_SET,
     .offset = DEC(regions), .flag = -1, .cap = sizeof(((bal_decentral *)0)->regions),
     .unit = "provinces", .def_text = "every province", .family = "decentralization",
     .doc = "14.3", .label = "Provinces that take the new powers",
     .label_ko = "적용 시도",
     .pending = "acts on the legislative and executive parts and on the reinvested budget "
                "gains, but the tax shares still apply to every province: per-province tax "
                "assignment comes with the 'Policy channels' issue"},
    {.path = "levers.decentralization.legislative", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = DEC(leg_on), .unit = "", .def_text = "(off)", .family = "decentralization",
     .doc = "14.3", .label = "Legislative autonomy: deregulation of chosen sectors",
     .label_ko = "입법 자치권: 규제 자율화"},
    {.path = "levers.decentralization.legislative.sectors", .kind = BAL_LK_SECTORS,
     .offset = DEC(leg_sectors), .flag = -1, .unit = "sectors", .def_text = "(none)",
     .family = "decentralization", .doc = "14.3", .label = "Sectors deregulated",
     .label_ko = "규제 자율화 업종"},
    {.path = "levers.decentralization.legislative.productivity", .kind = BAL_LK_NUMBER,
     .offset = DEC(leg_productivity), .flag = -1, .unit = "fraction of productivity",
     .def = 0.01, .lo = 0.0, .hi = 0.5, .family = "decentralization", .doc = "14.3",
     .label = "Productivity gain of the deregulated sectors",
     .label_ko = "규제 자율화 업종의 생산성 향상"},
    {.path = "levers.decentralization.fiscal", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = DEC(fis_on), .unit = "", .def_text = "(off)", .family = "decentralization",
     .doc = "14.3", .label = "Fiscal independence: local shares of taxes, new levies",
     .label_ko = "재정 자주권: 국세의 지방 이양, 신규 지방세"},
    {.path = "levers.decentralization.fiscal.preset", .kind = BAL_LK_PRESET,
     .offset = DEC(local_share), .flag = -1, .unit = "", .def_text = "today",
     .family = "decentralization", .doc = "14.3",
     .label = "Tax assignment preset: today, germany, united_states (items below override it)",
     .label_ko = "세원 배분 모형: 현행, 독일, 미국"},
    {.path = "levers.decentralization.fiscal.income", .kind = BAL_LK_NUMBER, .offset = SHARE(0),
     .flag = -1, .unit = "local share", .def = NAN, .lo = 0.0, .hi = 1.0,
     .def_text = "today's share", .family = "decentralization", .doc = "14.3",
     .label = "Local share of income tax", .label_ko = "소득세의 지방 몫"},
    {.path = "levers.decentralization.fiscal.corporate", .kind = BAL_LK_NUMBER,
     .offset = SHARE(1), .flag = -1, .unit = "local share", .def = NAN, .lo = 0.0, .hi = 1.0,
     .def_text = "today's share", .family = "decentralization", .doc = "14.3",
     .label = "Local share of corporate tax", .label_ko = "법인세의 지방 몫"},
    {.path = "levers.decentralization.fiscal.vat", .kind = BAL_LK_NUMBER, .offset = SHARE(2),
     .flag = -1, .unit = "local share", .def = NAN, .lo = 0.0, .hi = 1.0,
     .def_text = "today's share", .family = "decentralization", .doc = "14.3",
     .label = "Local share of value-added tax", .label_ko = "부가가치세의 지방 몫"},
    {.path = "levers.decentralization.fiscal.property", .kind = BAL_LK_NUMBER,
     .offset = SHARE(3), .flag = -1, .unit = "local share", .def = NAN, .lo = 0.0, .hi = 1.0,
     .def_text = "today's share", .family = "decentralization", .doc = "14.3",
     .label = "Local share of property taxes", .label_ko = "재산 과세의 지방 몫"},
    {.path = "levers.decentralization.fiscal.other", .kind = BAL_LK_NUMBER, .offset = SHARE(4),
     .flag = -1, .unit = "local share", .def = NAN, .lo = 0.0, .hi = 1.0,
     .def_text = "today's share", .family = "decentralization", .doc = "14.3",
     .label = "Local share of other taxes", .label_ko = "기타 세목의 지방 몫"},
    {.path = "levers.decentralization.fiscal.new_levy", .kind = BAL_LK_NUMBER,
     .offset = DEC(new_levy), .flag = -1, .unit = "fraction of GRDP", .def = 0.0, .lo = 0.0,
     .hi = 0.05, .family = "decentralization", .doc = "14.3", .label = "New local levies",
     .label_ko = "신규 지방세"},
    {.path = "levers.decentralization.fiscal.invest_share", .kind = BAL_LK_NUMBER,
     .offset = DEC(invest_share), .flag = -1, .unit = "share of the budget gain", .def = 0.3,
     .lo = 0.0, .hi = 1.0, .family = "decentralization", .doc = "14.3",
     .label = "Share of a budget gain (loss) over the status quo invested",
     .label_ko = "현상 유지 대비 예산 증가분의 투자 비율"},
    {.path = "levers.decentralization.executive", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = DEC(exe_on), .unit = "", .def_text = "(off)", .family = "decentralization",
     .doc = "14.3", .label = "Executive power over transport, housing, economic development",
     .label_ko = "행정 집행권: 교통, 주택, 경제 개발"},
    {.path = "levers.decentralization.executive.efficiency", .kind = BAL_LK_NUMBER,
     .offset = DEC(exe_efficiency), .flag = -1, .unit = "fraction of productivity",
     .def = 0.005, .lo = 0.0, .hi = 0.2, .family = "decentralization", .doc = "14.3",
     .label = "Productivity gain of the region's economy", .label_ko = "지역 경제 생산성 향상"},

    /* ---- five major metropolises (§14.4) ---- */
    {.path = "levers.metropolises", .kind = BAL_LK_SECTION,
     .offset = offsetof(bal_scenario, metro), .flag = MET(on), .unit = "", .def_text = "(off)",
     .family = "metropolises", .doc = "14.4", .label = "Five major metropolises",
     .label_ko = "5극 메가시티"},
    {.path = "levers.metropolises.start", .kind = BAL_LK_YEAR, .offset = MET(start), .flag = -1,
     .unit = "year", .def = 2027, .lo = YEAR_LO, .hi = YEAR_HI, .family = "metropolises",
     .doc = "14.4", .label = "Implementation year", .label_ko = "시행 연도"},
    {.path = "levers.metropolises.ramp", .kind = BAL_LK_NUMBER, .offset = MET(ramp), .flag = -1,
     .unit = "years to full effect", .def = 2.0, .lo = 1.0, .hi = 30.0,
     .family = "metropolises", .doc = "14.4",
     .label = "Years to full effect (2: the pledge; more: delay)",
     .label_ko = "완전 시행까지 연수 (2: 공약)"},
    {.path = "levers.metropolises.hubs", .kind = BAL_LK_LIST, .offset = MET(hubs),
     .flag = MET(nhubs), .cap = BAL_MAX_HUBS, .size = sizeof(bal_hub), .unit = "",
     .def_text = "(required, up to five)", .family = "metropolises", .doc = "14.4",
     .label = "Hubs: one strategic industry each", .label_ko = "거점: 전략산업 하나씩"},
    {.path = "levers.metropolises.hubs[].region", .kind = BAL_LK_PLACE, .offset = HUB(sido),
     .flag = -1, .unit = "province or municipality", .def_text = "(required)",
     .family = "metropolises", .doc = "14.4", .label = "Where the hub is",
     .label_ko = "거점 지역",
     .pending = "a municipality places the hub in its province (the municipality itself is "
                "read and kept but has no channel yet: the 'Policy channels' issue)"},
    {.path = "levers.metropolises.hubs[].industry", .kind = BAL_LK_INDUSTRY,
     .offset = HUB(sector), .flag = -1, .unit = "", .def_text = "(required)",
     .family = "metropolises", .doc = "14.4",
     .label = "Strategic industry: ai, bio, energy, future_cars, semiconductors",
     .label_ko = "전략산업"},
    {.path = "levers.metropolises.special_zone", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = -1, .unit = "", .family = "metropolises", .doc = "14.4",
     .label = "Regulation-free special zone", .label_ko = "규제자유특구"},
    {.path = "levers.metropolises.special_zone.productivity", .kind = BAL_LK_NUMBER,
     .offset = MET(zone_productivity), .flag = -1, .unit = "fraction of productivity",
     .def = 0.02, .lo = 0.0, .hi = 0.5, .family = "metropolises", .doc = "14.4",
     .label = "Productivity of the hub's industry", .label_ko = "거점 산업 생산성 향상"},
    {.path = "levers.metropolises.special_zone.investment", .kind = BAL_LK_NUMBER,
     .offset = MET(zone_investment), .flag = -1, .unit = "trillion KRW a year per hub",
     .def = 0.5, .lo = 0.0, .hi = 100.0, .family = "metropolises", .doc = "14.4",
     .label = "Investment in the hub's industry", .label_ko = "거점 산업 투자"},
    {.path = "levers.metropolises.tax_free_fund", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = -1, .unit = "", .family = "metropolises", .doc = "14.4",
     .label = "Tax-free funds", .label_ko = "비과세 펀드"},
    {.path = "levers.metropolises.tax_free_fund.size", .kind = BAL_LK_NUMBER,
     .offset = MET(fund), .flag = -1, .unit = "trillion KRW a year in all", .def = 1.9,
     .lo = 0.0, .hi = 100.0, .family = "metropolises", .doc = "14.4",
     .label = "Capital redirected to the hubs", .label_ko = "거점으로 유입되는 자본"},
    {.path = "levers.metropolises.tax_free_fund.deferral", .kind = BAL_LK_NUMBER,
     .offset = MET(fund_deferral), .flag = -1, .unit = "share of the capital-gains tax",
     .def = 1.0, .lo = 0.0, .hi = 1.0, .family = "metropolises", .doc = "14.4",
     .label = "Capital-gains tax deferred", .label_ko = "양도소득세 과세 이연 비율"},
    {.path = "levers.metropolises.tax_free_fund.holding_reduction", .kind = BAL_LK_NUMBER,
     .offset = MET(fund_holding_cut), .flag = -1, .unit = "fraction of the tax", .def = 0.1,
     .lo = 0.0, .hi = 1.0, .family = "metropolises", .doc = "14.4",
     .label = "Tax reduction for the holding period", .label_ko = "보유 기간 감면"},
    {.path = "levers.metropolises.residential", .kind = BAL_LK_NUMBER,
     .offset = MET(residential), .flag = -1, .unit = "GRDP-per-capita log points", .def = 0.03,
     .lo = 0.0, .hi = 0.5, .family = "metropolises", .doc = "14.4",
     .label = "Residential environment: attractiveness of the hubs",
     .label_ko = "정주 여건: 거점의 매력도"},
    {.path = "levers.metropolises.talent", .kind = BAL_LK_NUMBER, .offset = MET(talent),
     .flag = -1, .unit = "skilled workers per hub", .def = 1800.0, .lo = 0.0, .hi = 1e5,
     .family = "metropolises", .doc = "14.4",
     .label = "Talent moved to each hub (institutes, Meister schools)",
     .label_ko = "거점별 인재 유치 (연구기관, 마이스터)"},
    {.path = "levers.metropolises.infrastructure", .kind = BAL_LK_SECTION, .offset = 0,
     .flag = -1, .unit = "", .family = "metropolises", .doc = "14.4",
     .label = "Two-year national infrastructure plan", .label_ko = "2년 국가 기반시설 계획"},
    {.path = "levers.metropolises.infrastructure.time_cut", .kind = BAL_LK_NUMBER,
     .offset = MET(infra_cut), .flag = -1, .unit = "fraction of travel time", .def = 0.3,
     .lo = 0.0, .hi = 0.8, .family = "metropolises", .doc = "14.4",
     .label = "Travel-time cut between a hub and its neighbours",
     .label_ko = "거점과 인접 시도 간 통행시간 단축"},
    {.path = "levers.metropolises.infrastructure.cost", .kind = BAL_LK_NUMBER,
     .offset = MET(infra_cost), .flag = -1, .unit = "trillion KRW in all", .def = 25.0,
     .lo = 0.0, .hi = 500.0, .family = "metropolises", .doc = "14.4",
     .label = "Cost of the plan", .label_ko = "계획 총비용"},
    {.path = "levers.metropolises.infrastructure.years", .kind = BAL_LK_NUMBER,
     .offset = MET(infra_years), .flag = -1, .unit = "years", .def = 2.0, .lo = 1.0, .hi = 10.0,
     .family = "metropolises", .doc = "14.4",
     .label = "Years over which the plan's cost is spent (2: the pledge's two-year plan)",
     .label_ko = "계획 집행 기간 (2: 공약의 2년 계획)"},
    {.path = "levers.metropolises.infrastructure.open", .kind = BAL_LK_YEAR,
     .offset = MET(infra_open), .flag = -1, .unit = "year", .lo = YEAR_LO, .hi = YEAR_HI,
     .def_after = 6, .def_text = "start + 6", .family = "metropolises", .doc = "14.4",
     .label = "Year the new links open", .label_ko = "신규 노선 개통 연도"},
};

const int bal_nlevers = (int)(sizeof bal_levers / sizeof bal_levers[0]);

const bal_lever *bal_lever_find(const char *path)
{
    for (int i = 0; i < bal_nlevers; i++)
        if (strcmp(bal_levers[i].path, path) == 0)
            return &bal_levers[i];
    return NULL;
}

const char *bal_lever_key(const bal_lever *lv)
{
    const char *dot = strrchr(lv->path, '.');
    return dot ? dot + 1 : lv->path;
}

const char *bal_lever_kind_name(int kind)
{
    static const char *const names[] = {"section",  "list",      "number",  "year",
                                        "text",     "file",      "province", "provinces",
                                        "province set", "place", "sectors", "industry",
                                        "preset"};
    if (kind < 0 || kind >= (int)(sizeof names / sizeof names[0]))
        return "?";
    return names[kind];
}

int bal_lever_is_child(const bal_lever *lv, const bal_lever *parent)
{
    const char *rest = lv->path;
    if (parent != NULL) {
        const size_t n = strlen(parent->path);
        if (strncmp(lv->path, parent->path, n) != 0)
            return 0;
        rest = lv->path + n;
        if (parent->kind == BAL_LK_LIST) {
            if (strncmp(rest, "[].", 3) != 0)
                return 0;
            rest += 3;
        } else {
            if (rest[0] != '.')
                return 0;
            rest += 1;
        }
    }
    return rest[0] != '\0' && strchr(rest, '.') == NULL;
}

void bal_lever_defaults(const bal_lever *parent, void *obj)
{
    char *o = obj;
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        if (!bal_lever_is_child(lv, parent))
            continue;
        char *at = o + lv->offset;
        switch (lv->kind) {
        case BAL_LK_SECTION: bal_lever_defaults(lv, at); break;
        case BAL_LK_NUMBER: *(double *)(void *)at = lv->def; break;
        case BAL_LK_YEAR: /* 0: start + def_after, or the data's (NAN) */
            *(int *)(void *)at = lv->def_after || isnan(lv->def) ? 0 : (int)lv->def;
            break;
        case BAL_LK_PROVINCE: *(int64_t *)(void *)at = -1; break;
        case BAL_LK_PROVINCE_SET: memset(at, 1, lv->cap); break;
        case BAL_LK_PLACE: {
            /* the sido and the sigungu (or -1) side by side */
            const int64_t none[2] = {-1, -1};
            memcpy(at, none, sizeof none);
            break;
        }
        case BAL_LK_INDUSTRY: *(int *)(void *)at = -1; break;
        default: break; /* lists, text, sets of sectors, presets: zero */
        }
    }
}

void bal_lever_finish(const bal_lever *parent, void *obj)
{
    char *o = obj;
    const bal_lever *start = NULL;
    for (int i = 0; i < bal_nlevers; i++)
        if (bal_lever_is_child(&bal_levers[i], parent) &&
            strcmp(bal_lever_key(&bal_levers[i]), "start") == 0)
            start = &bal_levers[i];
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *lv = &bal_levers[i];
        if (!bal_lever_is_child(lv, parent))
            continue;
        if (lv->kind == BAL_LK_SECTION && lv->flag < 0) {
            /* a plain grouping: its years count from the parent's start */
            for (int j = 0; j < bal_nlevers; j++) {
                const bal_lever *y = &bal_levers[j];
                if (bal_lever_is_child(y, lv) && y->kind == BAL_LK_YEAR && y->def_after > 0 &&
                    start != NULL && *(int *)(void *)(o + lv->offset + y->offset) == 0)
                    *(int *)(void *)(o + lv->offset + y->offset) =
                        *(const int *)(const void *)(o + start->offset) + y->def_after;
            }
            continue;
        }
        if (lv->kind == BAL_LK_YEAR && lv->def_after > 0 && start != NULL &&
            *(int *)(void *)(o + lv->offset) == 0)
            *(int *)(void *)(o + lv->offset) =
                *(const int *)(const void *)(o + start->offset) + lv->def_after;
    }
}

int bal_lever_tax_item(const bal_lever *lv)
{
    if (lv->kind != BAL_LK_NUMBER)
        return -1;
    /* the preset of the same section writes the array the item lies in */
    const size_t dir = strlen(lv->path) - strlen(bal_lever_key(lv));
    for (int i = 0; i < bal_nlevers; i++) {
        const bal_lever *p = &bal_levers[i];
        if (p->kind != BAL_LK_PRESET || strncmp(p->path, lv->path, dir) != 0 ||
            strlen(p->path) - strlen(bal_lever_key(p)) != dir)
            continue;
        if (lv->offset >= p->offset && lv->offset < p->offset + BAL_NTAX * sizeof(double))
            return (int)((lv->offset - p->offset) / sizeof(double));
    }
    return -1;
}
