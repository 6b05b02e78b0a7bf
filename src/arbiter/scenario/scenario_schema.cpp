#include "arbiter/scenario/schema.hpp"

#include <array>

// Every key of scenario format v1. Units are the canonical ones the model computes in;
// values given in other units are converted by the loader. Ranges are the defensible
// ranges from docs/model.md; anything outside is a mistake worth stopping for.
namespace arbiter::scenario {
namespace {

using enum FieldType;

constexpr std::array<std::string_view, 3> actor_kinds{"state", "de_facto_state", "organisation"};
constexpr std::array<std::string_view, 2> strategies{"scripted", "optimise"};
constexpr std::array<std::string_view, 2> alliance_scopes{"members_territory", "members_territory_and_disputed_areas"};
constexpr std::array<std::string_view, 7> event_types{"set",      "join_alliance", "leave_alliance", "ceasefire",
                                                      "summit",   "deploy_peacekeepers", "withdraw_peacekeepers"};

constexpr FieldSpec economy_fields[] = {
    {.key = "gdp", .type = Series, .required = true, .min = 0, .unit = "USD bn", .doc = "Real GDP path; after its last value the model grows it at gdp_growth"},
    {.key = "gdp_growth", .type = Number, .default_text = "0.02", .min = -0.5, .max = 0.5, .unit = "1/yr", .doc = "Mean real growth once the GDP series ends"},
    {.key = "gdp_growth_sd", .type = Number, .default_text = "0.02", .min = 0, .max = 0.5, .unit = "1/yr", .doc = "Standard deviation of annual growth shocks once the series ends"},
    {.key = "oil_rents_share", .type = Series, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "Resource rents as a share of GDP"},
    {.key = "oil_price_index", .type = Series, .default_text = "1", .min = 0, .max = 100, .unit = "index", .doc = "Commodity price path relative to the rent series' own prices (1 = as observed)"},
    {.key = "milex", .type = Series, .default_text = "none", .min = 0, .unit = "USD bn", .doc = "Observed defence budget; where it has no value the Richardson budget rule takes over"},
    {.key = "milex_share_gdp", .type = Number, .default_text = "0.02", .min = 0, .max = 0.5, .unit = "fraction", .doc = "Budget share of GDP when no budget data exist at the start"},
    {.key = "rent_to_defence", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the change in resource rents passed into the defence budget"},
    {.key = "milex_ceiling_share_gdp", .type = Number, .default_text = "0.1", .min = 0, .max = 1, .unit = "fraction", .doc = "Upper bound of the modelled budget as a share of GDP"},
    {.key = "milex_floor_share_gdp", .type = Number, .default_text = "0.005", .min = 0, .max = 1, .unit = "fraction", .doc = "Lower bound of the modelled budget as a share of GDP"},
};
constexpr SectionSpec economy_section{.name = "economy", .doc = "GDP, resource rents and the defence budget", .fields = economy_fields};

constexpr FieldSpec military_fields[] = {
    {.key = "capability", .type = Number, .default_text = "0", .min = 0, .max = 1e5, .unit = "USD bn", .doc = "Initial stock of military equipment, valued at procurement cost"},
    {.key = "depreciation", .type = Number, .default_text = "0.08", .min = 0, .max = 1, .unit = "1/yr", .doc = "Rate at which the stock wears out and obsolesces"},
    {.key = "quality", .type = Number, .default_text = "1", .min = 0.05, .max = 20, .unit = "index", .doc = "Force-quality multiplier: training, doctrine, technology such as drones"},
    {.key = "procurement_share", .type = Number, .default_text = "0.25", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the defence budget spent on new equipment"},
    {.key = "import_share", .type = Number, .default_text = "1", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of procurement bought abroad (the rest is produced at home)"},
    {.key = "price_sensitivity", .type = Number, .default_text = "2", .min = 0, .max = 50, .unit = "", .doc = "Logit weight on -log(effective price) when choosing suppliers"},
    {.key = "alignment_weight", .type = Number, .default_text = "1", .min = 0, .max = 50, .unit = "", .doc = "Logit weight on alignment with the supplier"},
    {.key = "diversification", .type = Number, .default_text = "1", .min = 0.01, .max = 100, .unit = "", .doc = "Inverse logit scale: larger spreads purchases more evenly across suppliers"},
};
constexpr SectionSpec military_section{.name = "military", .doc = "Equipment stock, quality and procurement behaviour", .fields = military_fields};

constexpr FieldSpec power_fields[] = {
    {.key = "capacity", .type = Number, .default_text = "1", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of normal capacity for deliveries, peacekeeping and intervention (capacity shocks lower it)"},
    {.key = "will", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "Willingness to use force for its commitments"},
    {.key = "backer_aversion", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "How much a third-party backer on the other side deters it from intervening"},
    {.key = "revenue_weight", .type = Number, .default_text = "1", .min = 0, .max = 100, .unit = "1/USD bn", .doc = "Utility per USD bn of arms revenue"},
    {.key = "goodwill_weight", .type = Number, .default_text = "1", .min = 0, .max = 100, .unit = "", .doc = "Utility per unit of clients' alignment"},
    {.key = "war_cost", .type = Number, .default_text = "2", .min = 0, .max = 1000, .unit = "", .doc = "Disutility of a war between its clients, per quarter of war"},
    {.key = "strategy", .type = Choice, .default_text = "scripted", .doc = "scripted: levers follow the scenario; optimise: each year it picks its sales willingness to maximise utility", .choices = strategies},
};
constexpr SectionSpec power_section{.name = "outside_power", .doc = "Capacity, will and objectives of an outside power (patron, supplier, backer)", .fields = power_fields};

constexpr FieldSpec actor_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Unique name used everywhere else in the scenario"},
    {.key = "name", .type = Text, .doc = "Display name"},
    {.key = "kind", .type = Choice, .default_text = "state", .doc = "What sort of actor this is", .choices = actor_kinds},
    {.key = "source", .type = Text, .doc = "Where the actor's description comes from"},
    {.key = "economy", .type = Section, .doc = "Economy and defence budget (omit for actors without one)", .section = &economy_section},
    {.key = "military", .type = Section, .doc = "Military stock and procurement", .section = &military_section},
    {.key = "outside_power", .type = Section, .doc = "Present for an actor that arms, backs, guarantees or mediates", .section = &power_section},
};
constexpr SectionSpec actor_section{.name = "actor", .doc = "A state, de-facto state or organisation", .fields = actor_fields, .key_field = "id"};

constexpr FieldSpec rivalry_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the rivalry"},
    {.key = "challenger", .type = ActorRef, .required = true, .doc = "The side that wants to change the status quo by force"},
    {.key = "defender", .type = ActorRef, .required = true, .doc = "The side holding the disputed area"},
    {.key = "defender_partners", .type = ActorList, .doc = "Co-belligerents whose forces fight with the defender (e.g. a de-facto state's army)"},
    {.key = "disputed_area", .type = Text, .doc = "Name of the disputed territory"},
    {.key = "initial_control", .type = Number, .default_text = "1", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the disputed area held by the defender at the start"},
    {.key = "area_population", .type = Number, .default_text = "0", .min = 0, .max = 1e9, .unit = "persons", .doc = "People living in the disputed area, for displacement estimates"},
    {.key = "stake_value", .type = Number, .default_text = "1", .min = 0.01, .max = 100, .unit = "", .doc = "Value of the disputed area relative to the challenger's other concerns"},
    {.key = "reaction", .type = Number, .default_text = "0.1", .min = 0, .max = 1.5, .unit = "1/yr", .doc = "Richardson reaction: budget response to the rival's budget"},
    {.key = "fatigue", .type = Number, .default_text = "0.3", .min = 0, .max = 1.5, .unit = "1/yr", .doc = "Richardson fatigue: drag of the own budget"},
    {.key = "grievance", .type = Number, .default_text = "0", .min = -100, .max = 100, .unit = "USD bn/yr", .doc = "Richardson grievance term of the challenger"},
    {.key = "war_cost_challenger", .type = Number, .default_text = "0.15", .min = 0, .max = 2, .unit = "fraction", .doc = "Expected cost of war to the challenger, as a share of the stake"},
    {.key = "war_cost_defender", .type = Number, .default_text = "0.15", .min = 0, .max = 2, .unit = "fraction", .doc = "Expected cost of war to the defender, as a share of the stake"},
    {.key = "resolve_uncertainty", .type = Number, .default_text = "0.3", .min = 0.001, .max = 2, .unit = "fraction", .doc = "Upper end of the defender's privately known war cost (uniform), the Fearon information problem"},
    {.key = "crisis_rate", .type = Number, .default_text = "1", .min = 0, .max = 12, .unit = "1/yr", .doc = "Rate of crises in which the challenger makes a demand"},
    {.key = "incident_rate", .type = Number, .default_text = "4", .min = 0, .max = 365, .unit = "1/yr", .doc = "Rate of armed incidents on the line of contact at zero tension"},
    {.key = "blockade", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "How far the disputed area is cut off from the defender (1 = blockaded enclave)"},
};
constexpr SectionSpec rivalry_section{.name = "rivalry", .doc = "A pair of rivals and the territory they dispute", .fields = rivalry_fields, .key_field = "id"};

constexpr FieldSpec arms_fields[] = {
    {.key = "supplier", .type = ActorRef, .required = true, .doc = "Selling actor"},
    {.key = "recipient", .type = ActorRef, .required = true, .doc = "Buying actor"},
    {.key = "price", .type = Number, .default_text = "1", .min = 0.05, .max = 10, .unit = "fraction", .doc = "Price relative to the commercial list price (1 = commercial, below 1 = allied discount)"},
    {.key = "willingness", .type = Number, .default_text = "1", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the recipient's demand the supplier is willing to fill (0 = no sales)"},
    {.key = "embargo", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "1 while an embargo forbids deliveries"},
    {.key = "delivery_lag", .type = Number, .default_text = "4", .min = 0, .max = 16, .unit = "quarters", .doc = "Quarters from order to delivery", .uncertain_allowed = false},
    {.key = "quality", .type = Number, .default_text = "1", .min = 0.05, .max = 10, .unit = "index", .doc = "Military value per USD of this supplier's equipment"},
    {.key = "preference", .type = Number, .default_text = "0", .min = -20, .max = 20, .unit = "", .doc = "Recipient's other reasons to prefer this supplier (logit utility shift)"},
    {.key = "source", .type = Text, .doc = "Where the terms come from"},
};
constexpr SectionSpec arms_section{.name = "arms_trade", .doc = "Terms on which a supplier sells arms to a recipient", .fields = arms_fields, .key_field = "supplier->recipient"};

constexpr FieldSpec loan_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the loan"},
    {.key = "lender", .type = ActorRef, .required = true, .doc = "Creditor state"},
    {.key = "borrower", .type = ActorRef, .required = true, .doc = "Debtor state"},
    {.key = "principal", .type = Number, .required = true, .min = 0, .max = 1e4, .unit = "USD bn", .doc = "Amount lent"},
    {.key = "start", .type = Quarter, .required = true, .doc = "First quarter of disbursement"},
    {.key = "disbursement_quarters", .type = Number, .default_text = "8", .min = 1, .max = 80, .unit = "quarters", .doc = "Quarters over which the principal is drawn", .uncertain_allowed = false},
    {.key = "rate", .type = Number, .default_text = "0.03", .min = 0, .max = 1, .unit = "1/yr", .doc = "Interest rate"},
    {.key = "grace", .type = Number, .default_text = "2", .min = 0, .max = 30, .unit = "years", .doc = "Interest-only years before repayment starts", .uncertain_allowed = false},
    {.key = "term", .type = Number, .default_text = "10", .min = 1, .max = 50, .unit = "years", .doc = "Repayment years after the grace period", .uncertain_allowed = false},
    {.key = "purpose_bound", .type = Boolean, .default_text = "true", .doc = "Disbursements may only buy the lender's arms"},
    {.key = "forgiven", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the outstanding debt forgiven (set by an event or policy)"},
    {.key = "rescheduled_delay", .type = Number, .default_text = "0", .min = 0, .max = 40, .unit = "quarters", .doc = "Repayments postponed by this many quarters (set by an event or policy)"},
    {.key = "source", .type = Text, .doc = "Where the loan terms come from"},
};
constexpr SectionSpec loan_section{.name = "loan", .doc = "State credit for arms purchases", .fields = loan_fields, .key_field = "id"};

constexpr FieldSpec alliance_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the alliance or treaty"},
    {.key = "guarantor", .type = ActorRef, .required = true, .doc = "The outside power whose forces back the guarantee"},
    {.key = "members", .type = ActorList, .required = true, .doc = "Members at the start of the scenario (later changes are events)"},
    {.key = "scope", .type = Choice, .default_text = "members_territory", .doc = "What an attack must hit to oblige the guarantor", .choices = alliance_scopes},
    {.key = "reliability", .type = Number, .default_text = "0.41", .min = 0, .max = 1, .unit = "fraction", .doc = "Probability the guarantor honours an obligation that is in scope"},
    {.key = "discretionary_reliability", .type = Number, .default_text = "0.05", .min = 0, .max = 1, .unit = "fraction", .doc = "Probability it fights when the attack is outside the treaty's scope"},
    {.key = "ally_weight", .type = Number, .default_text = "0.3", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the guarantor's capability that an intervention brings to the theatre"},
    {.key = "source", .type = Text, .doc = "Treaty text or dates"},
};
constexpr SectionSpec alliance_section{.name = "alliance", .doc = "A defence treaty with a guarantor", .fields = alliance_fields, .key_field = "id"};

constexpr FieldSpec mediator_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the mediation effort"},
    {.key = "mediator", .type = ActorRef, .required = true, .doc = "The mediating actor"},
    {.key = "rivalry", .type = Identifier, .required = true, .doc = "The rivalry it mediates"},
    {.key = "bias_to_challenger", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "Weight the mediator puts on the challenger's interests (1 - weight on the defender)"},
    {.key = "accuracy", .type = Number, .default_text = "0.75", .min = 0.5, .max = 1, .unit = "fraction", .doc = "Probability its read of a party's resolve is right"},
    {.key = "war_aversion", .type = Number, .default_text = "0.1", .min = 0, .max = 10, .unit = "", .doc = "Mediator's dislike of war, in stake units"},
    {.key = "effort", .type = Number, .default_text = "1", .min = 0, .max = 1, .unit = "fraction", .doc = "Mediation effort (0 = inactive)"},
    {.key = "ceasefire_rate", .type = Number, .default_text = "6", .min = 0, .max = 365, .unit = "1/yr", .doc = "Rate at which a credible, capable mediator brokers a ceasefire in a war"},
    {.key = "alignment_bias", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "", .doc = "How far the mediator's bias follows the parties' alignment with it: bias = bias_to_challenger + alignment_bias x (challenger's alignment - defender's alignment)"},
    {.key = "source", .type = Text, .doc = "Where the mediation record comes from"},
};
constexpr SectionSpec mediator_section{.name = "mediation", .doc = "A mediator's role in one rivalry", .fields = mediator_fields, .key_field = "id"};

constexpr FieldSpec peacekeeping_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the mission"},
    {.key = "patron", .type = ActorRef, .required = true, .doc = "The power that provides the troops"},
    {.key = "rivalry", .type = Identifier, .required = true, .doc = "Where they deploy"},
    {.key = "size", .type = Number, .default_text = "0", .min = 0, .max = 1e6, .unit = "persons", .doc = "Troops deployed while the mission is active"},
    {.key = "deployed", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "1 while deployed (set by events)"},
    {.key = "hazard_ratio", .type = Number, .default_text = "0.35", .min = 0.01, .max = 1, .unit = "fraction", .doc = "War hazard multiplier of a fully credible mission (Fortna-type 50-85% reduction)"},
    {.key = "mandate", .type = Number, .default_text = "20", .min = 1, .max = 400, .unit = "quarters", .doc = "Mandate term from deployment", .uncertain_allowed = false},
    {.key = "renewal_probability", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "Chance the mandate is renewed when no settlement has been reached"},
    {.key = "source", .type = Text, .doc = "Where the mission's terms come from"},
};
constexpr SectionSpec peacekeeping_section{.name = "peacekeeping", .doc = "A patron's peacekeeping mission", .fields = peacekeeping_fields, .key_field = "id"};

constexpr FieldSpec backer_fields[] = {
    {.key = "backer", .type = ActorRef, .required = true, .doc = "The third-party backer"},
    {.key = "client", .type = ActorRef, .required = true, .doc = "The side it backs"},
    {.key = "materiel", .type = Number, .default_text = "0", .min = 0, .max = 1e3, .unit = "USD bn/yr", .doc = "Equipment given or sold outside the arms market"},
    {.key = "advisers", .type = Number, .default_text = "0", .min = 0, .max = 2, .unit = "fraction", .doc = "Quality gain of the client's forces from advisers and training"},
    {.key = "political", .type = Number, .default_text = "0", .min = 0, .max = 1, .unit = "fraction", .doc = "Political backing: lowers the client's expected war costs and deters the rival's patron"},
    {.key = "wartime_surge", .type = Number, .default_text = "1", .min = 0, .max = 10, .unit = "", .doc = "Multiplier on materiel while the client is at war"},
    {.key = "source", .type = Text, .doc = "Where the backing is documented"},
};
constexpr SectionSpec backer_section{.name = "backing", .doc = "A third party's support for one side", .fields = backer_fields, .key_field = "backer->client"};

constexpr FieldSpec onset_fields[] = {
    {.key = "decisiveness", .type = Number, .default_text = "1", .min = 0.1, .max = 5, .unit = "", .doc = "Tullock contest exponent m for the win probability"},
    {.key = "defence_advantage", .type = Number, .default_text = "1.5", .min = 0.2, .max = 5, .unit = "", .doc = "Multiplier on the defender's effective strength (terrain, fortification)"},
    {.key = "discount", .type = Number, .default_text = "0.9", .min = 0.5, .max = 0.999, .unit = "", .doc = "Annual discount factor of the rivals"},
    {.key = "horizon", .type = Number, .default_text = "20", .min = 1, .max = 40, .unit = "quarters", .doc = "Projection horizon of the commitment-problem test", .uncertain_allowed = false},
    {.key = "commitment_hazard_max", .type = Number, .default_text = "0.25", .min = 0, .max = 1, .unit = "fraction", .doc = "Quarterly onset probability when the commitment gap is large"},
    {.key = "commitment_gap_scale", .type = Number, .default_text = "0.03", .min = 0.001, .max = 1, .unit = "", .doc = "Width of the logistic link from commitment gap to hazard"},
    {.key = "escalation_scale", .type = Number, .default_text = "0.2", .min = 0.001, .max = 10, .unit = "", .doc = "How fast incident rates rise with the challenger's advantage"},
};
constexpr SectionSpec onset_section{.name = "war_onset", .doc = "Crisis bargaining and war onset", .fields = onset_fields};

constexpr FieldSpec war_fields[] = {
    {.key = "front_share", .type = Number, .default_text = "0.5", .min = 0.01, .max = 1, .unit = "fraction", .doc = "Share of capability committed to the theatre"},
    {.key = "attrition", .type = Number, .default_text = "0.01", .min = 0, .max = 1, .unit = "1/day", .doc = "Lanchester square-law effectiveness at equal quality"},
    {.key = "breakpoint", .type = Number, .default_text = "0.35", .min = 0.05, .max = 0.95, .unit = "fraction", .doc = "Loss of the committed force at which a side gives up"},
    {.key = "territory_rate", .type = Number, .default_text = "0.02", .min = 0, .max = 1, .unit = "1/day", .doc = "Speed at which the stronger side takes ground"},
    {.key = "exhaustion", .type = Number, .default_text = "0.25", .min = 0, .max = 20, .unit = "1/yr", .doc = "Rate at which war weariness ends a war without victory"},
    {.key = "deaths_per_capability", .type = Number, .default_text = "1000", .min = 0, .max = 1e7, .unit = "persons/USD bn", .doc = "Battle deaths per USD bn of equipment destroyed"},
    {.key = "displaced_share", .type = Number, .default_text = "0.9", .min = 0, .max = 1, .unit = "fraction", .doc = "Share of the population of lost ground that is displaced"},
    {.key = "flare_up_days", .type = Number, .default_text = "14", .min = 1, .max = 90, .unit = "days", .doc = "A war stopped within this many days counts as a flare-up", .uncertain_allowed = false},
};
constexpr SectionSpec war_section{.name = "war", .doc = "Fighting, territory and termination", .fields = war_fields};

constexpr FieldSpec alignment_fields[] = {
    {.key = "support_gain", .type = Number, .default_text = "0.02", .min = 0, .max = 1, .unit = "1/yr", .doc = "Alignment gained per year of support at full dependence"},
    {.key = "abandonment_loss", .type = Number, .default_text = "0.3", .min = 0, .max = 1, .unit = "fraction", .doc = "Alignment lost when an ally fails an obligation the client counted on"},
    {.key = "hostile_sales_loss", .type = Number, .default_text = "0.02", .min = 0, .max = 1, .unit = "1/yr", .doc = "Alignment lost per year while the power arms the client's rival"},
    {.key = "exit_threshold", .type = Number, .default_text = "0.15", .min = 0, .max = 1, .unit = "fraction", .doc = "Below this alignment a client leaves the power's alliance"},
    {.key = "out_of_scope_expectation", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "How far a client counts on a guarantor when it is attacked outside the treaty's scope (scales the abandonment loss)"},
};
constexpr SectionSpec alignment_section{.name = "alignment", .doc = "How clients move toward or away from outside powers", .fields = alignment_fields};

constexpr FieldSpec parameter_fields[] = {
    {.key = "war_onset", .type = Section, .doc = "Crisis bargaining and war onset", .section = &onset_section},
    {.key = "war", .type = Section, .doc = "Fighting and termination", .section = &war_section},
    {.key = "alignment", .type = Section, .doc = "Alignment dynamics", .section = &alignment_section},
};
constexpr SectionSpec parameter_section{.name = "parameters", .doc = "System-wide model parameters", .fields = parameter_fields};

constexpr FieldSpec alignment_entry_fields[] = {
    {.key = "client", .type = ActorRef, .required = true, .doc = "The aligning actor"},
    {.key = "power", .type = ActorRef, .required = true, .doc = "The outside power"},
    {.key = "value", .type = Number, .required = true, .min = 0, .max = 1, .unit = "fraction", .doc = "Initial alignment (0 = hostile, 0.5 = neutral, 1 = fully aligned)"},
};
constexpr SectionSpec alignment_entry_section{.name = "initial_alignment", .doc = "Starting alignment of a client with a power", .fields = alignment_entry_fields, .key_field = "client->power"};

constexpr FieldSpec mechanism_fields[] = {
    {.key = "economy", .type = Boolean, .default_text = "true", .doc = "GDP, rents and budget dynamics (off: budgets stay at their first value)"},
    {.key = "arms_market", .type = Boolean, .default_text = "true", .doc = "Procurement from suppliers (off: no purchases or revenue)"},
    {.key = "credit", .type = Boolean, .default_text = "true", .doc = "State loans"},
    {.key = "quality", .type = Boolean, .default_text = "true", .doc = "Force-quality multipliers (off: every quality is 1)"},
    {.key = "war_onset", .type = Boolean, .default_text = "true", .doc = "Crises and wars can start"},
    {.key = "war_dynamics", .type = Boolean, .default_text = "true", .doc = "Attrition and territorial change in war (off: wars end at once without change)"},
    {.key = "alliances", .type = Boolean, .default_text = "true", .doc = "Guarantees deter and may be honoured"},
    {.key = "mediation", .type = Boolean, .default_text = "true", .doc = "Mediators lower war risk and broker ceasefires"},
    {.key = "peacekeeping", .type = Boolean, .default_text = "true", .doc = "Peacekeepers deter while credible"},
    {.key = "backers", .type = Boolean, .default_text = "true", .doc = "Third-party backers support their clients"},
    {.key = "alignment", .type = Boolean, .default_text = "true", .doc = "Alignment moves with support and abandonment"},
    {.key = "capacity_shocks", .type = Boolean, .default_text = "true", .doc = "Changes to outside powers' capacity take effect"},
    {.key = "patron_strategy", .type = Boolean, .default_text = "true", .doc = "Outside powers with strategy: optimise choose their sales"},
    {.key = "negotiation", .type = Boolean, .default_text = "true", .doc = "Negotiation issues are bargained each year"},
};
constexpr SectionSpec mechanism_section{.name = "mechanisms", .doc = "Switches: each mechanism can be turned off for attribution", .fields = mechanism_fields};

constexpr FieldSpec event_fields[] = {
    {.key = "date", .type = Quarter, .required = true, .doc = "Quarter in which the event applies"},
    {.key = "type", .type = Choice, .required = true, .doc = "What happens", .choices = event_types},
    {.key = "actor", .type = ActorRef, .doc = "The actor that joins, leaves, ..."},
    {.key = "alliance", .type = Identifier, .doc = "The alliance joined or left"},
    {.key = "rivalry", .type = Identifier, .doc = "The rivalry concerned (ceasefire, summit)"},
    {.key = "mission", .type = Identifier, .doc = "The peacekeeping mission deployed or withdrawn"},
    {.key = "set", .type = ParameterMap, .doc = "Parameters changed from this date on (type: set)"},
    {.key = "source", .type = Text, .required = true, .doc = "Where the event is documented"},
    {.key = "note", .type = Text, .doc = "What it was"},
};
constexpr SectionSpec event_section{.name = "event", .doc = "A dated historical event", .fields = event_fields};

constexpr FieldSpec change_fields[] = {
    {.key = "from", .type = Quarter, .required = true, .doc = "First quarter of the change"},
    {.key = "set", .type = ParameterMap, .required = true, .doc = "Parameters and their new values"},
};
constexpr SectionSpec change_section{.name = "change", .doc = "One dated change of a policy", .fields = change_fields};

constexpr FieldSpec policy_fields[] = {
    {.key = "name", .type = Identifier, .required = true, .doc = "Name used with --policy"},
    {.key = "description", .type = Text, .doc = "What the counterfactual asks"},
    {.key = "changes", .type = List, .required = true, .doc = "Dated parameter changes applied on top of the baseline", .section = &change_section},
};
constexpr SectionSpec policy_section{.name = "policy", .doc = "A named variant of the scenario", .fields = policy_fields, .key_field = "name"};

constexpr FieldSpec issue_actor_fields[] = {
    {.key = "actor", .type = ActorRef, .required = true, .doc = "Negotiating actor"},
    {.key = "position", .type = Number, .required = true, .min = 0, .max = 100, .unit = "", .doc = "Preferred outcome on the issue scale"},
    {.key = "salience", .type = Number, .required = true, .min = 0, .max = 1, .unit = "fraction", .doc = "How much the actor cares"},
    {.key = "leverage", .type = Number, .default_text = "1", .min = 0, .max = 100, .unit = "", .doc = "Multiplier on the actor's simulated capability for this issue"},
};
constexpr SectionSpec issue_actor_section{.name = "issue_actor", .doc = "An actor's stake in a negotiation issue", .fields = issue_actor_fields, .key_field = "actor"};

constexpr FieldSpec issue_fields[] = {
    {.key = "id", .type = Identifier, .required = true, .doc = "Name of the issue"},
    {.key = "rivalry", .type = Identifier, .required = true, .doc = "The rivalry whose settlement it shapes"},
    {.key = "description", .type = Text, .doc = "What 0 and 100 mean on the issue scale"},
    {.key = "challenger_goal", .type = Number, .default_text = "100", .min = 0, .max = 100, .unit = "", .doc = "Point of the scale that fully satisfies the challenger"},
    {.key = "settlement_effect", .type = Number, .default_text = "0.5", .min = 0, .max = 1, .unit = "fraction", .doc = "How much a settlement near the forecast lowers the war hazard"},
    {.key = "rounds", .type = Integer, .default_text = "4", .min = 1, .max = 50, .doc = "Negotiation rounds per simulated year"},
    {.key = "actors", .type = List, .required = true, .doc = "Negotiating actors", .section = &issue_actor_section},
};
constexpr SectionSpec issue_section{.name = "negotiation", .doc = "A negotiation issue bargained each year", .fields = issue_fields, .key_field = "id"};

constexpr FieldSpec time_fields[] = {
    {.key = "start", .type = Quarter, .required = true, .doc = "First simulated quarter"},
    {.key = "end", .type = Quarter, .required = true, .doc = "Last simulated quarter (inclusive)"},
};
constexpr SectionSpec time_section{.name = "time", .doc = "Simulated period, in quarterly steps", .fields = time_fields};

constexpr FieldSpec root_fields[] = {
    {.key = "schema", .type = Integer, .required = true, .min = 1, .max = 1, .doc = "Scenario format version; must be 1"},
    {.key = "name", .type = Text, .required = true, .doc = "Short title"},
    {.key = "description", .type = Text, .doc = "What the scenario represents"},
    {.key = "seed", .type = Integer, .min = 0, .max = 9.2e18, .doc = "Default master seed (--seed overrides it)"},
    {.key = "time", .type = Section, .required = true, .doc = "Simulated period", .section = &time_section},
    {.key = "actors", .type = List, .required = true, .doc = "Everyone in the system", .section = &actor_section},
    {.key = "rivalries", .type = List, .doc = "Rival pairs and their disputed territory", .section = &rivalry_section},
    {.key = "arms_trade", .type = List, .doc = "Supplier-recipient arms relations", .section = &arms_section},
    {.key = "loans", .type = List, .doc = "State credit", .section = &loan_section},
    {.key = "alliances", .type = List, .doc = "Defence treaties", .section = &alliance_section},
    {.key = "mediation", .type = List, .doc = "Mediators", .section = &mediator_section},
    {.key = "peacekeeping", .type = List, .doc = "Peacekeeping missions", .section = &peacekeeping_section},
    {.key = "backing", .type = List, .doc = "Third-party backers", .section = &backer_section},
    {.key = "initial_alignment", .type = List, .doc = "Starting alignments (default 0.5)", .section = &alignment_entry_section},
    {.key = "negotiations", .type = List, .doc = "Negotiation issues coupled to the simulation", .section = &issue_section},
    {.key = "parameters", .type = Section, .doc = "System-wide parameters", .section = &parameter_section},
    {.key = "mechanisms", .type = Section, .doc = "Mechanism switches", .section = &mechanism_section},
    {.key = "events", .type = List, .doc = "Dated historical events", .section = &event_section},
    {.key = "policies", .type = List, .doc = "Named counterfactual variants", .section = &policy_section},
};
constexpr SectionSpec root_section{.name = "scenario", .doc = "An arbiter scenario, format version 1", .fields = root_fields};

}  // namespace

const SectionSpec& scenario_root_spec() { return root_section; }

}  // namespace arbiter::scenario
