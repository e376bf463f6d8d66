#ifndef FABTWIN_NR_LINK_ADAPTATION_H
#define FABTWIN_NR_LINK_ADAPTATION_H

#include "nr-error-model.h"
#include "nr-mcs-table.h"

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief Link adaptation: the highest MCS of the configured table whose BLER at the given
 * effective SINR meets the target BLER (the rule behind the CQI definition of TS 38.214 §5.2.2.1,
 * 0.1 for CQI tables 1-2 and 1e-5 for CQI table 3, applied here directly to the MCS table).
 */
class NrLinkAdaptation : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrLinkAdaptation();

    /// Result of a selection.
    struct Choice
    {
        uint8_t mcs;   ///< chosen MCS index
        double bler;   ///< its BLER at the SINR
        bool feasible; ///< false if even MCS 0 misses the target (MCS 0 is returned)
    };

    /**
     * @param sinrEff effective SINR, linear
     * @return the choice
     */
    Choice SelectMcs(double sinrEff) const;
    /// @return the MCS table in use
    NrMcsTable::Table GetTable() const;
    /// @return the error model
    Ptr<NrErrorModel> GetErrorModel() const;

  private:
    double m_targetBler;            ///< target BLER
    NrMcsTable::Table m_table;      ///< MCS table
    Ptr<NrErrorModel> m_errorModel; ///< BLER curves
};

} // namespace ns3

#endif // FABTWIN_NR_LINK_ADAPTATION_H
