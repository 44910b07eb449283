"""The schema, second part: the risks households meet and the policy that answers them (shocks,
medical insurance, transfers, the transition, monitoring and assistance, places, the budget).
In the order of ``docs/PARAMETERS.md``; :mod:`.parameters` assembles the parts into ``PARAMS``.
"""

from __future__ import annotations

from .param_schema import ASSUME, A, M, P, R, Param  # noqa: F401  (the source prefixes, used or not)

POLICY_PARAMS: tuple[Param, ...] = (
    # --- shocks ----------------------------------------------------------------------------------
    Param("shocks", "illness_rate", 0.208, "admissions/person/year",
          "Inpatient admission rate of formerly-poor people.", P + "P17", 0.0, 2.0),
    Param("shocks", "illness_multiplier", 1.0, "x", "Multiplier on the illness rate (health_shock lever).",
          ASSUME + "1 in the baseline", 0.0, 10.0),
    Param("shocks", "chronic_risk", 1.8, "x", "Illness-rate multiplier for chronically ill households.",
          ASSUME + "chronic illness doubles admissions", 1.0, 10.0),
    Param("shocks", "illness_cost", 9_000.0, "yuan", "Mean total cost of an inpatient episode (log-normal, sd 0.9).",
          ASSUME + "P19's 16,943 yuan out of pocket over 5 years implies several episodes of this size", 0.0, 500_000.0),
    Param("shocks", "cause_illness_share", 0.1, "share of annual income",
          "An illness is recorded as a cause of falling below the line when its out-of-pocket cost that "
          "month exceeds this share of the household's annual income.",
          ASSUME + "the common threshold for catastrophic health spending (10% of income)", 0.0, 1.0),
    Param("shocks", "cause_price_threshold", 0.9, "x long-run price",
          "A fall in prices is recorded as a cause for cooperative members when the grower price is under "
          "this multiple of its long-run level.", ASSUME + "a 10% price fall is material for a grower", 0.0, 1.0),
    Param("shocks", "chronic_onset", 0.0015, "per month",
          "Monthly probability a household whose head is under 60 gains a chronically ill or disabled member "
          "(rises with the head's age by shocks.chronic_onset_age_factor).",
          ASSUME + "set so the share of households with chronic illness stays within P18's 44% ceiling as the "
          "cohort ages (inpatient rates rise with age, P17)", 0.0, 0.2),
    Param("shocks", "chronic_onset_age_factor", 0.04, "share per year of head's age over 60",
          "Proportional rise in chronic onset per year of the head's age over 60.",
          ASSUME + "chronic conditions concentrate in old age (P17: admissions of the poor are higher; "
          "P18: illness caused 44% of registered poverty)", 0.0, 1.0),
    Param("shocks", "chronic_end", 0.004, "per month",
          "Monthly probability a household's chronic condition ends (recovery, or death of the ill member).",
          ASSUME + "a chronic flag is not for life: treatment (P15) and deaths of ill elderly members end some", 0.0, 0.2),
    Param("shocks", "disaster_rate", 0.03, "per village per year", "Probability a village is hit by a natural disaster in a year.",
          ASSUME + "floods, drought, hail in mountain areas", 0.0, 1.0),
    Param("shocks", "disaster_loss", 0.5, "share", "Share of operating income lost for 6 months after a disaster.",
          ASSUME + "a bad flood or drought destroys about half a season's crop", 0.0, 1.0),
    Param("shocks", "disaster_months", 6, "months", "Months a disaster depresses a village's operating income.",
          ASSUME + "one growing season", 1, 36),
    Param("shocks", "migrant_demand_drop", 0.0, "share", "Fall in migrant-job demand during the employment shock.",
          ASSUME + "0 in the baseline; employment_shock sets it", 0.0, 1.0),
    Param("shocks", "migrant_demand_drop_start", 2022, "year", "Year the migrant-demand fall begins (January).",
          ASSUME + "a scenario choice; 2022 echoes that year's slowdown", 2021, 2040),
    Param("shocks", "migrant_demand_drop_months", 12, "months", "Length of the migrant-demand fall.",
          ASSUME + "a scenario choice: a year-long fall", 0, 240),
    Param("shocks", "demand_drop_quit_multiplier", 3.0, "x per unit drop",
          "How much a fall in migrant demand raises migrants' monthly job-loss rate (rate x (1 + m x drop)).",
          ASSUME + "lay-offs concentrate on marginal workers", 0.0, 20.0),
    Param("shocks", "price_drop", 0.0, "share", "Fall in all specialty-crop prices during the price shock.",
          ASSUME + "0 in the baseline; price_shock sets 0.3", 0.0, 1.0),
    Param("shocks", "price_drop_start", 2023, "year", "Year the price fall begins (January).",
          ASSUME + "a scenario choice, inside the transition", 2021, 2040),
    Param("shocks", "price_drop_months", 24, "months", "Length of the price fall.", ASSUME + "a scenario choice: two seasons", 0, 240),
    # --- medical insurance -----------------------------------------------------------------------
    Param("medical", "participation", 0.995, "share of people", "Medical-insurance participation of the cohort.",
          A + "A08, P15 (>99%)", 0.0, 1.0),
    Param("medical", "dropout_without_subsidy", 0.05, "share",
          "Fall in insurance participation when the premium subsidy is withdrawn entirely.",
          ASSUME + "premiums of ~380 yuan deter a few of the poorest", 0.0, 1.0),
    Param("medical", "oop_share_insured", 0.12, "share of cost",
          "Out-of-pocket share of inpatient cost for the insured, with all three tiers.",
          P + "P15: within-policy reimbursement >90%; out-of-policy items add a little", 0.0, 1.0),
    Param("medical", "oop_share_basic", 0.32, "share of cost",
          "Out-of-pocket share when only basic insurance applies (the poverty-specific tiers withdrawn).",
          P + "P16 (31.9% in 2018), P15 (resident inpatient ~70%)", 0.0, 1.0),
    Param("medical", "oop_share_uninsured", 1.0, "share of cost", "Out-of-pocket share without insurance.",
          ASSUME + "the uninsured pay the whole bill", 0.0, 1.0),
    Param("medical", "premium_subsidy", 320.0, "yuan/person/year",
          "Premium subsidy paid for formerly-poor people's insurance (counts as medical assistance).",
          ASSUME + "resident premiums ~350-380 yuan, largely subsidised for this group", 0.0, 2_000.0),
    Param("medical", "assistance_share", 0.5, "share of out-of-pocket",
          "Share of a monitored or 低保 household's out-of-pocket cost paid by medical assistance.",
          P + "P15 (third tier: medical assistance)", 0.0, 1.0),
    # --- transfers -------------------------------------------------------------------------------
    Param("transfers", "dibao_standard", {2020: 5_842.0, 2021: 6_046.0, 2022: 6_400.0, 2023: 6_800.0, 2024: 7_127.0},
          "yuan/person/year", "Rural 低保 standard; income below it is topped up for enrolled households.",
          P + "P14 (2022-23 interpolated)", 0.0, 50_000.0, by_year=True),
    Param("transfers", "dibao_standard_growth", 0.05, "per year",
          "Growth of the 低保 standard after the last year of transfers.dibao_standard.",
          P + "P14: 5,842 (2020) to 7,127 (2024) is +5.1% a year", 0.0, 0.3),
    Param("transfers", "income_test_excludes", 0.0, "share",
          "Share of the basic pension and the poverty-specific subsidies left out of the income counted by the "
          "低保 and 特困 means test.",
          ASSUME + "the 2021 civil-affairs rules (最低生活保障审核确认办法) let the basic pension and "
          "poverty-alleviation subsidies be left out of family income", 0.0, 1.0),
    Param("transfers", "single_cover_limit", 1.5, "x 低保 standard",
          "A household with a labourer whose income per person is under this multiple of the 低保 standard "
          "(低保边缘家庭) can have its chronically ill or disabled member covered alone (单人保).",
          ASSUME + "the 2021 civil-affairs rules define 低保边缘家庭 as under 1.5x the standard and allow "
          "单人保 for their seriously ill or disabled members", 1.0, 3.0),
    Param("transfers", "single_cover_takeup", 0.5, "share",
          "Share of eligible ill or disabled members covered alone (单人保) on review.",
          "calibrated: P31", 0.0, 1.0),
    Param("transfers", "tekun_standard", {2020: 7_600.0, 2024: 9_300.0}, "yuan/person/year",
          "Support standard for people in extreme poverty (特困: no labour capacity, no income, no one "
          "obliged to support them); enrolled households receive the gap to it.",
          ASSUME + "provinces set it at no less than 1.3x the 低保 standard (P14)", 0.0, 80_000.0, by_year=True),
    Param("transfers", "tekun_standard_growth", 0.05, "per year",
          "Growth of the 特困 standard after the last year of transfers.tekun_standard.",
          P + "P14 (the 低保 standard's growth; 特困 follows it at 1.3x)", 0.0, 0.3),
    Param("transfers", "tekun_takeup", 0.4, "share",
          "Probability that an eligible elderly-only household not identified by monitoring and not yet "
          "enrolled is enrolled in 特困 at its annual review (a fresh draw each review).",
          ASSUME + "many elderly-only households have children elsewhere obliged to support them (法定赡养人), "
          "which excludes them; P29: 4.7M 特困 nationally against ~40M 低保", 0.0, 1.0),
    Param("transfers", "dibao_minimum", 50.0, "yuan/person/month",
          "Smallest monthly 低保 payment per person of an enrolled household.",
          ASSUME + "provinces set a floor on the top-up", 0.0, 1_000.0),
    Param("transfers", "dibao_takeup", 0.5, "share",
          "Probability that an eligible household not identified by monitoring and not yet enrolled applies "
          "for and is enrolled in 低保 at its annual review (a fresh draw each review; enrolled households stay "
          "while eligible, identified ones are enrolled without it).",
          "calibrated: P31 (non-take-up among unidentified eligible households; Golan, Sicular & Umapathi 2017 "
          "find most eligible rural households outside Dibao before the registry's checks)", 0.0, 1.0),
    Param("transfers", "gradual_exit_months", 3, "months",
          "渐退期: months an enrolled household whose income has risen above the standard keeps its 低保/特困 "
          "payment before it leaves.",
          ASSUME + "the 2021 civil-affairs rules (最低生活保障审核确认办法) allow a gradual-exit period for "
          "households whose income rises above the standard; provinces set 3-12 months", 0, 24),
    Param("transfers", "income_test_work_deduction", 0.0, "yuan/labourer/year",
          "Employment cost left out of the income the 低保 means test counts, per labourer of the household "
          "(就业成本扣减).",
          ASSUME + "the 2021 civil-affairs rules let necessary employment costs be deducted; amounts vary by "
          "province, so none by default", 0.0, 20_000.0),
    Param("transfers", "pension", {2021: 2_100.0, 2024: 2_400.0}, "yuan/person/year",
          "Basic pension of a rural resident aged 60+.",
          ASSUME + "minimum basic pension ~170-200 yuan/month plus local top-ups", 0.0, 50_000.0, by_year=True),
    Param("transfers", "pension_growth", 0.04, "per year",
          "Growth of the basic pension after the last year of transfers.pension.",
          ASSUME + "the minimum basic pension rose by 20 yuan a month in 2024 and 2025 (~4% with local top-ups)",
          0.0, 0.3),
    Param("transfers", "targeted_subsidies", 1_500.0, "yuan/person/year",
          "Poverty-specific transfers (eco-ranger, education, housing, consumption subsidies) during the transition.",
          ASSUME + "set so transfers are ~25% of 2020 income (P05: 31.5% for poor areas)", 0.0, 20_000.0),
    Param("transfers", "temporary_assistance", 1_500.0, "yuan/household",
          "One-off temporary assistance (临时救助) for a household that falls into sudden hardship.",
          A + "A29; amount an assumption", 0.0, 50_000.0),
    # --- transition ------------------------------------------------------------------------------
    Param("transition", "years", 5, "years", "Length of the transition period from 2021.", A + "A02", 0, 30),
    Param("transition", "exit_mode", "keep", "-",
          "What happens to targeted support after the transition: keep (normalised support at "
          "transition.normalised_level), taper (linear fall over transition.taper_years to transition.taper_to), "
          "cliff (withdrawn at once: the extreme).",
          A + "A03", choices=("keep", "taper", "cliff")),
    Param("transition", "normalised_level", 0.9, "share of transition support",
          "Level of targeted support kept after the transition under 'keep' (normalised assistance).",
          A + "A03: policies 'optimised by category'; level an assumption", 0.0, 1.5),
    Param("transition", "taper_years", 3, "years", "Length of the phase-out under 'taper'.",
          ASSUME + "a scenario choice; A03 speaks of a gradual shift", 1, 20),
    Param("transition", "taper_to", 0.9, "share of transition support",
          "Level 'taper' ends at (never above transition.normalised_level): by default the normalised level; "
          "0 phases targeted support out entirely.",
          A + "A03: support is optimised by category, not withdrawn", 0.0, 1.5),
    # --- monitoring and assistance ---------------------------------------------------------------
    Param("monitoring", "enabled", True, "-", "Dynamic monitoring and assistance (防返贫动态监测帮扶) is in force.",
          A + "A07, A09"),
    Param("monitoring", "line", {2021: 6_000.0, 2022: 6_600.0, 2023: 7_000.0, 2024: 7_300.0, 2025: 7_600.0},
          "yuan/person/year", "Monitoring line: households below it (or with large rigid spending) are at risk.",
          P + "P08, P09 (2024+ an assumption growing ~4%/yr)", 0.0, 50_000.0, by_year=True),
    Param("monitoring", "line_growth", 0.04, "per year",
          "Growth of the monitoring line after the last year of monitoring.line.",
          P + "P09: provinces adjust the line every year; 2022-25 entries rise ~4-5% a year", 0.0, 0.3),
    Param("monitoring", "poverty_line", {2020: 4_000.0, 2021: 4_100.0, 2022: 4_200.0, 2023: 4_300.0,
                                         2024: 4_400.0, 2025: 4_500.0, 2026: 4_600.0, 2027: 4_700.0,
                                         2028: 4_800.0, 2029: 4_900.0, 2030: 5_000.0},
          "yuan/person/year", "Poverty line in current prices (2,300 yuan at 2010 prices).",
          P + "P01 (~4,000 in 2020), indexed ~2.3%/yr as P02's series", 0.0, 50_000.0, by_year=True),
    Param("monitoring", "poverty_line_growth", 0.02, "per year",
          "Growth of the poverty line after the last year of monitoring.poverty_line.",
          P + "P02: the line rose ~2-4% a year in current prices (2011-16)", 0.0, 0.3),
    Param("monitoring", "detection_prob", 0.01, "per month",
          "Channel 'cadre screening' (基层干部排查): monthly probability that the village work team of reference "
          "size finds a household at risk on its visits (the income signal or an event).",
          "calibrated: P29, A07 (issue 21, with the other channels; P11 and P35 speak of identification within ~15 days of a signal "
          "reaching the system, not of how soon a visit finds it)", 0.0, 1.0),
    Param("monitoring", "detection_delay", 1, "months",
          "Months a household's rolling income must be under the line before the triggers (own report, cadres) "
          "can find it on income; events (rigid spending, sudden hardship) can be found the month they happen.",
          P + "P11, P35", 0, 24),
    Param("monitoring", "self_report_prob", 0.005, "per month",
          "Channel 'own report' (农户自主申报): monthly probability that a household at risk applies itself "
          "(village committee, county hotline, the 12317 line, an app) and is identified.",
          ASSUME + "P35 names the channel and its outlets; no published rate: set with the cadres' rate so the "
          "caseload sits in P29's range (a household at risk for a year applies with probability ~6%)", 0.0, 1.0),
    Param("monitoring", "data_screening_prob", 0.25, "per signal",
          "Channel 'departments' data' (部门筛查预警): probability that a signal in the departments' data "
          "(a large medical bill, a death or disability, a disaster loss, a job loss on a low income) is "
          "matched, verified and the household identified. The channel sees events, not income: a household "
          "whose income fell without an event is not seen by it.",
          ASSUME + "P35 (data screening and alerts is one of three complementary channels); Q05 (the "
          "low-income platform matches departments' data); match rate an assumption", 0.0, 1.0),
    Param("monitoring", "data_screening_delay", 1, "months",
          "Months from a signal in the departments' data to the household's identification (the monthly "
          "screening round, then verification and publicity).",
          P + "P11 (screening rounds monthly; identification within 15 days), P35 (within 15 days or 20 "
          "working days)", 0, 12),
    Param("monitoring", "annual_check_coverage", 0.9, "share",
          "Channel 'annual check' (年度收入核查 / 集中排查): share of the households whose calendar-year income "
          "less medical out-of-pocket spending is under the monitoring line (or whose medical spending exceeds "
          "monitoring.rigid_spending_share of their income) that the check finds and identifies; "
          "1 - this is the exclusion error.",
          ASSUME + "P35: no cap on numbers (应纳尽纳); every registered household's income is checked each year; "
          "a 10% exclusion error (households whose income is mis-recorded or who are away), cf. the Dibao "
          "targeting literature's larger errors for a means test without a registry", 0.0, 1.0),
    Param("monitoring", "annual_rigid_share", 0.1, "share of annual income",
          "Annual check: medical out-of-pocket spending above this share of the year's income counts as large "
          "rigid spending (刚性支出), deducted from income before it is compared with the monitoring line.",
          ASSUME + "the rules name rigid spending (P08, P10) without a share; 10% of the household's means is "
          "the lower threshold of catastrophic health spending in the SDG 3.8.2 indicator (WHO / World Bank)",
          0.0, 1.0),
    Param("monitoring", "annual_check_delay", 1, "months",
          "Months after the December income check at which the households it found are identified "
          "(the check's data are entered, verified and published), and so the month of the year's review.",
          ASSUME + "P11, P35 (identification within 15 days or 20 working days of the signal); markets:M14 (a "
          "prefecture's 2021 annual adjustment ran October-December and was reported with the year's "
          "figures): the year's check is done by the turn of the year", 1, 12),
    Param("monitoring", "enrol_identified", True, "-",
          "应保尽保: an identified household eligible for 兜底 is enrolled at once and reviewed without the "
          "take-up draw (switch off to see what the enrolment link is worth).",
          A + "A09; P33 (households without labour capacity are moved to 兜底)"),
    Param("monitoring", "team_size", 3.7, "people per village", "Work-team members per village (first secretary + team).",
          A + "A06: (209,600 + 563,000) / 209,600 villages", 0.0, 50.0),
    Param("monitoring", "reference_team_size", 3.7, "people", "Team size at which detection_prob applies.",
          A + "A06", 0.1, 50.0),
    Param("monitoring", "rigid_spending_share", 0.5, "share of annual income",
          "Trigger 'rigid spending' (刚性支出): out-of-pocket medical spending in a month above this share of "
          "the household's annual income puts it at risk.",
          P + "P08 (large rigid spending: illness, disability, disaster)", 0.0, 1.0),
    Param("monitoring", "hardship_share", 0.1, "share of hit households",
          "Trigger 'sudden hardship' (突发严重困难): share of households of a village hit by a disaster whose "
          "loss is severe enough to put them at risk; a labourer's death or disability always does.",
          P + "P08, P10 (突发严重困难户: disaster, accident, death or disability); share an assumption", 0.0, 1.0),
    Param("monitoring", "eliminate_after", 6, "months",
          "Months income must stay stably above the monitoring line (or, for a household without labour "
          "capacity, under 兜底 cover) before risk is declared eliminated; at least one measure is also needed.",
          P + "P33: local rules ask for at least 6 months of stable income and at least one assistance measure",
          6, 36),
    Param("monitoring", "review_months", 12, "months",
          "Months between the reviews that declare risk eliminated (风险消除: home visit, village appraisal and "
          "publicity, county approval): a household stable for eliminate_after months leaves at the next review. "
          "One review falls in the month the annual check's households are identified, so the year's check "
          "adds and removes together; 1 reviews every month.",
          P + "P33 (the procedure is that of identification, decided on income stably above the year's "
          "range); reviews are reported by quarter or at the year's check in local bulletins (P33); the "
          "interval is an assumption", 1, 12),
    Param("monitoring", "placement_months", 6, "months",
          "Length of a job-placement episode: months during which employment assistance tries to place a "
          "monitored household's idle labourers.",
          ASSUME + "employment assistance works in campaigns of a season (A09, A22)", 1, 24),
    Param("monitoring", "cost_per_household", 200.0, "yuan/month",
          "Monitoring and case-work cost per monitored household per month.",
          ASSUME + "share of work-team and screening costs", 0.0, 5_000.0),
    Param("monitoring", "industry_grant", 3_000.0, "yuan/household",
          "Development measure: one-off industry grant to a newly identified household that can work (A09).",
          A + "A09; amount an assumption", 0.0, 50_000.0),
    Param("monitoring", "placement_prob", 0.2, "per month",
          "Monthly probability that an out-of-work labourer of a monitored household in a placement episode "
          "(monitoring.placement_months) is placed in a job by employment assistance (guided migration for "
          "full labourers, a public post for weak ones).",
          A + "A09 (at least one development measure), A22; rate an assumption", 0.0, 1.0),
    Param("monitoring", "job_priority", 4.0, "x", "Relative priority of monitored households' labourers for workshop jobs and posts.",
          A + "A09, A22", 1.0, 100.0),
    Param("monitoring", "mass_return_threshold", 0.1, "share of households",
          "A village counts as a mass-return village when this share of its households is below the poverty line.",
          A + "A10 (no share is given; 10% an assumption)", 0.01, 1.0),
    # --- places (ruralsim.simulation.cohort.places; figures R01.. in docs/sources/PLACES_FIGURES.md) -------
    Param("places", "east_share", 0.113, "share of households",
          "Households in the east (东部); east, central and west shares must sum to 1.",
          R + "R01: the east's share of the rural poor, 2016 (490 of 4,335 ten-thousand)", 0.0, 1.0),
    Param("places", "central_share", 0.368, "share of households", "Households in the centre (中部).",
          R + "R01: the centre's share of the rural poor, 2016 (1,594 of 4,335)", 0.0, 1.0),
    Param("places", "west_share", 0.519, "share of households", "Households in the west (西部).",
          R + "R01: the west's share of the rural poor, 2016 (2,251 of 4,335)", 0.0, 1.0),
    Param("places", "key_share", 0.20, "share of households",
          "Households in national key assistance counties (国家乡村振兴重点帮扶县), all in the west (R04); at "
          "most places.west_share.",
          ASSUME + "160 of the 832 formerly-poor counties (R04, 19%), with the deepest poverty, so about a "
          "fifth of the cohort; no published population share was found", 0.0, 1.0),
    Param("places", "key_income_factor", 1.0, "x",
          "2020 income target of key-county households relative to the others' (the national mean target "
          "is kept).",
          "calibrated: P04 (target P04_key): P04 puts key counties at ~0.991 of the other poverty-alleviated "
          "areas; the west's lower wage level (places.wage_level_west) already puts them ~2% below the others, "
          "so their 2020 target is not lowered further (0.99 gave a ratio of 0.971, 1.0 gives ~0.98)", 0.5, 1.5),
    Param("places", "relocated_share_east", 0.0, "share of formerly-poor households",
          "Relocated (易地扶贫搬迁) formerly-poor households in the east: no farm land.",
          ASSUME + "relocation was a programme of the centre and west; P27's 9.6M of 98.99M (9.7%) is split "
          "0 / 6% / 14.5% so the national share matches", 0.0, 1.0),
    Param("places", "relocated_share_central", 0.06, "share of formerly-poor households",
          "Relocated formerly-poor households in the centre.",
          ASSUME + "with relocated_share_west, 9.7% of formerly-poor households nationally (P27)", 0.0, 1.0),
    Param("places", "relocated_share_west", 0.145, "share of formerly-poor households",
          "Relocated formerly-poor households in the west.",
          ASSUME + "most sites are in the west (Guizhou, Sichuan, Yunnan...); 9.7% nationally (P27)", 0.0, 1.0),
    Param("places", "wage_level_east", 1.12, "x",
          "Relative wage level of eastern households' labour (scaled with the others to a national mean of 1).",
          R + "R02: migrant workers' monthly income by region of work, 2020 (assumption: not verified)", 0.5, 2.0),
    Param("places", "wage_level_central", 1.0, "x", "Relative wage level in the centre.",
          R + "R02 (assumption: not verified)", 0.5, 2.0),
    Param("places", "wage_level_west", 0.98, "x", "Relative wage level in the west.",
          R + "R02 (assumption: not verified)", 0.5, 2.0),
    Param("places", "line_level_east", 1.2, "x",
          "Relative monitoring line in the east (provinces set their own; scaled to a national mean of 1).",
          ASSUME + "P09: provinces set their lines, eastern ones higher (a Yunnan county's 8,050 against "
          "'<6,600' national practice shows the spread); 1.2 in the east an assumption", 0.5, 3.0),
    Param("places", "line_level_central", 1.0, "x", "Relative monitoring line in the centre.",
          ASSUME + "P09; the centre and west near national practice", 0.5, 3.0),
    Param("places", "line_level_west", 1.0, "x", "Relative monitoring line in the west.",
          ASSUME + "P09; the centre and west near national practice", 0.5, 3.0),
    Param("places", "east_west_rate", 0.007, "per month",
          "East-west collaboration (东西部协作): monthly probability that an idle, able western labourer under "
          "60 is placed in an eastern (migrant) job, scaled by how open the migrant market is.",
          R + "R03: 478,000 formerly-poor labourers placed in 2023 of ~15.7M western ones (P12 x R01), "
          "~5.5M of them idle (assumption): 478k / 12 / 5.5M", 0.0, 0.2),
    Param("places", "key_fund_factor", 1.0, "x",
          "Lever: multiplier on the fund's industry support per person in key counties (industry is over 60% "
          "of the fund, A05).",
          ASSUME + "1 is the fund spread as today; key_counties_focus raises it", 0.0, 5.0),
    Param("places", "other_fund_factor", 1.0, "x",
          "Lever: the same multiplier outside key counties (lower it to keep the budget roughly neutral).",
          ASSUME + "1 is the fund spread as today", 0.0, 5.0),
    Param("places", "fund_factor_from", 2026, "year",
          "First year in which the key-county factors act (a question about the regime after 2025 starts in 2026).",
          ASSUME + "the post-2025 options start when the transition ends (A02)", 2021, 2035),
    # --- budget ----------------------------------------------------------------------------------
    Param("budget", "cohesion_fund", {2021: 156.1e9, 2022: 165.0e9, 2023: 175.0e9}, "yuan/year",
          "Central cohesion fund (衔接推进乡村振兴补助资金); later years grow by budget.cohesion_fund_growth.",
          A + "A04, P24", 0.0, 1e13, by_year=True),
    Param("budget", "cohesion_fund_growth", 0.02, "per year",
          "Growth of the cohesion fund after the last year of budget.cohesion_fund.",
          ASSUME + "the fund rose ~6% a year 2021-23 (P24) and ~1% in 2024; 2% a year is a middle rule",
          0.0, 0.3),
    Param("budget", "household_share", 0.535, "share of the fund",
          "Share of the fund that finances the programmes modelled here (industry projects, training, posts, "
          "workshops, the dividend guarantee); the rest goes to village infrastructure and other uses not modelled.",
          "calibrated: set so the baseline spends 80-100% of it in every year 2021-2025 (its stated purpose); "
          "no published split (assumption)", 0.0, 1.0),
    Param("budget", "industry_share_rule", {2021: 0.5, 2022: 0.55, 2023: 0.6}, "share of fund spending",
          "Minimum share of the fund-financed spending that goes to industry, by year (checked every year and "
          "flagged when broken; later years keep the last rule).",
          P + "P24 (>50% 2021, >55% 2022, >60% 2023; A05)", 0.0, 1.0, by_year=True, table_only=True),
    Param("budget", "industry_to_employment", {2021: 0.0}, "share of industry support",
          "Lever: share of industry support moved to employment (extra training places bought with the same "
          "yuan), by year; the industry line spends that much less.",
          ASSUME + "0 is the fund as spent today; fund_to_employment moves 40% from 2026", 0.0, 1.0, by_year=True),
    Param("budget", "scale", 1.0, "x", "Multiplier on the fund (budget_cut lever: 0.8).",
          ASSUME + "1 is the fund as announced (A04)", 0.0, 5.0),
)
