#ifndef FABTWIN_NR_UE_MAC_H
#define FABTWIN_NR_UE_MAC_H

#include "nr-latency-model.h"
#include "nr-packet-record.h"
#include "nr-spectrum-phy.h"
#include "nr-spectrum-signal-parameters.h"

#include "ns3/callback.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <set>

namespace ns3
{

/**
 * @brief UE MAC: uplink buffer, scheduling request, dynamic and configured grants, HARQ.
 *
 * Rules (TS 38.321; timing from the shared NrLatencyModel so the simulation follows the same
 * configuration as the analytic latency):
 *  - New data with no pending SR triggers an SR on the next SR PUCCH occasion (§5.4.4); the SR
 *    is repeated on every occasion until an UL grant arrives, at most SrTransMax times.
 *  - On an UL grant the UE builds the TB at once (whole SDUs with a 2-byte subheader each; no RLC
 *    segmentation) and adds a short BSR when data remain (§5.4.5, §6.1.3.1); the PUSCH goes out on
 *    the granted symbols. A grant with the NDI not toggled retransmits the stored TB (§5.4.2.1).
 *  - Configured grant Type 1 (§5.8.2): data use the first occasion at least T_proc,2 after their
 *    arrival; HARQ process = floor(symbol / periodicity) mod CgHarqProcesses; no data, no PUSCH.
 *  - DL: a decoded TB is delivered T_proc,1 after the PDSCH ends; HARQ-ACK (with the DL SINR as a
 *    CSI stand-in) goes on the first PUCCH occasion at or after that (TS 38.213 §9.2.3).
 */
class NrUeMac : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrUeMac();

    /**
     * @brief Attach to a PHY and a cell.
     * @param phy the UE's PHY (its RX callback is taken)
     * @param timing timing configuration shared with the gNB
     * @param cellId cell
     * @param rnti this UE's RNTI (> 0)
     */
    void Configure(Ptr<NrSpectrumPhy> phy,
                   Ptr<NrLatencyModel> timing,
                   uint16_t cellId,
                   uint16_t rnti);
    /**
     * @brief The configured-grant resource (TS 38.331 ConfiguredGrantConfig
     * rrc-ConfiguredUplinkGrant: frequency allocation and MCS).
     * @param firstRb first RB
     * @param numRbs RBs
     * @param mcs MCS index
     * @param table MCS table
     */
    void SetCgResource(uint32_t firstRb, uint32_t numRbs, uint8_t mcs, NrMcsTable::Table table);

    /**
     * @brief Queue an uplink SDU.
     * @param p the packet
     * @param protocol its L3 protocol number
     */
    void Enqueue(Ptr<Packet> p, uint16_t protocol);
    /// @return bytes waiting (SDUs + subheaders)
    uint32_t GetBufferBytes() const;
    /// @return SDUs waiting (not yet in a TB)
    uint32_t GetBufferPackets() const;

    /// Delivery of a decoded DL SDU: packet, protocol, its journey.
    typedef Callback<void, Ptr<Packet>, uint16_t, const NrPacketRecord&> DeliverCallback;
    /// @param cb called for every DL SDU delivered
    void SetDeliverCallback(DeliverCallback cb);

    /// Number of CG HARQ processes (harq-ProcID-Offset 0); dynamic UL HARQ uses the ids above.
    static constexpr uint8_t CG_HARQ_PROCESSES = 8;
    /// RBs at the top of the carrier that carry PUCCH (SR, HARQ-ACK); no PUSCH is granted there.
    static constexpr uint32_t PUCCH_RBS = 4;

  protected:
    void DoDispose() override;

  private:
    /// One queued SDU.
    struct Sdu
    {
        Ptr<Packet> packet; ///< the SDU
        uint16_t protocol;  ///< L3 protocol
        int64_t arrivalTc;  ///< arrival, Tc
    };

    /// @param p signal @param sinr effective SINR @param ok decoded
    void PhyRx(Ptr<const NrSpectrumSignalParameters> p, double sinr, bool ok);
    /// Trigger an SR on the next occasion unless one is pending.
    void TriggerSr();
    /// @param symbol SR PUCCH symbol
    void SendSr(uint64_t symbol);
    /// @param harqId process @param ack decoded @param sinr DL SINR @param symbol PUCCH symbol
    void SendHarqAck(uint8_t harqId, bool ack, double sinr, uint64_t symbol);
    /**
     * @brief Fill a TB with whole SDUs prepared before a time.
     * @param tb the parameters to fill (sdus, protocols, bufferBytes)
     * @param capacity TB size in bytes
     * @param preparedByTc only SDUs that arrived at or before this instant
     */
    void FillTb(Ptr<NrSpectrumSignalParameters> tb, uint32_t capacity, int64_t preparedByTc);
    /// @param symbol CG occasion start
    void CgOccasion(uint64_t symbol);
    /// @param p signal to send at symbol p->startSymbol for p->numSymbols
    void SendAt(Ptr<NrSpectrumSignalParameters> p);
    /// @param p signal to transmit now
    void TransmitNow(Ptr<NrSpectrumSignalParameters> p);
    /// @return a new signal addressed from this UE
    Ptr<NrSpectrumSignalParameters> NewSignal(NrSpectrumSignalParameters::Kind kind) const;

    Ptr<NrSpectrumPhy> m_phy;         ///< PHY
    Ptr<NrLatencyModel> m_timing;     ///< timing rules
    uint16_t m_cellId{0};             ///< cell
    uint16_t m_rnti{0};               ///< RNTI
    std::deque<Sdu> m_queue;          ///< UL buffer
    bool m_srPending{false};          ///< SR triggered, no grant yet
    uint32_t m_lastBsr{0};            ///< buffer size reported in the last new TB
    uint32_t m_srCount{0};            ///< SR transmissions of the pending SR
    uint32_t m_srTransMax{64};        ///< sr-TransMax
    std::set<uint64_t> m_cgScheduled; ///< CG occasions with a pending transmission event
    std::map<uint8_t, Ptr<NrSpectrumSignalParameters>> m_ulHarq; ///< last TB per UL process
    std::map<uint8_t, bool> m_dlDelivered;                       ///< DL process already delivered
    uint32_t m_cgFirstRb{0};                                     ///< CG resource
    uint32_t m_cgNumRbs{0};                                      ///< CG resource
    uint8_t m_cgMcs{0};                                          ///< CG MCS
    NrMcsTable::Table m_cgTable{NrMcsTable::Table::QAM64};       ///< CG MCS table
    DeliverCallback m_deliver;                                   ///< upper layer
    TracedCallback<Ptr<const Packet>> m_dropTrace;               ///< SDU larger than any TB
};

} // namespace ns3

#endif // FABTWIN_NR_UE_MAC_H
