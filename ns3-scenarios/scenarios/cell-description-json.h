#ifndef FABTWIN_CELL_DESCRIPTION_JSON_H
#define FABTWIN_CELL_DESCRIPTION_JSON_H

// Helpers shared by the parsers of the cell description's sections (cell-description.cc,
// cell-description-nr.cc): typed field access and errors that name the field.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{
namespace celljson
{

using Json = nlohmann::json;

/**
 * @param field the offending field (JSON path)
 * @param what what is wrong and what is allowed
 * @throws std::invalid_argument always
 */
[[noreturn]] inline void
Fail(const std::string& field, const std::string& what)
{
    throw std::invalid_argument("cell description: " + field + ": " + what);
}

/**
 * @param obj a JSON object
 * @param key the member
 * @param path the object's path (for errors)
 * @param fallback value if the member is absent
 * @return the member's value
 */
template <typename T>
T
Get(const Json& obj, const std::string& key, const std::string& path, T fallback)
{
    if (!obj.contains(key))
    {
        return fallback;
    }
    try
    {
        return obj.at(key).get<T>();
    }
    catch (const Json::exception&)
    {
        Fail(path + "." + key, "has the wrong type (" + obj.at(key).dump() + ")");
    }
}

/**
 * @param items nodes or flows (anything with a `name`)
 * @param name the name to look up
 * @param field the field that gave the name (for errors)
 * @param kind "node" or "flow" (for errors)
 * @return the index of the item called `name`
 */
template <typename T>
uint32_t
IndexByName(const std::vector<T>& items,
            const std::string& name,
            const std::string& field,
            const std::string& kind)
{
    for (uint32_t i = 0; i < items.size(); ++i)
    {
        if (items[i].name == name)
        {
            return i;
        }
    }
    Fail(field, "'" + name + "' is not a " + kind + " name");
}

} // namespace celljson
} // namespace ns3

#endif // FABTWIN_CELL_DESCRIPTION_JSON_H
