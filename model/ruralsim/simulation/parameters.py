"""The declared parameter schema: every number the model uses, with its provenance.

Parameters are data, not code constants: each has a default, unit, valid range, a one-line
description and a source (an article id ``article:A15``, a public figure ``public:P21``,
``assumption: <reasoning>`` or ``calibrated: <target ids>``). Scenario files override them
by section (``[monitoring] detection_prob = 0.3``); the model takes them as flat keyword
arguments ``monitoring_detection_prob=0.3`` so that Mesa's ``batch_run`` can drive it.

Some parameters may vary by year (``by_year=True``): a scenario then gives either a scalar
or a table ``{ 2021 = 6000, 2023 = 7000 }``; the value in force in year *y* is the entry for the
latest listed year <= *y* (the earliest entry also applies before it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Param:
    """One declared parameter."""

    section: str
    name: str
    default: Any
    unit: str
    description: str
    source: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    by_year: bool = False
    table_only: bool = False  # a table by year is required (a scalar is refused)
    kind: str = field(default="")  # float | int | bool | choice | str, derived from default; or level (given)

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", _kind_of(self))

    @property
    def key(self) -> str:
        """Dotted key as written in scenario files: ``section.name``."""
        return f"{self.section}.{self.name}"

    @property
    def flat(self) -> str:
        """Flat keyword name used by :class:`ruralsim.RuralModel`: ``section_name``."""
        return f"{self.section}_{self.name}"

    def allowed(self) -> str:
        """Human-readable statement of what values are allowed (used in error messages)."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices or ())
        if self.kind == "bool":
            return "true or false"
        if self.kind == "str":
            return "a string"
        if self.kind == "level":
            return (f"'transition', a level from {_fmt(self.low)} to {_fmt(self.high)}, or a table of levels by year "
                    "from 2026, e.g. { 2026 = 1.0, 2028 = 0.5 }")
        rng = f"a {'whole number' if self.kind == 'int' else 'number'}"
        if self.low is not None and self.high is not None:
            rng += f" from {_fmt(self.low)} to {_fmt(self.high)}"
        elif self.low is not None:
            rng += f" >= {_fmt(self.low)}"
        elif self.high is not None:
            rng += f" <= {_fmt(self.high)}"
        if self.table_only:
            return f"a table of {rng[2:].replace('number', 'numbers', 1)} by year, e.g. {{ 2021 = 0.5, 2022 = 0.55, 2023 = 0.6 }}"
        if self.by_year:
            rng += ", or a table of such values by year, e.g. { 2021 = ..., 2024 = ... }"
        return rng


def _kind_of(p: Param) -> str:
    if p.choices:
        return "choice"
    d = p.default.values().__iter__().__next__() if isinstance(p.default, dict) else p.default
    if isinstance(d, bool):
        return "bool"
    if isinstance(d, int):
        return "int"
    if isinstance(d, float):
        return "float"
    return "str"


def _fmt(x: float) -> str:
    return f"{x:g}"


A = "article:"
P = "public:"
R = "places:"
M = "markets:"
ASSUME = "assumption: "

