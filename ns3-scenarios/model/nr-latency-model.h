#ifndef FABTWIN_NR_LATENCY_MODEL_H
#define FABTWIN_NR_LATENCY_MODEL_H

#include "nr-frame-structure.h"

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief One-way user-plane latency of one packet over an unloaded NR cell, step by step.
 *
 * The same rules the MAC scheduler follows, evaluated analytically: every transmission waits for
 * its occasion in the frame structure (PDCCH monitoring, PUCCH, PDSCH/PUSCH units, configured-grant
 * occasions), and every processing delay is either a UE minimum of TS 38.214 or a gNB delay set by
 * attribute (gNB processing is not standardized; the defaults are an assumption, docs/nr.md).
 *
 *  - DL: arrival at the gNB -> gNB scheduling -> first DL unit (PDCCH + PDSCH, K0 = 0) -> UE
 * decoding, bounded by T_proc,1 (TS 38.214 §5.3: the UE holds the decoding result by the time it
 * must send HARQ-ACK) -> delivered. HARQ-ACK on the first PUCCH occasion at or after T_proc,1 gives
 * K1 (TS 38.213 §9.2.3); a NACK leads to a retransmission after gNB scheduling.
 *  - UL dynamic grant (TS 38.321 §5.4.4, §5.4.5): arrival -> SR on the next SR PUCCH occasion ->
 *    gNB scheduling -> PDCCH with the UL grant -> PUSCH on the first UL unit starting at least
 *    T_proc,2 after the PDCCH's end (TS 38.214 §6.4; this gives K2, §6.1.2.1) -> gNB decoding.
 *    If the packet plus its MAC subheader does not fit the SR-triggered grant, the PUSCH carries
 *    a short BSR (TS 38.321 §6.1.3.1) and data, and a second grant follows.
 *  - UL configured grant Type 1 (TS 38.321 §5.8.2, TS 38.214 §6.1.2.3): the first occasion
 *    timeDomainOffset*14 + S + N*periodicity (in symbols) that starts at least the UE's preparation
 *    time T_proc,2 after arrival (used as the UE's minimum time to build the TB; TS 38.214 gives no
 *    separate CG value) -> gNB decoding. Retransmissions use dynamic grants (TS 38.321 §5.4.1).
 */
