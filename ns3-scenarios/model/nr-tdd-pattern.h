#ifndef FABTWIN_NR_TDD_PATTERN_H
#define FABTWIN_NR_TDD_PATTERN_H

#include "ns3/object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief Duplexing of an NR carrier: FDD (paired spectrum, every symbol usable in both
 * directions on its own carrier) or a periodic TDD slot pattern (TS 38.213 §11.1,
 * tdd-UL-DL-ConfigurationCommon of TS 38.331).
 *
 * The pattern is a string of slot letters repeated from slot 0: 'D' downlink slot, 'U' uplink slot,
 * 'S' special (flexible) slot whose first SpecialSlotDlSymbols symbols are downlink, whose last
 * SpecialSlotUlSymbols symbols are uplink and whose symbols in between are the guard period
 * (TS 38.213 §11.1: nrofDownlinkSymbols / nrofUplinkSymbols of the slot between the downlink and
 * uplink slots). The string "FDD" selects FDD.
 */
class NrTddPattern : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrTddPattern();

    /// Direction of one symbol.
    enum class Direction : uint8_t
    {
        DL,
        UL,
    };

    /**
     * @brief Set the pattern.
     * @param pattern "FDD" or a non-empty string of D, S, U
     */
    void SetPattern(const std::string& pattern);
    /// @return the pattern string
    std::string GetPattern() const;
    /// @param n downlink symbols at the start of an S slot (0..14)
    void SetSpecialSlotDlSymbols(uint32_t n);
    /// @param n uplink symbols at the end of an S slot (0..14)
    void SetSpecialSlotUlSymbols(uint32_t n);

    /// @return true for FDD
    bool IsFdd() const;
    /// @return the number of slots in one period of the pattern (1 for FDD)
    uint32_t GetPeriodSlots() const;
    /// @param absSlot absolute slot index
    /// @return 'D', 'S' or 'U' ('F' for FDD)
    char GetSlotType(uint64_t absSlot) const;
    /**
     * @brief Whether a symbol can carry a transmission in a direction.
     * @param absSymbol absolute symbol index (slot * 14 + symbol)
     * @param dir the direction
     * @return true if the symbol is of that direction (always true in FDD)
     */
    bool IsSymbol(uint64_t absSymbol, Direction dir) const;

    /**
     * @brief Whether the pattern period, at a slot duration, is one of the periodicities of
     * dl-UL-TransmissionPeriodicity (TS 38.331 TDD-UL-DL-Pattern: 0.5, 0.625, 1, 1.25, 2, 2.5, 3,
     * 4, 5, 10 ms).
     * @param slotsPerSubframe 2^mu
     * @return true when allowed (always true for FDD)
     */
    bool IsStandardPeriodicity(uint32_t slotsPerSubframe) const;

  private:
    /// Check the S-slot split; aborts with a message naming the attribute.
    void Check() const;

    std::string m_pattern; ///< the pattern string
    bool m_fdd;            ///< FDD selected
    uint32_t m_sDlSymbols; ///< downlink symbols of an S slot
    uint32_t m_sUlSymbols; ///< uplink symbols of an S slot
};

} // namespace ns3

#endif // FABTWIN_NR_TDD_PATTERN_H
