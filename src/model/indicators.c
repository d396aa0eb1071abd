/*
 * indicators.c — the indicator table (indicators.h): every indicator once.
 * Precision: decimals written to JSON, CSV and SQLite, chosen well below the
 * model's accuracy (0.1 person, 0.001 of a percentage point); a province's
 * written value differs from the sum of its municipalities' written values
 * by at most half a unit of the last decimal per municipality (the values
 * are rounded after the exact sums are taken). Pure data.
 */
#include "balance/indicators.h"

#include <math.h>
#include <string.h>

#define ROW(ID, NAME, UNIT, LABEL, KO, ABBR, PREC, SHOWN, AGG, RULE, WHERE, MAP, CMP)            \
    [ID] = {.id = ID, .name = NAME, .unit = UNIT, .label = LABEL, .label_ko = KO, .abbrev = ABBR,\
            .precision = PREC, .shown = SHOWN, .agg = AGG, .rule = RULE, .where = WHERE,         \
            .map = MAP, .compare = CMP}

const bal_indicator_def bal_indicators[BAL_NIND_ALL] = {
    ROW(BAL_IND_POPULATION, "population", "persons", "Population", "인구", "population", 0, 0, BAL_AGG_SUM,
        "sum", "all", 1, 0),
    ROW(BAL_IND_POPULATION_FEMALE, "population_female", "persons", "Women", "여성 인구", "women", 0, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_POPULATION_MALE, "population_male", "persons", "Men", "남성 인구", "men", 0, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_AGE_0_14, "population_0_14", "persons", "Aged 0-14", "0~14세 인구", "0-14", 0, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_AGE_15_64, "population_15_64", "persons", "Aged 15-64", "15~64세 인구", "15-64", 0, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_AGE_65_PLUS, "population_65_plus", "persons", "Aged 65+", "65세 이상 인구", "65+", 0, 0,
        BAL_AGG_SUM, "sum", "all", 1, 0),
    ROW(BAL_IND_SCHOOL_AGE, "school_age_6_17", "persons", "School age 6-17", "학령인구 (6~17세)", "6-17",
        0, 0, BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_WOMEN_20_39, "women_20_39", "persons", "Women aged 20-39", "20~39세 여성", "w 20-39", 0, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_OLD_AGE_DEPENDENCY, "old_age_dependency_ratio", "65+ per 100 aged 15-64",
        "Old-age dependency ratio", "노년부양비", "OADR", 3, 1, BAL_AGG_RATIO,
        "100 × population_65_plus / population_15_64", "all", 0, 0),
    ROW(BAL_IND_EXTINCTION_INDEX, "extinction_index", "ratio",
        "Extinction-risk index",
        "지방소멸위험지수 (20~39세 여성 / 65세 이상)", "index", 4, 3, BAL_AGG_RATIO,
        "women_20_39 / population_65_plus (< 0.5 at risk, < 0.2 high risk)", "all", 1, 0),
    ROW(BAL_IND_SHARE_65_PLUS, "share_65_plus", "%", "Share aged 65+",
        "65세 이상 비율", "65+ %", 3, 1, BAL_AGG_RATIO, "100 × population_65_plus / population",
        "all", 1, 0),
    ROW(BAL_IND_EXTINCTION_RELATIVE, "extinction_index_relative", "ratio to the nation",
        "Extinction-risk index relative to the nation", "상대 지방소멸위험지수 (전국 = 1)",
        "rel. index", 4, 3, BAL_AGG_RATIO,
        "extinction_index / extinction_index of the nation (the nation: 1)", "all", 1, 0),
    ROW(BAL_IND_GRDP, "grdp", "billion KRW (2022)", "GRDP", "지역내총생산", "GRDP", 3, 1, BAL_AGG_SUM,
        "sum", "all", 0, 0),
    ROW(BAL_IND_GRDP_PC, "grdp_per_capita", "thousand KRW (2022)", "GRDP per capita",
        "1인당 지역내총생산", "GRDP pc", 2, 0, BAL_AGG_RATIO, "1e6 × grdp / population", "all", 1, 0),
    ROW(BAL_IND_EMPLOYMENT, "employment", "persons", "Employment", "취업자", "employed", 0, 0, BAL_AGG_SUM,
        "sum", "all", 0, 0),
    ROW(BAL_IND_EMPLOYMENT_RATE, "employment_rate", "%",
        "Employment rate 15+", "고용률 (15세 이상)", "emp. rate", 3, 1, BAL_AGG_RATIO,
        "100 × employment / population aged 15+ (sigungu: the province's employed apportioned "
        "by the 2024 survey, §13.1)",
        "all", 1, 0),
    ROW(BAL_IND_FISCAL_SELF_RELIANCE, "fiscal_self_reliance", "%", "Fiscal self-reliance",
        "재정자립도", "FSR", 3, 2, BAL_AGG_RATIO,
        "100 × own revenue / budget of all local governments", "sido, nation", 1, 9),
    ROW(BAL_IND_BUDGET_PC, "budget_per_capita", "thousand KRW (2022)",
        "Local budget per capita", "1인당 지방 예산", "budget pc", 2, 0, BAL_AGG_RATIO,
        "1000 × budget / population", "sido, nation", 0, 0),
    ROW(BAL_IND_SCHOOLS, "schools", "schools", "Schools operating",
        "운영 중인 학교 (초·중·고)", "schools", 2, 0, BAL_AGG_SUM,
        "sum", "all", 1, 0),
    ROW(BAL_IND_SCHOOLS_CLOSED, "schools_closed", "schools", "Schools closed since the start",
        "시작 연도 이후 폐교", "closed", 2, 0, BAL_AGG_SUM,
        "sum", "all", 1, 10),
    ROW(BAL_IND_TRANSIT, "transit_sustainable", "municipalities",
        "Municipalities that sustain scheduled buses", "노선버스 유지 가능 시군구", "transit", 2, 0,
        BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_PHYSICIANS, "physicians", "physicians", "Physicians at today's rate",
        "현재 비율 기준 의사 수", "physicians", 1, 0, BAL_AGG_SUM, "sum", "all", 0, 0),
    ROW(BAL_IND_BIRTHS, "births", "persons a year", "Births", "출생아", "births", 0, 0, BAL_AGG_SUM, "sum",
        "all", 0, 0),
    ROW(BAL_IND_DEATHS, "deaths", "persons a year", "Deaths", "사망자", "deaths", 0, 0, BAL_AGG_SUM, "sum",
        "all", 0, 0),
    ROW(BAL_IND_INTERNAL_IN, "internal_in", "persons a year", "Internal in-migrants",
        "국내 전입", "in", 0, 0, BAL_AGG_SUM, "sum of moves across the group's border", "all", 0, 0),
    ROW(BAL_IND_INTERNAL_OUT, "internal_out", "persons a year", "Internal out-migrants",
        "국내 전출", "out", 0, 0, BAL_AGG_SUM, "sum of moves across the group's border", "all", 0, 0),
    ROW(BAL_IND_NET_INTERNAL, "net_internal_migration", "persons a year",
        "Net internal migration", "순 국내 인구이동", "net int", 0, 0, BAL_AGG_SUM,
        "internal_in - internal_out", "all", 1, 0),
    ROW(BAL_IND_NET_INTERNATIONAL, "net_international_migration", "persons a year",
        "Net international migration", "순 국제 인구이동", "net intl", 0, 0, BAL_AGG_SUM, "sum", "all", 0,
        0),
    /* national series */
    ROW(BAL_IND_CAPITAL_SHARE, "capital_region_share", "%", "Capital-region share",
        "수도권 인구 비중", "capital %", 4, 2, BAL_AGG_NATIONAL,
        "100 × population of Seoul, Incheon, Gyeonggi / population", "nation", 0, 1),
    ROW(BAL_IND_AT_RISK, "sigungu_at_risk", "municipalities", "Sigungu at risk",
        "소멸위험 시군구", "at risk", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with extinction_index < 0.5 (sigungu runs)", "nation", 0, 3),
    /* the KEIS five classes (sigungu_high_risk is the fifth, < 0.2) */
    ROW(BAL_IND_HIGH_RISK, "sigungu_high_risk", "municipalities", "Sigungu at high risk",
        "소멸고위험 시군구", "high risk", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with extinction_index < 0.2 (sigungu runs; KEIS class 5)", "nation", 0,
        4),
    ROW(BAL_IND_RISK_VERY_LOW, "sigungu_risk_very_low", "municipalities",
        "Sigungu at very low risk", "소멸위험 매우 낮음 시군구", "very low", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with extinction_index >= 1.5 (sigungu runs; KEIS class 1)", "nation", 0,
        0),
    ROW(BAL_IND_RISK_NORMAL, "sigungu_risk_normal", "municipalities", "Sigungu at normal risk",
        "소멸위험 보통 시군구", "normal", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with 1.0 <= extinction_index < 1.5 (sigungu runs; KEIS class 2)",
        "nation", 0, 0),
    ROW(BAL_IND_RISK_CAUTION, "sigungu_risk_caution", "municipalities",
        "Sigungu under caution", "소멸주의 시군구", "caution", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with 0.5 <= extinction_index < 1.0 (sigungu runs; KEIS class 3)",
        "nation", 0, 0),
    ROW(BAL_IND_RISK_ENTRY, "sigungu_risk_entry", "municipalities",
        "Sigungu entering risk", "소멸위험진입 시군구", "risk entry", 0, 0, BAL_AGG_NATIONAL,
        "count of sigungu with 0.2 <= extinction_index < 0.5 (sigungu runs; KEIS class 4)",
        "nation", 0, 0),
    ROW(BAL_IND_POP_LOSS_30, "sigungu_pop_loss_30", "municipalities",
        "Sigungu down >30% since the start", "인구 30% 넘게 감소한 시군구", "lost >30%", 0,
        0, BAL_AGG_NATIONAL,
        "count of sigungu whose population is below 70% of their first year's (sigungu runs)",
        "nation", 0, 5),
    ROW(BAL_IND_GDP_CV, "grdp_per_capita_cv", "coefficient of variation",
        "GRDP per capita disparity, CV", "1인당 GRDP 격차 (변동계수)", "CV", 6, 4, BAL_AGG_NATIONAL,
        "standard deviation / mean of the provinces' grdp_per_capita (each province one "
        "observation)",
        "nation", 0, 6),
    ROW(BAL_IND_GDP_THEIL, "grdp_per_capita_theil", "Theil index",
        "GRDP per capita disparity, Theil", "1인당 GRDP 격차 (타일)", "Theil", 6, 4, BAL_AGG_NATIONAL,
        "Σ y_r ln(y_r / p_r) over provinces, y and p their shares of GRDP and population",
        "nation", 0, 7),
    /* comparison summaries */
    ROW(BAL_IND_OUTSIDE_CAPITAL, "population_outside_capital", "persons",
        "Population outside the capital region", "비수도권 인구", "outside", 0, 0, BAL_AGG_NATIONAL,
        "population × (1 - capital_region_share / 100)", "nation", 0, 2),
    ROW(BAL_IND_GDP_TOTAL, "gdp", "trillion KRW (2022)", "GDP", "국내총생산", "GDP", 4, 2,
        BAL_AGG_NATIONAL, "grdp of the nation / 1000", "nation", 0, 8),
    ROW(BAL_IND_COST_CUMULATIVE, "national_cost_cumulative", "trillion KRW",
        "Cumulative national cost", "누적 국가 비용", "cost", 4, 2, BAL_AGG_NATIONAL,
        "infrastructure plan and tax given up on the funds, summed from the first year",
        "nation", 0, 11),
};

const char *bal_indicator_name(int ind)
{
    return ind >= 0 && ind < BAL_NIND_ALL ? bal_indicators[ind].name : "";
}

int bal_indicator_find(const char *name)
{
    for (int i = 0; i < BAL_NIND_ALL; i++)
        if (strcmp(bal_indicators[i].name, name) == 0)
            return i;
    return -1;
}

int bal_indicator_compared(int *ids, int n)
{
    int count = 0;
    for (int pos = 1; pos <= BAL_NIND_ALL; pos++)
        for (int i = 0; i < BAL_NIND_ALL; i++)
            if (bal_indicators[i].compare == pos && count < n)
                ids[count++] = i;
    return count;
}

double bal_indicator_round(int ind, double v)
{
    static const double P10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    if (isnan(v) || ind < 0 || ind >= BAL_NIND_ALL)
        return v;
    const double m = P10[bal_indicators[ind].precision];
    const double r = round(v * m) / m;
    return r == 0.0 ? 0.0 : r; /* no "-0" */
}

const char *bal_indicator_agg_name(int agg)
{
    static const char *const names[] = {"sum", "ratio", "national"};
    return agg >= 0 && agg < (int)(sizeof names / sizeof names[0]) ? names[agg] : "";
}
