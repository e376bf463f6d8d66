#ifndef FABTWIN_NR_NUMEROLOGY_H
#define FABTWIN_NR_NUMEROLOGY_H

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief NR numerology mu: subcarrier spacing, slot and OFDM symbol timing (TS 38.211 §4.2, §4.3,
 * §5.3.1), normal cyclic prefix only.
 *
 * Every duration is exact in the basic time unit Tc = 1/(480e3 * 4096) s (TS 38.211 §4.1); ns-3
 * Time values are derived from absolute Tc counts and rounded to the nearest ns, so rounding never
 * accumulates across symbols or slots. Every 0.5 ms boundary is exact. For mu >= 2 the slots of one
 * 0.5 ms are not all equal: only the first holds the long symbol (16 κ Tc = 0.52 us longer).
 *
 * Symbol numbering: an absolute symbol index counts 14-symbol slots from simulation time 0, which
 * is the start of radio frame 0 (the gNB's timing reference; propagation and timing advance are the
 * PHY's business, not this class's).
 */
class NrNumerology : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrNumerology();

    /// TS 38.211 §4.1: Tc = 1/(Δf_max * N_f), Δf_max = 480 kHz, N_f = 4096 -> 1 966 080 000 Tc/s.
    static constexpr int64_t TC_PER_SECOND = 480000LL * 4096LL;
    /// TS 38.211 §4.1: κ = Ts/Tc = 64.
    static constexpr int64_t KAPPA = 64;
    /// TS 38.211 Table 4.3.2-1: 14 OFDM symbols per slot with normal cyclic prefix.
    static constexpr uint32_t SYMBOLS_PER_SLOT = 14;
    /// TS 38.211 §4.3.1: 10 subframes of 1 ms per 10 ms radio frame.
    static constexpr uint32_t SUBFRAMES_PER_FRAME = 10;
    /// TS 38.211 §4.4.4.1: 12 subcarriers per resource block.
    static constexpr uint32_t SUBCARRIERS_PER_RB = 12;

    /**
     * @brief Set the numerology.
     * @param mu 0..3 (TS 38.211 Table 4.2-1; 240 kHz is SSB-only and not modelled)
     */
    void SetNumerology(uint8_t mu);
    /// @return mu
    uint8_t GetNumerology() const;

    /// @return subcarrier spacing Δf = 2^mu * 15 kHz (TS 38.211 Table 4.2-1), in Hz
    double GetSubcarrierSpacingHz() const;
    /// @return bandwidth of one resource block, 12 * Δf, in Hz
    double GetRbBandwidthHz() const;
    /// @return slots per 1 ms subframe, 2^mu (TS 38.211 Table 4.3.2-1)
    uint32_t GetSlotsPerSubframe() const;
    /// @return slots per 10 ms frame, 10 * 2^mu (TS 38.211 Table 4.3.2-1)
    uint32_t GetSlotsPerFrame() const;
    /// @return nominal slot duration 1 ms / 2^mu, in Tc (the mean; see the class note for mu >= 2)
    int64_t GetSlotDurationTc() const;
    /// @return nominal slot duration 1 ms / 2^mu
    Time GetSlotDuration() const;

    /**
     * @brief Duration of OFDM symbol l of a subframe, cyclic prefix included (TS 38.211 §5.3.1):
     * N_u = 2048 κ 2^-mu, N_CP = 144 κ 2^-mu + 16 κ for l = 0 and l = 7 * 2^mu, else 144 κ 2^-mu.
     * @param symbolInSubframe l, 0 .. 14 * 2^mu - 1
     * @return duration in Tc
     */
    int64_t GetSymbolDurationTc(uint32_t symbolInSubframe) const;
    /// @return the duration of a normal (not extended-CP) symbol, (2048 + 144) κ 2^-mu Tc, which is
    /// also the symbol unit of the processing times N1, N2 (TS 38.214 §5.3, §6.4)
    int64_t GetNormalSymbolDurationTc() const;
    /// @return GetNormalSymbolDurationTc() as Time (rounded to the nearest ns)
    Time GetNormalSymbolDuration() const;
    /// @return the cyclic-prefix length of symbol l of a subframe, in Tc (TS 38.211 §5.3.1)
    int64_t GetCyclicPrefixTc(uint32_t symbolInSubframe) const;

    /**
     * @brief Start of an absolute symbol, in Tc from time 0.
     * @param absSymbol absolute symbol index (slot * 14 + symbol in slot)
     * @return start time in Tc
     */
    int64_t GetSymbolStartTc(uint64_t absSymbol) const;
    /// @return start of an absolute symbol as Time (nearest ns)
    Time GetSymbolStart(uint64_t absSymbol) const;
    /// @return end of an absolute symbol (start of the next) as Time (nearest ns)
    Time GetSymbolEnd(uint64_t absSymbol) const;
    /// @return the absolute index of the first symbol that starts at or after t
    uint64_t GetFirstSymbolAtOrAfter(Time t) const;
    /// @return the absolute index of the symbol that contains t
    uint64_t GetSymbolContaining(Time t) const;

    /**
     * @brief Convert a count of Tc into Time, rounded to the nearest ns.
     * @param tc a count of Tc
     * @return the Time
     */
    static Time TcToTime(int64_t tc);

  private:
    uint8_t m_mu; ///< numerology 0..3
};

} // namespace ns3

#endif // FABTWIN_NR_NUMEROLOGY_H
