#ifndef FABTWIN_NR_GNB_MAC_H
#define FABTWIN_NR_GNB_MAC_H

#include "nr-latency-model.h"
#include "nr-link-adaptation.h"
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
#include <vector>

namespace ns3
{

/**
 * @brief gNB MAC and scheduler: per scheduling unit (slot or mini-slot) DL scheduling, UL grants
 * on SR/BSR, HARQ retransmissions, configured-grant reception, and an external priority per UE.
 *
 * At the start of every scheduling unit:
 *  - if the unit starts with a PDCCH occasion, UL grants are sent for every SR, BSR and failed
 *    PUSCH whose input is at least GnbScheduling old; the PUSCH goes on the first UL unit at least
 *    T_proc,2 after the PDCCH (TS 38.214 §6.4), so K2 follows from the frame structure;
 *  - if the unit is a DL data unit, pending DL retransmissions (NACK or missing HARQ-ACK) and then
 *    new data at least GnbScheduling old are scheduled.
 * UEs are served in order of the external priority (SetPriority, higher first; the twin's lever)
 * and then of their oldest waiting packet (earliest first: the documented default heuristic).
 * Each served UE gets the fewest RBs whose TBS (TS 38.214 §5.1.3.2) carries its eligible SDUs at
 * the MCS of link adaptation on its last SINR (DL: reported with HARQ-ACK; UL: measured on PUSCH).
 * DL RBs of a mini-slot exclude the ControlRbs that carry the PDCCHs; UL grants avoid the RBs
 * reserved for configured grants. Up to 16 HARQ processes per UE and direction (TS 38.321
 * §5.3.1, §5.4.1); UL dynamic grants use processes 8..15 (CG uses 0..7, harq-ProcID-Offset).
 */
class NrGnbMac : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrGnbMac();

    /**
     * @param phy the gNB PHY (its RX callback is taken)
     * @param timing timing configuration shared with the UEs
     * @param cellId the cell
     */
    void Configure(Ptr<NrSpectrumPhy> phy, Ptr<NrLatencyModel> timing, uint16_t cellId);
    /**
     * @brief Admit a UE (RRC connection is not modelled).
     * @param rnti its RNTI (> 0)
     */
    void AddUe(uint16_t rnti);
    /**
     * @brief Reserve a UE's configured-grant RBs (no dynamic grant uses them).
     * @param rnti the UE
     * @param firstRb first RB
     * @param numRbs RBs
     */
    void ReserveCgRbs(uint16_t rnti, uint32_t firstRb, uint32_t numRbs);
    /// Start the per-unit scheduling loop (from the current simulation time).
    void Start();

    /**
     * @brief Queue a DL SDU.
     * @param rnti destination UE
     * @param p packet
     * @param protocol L3 protocol number
     */
    void Enqueue(uint16_t rnti, Ptr<Packet> p, uint16_t protocol);
    /**
     * @brief External scheduling priority of a UE (the twin's per-step action); higher first.
     * @param rnti the UE
     * @param priority the priority (default 0)
     */
    void SetPriority(uint16_t rnti, double priority);
    /**
     * @brief External scheduling priority of a UE in one direction (the twin's per-step schedule).
     * @param rnti the UE
     * @param downlink DL (PDSCH order) or UL (grant order)
     * @param priority the priority, higher first (default 0)
     */
    void SetPriority(uint16_t rnti, bool downlink, double priority);
    /// @param rnti a UE @return DL SDUs waiting at the gNB for it
    uint32_t GetDlQueuePackets(uint16_t rnti) const;

    /// Delivery of a decoded UL SDU: source RNTI, packet, protocol, its journey.
    typedef Callback<void, uint16_t, Ptr<Packet>, uint16_t, const NrPacketRecord&> DeliverCallback;
    /// @param cb called for every UL SDU delivered
    void SetDeliverCallback(DeliverCallback cb);

    /// TracedCallback signature of a scheduling decision.
    typedef void (*SchedTracedCallback)(uint16_t rnti,
                                        bool downlink,
                                        uint8_t harqId,
                                        uint8_t mcs,
                                        uint32_t numRbs,
                                        uint32_t tbsBytes,
                                        bool retx);

    /// TracedCallback signature of a HARQ drop: rnti, downlink, process.
    typedef void (*HarqDropTracedCallback)(uint16_t rnti, bool downlink, uint8_t harqId);

  protected:
    void DoDispose() override;

  private:
    /// One queued SDU.
    struct Sdu
    {
        Ptr<Packet> packet; ///< the SDU
        uint16_t protocol;  ///< L3 protocol
        int64_t arrivalTc;  ///< arrival at the MAC
    };