class NrLatencyModel : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrLatencyModel();

    /// Uplink access.
    enum class UlAccess : uint8_t
    {
        DYNAMIC_GRANT,    ///< SR -> grant -> PUSCH
        CONFIGURED_GRANT, ///< configured grant Type 1
    };

    /// A named instant of the packet's journey.
    struct Step
    {
        std::string what; ///< what happens
        int64_t tc;       ///< when, in Tc from time 0
    };

    /// The result.
    struct Result
    {
        std::vector<Step> steps;   ///< the journey
        int64_t arrivalTc{0};      ///< arrival, Tc
        int64_t deliveredTc{0};    ///< delivery (incl. core-network delay), Tc
        Time latency;              ///< delivered - arrival, nearest ns
        int32_t k1{-1};            ///< DL: slots from (last) PDSCH to its HARQ-ACK
        int32_t k2{-1};            ///< UL dynamic: slots from the first grant to its PUSCH
        uint32_t transmissions{0}; ///< PDSCH/PUSCH transmissions used
        /// @param what step name @return its time in Tc, or -1
        int64_t At(const std::string& what) const;
    };

    /// @param fs the frame structure (also attribute FrameStructure)
    void SetFrameStructure(Ptr<NrFrameStructure> fs);
    /// @return the frame structure
    Ptr<NrFrameStructure> GetFrameStructure() const;

    /**
     * @brief Downlink: gNB -> UE.
     * @param arrival arrival time at the gNB
     * @param bytes MAC SDU size
     * @param failedTransmissions transmissions lost before the one that succeeds
     * @return the result
     */
    Result ComputeDownlink(Time arrival, uint32_t bytes, uint32_t failedTransmissions = 0);
    /**
     * @brief Uplink: UE -> gNB, with the configured UL access.
     * @param arrival arrival time at the UE
     * @param bytes MAC SDU size
     * @param failedTransmissions transmissions lost before the one that succeeds
     * @return the result
     */
    Result ComputeUplink(Time arrival, uint32_t bytes, uint32_t failedTransmissions = 0);

    /// @return T_proc,1 of a PDSCH unit of the frame structure, Tc
    int64_t GetTproc1Tc() const;
    /// @return T_proc,2 of a PUSCH of the frame structure, Tc
    int64_t GetTproc2Tc() const;

    /// TracedCallback signature: direction ("DL"/"UL"), latency.
    typedef void (*LatencyCallback)(std::string dir, Time latency);

    /// MAC subheader with an 8-bit L field (TS 38.321 §6.1.2).
    static constexpr uint32_t MAC_SUBHEADER_BYTES = 2;
    /// Short BSR MAC CE with its subheader (TS 38.321 §6.1.3.1).
    static constexpr uint32_t SHORT_BSR_BYTES = 2;

    // Timing rules shared with the event-driven MAC (NrGnbMac, NrUeMac), so the simulation and
    // the analytic latency follow the same configuration.

    /// @param tc a time in Tc @return the first symbol starting at or after it
    uint64_t FirstSymbolAtOrAfter(int64_t tc) const;
    /// @param s absolute symbol @return its start, Tc
    int64_t Start(uint64_t s) const;
    /// @param s absolute symbol @return its start as Time
    Time StartTime(uint64_t s) const;
    /// @param t a time @return the same instant in Tc, rounded up
    static int64_t TimeToTc(Time t);
    /// @return gNB scheduling delay in Tc
    int64_t GnbSchedulingTc() const;
    /// @return gNB decoding delay in Tc
    int64_t GnbDecodingTc() const;
    /// @param from earliest symbol @return first HARQ-ACK PUCCH symbol: the last PucchSymbols
    /// symbols of a scheduling unit, all UL
    uint64_t NextHarqAckOccasion(uint64_t from) const;
    /// @return the configured UL access
    UlAccess GetUlAccess() const;
    /// @return SR period and offset in symbols
    std::pair<uint32_t, uint32_t> GetSrConfig() const;
    /// @return size of the SR-triggered grant, bytes
    uint32_t GetSrGrantBytes() const;
    /// @param from earliest symbol @return the first usable configured-grant occasion's first
    /// symbol (TS 38.321 §5.8.2)
    uint64_t NextCgOccasion(uint64_t from) const;
    /// @return CG periodicity in symbols
    uint32_t GetCgPeriodSymbols() const;
    /// @return CG size in bytes
    uint32_t GetCgBytes() const;
    /// @return HARQ maximum transmissions
    uint32_t GetHarqMaxTransmissions() const;
    /// @return core network delay
    Time GetCoreNetworkDelay() const;

  private:
    /**
     * @brief PDCCH with an UL grant no earlier than a time, then its PUSCH.
     * @param r the result to append to
     * @param readyTc when the gNB may start scheduling
     * @param label step-name suffix
     * @return the PUSCH's end, Tc
     */
    int64_t GrantAndPusch(Result& r, int64_t readyTc, const std::string& label);
    /// Finish a result (core delay, latency, trace).
    void Finish(Result& r, int64_t doneTc, const std::string& dir);

    Ptr<NrFrameStructure> m_fs; ///< frame structure
    uint8_t m_capability;       ///< UE processing capability 1 or 2
    bool m_dmrsAdditional;      ///< PDSCH dmrs-AdditionalPosition other than pos0
    bool m_puschDmrsOnlyFirst;  ///< first PUSCH symbol holds DM-RS only (d2,1 = 0)
    UlAccess m_ulAccess;        ///< UL access
    uint32_t m_srPeriod;        ///< SR period, symbols
    uint32_t m_srOffset;        ///< SR offset, symbols
    uint32_t m_srGrantBytes;    ///< size of the SR-triggered grant
    uint32_t m_cgPeriod;        ///< CG periodicity, symbols
    uint32_t m_cgOffsetSlots;   ///< CG timeDomainOffset, slots
    uint32_t m_cgStartSymbol;   ///< CG start symbol S
    uint32_t m_cgBytes;         ///< CG size
    double m_gnbSchedSymbols;   ///< gNB scheduling delay, symbols
    double m_gnbDecodeSymbols;  ///< gNB decoding delay, symbols
    Time m_coreDelay;           ///< core network (UPF) delay
    uint32_t m_maxTx;           ///< HARQ maximum transmissions
    TracedCallback<std::string, Time> m_latencyTrace; ///< trace
};

} // namespace ns3

#endif // FABTWIN_NR_LATENCY_MODEL_H
