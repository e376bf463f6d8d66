#ifndef FABTWIN_NR_MCS_TABLE_H
#define FABTWIN_NR_MCS_TABLE_H

#include "ns3/object.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief The PDSCH/PUSCH MCS index tables of TS 38.214 §5.1.3.1 (also used for PUSCH without
 * transform precoding, TS 38.214 §6.1.4.1): modulation order Qm, target code rate R x 1024 and
 * spectral efficiency per MCS index. Reserved rows (retransmission-only indices) are not usable.
 */
class NrMcsTable : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrMcsTable();

    /// Which table.
    enum class Table : uint8_t
    {
        QAM64,       ///< TS 38.214 Table 5.1.3.1-1, MCS index table 1
        QAM256,      ///< TS 38.214 Table 5.1.3.1-2, MCS index table 2
        QAM64_LOWSE, ///< TS 38.214 Table 5.1.3.1-3, MCS index table 3 (low SE, URLLC)
    };

    /// One row of an MCS table.
    struct Row
    {
        uint8_t qm;                ///< modulation order Qm (bits per symbol)
        double rateX1024;          ///< target code rate R x 1024
        double spectralEfficiency; ///< Qm * R as printed in the table (4 decimals)
    };

    /// @param table the table to use
    void SetTable(Table table);
    /// @return the table in use
    Table GetTable() const;

    /// @return the highest non-reserved MCS index of the table (28, 27, 28)
    uint8_t GetMaxMcs() const;
    /**
     * @param mcs MCS index 0..GetMaxMcs()
     * @return the row
     */
    const Row& GetRow(uint8_t mcs) const;
    /// @param mcs MCS index @return Qm
    uint8_t GetModulationOrder(uint8_t mcs) const;
    /// @param mcs MCS index @return target code rate R (R x 1024 / 1024)
    double GetCodeRate(uint8_t mcs) const;
    /// @param mcs MCS index @return spectral efficiency in bit/s/Hz per layer, as in the table
    double GetSpectralEfficiency(uint8_t mcs) const;

    /**
     * @brief Row of any table without an object.
     * @param table the table
     * @param mcs MCS index
     * @return the row
     */
    static const Row& GetRow(Table table, uint8_t mcs);
    /// @param table the table @return its highest non-reserved MCS index
    static uint8_t GetMaxMcs(Table table);

  private:
    Table m_table; ///< the table in use
};

} // namespace ns3

#endif // FABTWIN_NR_MCS_TABLE_H