    /// A DL HARQ process.
    struct DlHarq
    {
        bool busy{false};                   ///< awaiting HARQ-ACK or retransmission
        bool retxPending{false};            ///< to be retransmitted
        int64_t readyTc{0};                 ///< NACK time
        uint32_t tx{0};                     ///< transmissions so far
        Ptr<NrSpectrumSignalParameters> tb; ///< the TB
    };

    /// An UL grant to send.
    struct PendingGrant
    {
        int64_t readyTc;                            ///< input (SR, BSR, failed PUSCH) time
        uint32_t bytes;                             ///< bytes to grant (new data)
        Ptr<const NrSpectrumSignalParameters> retx; ///< failed PUSCH to retransmit, or null
    };

    /// Per-UE state.
    struct Ue
    {
        std::deque<Sdu> dlQueue;         ///< DL buffer
        std::vector<DlHarq> dl;          ///< DL HARQ processes
        std::vector<uint32_t> ulTx;      ///< UL HARQ transmissions per process (0 = free)
        std::deque<PendingGrant> grants; ///< UL grants to send
        double dlSinr;                   ///< last reported DL SINR
        double ulSinr;                   ///< last measured UL SINR
        double priorityDl{0};            ///< external priority, DL
        double priorityUl{0};            ///< external priority, UL
        bool srGrantOutstanding{false};  ///< an SR was answered and no PUSCH has come back yet
    };

    /// @param unit first symbol of the scheduling unit
    void Tick(uint64_t unit);
    /// @param pdcch PDCCH occasion
    void ScheduleUl(uint64_t pdcch);
    /// @param unit DL data unit
    void ScheduleDl(uint64_t unit);
    /// @return RNTIs in service order for a direction
    std::vector<uint16_t> Order(bool downlink) const;
    /// @param p signal @param sinr effective SINR @param ok decoded
    void PhyRx(Ptr<const NrSpectrumSignalParameters> p, double sinr, bool ok);
    /**
     * @brief Fewest RBs whose TBS carries a number of bytes.
     * @param bytes payload
     * @param mcs MCS
     * @param table MCS table
     * @param symbols shared-channel symbols
     * @param maxRbs RBs available
     * @return RBs and TBS in bytes; {0, 0} if even maxRbs is too small
     */
    std::pair<uint32_t, uint32_t> Fit(uint32_t bytes,
                                      uint8_t mcs,
                                      NrMcsTable::Table table,
                                      uint32_t symbols,
                                      uint32_t maxRbs) const;
    /**
     * @brief At the decoding time of a granted PUSCH: if it never arrived (the UE missed the
     * grant, or its PUSCH was not detected), free the process and grant again.
     * @param rnti the UE
     * @param startSymbol the PUSCH's first symbol
     * @param bytes bytes of the original request
     */
    void CheckPusch(uint16_t rnti, uint64_t startSymbol, uint32_t bytes);
    /// @param p signal to send at p->startSymbol for p->numSymbols
    void SendAt(Ptr<NrSpectrumSignalParameters> p);
    /// @param p signal to transmit now
    void TransmitNow(Ptr<NrSpectrumSignalParameters> p);

    Ptr<NrSpectrumPhy> m_phy;                       ///< PHY
    Ptr<NrLatencyModel> m_timing;                   ///< timing
    Ptr<NrLinkAdaptation> m_la;                     ///< link adaptation
    uint16_t m_cellId{0};                           ///< cell
    uint32_t m_controlRbs;                          ///< RBs of the PDCCH region
    uint32_t m_dmrsRePerPrb;                        ///< DM-RS overhead for the TBS
    double m_initialSinrDb;                         ///< SINR assumed before any report
    std::map<uint16_t, Ue> m_ues;                   ///< UEs
    std::vector<bool> m_cgReserved;                 ///< UL RBs never granted: CG and PUCCH
    std::map<uint64_t, std::vector<bool>> m_ulUsed; ///< PUSCH unit -> RBs granted
    std::map<std::pair<uint16_t, uint64_t>, uint8_t> m_expectedPusch; ///< (rnti, start) -> HARQ
    DeliverCallback m_deliver;                                        ///< upper layer
    TracedCallback<uint16_t, bool, uint8_t, uint8_t, uint32_t, uint32_t, bool> m_schedTrace;
    TracedCallback<uint16_t, bool, uint8_t> m_harqDropTrace; ///< rnti, downlink, process
    TracedCallback<Ptr<const Packet>> m_dropTrace; ///< DL SDU larger than a TB on the whole band
    TracedCallback<Ptr<const Packet>> m_harqDropSduTrace; ///< each SDU of a HARQ-dropped TB
    /// @param rnti UE @param downlink direction @param harqId process @param tb the dropped TB
    void HarqDrop(uint16_t rnti,
                  bool downlink,
                  uint8_t harqId,
                  Ptr<const NrSpectrumSignalParameters> tb);
};

} // namespace ns3

#endif // FABTWIN_NR_GNB_MAC_H
