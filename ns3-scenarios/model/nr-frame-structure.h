#ifndef FABTWIN_NR_FRAME_STRUCTURE_H
#define FABTWIN_NR_FRAME_STRUCTURE_H

#include "nr-numerology.h"
#include "nr-tdd-pattern.h"

#include "ns3/object.h"
#include "ns3/ptr.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief Where transmissions may go in time: numerology, duplexing, and the scheduling unit
 * (a 14-symbol slot, or a mini-slot of 2, 4 or 7 symbols).
 *
 * Slot-based scheduling uses PDSCH/PUSCH mapping type A over a whole slot of one direction
 * (TS 38.214 §5.1.2.1, §6.1.2.1): a DL slot carries the PDCCH in its first CoresetSymbols symbols
 * and the PDSCH in the rest (K0 = 0); a UL slot carries a 14-symbol PUSCH. S slots carry only
 * control (PDCCH in their DL symbols, PUCCH in their UL symbols).
 *
 * Mini-slot scheduling uses mapping type B with length L in {2, 4, 7} (TS 38.214 Table
 * 5.1.2.1-1, normal CP) on a fixed grid of start symbols S = k * L with S + L <= 14, so a mini-slot
 * never crosses a slot boundary. A DL mini-slot carries its scheduling PDCCH in its own first
 * symbol (PDCCH monitoring at every mini-slot start, TS 38.213 §10.1 monitoringSymbolsWithinSlot),
 * frequency-multiplexed with the PDSCH; a UL mini-slot is a PUSCH of L symbols. Any mini-slot
 * whose symbols all have the right direction is usable, in S slots too.
 */
class NrFrameStructure : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrFrameStructure();

    using Direction = NrTddPattern::Direction; ///< DL or UL

    /// @param numerology the numerology (also reachable as attribute Numerology)
    void SetNumerology(Ptr<NrNumerology> numerology);
    /// @return the numerology
    Ptr<NrNumerology> GetNumerology() const;
    /// @param pattern the duplexing pattern (also reachable as attribute TddPattern)
    void SetTddPattern(Ptr<NrTddPattern> pattern);
    /// @return the duplexing pattern
    Ptr<NrTddPattern> GetTddPattern() const;
    /// @param symbols 14 (slot) or 2, 4, 7 (mini-slot)
    void SetAllocationSymbols(uint32_t symbols);
    /// @return the scheduling unit in symbols
    uint32_t GetAllocationSymbols() const;
    /// @return true for mini-slot (type B) scheduling
    bool IsMiniSlot() const;
    /// @return CORESET duration in symbols
    uint32_t GetCoresetSymbols() const;

    /// @return the number of scheduling units (slot or mini-slots) in one slot
    uint32_t GetUnitsPerSlot() const;

    /**
     * @brief The earliest data occasion (a whole scheduling unit whose symbols all have direction
     * dir) that starts at or after a symbol.
     * @param fromSymbol absolute symbol index
     * @param dir the direction
     * @return the absolute index of the unit's first symbol
     */
    uint64_t NextDataOccasion(uint64_t fromSymbol, Direction dir) const;
    /**
     * @brief First and one-past-last symbols of the shared channel in a data occasion:
     * the PDSCH of a DL slot starts after the CORESET; everything else spans the unit.
     * @param unitStart first symbol of the unit
     * @param dir the direction
     * @return {first, end} absolute symbols
     */
    std::pair<uint64_t, uint64_t> GetSharedChannelSymbols(uint64_t unitStart, Direction dir) const;
    /**
     * @brief The earliest PDCCH monitoring occasion at or after a symbol: the first symbol of a
     * scheduling unit whose CORESET symbols are all downlink (TS 38.213 §10.1).
     * @param fromSymbol absolute symbol index
     * @return the absolute index of the PDCCH's first symbol
     */
    uint64_t NextPdcchOccasion(uint64_t fromSymbol) const;
    /**
     * @brief The earliest PUCCH occasion at or after a symbol for a periodic PUCCH resource:
     * symbols s with (s - offset) mod period == 0 whose PucchSymbols symbols are all uplink and in
     * one slot (TS 38.213 §9.2; SR periodicityAndOffset of TS 38.331
     * SchedulingRequestResourceConfig).
     * @param fromSymbol absolute symbol index
     * @param periodSymbols resource period in symbols
     * @param offsetSymbols resource offset in symbols
     * @return the absolute index of the PUCCH's first symbol
     */
    uint64_t NextPucchOccasion(uint64_t fromSymbol,
                               uint32_t periodSymbols,
                               uint32_t offsetSymbols) const;
    /// @return PUCCH duration in symbols
    uint32_t GetPucchSymbols() const;

    /**
     * @param first absolute symbol index
     * @param n number of symbols
     * @param dir direction
     * @return true if symbols [first, first + n) are all of direction dir and in one slot
     */
    bool AllOf(uint64_t first, uint32_t n, Direction dir) const;

  private:
    Ptr<NrNumerology> m_numerology; ///< numerology
    Ptr<NrTddPattern> m_tdd;        ///< duplexing
    uint32_t m_allocSymbols;        ///< 14, or mini-slot length 2, 4, 7
    uint32_t m_coresetSymbols;      ///< CORESET duration
    uint32_t m_pucchSymbols;        ///< short PUCCH duration
};

} // namespace ns3

#endif // FABTWIN_NR_FRAME_STRUCTURE_H
