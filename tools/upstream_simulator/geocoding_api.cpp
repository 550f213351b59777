#include <algorithm>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api_responses.hpp"

namespace evapo::sim {

namespace {

using Json = nlohmann::ordered_json;

// A small gazetteer in GeoNames' terms (what Open-Meteo's geocoding serves): farming towns of
// the places evapo is tried on, and a few capitals. 0 / "" = absent (the API leaves it out).
struct SimPlace {
  long long id;
  const char* name;
  double latitude;
  double longitude;
  double elevation;
  const char* feature_code;
  const char* country_code;
  long long admin1_id;
  long long admin2_id;
  const char* timezone;
  long long population;
  long long country_id;
  const char* admin1;
  const char* admin2;
};

const SimPlace kPlaces[] = {
    {3451190, "Rio de Janeiro", -22.90642, -43.18223, 12.0, "PPLA", "BR", 3451189, 6322060,
     "America/Sao_Paulo", 6747815, 3469034, "Rio de Janeiro", "Rio de Janeiro"},
    {3453643, "Piracicaba", -22.72528, -47.64917, 547.0, "PPLA2", "BR", 3448433, 6322793,
     "America/Sao_Paulo", 329158, 3469034, "São Paulo", "Piracicaba"},
    {3448439, "São Paulo", -23.5475, -46.63611, 769.0, "PPLA", "BR", 3448433, 3448439,
     "America/Sao_Paulo", 10021295, 3469034, "São Paulo", "São Paulo"},
    {3467865, "Campinas", -22.90556, -47.06083, 640.0, "PPLA2", "BR", 3448433, 6322080,
     "America/Sao_Paulo", 1031554, 3469034, "São Paulo", "Campinas"},
    {3451328, "Ribeirão Preto", -21.1775, -47.81028, 531.0, "PPLA2", "BR", 3448433, 6321925,
     "America/Sao_Paulo", 604682, 3469034, "São Paulo", "Ribeirão Preto"},
    {3469058, "Brasília", -15.77972, -47.92972, 1087.0, "PPLC", "BR", 3463504, 0,
     "America/Sao_Paulo", 2207718, 3469034, "Federal District", ""},
    {3445831, "Uberlândia", -18.91861, -48.27722, 863.0, "PPLA2", "BR", 3457153, 6322218,
     "America/Sao_Paulo", 563536, 3469034, "Minas Gerais", "Uberlândia"},
    {3392242, "Petrolina", -9.39861, -40.50083, 376.0, "PPLA2", "BR", 3392268, 6320190,
     "America/Recife", 194650, 3469034, "Pernambuco", "Petrolina"},
    {3860259, "Córdoba", -31.4135, -64.18105, 395.0, "PPLA", "AR", 3860255, 0,
     "America/Argentina/Cordoba", 1428214, 3865483, "Cordoba", ""},
    {5504003, "Fallon", 39.47353, -118.77737, 1208.0, "PPLA2", "US", 5509151, 5500569,
     "America/Los_Angeles", 8606, 6252001, "Nevada", "Churchill"},
    {2950159, "Berlin", 52.52437, 13.41053, 74.0, "PPLC", "DE", 2950157, 0, "Europe/Berlin",
     3426354, 2921044, "Land Berlin", ""},
    {3143244, "Oslo", 59.91273, 10.74609, 26.0, "PPLC", "NO", 3143242, 0, "Europe/Oslo", 580000,
     3144096, "Oslo", ""},
    {184745, "Nairobi", -1.28333, 36.81667, 1661.0, "PPLC", "KE", 7667686, 0, "Africa/Nairobi",
     2750547, 192950, "Nairobi County", ""},
};

struct CountryName {
  const char* code;
  const char* en;
  const char* pt;
};

const CountryName kCountries[] = {
    {"BR", "Brazil", "Brasil"},
    {"AR", "Argentina", "Argentina"},
    {"US", "United States", "Estados Unidos"},
    {"DE", "Germany", "Alemanha"},
    {"NO", "Norway", "Noruega"},
    {"KE", "Kenya", "Quênia"},
};

std::string country_name(std::string_view code, std::string_view language) {
  for (const auto& c : kCountries) {
    if (code == c.code) return language == "pt" ? c.pt : c.en;
  }
  return std::string(code);
}

// Lower case with the Latin-1 accents of these names folded, so "sao paulo" finds "São Paulo".
std::string folded(std::string_view text) {
  static const std::pair<std::string_view, char> kAccents[] = {
      {"á", 'a'}, {"à", 'a'}, {"â", 'a'}, {"ã", 'a'}, {"ä", 'a'}, {"Á", 'a'},
      {"é", 'e'}, {"ê", 'e'}, {"É", 'e'}, {"í", 'i'}, {"Í", 'i'}, {"ó", 'o'},
      {"ô", 'o'}, {"õ", 'o'}, {"ö", 'o'}, {"Ó", 'o'}, {"ú", 'u'}, {"ü", 'u'},
      {"Ú", 'u'}, {"ç", 'c'}, {"Ç", 'c'}, {"ñ", 'n'}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool replaced = false;
    for (const auto& [accented, plain] : kAccents) {
      if (text.substr(i, accented.size()) == accented) {
        out += plain;
        i += accented.size();
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const char c = text[i++];
    out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  return out;
}

// As the real API: one character finds nothing, two match a whole name, more match the start
// of the name or of one of its words.
bool matches(const SimPlace& place, const std::string& wanted) {
  const std::string name = folded(place.name);
  if (wanted.size() < 2) return false;
  if (wanted.size() == 2) return name == wanted;
  for (std::size_t at = 0; at != std::string::npos; at = name.find(' ', at)) {
    if (at > 0) ++at;
    if (name.compare(at, wanted.size(), wanted) == 0) return true;
  }
  return false;
}

SimResponse error(const std::string& reason) {
  return json_response(400, Json{{"error", true}, {"reason", reason}}.dump());
}

}  // namespace

SimResponse geocoding_response(const Query& query) {
  const std::string* name = query.get("name");
  if (name == nullptr) return error("Value required for key 'name'.");
  const auto count = query.number("count").value_or(10);
  if (count < 1 || count > 100) return error("Parameter count must be between 1 and 100.");
  const std::string* language_param = query.get("language");
  const std::string language = language_param != nullptr ? *language_param : "en";
  std::string wanted = *name;
  if (const auto comma = wanted.find(','); comma != std::string::npos) wanted.resize(comma);
  wanted = folded(wanted);
  wanted.erase(0, wanted.find_first_not_of(' '));
  wanted.erase(wanted.find_last_not_of(' ') + 1);

  std::vector<const SimPlace*> found;
  for (const auto& place : kPlaces) {
    if (matches(place, wanted)) found.push_back(&place);
  }
  std::stable_sort(found.begin(), found.end(), [](const SimPlace* a, const SimPlace* b) {
    return a->population > b->population;
  });
  if (found.size() > static_cast<std::size_t>(count)) found.resize(static_cast<std::size_t>(count));

  Json body = Json::object();
  if (!found.empty()) {
    Json results = Json::array();
    for (const SimPlace* p : found) {
      Json item = {{"id", p->id},
                   {"name", p->name},
                   {"latitude", p->latitude},
                   {"longitude", p->longitude},
                   {"elevation", p->elevation},
                   {"feature_code", p->feature_code},
                   {"country_code", p->country_code}};
      if (p->admin1_id != 0) item["admin1_id"] = p->admin1_id;
      if (p->admin2_id != 0) item["admin2_id"] = p->admin2_id;
      item["timezone"] = p->timezone;
      item["population"] = p->population;
      item["country_id"] = p->country_id;
      item["country"] = country_name(p->country_code, language);
      item["admin1"] = p->admin1;
      if (*p->admin2 != '\0') item["admin2"] = p->admin2;
      results.push_back(std::move(item));
    }
    body["results"] = std::move(results);
  }
  body["generationtime_ms"] = 0.8;
  return json_response(200, body.dump());
}

}  // namespace evapo::sim
