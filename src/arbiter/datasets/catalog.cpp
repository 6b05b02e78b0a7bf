#include "arbiter/datasets/catalog.hpp"

#include <algorithm>
#include <cctype>

#include "arbiter/diagnostics/errors.hpp"

namespace arbiter::datasets {

const std::vector<Actor>& actors() {
  static const std::vector<Actor> list = [] {
    std::vector<Actor> all = {
        {"armenia", "ARM", "Armenia", "Armenia", 371},
        {"azerbaijan", "AZE", "Azerbaijan", "Azerbaijan", 373},
        {"belarus", "BLR", "Belarus", "Belarus", 370},
        {"bulgaria", "BGR", "Bulgaria", "Bulgaria", 355},
        {"china", "CHN", "China", "China", 710},
        {"eritrea", "ERI", "Eritrea", "Eritrea", 531},
        {"ethiopia", "ETH", "Ethiopia", "Ethiopia", 530},
        {"france", "FRA", "France", "France", 220},
        {"georgia", "GEO", "Georgia", "Georgia", 372},
        {"india", "IND", "India", "India", 750},
        {"iran", "IRN", "Iran", "Iran", 630},
        {"israel", "ISR", "Israel", "Israel", 666},
        {"russia", "RUS", "Russia", "Russia", 365},
        {"turkey", "TUR", "T\xC3\xBCrkiye", "Turkiye", 640},
        {"ukraine", "UKR", "Ukraine", "Ukraine", 369},
        {"usa", "USA", "United States of America", "United States", 2},
    };
    std::sort(all.begin(), all.end(), [](const Actor& a, const Actor& b) { return a.id < b.id; });
    return all;
  }();
  return list;
}

const Actor& actor(std::string_view id) {
  for (const auto& candidate : actors()) {
    if (candidate.id == id) return candidate;
  }
  throw InternalError("unknown actor id in the data catalog: " + std::string(id));
}

std::string party_id(std::string_view sipri_at_name) {
  for (const auto& candidate : actors()) {
    if (candidate.sipri_at_name == sipri_at_name) return std::string(candidate.id);
  }
  if (sipri_at_name.starts_with("unknown")) return "unknown";
  std::string id;
  for (const char c : sipri_at_name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 0x80) {
      id.push_back(static_cast<char>(std::tolower(u)));
    } else if (!id.empty() && id.back() != '_') {
      id.push_back('_');
    }
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

const std::vector<ConflictCase>& conflict_cases() {
  static const std::vector<ConflictCase> cases = {
      ConflictCase{
          .id = "karabakh",
          .actors = {"armenia", "azerbaijan", "belarus", "france", "georgia", "india", "iran", "israel", "russia",
                     "turkey", "ukraine", "usa"},
          .cow_a = 371,
          .cow_b = 373,
          .ucdp_conflict_ids = {388},    // Azerbaijan: Artsakh, Armenia a secondary party on side B
          .cow_intrastate_wars = {872},  // COW intra-state war "Nagorno-Karabakh" 1991-1993
          .arms_recipients = {"Armenia", "Azerbaijan"},
          .arms_pairs = {{"Russia", "Armenia"},
                         {"Russia", "Azerbaijan"},
                         {"Israel", "Azerbaijan"},
                         {"Turkiye", "Azerbaijan"},
                         {"Belarus", "Azerbaijan"},
                         {"Ukraine", "Azerbaijan"},
                         {"India", "Armenia"},
                         {"France", "Armenia"}},
      },
      ConflictCase{
          .id = "ethiopia-eritrea",
          .actors = {"bulgaria", "china", "eritrea", "ethiopia", "russia", "ukraine", "usa"},
          .cow_a = 530,
          .cow_b = 531,
          .ucdp_conflict_ids = {409},  // Eritrea-Ethiopia, common border (interstate)
          .cow_intrastate_wars = {},
          .arms_recipients = {"Eritrea", "Ethiopia"},
          .arms_pairs = {{"Russia", "Eritrea"}, {"Russia", "Ethiopia"}},
          // Build-up before the May 1998 war, the war, and two years of re-armament after it.
          .supplier_window_first = 1995,
          .supplier_window_last = 2002,
      },
  };
  return cases;
}

int gw_to_cow(int gw_code, int year) {
  if (gw_code == 260 && year >= 1991) return 255;  // unified Germany: GW keeps 260, COW uses 255
  if (gw_code == 678 && year >= 1990) return 679;  // unified Yemen
  if (gw_code == 340) return 345;                  // Serbia after 2006: COW keeps 345
  return gw_code;
}

}  // namespace arbiter::datasets