# ---------------------------------------------------------------------------------------------
# The schema. Grouped by the submodel that reads each parameter.
# ---------------------------------------------------------------------------------------------
PARAMS: tuple[Param, ...] = (
    # --- run -----------------------------------------------------------------------------------
    Param("run", "households", 20_000, "households", "Households simulated (sample scale).",
          ASSUME + "a county-size cohort; large enough for stable village statistics", 10, 60_000_000),
    Param("run", "months", 120, "months", "Months simulated from the start date (one step = one month).",
          ASSUME + "2021-01 to 2030-12 covers the transition (A02) and five years after", 1, 600),
    Param("run", "start_year", 2021, "year", "Calendar year of the first simulated month (January).",
          A + "A02", 2021, 2030),
    Param("run", "replicates", 5, "runs", "Independent replicates per scenario (for uncertainty bands).",
          ASSUME + "5 gives usable 95% intervals at county size; raise for publication", 1, 1000),
    Param("run", "seed", 20210101, "-", "Master seed; replicate streams are spawned from it.",
          ASSUME + "any integer; fixed so runs are reproducible", 0, 2**63 - 1),
    Param("run", "scale", "sample", "-", "'sample' simulates run.households; 'national' the whole cohort (A01).",
          A + "A01", choices=("sample", "national")),
    # --- population ------------------------------------------------------------------------------
    Param("population", "national_people", 98_990_000, "people",
          "Formerly-poor people in the national cohort (used for --scale national and to scale counts).",
          A + "A01", 1, 200_000_000),
    Param("population", "edge_share", 0.06, "share of households",
          "Share of the cohort that is near-poor edge households (边缘易致贫户) rather than formerly poor.",
          ASSUME + "edge households were a small minority of the registry; 6% keeps the cohort close to A01",
          0.0, 0.5),
    Param("population", "mean_household_size", 3.35, "people", "Mean household size (size = 1 + Poisson).",
          P + "P26", 1.5, 6.0),
    Param("population", "households_per_village", 145, "households",
          "Cohort households per village.",
          ASSUME + "30M households over 209,600 villages with a first secretary (A06) is ~143", 10, 2000),
    Param("population", "villages_per_county", 250, "villages", "Villages per county.",
          ASSUME + "~209,600 villages (A06) over 832 formerly-poor counties (A25)", 1, 5000),
    Param("population", "income_mean", 10_740.0, "yuan/person/year",
          "Mean per-capita net income of formerly-poor households in 2020 (start of the run).",
          P + "P03", 3000.0, 50_000.0),
    Param("population", "income_sigma", 0.38, "log-sd",
          "Spread of the log-normal per-capita income of formerly-poor households.",
          ASSUME + "right-skewed; 0.38 puts ~9% of formerly-poor households below the 2021 monitoring "
          "line (P08) and almost none below the poverty line, as the registry reported at exit",
          0.05, 1.5),
    Param("population", "edge_income_low", 1.0, "x poverty line",
          "Lowest per-capita income of edge households, as a multiple of the poverty line.",
          P + "P08", 0.5, 2.0),
    Param("population", "edge_income_high", 1.5, "x poverty line",
          "Highest per-capita income of edge households, as a multiple of the poverty line.",
          P + "P08", 0.8, 3.0),
    Param("population", "chronic_share", 0.22, "share of households",
          "Households with a chronically ill or disabled member.",
          ASSUME + "illness caused 44% of registered poverty in 2015 (P18); many were treated by 2020",
          0.0, 0.9),
    Param("population", "labour_participation", 0.42, "share of members",
          "Share of household members who are labourers (working age, able to work).",
          ASSUME + "gives ~1.4 labourers per household (~45M nationally); with A20 ~33% of people are in wage work",
          0.1, 1.0),
    Param("population", "weak_labour_share", 0.18, "share of labourers",
          "Labourers with weak labour capacity (弱劳动力): older, ill or disabled.",
          ASSUME + "registry category; weak labourers take local and public-post jobs", 0.0, 1.0),
    Param("population", "skill_some_share", 0.30, "share of labourers",
          "Labourers with some vocational skill at the start (skill level 1 or 2).",
          ASSUME + "most formerly-poor labourers had no certified skill at exit; training (A18, P20) adds more",
          0.0, 1.0),
    Param("population", "skill_high_share", 0.05, "share of labourers",
          "Labourers with a high skill level (2) at the start; a part of population.skill_some_share.",
          ASSUME + "a small minority held a vocational certificate before the transition", 0.0, 1.0),
    Param("population", "elderly_head_share", 0.35, "share of households", "Households headed by someone aged 60+.",
          ASSUME + "the formerly-poor cohort is old; heads' age ~ N(54, 13)", 0.0, 1.0),
    Param("population", "land_mu_mean", 5.5, "mu", "Mean contracted land per household (log-normal).",
          ASSUME + "between A11's 10 mu and the small plots common in mountain areas", 0.0, 100.0),
    Param("population", "operating_income_2020", 1_600.0, "yuan/person/year",
          "Mean per-capita operating net income at the start (2020).",
          A + "A17: 2,098 in 2022 after +22.5% gives ~1,713 in 2021; 2020 a little below", 0.0, 10_000.0),
    # --- demography ------------------------------------------------------------------------------
    Param("demography", "mortality_at_60", 0.008, "deaths/person/year",
          "Annual mortality at age 60; other ages follow demography.mortality_slope (Gompertz).",
          ASSUME + "rural life-table order of magnitude for China around 2020 (q60 ~0.8%); the cohort's own "
          "rates are not published", 0.0, 0.2),
    Param("demography", "mortality_slope", 0.09, "per year of age",
          "Gompertz slope: mortality grows by this log-rate per year of age (x2.5 every 10 years).",
          ASSUME + "the usual human Gompertz slope of 0.08-0.10", 0.0, 0.2),
    Param("demography", "coming_of_age_rate", 0.06, "per member per year",
          "Yearly probability that a household member neither labourer nor elderly (a child or a young adult "
          "in school) comes of working age and can take a free labourer row of the household.",
          ASSUME + "children spread over ~16 years of age; about half of non-labour, non-elderly members are "
          "children", 0.0, 1.0),
    # --- labour ----------------------------------------------------------------------------------
    Param("labour", "migrant_wage", 2_900.0, "yuan/month",
          "Monthly wage of a formerly-poor migrant labourer in 2021 (grows with labour.wage_growth).",
          ASSUME + "~65% of P13's all-migrant average (4,780 in 2023), for lower skills and short stays",
          500.0, 20_000.0),
    Param("labour", "local_wage", 2_100.0, "yuan/month", "Monthly wage of a local wage job (partner firm, 2021).",
          ASSUME + "county wages below migrant wages; within P21's 1,000-3,000 case range", 300.0, 20_000.0),
    Param("labour", "wage_growth", {2021: 0.08, 2022: 0.06, 2023: 0.065, 2024: 0.06, 2025: 0.05},
          "per year", "Annual nominal wage growth (applied each January from 2022).",
          P + "P06 (rural income growth 10.5%, 6.3%, 7.7%, 6.6% in 2021-24), slightly lower for wages",
          -0.2, 0.3, by_year=True),
    Param("labour", "migrant_find_rate", 0.9, "per month",
          "Highest monthly probability an out-of-work, untrained, healthy labourer under 50 finds a migrant "
          "job, reached only when vacancies are plentiful (labour.migrant_jobs_share sets how plentiful).",
          ASSUME + "search frictions: even with open vacancies most seekers take some months", 0.0, 1.0),
    Param("labour", "migrant_quit_rate", 0.03, "per month",
          "Monthly probability a migrant labourer's job ends (return home, job loss).",
          "calibrated: A20", 0.0, 1.0),
    Param("labour", "local_quit_rate", 0.03, "per month", "Monthly probability a local wage job ends.",
          ASSUME + "local jobs are seasonal and shorter than migrant ones", 0.0, 1.0),
    Param("labour", "skill_find_bonus", 0.1, "x hiring weight per skill level",
          "Proportional rise in migrant hiring weight per skill level (a certificate is level 2): it sets who is "
          "hired when vacancies are short, so training displaces others rather than adding jobs.",
          ASSUME + "markets:M11 (trainees' employment +21%, net jobs unchanged) is the top of the evidence and "
          "markets:M09, M10 find employment effects near zero; 0.1 a level (x1.2 certified) sits within. Was 0.5 "
          "citing P20, which measures wages only (issue 22)", 0.0, 5.0),
    Param("labour", "skill_quit_cut", 0.25, "share per skill level",
          "Proportional fall in the job-loss rate per skill level.",
          A + "A18: 'with the certificate the job is steadier'", 0.0, 0.9),
    Param("labour", "skill_wage_premium", 0.044, "share per skill level",
          "Wage premium per skill level.", P + "P20 (+4.4% wages; +1.88 yuan/hour)", 0.0, 1.0),
    Param("labour", "weak_find_cut", 0.97, "share",
          "Share of weak labourers (弱劳动力: partial labour capacity) who cannot take migrant work at all "
          "(a fixed draw per labourer, labour.can_migrate); the rest compete like full labourers of their age.",
          ASSUME + "weak labour (弱劳动力) is registered as fit only for light or part-time work, and migrants are "
          "young (M04: average age 38.9): weak labourers rarely migrate; 97% is a judgement", 0.0, 1.0),
    Param("labour", "hire_factor_50s", 0.5, "x",
          "Migrant hiring weight of a labourer aged 50 or more relative to one under 50 (employers' demand by age).",
          P + "P32: 30.6% of all migrant workers were over 50 in 2023, against about half of the cohort's "
          "labourers; the weight puts the model's migrants aged 50+ near a third", 0.0, 1.0),
    Param("labour", "hire_factor_60plus", 0.02, "share",
          "Share of labourers aged 60 or more who can take migrant work at all (a fixed draw per labourer, "
          "labour.can_migrate); those who can compete as labourers in their fifties.",
          M + "M04: migrants who leave their township average 38.9 years (local workers 46.6); P32; many sites "
          "bar workers over 60; level an assumption", 0.0, 1.0),
    Param("labour", "migrant_jobs_share", 0.60, "jobs per cohort labourer",
          "Migrant jobs open to the cohort in 2021 (held plus vacant), per cohort labourer: the market's "
          "capacity, shared among seekers (issue 11).",
          "calibrated: A20", 0.0, 1.0),
    Param("labour", "migrant_jobs_growth", {2021: 0.0, 2022: 0.042, 2023: 0.0, 2024: -0.02, 2025: -0.045},
          "per year", "Growth of the migrant jobs open to the cohort (demand for its labour), applied each January "
          "from 2022; later years keep the last entry.",
          M + "M03 (formerly-poor labourers in work 31.45M end-2021, 32.78M 2022: +4.2%), A21 and M05 (above 30M: "
          "flat 2023); from 2024 an assumption: demand for an ageing cohort falls (-2%, then -4.5% a year, so that "
          "vacancies, not search, limit hiring by 2028; no published series after 2024)",
          -0.2, 0.2, by_year=True),
    Param("labour", "migrant_wage_growth", {2021: 0.088, 2022: 0.041, 2023: 0.036, 2024: 0.038},
          "per year", "Annual nominal growth of migrant wages (applied each January from 2022).",
          P + "P13 (+3.6% in 2023); 2021 +8.8%, 2022 +4.1%, 2024 +3.8% from the same NBS survey", -0.2, 0.3,
          by_year=True),
    Param("labour", "cohort_wage_catchup", {2021: 0.0, 2022: 0.07, 2023: 0.12, 2024: 0.0}, "per year",
          "Growth of the cohort's migrant wages over the national migrant series (more days worked, better jobs "
          "as the cohort's migrants settle), applied each January from 2022; later years keep the last entry.",
          "calibrated: M01, M02 (registry net income +14.3% in 2022 and 2023; the part national wage growth, "
          "employment, operating income and transfers leave unexplained)", -0.2, 0.5, by_year=True),
    Param("labour", "own_farm_share", 0.45, "share",
          "Share of labourers without wage work who work their own farm (the rest are out of work).",
          ASSUME + "most formerly-poor households keep some farming", 0.0, 1.0),
    Param("labour", "retirement_age", 70, "years",
          "Age at which a labourer retires (drawing a pension); only a household member coming of working age "
          "(demography.coming_of_age_rate) can later take the freed row.",
          ASSUME + "rural residents have no retirement age and many farm or work locally into their late "
          "sixties (the cohort builder lets heads under 70 work as weak labour); the basic pension starts at 60",
          50, 80),
    Param("labour", "chronic_find_factor", 0.5, "x",
          "Migrant hiring weight of labourers of chronically ill households (care duties, own health).",
          ASSUME + "someone must stay to care; P19 finds health shocks cut income ~6% a year; P30", 0.0, 1.0),
    Param("labour", "weak_local_cut", 0.5, "share",
          "How much less a weak labourer weighs than a full one among seekers of partner-firm (local) jobs.",
          ASSUME + "firms prefer full-capacity workers; weak ones compete at half weight", 0.0, 1.0),
    Param("labour", "find_cap", 0.95, "probability",
          "Upper bound on a seeker's monthly probability of finding a job from all sources together.",
          ASSUME + "some seekers fail in any month; binds only where vacancies are plentiful", 0.5, 1.0),
    Param("labour", "vacancy_fill_rate", 0.5, "share per month",
          "Share of a firm's, workshop's or village's open vacancies filled in a month.",
          ASSUME + "hiring takes a month or two", 0.01, 1.0),
    Param("labour", "illness_job_loss", 0.5, "probability",
          "Probability that a migrant who falls ill loses the job (returns home).",
          ASSUME + "migrant jobs are rarely held open through a hospital stay", 0.0, 1.0),
    Param("labour", "illness_absence_months", 2.0, "months",
          "Mean months a labourer is out of work after an inpatient illness.",
          ASSUME + "a hospital stay and recovery", 0.0, 24.0),
    # --- enterprises (万企兴万村) ------------------------------------------------------------------
    Param("enterprise", "firms_per_county", 4, "firms", "Partner firms per county.",
          A + "A23: 495 firms in Chuxiong's 10 counties; A26: 9,799 firms over 160 key counties (~60)"
          " of which a few hire cohort labour at scale", 0, 500),
    Param("enterprise", "jobs_per_firm_per_village", 3.0, "jobs per village served",
          "Local wage jobs a partner firm offers per village of its county, at normal orders.",
          ASSUME + "A26: 3.26M people reached by 7,725 projects; a fraction are jobs", 0.0, 100.0),
    Param("enterprise", "order_volatility", 0.05, "log-sd per month",
          "Volatility of a firm's orders (its jobs follow its orders).",
          ASSUME + "AR(1) business cycle of small firms", 0.0, 1.0),
    Param("enterprise", "order_persistence", 0.9, "AR(1) coefficient",
          "Persistence of firms' and workshops' order shocks.", ASSUME + "orders come in seasons", 0.0, 0.999),
    Param("enterprise", "wage_order_elasticity", 0.3, "elasticity",
          "Elasticity of a partner firm's wage with respect to its orders.",
          ASSUME + "wages move less than jobs over the order cycle", 0.0, 2.0),
    # --- workshops (帮扶车间 / micro-factories) ----------------------------------------------------
    Param("workshop", "share_of_villages", 0.18, "share of villages",
          "Share of villages with an assistance workshop.",
          P + "P21: 38,074 workshops for ~209,600 villages (A06)", 0.0, 1.0),
    Param("workshop", "jobs_per_workshop", 13.0, "jobs", "Jobs in a workshop at normal orders.",
          P + "P21: 503,900 workers in 38,074 workshops", 0.0, 500.0),
    Param("workshop", "wage", 1_700.0, "yuan/month", "Monthly workshop wage (2021).",
          P + "P21: case wages 1,000-3,000 yuan/month", 300.0, 10_000.0),
    Param("workshop", "support_wage_gain", 300.0, "yuan/month",
          "Wage gain from workshop support (micro-factory upgrading) where it applies.",
          A + "A27 (+300 yuan/month)", 0.0, 5_000.0),
    Param("workshop", "support_efficiency_gain", 0.15, "share",
          "Order/capacity gain of supported workshops.", A + "A27 (+15% efficiency)", 0.0, 2.0),
    Param("workshop", "supported_share", 0.0, "share of workshops",
          "Share of workshops receiving micro-factory upgrading support (the A27 programme).",
          ASSUME + "baseline: none beyond ordinary support; workshop_expansion raises it", 0.0, 1.0),
    Param("workshop", "expansion", 0.0, "share",
          "Proportional expansion of workshop numbers from 2023 (workshop_expansion scenario lever).",
          ASSUME + "0 in the baseline", 0.0, 5.0),
    Param("workshop", "unsupported_job_loss", 0.35, "share of jobs",
          "Share of workshop jobs that are not viable when targeted support is withdrawn entirely.",
          ASSUME + "workshops run on subsidies and tax breaks; about a third of jobs depend on them", 0.0, 1.0),
    Param("workshop", "subsidy_per_job", 2_400.0, "yuan/job/year",
          "Fiscal subsidy per workshop job per year (fund-financed, counts as 'workshops' spending).",
          ASSUME + "typical county subsidies of 1,000-5,000 yuan per job hired", 0.0, 50_000.0),
    # --- public-welfare posts --------------------------------------------------------------------
    Param("posts", "per_village", 21.0, "posts", "Public-welfare posts per village held by cohort labourers.",
          P + "P22: 4.41M posts over ~209,600 villages (A06)", 0.0, 500.0),
    Param("posts", "wage", 550.0, "yuan/month", "Monthly pay of a public-welfare post.",
          ASSUME + "posts pay 300-1,000 yuan a month in most provinces", 0.0, 5_000.0),
    Param("posts", "quit_rate", 0.02, "per month", "Monthly probability a post ends (term ends, leaves).",
          ASSUME + "posts run for about a year and are often renewed", 0.0, 1.0),
    Param("posts", "migrant_search", 0.5, "x migrant find rate",
          "How hard a full-capacity post holder looks for migrant work while in the post, as a multiple of "
          "an idle labourer's migrant find rate (0: not at all; leaving frees the post for others).",
          ASSUME + "posts are meant for those who cannot migrate; able-bodied holders leave when migrant work "
          "is found", 0.0, 2.0),
    Param("posts", "weak_priority", 2.0, "x",
          "Relative claim of a weak labourer on a vacant public-welfare post (before the monitored priority).",
          A + "A22; posts go to those who cannot leave home (weights an assumption)", 0.0, 100.0),
    Param("posts", "other_priority", 0.25, "x",
          "Relative claim of a full labourer of an unmonitored household on a vacant post.",
          ASSUME + "posts are meant for weak labour and monitored households; a few go to others", 0.0, 100.0),
    # --- training --------------------------------------------------------------------------------
    Param("training", "coverage", 0.06, "share of labourers per year",
          "Share of untrained labourers starting a course each year.",
          ASSUME + "order-based courses such as A18's 77-person class reach a few % of labourers a year",
          0.0, 1.0),
    Param("training", "course_months", 1, "months", "Course length (out of work while training).",
          P + "P20: returns rise up to ~30 days of training", 1, 12),
    Param("training", "placement_prob", 0.55, "probability",
          "Probability a graduate of an order-based course is placed in a job at once.",
          A + "A19 ('job on completion'); not all courses are order-based", 0.0, 1.0),
    Param("training", "cost_per_trainee", 2_500.0, "yuan", "Fiscal cost of one course.",
          ASSUME + "vocational subsidy rates of 1,000-4,000 yuan per person", 0.0, 50_000.0),
    Param("training", "monitored_priority", 3.0, "x", "Relative enrolment rate of monitored households' labourers.",
          A + "A18 (trainees are formerly-poor and monitored people), A09", 1.0, 50.0),
    # --- cooperatives ----------------------------------------------------------------------------
    Param("coop", "membership_share", 0.6, "share of households",
          "Share of households that are cooperative members (hold shares, sell through it).",
          A + "A16: nearly 3/4 linked to new business entities; some links are firm contracts", 0.0, 1.0),
    Param("coop", "villages_per_coop", 2, "villages", "Villages served by one cooperative.",
          ASSUME + "village or township cooperatives", 1, 100),
    Param("coop", "pooled_land_share", 0.4, "share of member land", "Share of members' land pooled by the cooperative.",
          ASSUME + "land shares (土地入股) of 30-50% in case reports", 0.0, 1.0),
    Param("coop", "land_rent", 450.0, "yuan/mu/year", "Rent paid for pooled land (property income).",
          ASSUME + "rural land transfer rents of 300-800 yuan/mu", 0.0, 5_000.0),
    Param("coop", "crop_revenue_per_mu", 4_200.0, "yuan/mu/year", "Gross revenue per mu of the specialty crop at the base price.",
          A + "A12: 11 mu of oranges give 50-60k yuan a year (~5k/mu); A13", 0.0, 50_000.0),
    Param("coop", "crop_cost_share", 0.6, "share of revenue", "Operating cost of the specialty crop.",
          ASSUME + "inputs, hired labour, logistics", 0.0, 1.0),
    Param("coop", "member_crop_mu", 1.2, "mu per member household",
          "Specialty crop each member household grows itself and sells through the cooperative.",
          A + "A11/A12 farm 10-11 mu, typical members far less", 0.0, 50.0),
    Param("coop", "payout_share", 0.35, "share of profit", "Share of cooperative profit paid as dividends.",
          ASSUME + "the rest is reinvested or goes to the village collective (A13)", 0.0, 1.0),
    Param("coop", "shares_per_member", 8_000.0, "yuan", "Mean shares held by a member household (incl. converted fiscal funds).",
          ASSUME + "asset-income shares of 5,000-10,000 yuan per household", 0.0, 200_000.0),
    Param("coop", "fiscal_share_of_new_shares", 1.0, "share of new share capital",
          "Share of the shares issued from a scenario's start (wider membership, larger holdings) that are fiscal "
          "funds converted into members' shares (折股量化); booked once, as the fiscal line coop_shares, in the month "
          "they are issued.",
          ASSUME + "asset-income projects (资产收益扶贫) quantify fiscal funds invested in cooperatives as shares of "
          "formerly-poor households; the fund goes mostly to industry (A05)", 0.0, 1.0),
    Param("coop", "guaranteed_dividend_rate", 0.06, "per year",
          "Minimum dividend rate on shares guaranteed with fiscal funds (fund-financed when profit falls short).",
          P + "P23: 6-10% a year on shares", 0.0, 0.5),
    Param("coop", "guarantee_purchase", True, "-",
          "Cooperatives buy members' whole crop at a guaranteed floor price.", A + "A12", ),
    Param("coop", "price_floor", 0.85, "x base price", "Floor price under a purchase guarantee.",
          ASSUME + "contracts commonly set a protective price 10-20% under normal", 0.0, 1.0),
    Param("coop", "price_volatility", 0.04, "log-sd per month", "Volatility of each specialty crop's price.",
          "calibrated: A17", 0.0, 1.0),
    Param("coop", "price_persistence", 0.95, "AR(1) coefficient", "Persistence of crop-price shocks.",
          ASSUME + "prices move over seasons and years", 0.0, 0.999),
    Param("coop", "crops", 6, "crops", "Distinct specialty crops nationally (each county has 2-3).",
          A + "A16: every county has 2-3 leading industries", 1, 50),
    # --- farming ---------------------------------------------------------------------------------
    Param("farm", "productivity_growth", {2021: 0.08, 2022: 0.2, 2023: 0.08, 2024: 0.05},
          "per year", "Annual growth of operating income per mu from industry support (applied each January).",
          "calibrated: A17 (+22.5% in 2022)", -0.5, 1.0, by_year=True),
    Param("farm", "idle_land_intensity", 0.35, "share",
          "How fully a household's own land is farmed when none of its labourers works it full time.",
          ASSUME + "the elderly and part-time migrants keep part of the land in use", 0.0, 1.0),
    Param("farm", "industry_subsidy", 300.0, "yuan/person/year",
          "Industry income per person a year in 2020 from the industry projects in place before the run (their "
          "returns; the start's calibration counts it as operating income).",
          A + "A05; level an assumption", 0.0, 10_000.0),
    # --- industry projects (ruralsim.simulation.projects) ------------------------------------------
    Param("industry", "investment", 550.0, "yuan/person/year",
          "Industry support (fund-financed) per person a year at full level in 2021, moving with the fund after: "
          "it buys projects, which pay returns later (programmes.industry scales it; the fund's ration cuts it).",
          "calibrated: P24 (the fund's industry share >=50/55/60% in 2021/22/23, A05)", 0.0, 10_000.0),
    Param("industry", "return_rate", 0.08, "share of capital per year",
          "Yearly return of a live industry project on its capital, paid once the lag has passed.",
          P + "P23: shares of fiscal assets earn 6-10% a year; the middle", 0.0, 1.0),
    Param("industry", "return_lag", 12, "months",
          "Months from buying a project to its first returns (planting to first harvest, building to first sales).",
          ASSUME + "orchards, livestock and processing plants take about a year to earn", 0, 120),
    Param("industry", "failure_rate", 0.06, "probability per year",
          "Probability a year that an industry project fails (closes; its capital and returns are lost).",
          ASSUME + "poverty-area industry projects often fail on markets or management; ~6% a year leaves "
          "about half alive after ten years", 0.0, 1.0),
    Param("industry", "asset_income_share", 0.25, "share of returns",
          "Share of project returns that is asset income (资产收益): fiscal assets quantified as shares, paid "
          "to households as dividends (property income); the rest is operating income.",
          ASSUME + "asset-income projects (photovoltaic, collective shares) are a minority of industry projects", 0.0, 1.0),
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
    Param("monitoring", "annual_check_delay", 2, "months",
          "Months after the December income check at which the households it found are identified "
          "(the check's data are entered, verified and published early in the year).",
          ASSUME + "P11, P35 (verification and publicity within weeks); the income check closes the year's "
          "accounts in December-January", 1, 12),
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
    # --- places (ruralsim.simulation.places; figures R01.. in docs/sources/PLACES_FIGURES.md) -------
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

# The regime after the transition (programme paths, categories, merged monitoring): declared in its own module.
from .parameters_post2025 import POST2025_PARAMS  # noqa: E402

PARAMS = PARAMS + tuple(Param(**spec) for spec in POST2025_PARAMS)
PARAMS_BY_KEY: dict[str, Param] = {p.key: p for p in PARAMS}
PARAMS_BY_FLAT: dict[str, Param] = {p.flat: p for p in PARAMS}
SECTIONS: tuple[str, ...] = tuple(dict.fromkeys(p.section for p in PARAMS))


def defaults() -> dict[str, Any]:
    """All defaults as a flat dict ``{section_name: value}``."""
    return {p.flat: p.default for p in PARAMS}


def value_in_year(value: Any, year: int) -> Any:
    """Value of a possibly year-indexed parameter in ``year`` (step function, see module doc)."""
    if not isinstance(value, dict):
        return value
    years = sorted(int(y) for y in value)
    chosen = years[0]
    for y in years:
        if y <= year:
            chosen = y
    return value[chosen] if chosen in value else value[str(chosen)]


# Level tables and the rule that continues each after its last listed year (growth per year).
GROWTH_RULES: dict[str, str] = {
    "monitoring_line": "monitoring_line_growth",
    "monitoring_poverty_line": "monitoring_poverty_line_growth",
    "transfers_dibao_standard": "transfers_dibao_standard_growth",
    "transfers_tekun_standard": "transfers_tekun_standard_growth",
    "transfers_pension": "transfers_pension_growth",
    "budget_cohesion_fund": "budget_cohesion_fund_growth",
}
# Tables of growth rates: their last entry continues (a level that keeps growing), so a 0 there freezes it.
RATE_TABLES = ("labour_wage_growth", "farm_productivity_growth")


def table_value(p: dict, flat: str, year: int) -> float:
    """Value of the yearly table ``flat`` in ``year``: the listed entry in force, and after the last
    listed year that entry grown by the table's declared rule (``GROWTH_RULES``), so no table is frozen
    after its last published year unless the rule is 0. A scalar is the same in every year."""
    value = p[flat]
    v = float(value_in_year(value, year))
    rule = GROWTH_RULES.get(flat)
    if not isinstance(value, dict) or rule is None:
        return v
    last = max(int(y) for y in value)
    return v * (1.0 + float(p[rule])) ** max(0, year - last)


def frozen_tables(p: dict, last_run_year: int) -> list[str]:
    """Yearly tables that a run to ``last_run_year`` uses past their last listed year with no growth
    rule (a rule of 0): each as a sentence for ``ruralsim check``'s warnings."""
    out = []
    for flat, rule in GROWTH_RULES.items():
        value = p.get(flat)
        if isinstance(value, dict) and float(p.get(rule, 0.0)) == 0.0:
            last = max(int(y) for y in value)
            if last_run_year > last:
                out.append(f"{PARAMS_BY_FLAT[flat].key} stops at {last} and {PARAMS_BY_FLAT[rule].key} = 0: "
                           f"it stays frozen at its {last} value through {last_run_year}")
    for flat in RATE_TABLES:
        value = p.get(flat)
        if isinstance(value, dict):
            last = max(int(y) for y in value)
            if last_run_year > last and float(value_in_year(value, last)) == 0.0:
                out.append(f"{PARAMS_BY_FLAT[flat].key} ends at {last} with growth 0: the level stays frozen "
                           f"through {last_run_year}")
    return out
