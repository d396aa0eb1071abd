/*
 * balance/engine.h — from a data pack to results: every engine header, by
 * topic. A front end may include this one or only the topics it uses:
 *   calibrate.h   parameters of a start year (provinces, municipalities)
 *   projection.h  the yearly loop (bal_simulate) and its populations
 *   migfit.h      estimation of the migration model
 *   couple.h      economy, public finance and services in a projection
 *   report.h      the indicators of a projection
 *   policyrun.h   scenarios against the status quo
 *   run.h         the runs front ends ask for (project, backtest)
 *   variant.h     projection variants (constant, kostat-medium/high/low)
 *   gslstatus.h   GSL errors as Balance errors
 */
#ifndef BALANCE_ENGINE_H
#define BALANCE_ENGINE_H

#include "balance/calibrate.h"
#include "balance/couple.h"
#include "balance/gslstatus.h"
#include "balance/migfit.h"
#include "balance/policyrun.h"
#include "balance/projection.h"
#include "balance/report.h"
#include "balance/variant.h"

#endif
