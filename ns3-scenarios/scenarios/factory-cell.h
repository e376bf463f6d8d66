#ifndef FABTWIN_FACTORY_CELL_H
#define FABTWIN_FACTORY_CELL_H

#include "cell-description.h"
#include "cell-nr.h"
#include "cell-tsn.h"
#include "cell-wired.h"
#include "frer-sequence-recovery.h"
#include "obss-builder.h"
#include "transmission-recorder.h"

#include "../model/addba-pending-guard.h"
#include "../model/gptp-instance.h"
#include "../model/latency-split-tracker.h"
#include "../model/local-clock.h"
#include "../model/phy-busy-tracker.h"
#include "../model/three-gpp-indoor-factory-propagation-loss-model.h"
#include "../model/twin-multi-user-scheduler.h"
#include "../model/twin-protocol.h"

#include "ns3/mac48-address.h"
#include "ns3/net-device-container.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/spectrum-channel.h"
#include "ns3/sta-wifi-mac.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-ppdu.h"
#include "ns3/wifi-tx-vector.h"
#include "ns3/wifi-types.h"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace ns3
{

/// What the twin asks of one ADVANCE (frames 1..4, twin/bridge/protocol.py).
struct StepRequest
{
    std::vector<twinproto::PositionRecord> positions;    ///< nodes that moved
    std::vector<twinproto::TxRequestRecord> txs;         ///< packets to inject
    std::vector<twinproto::MuScheduleRecord> muSchedule; ///< external OFDMA schedule (may be empty)
    std::vector<twinproto::GateWindowRecord> gateWindows; ///< new 802.1Qbv windows (may be empty)
};

/// What happened during one ADVANCE.
struct StepReport
{
    int64_t nowNs{0};                                         ///< twin time at the end of the step
    std::vector<twinproto::DeliveryRecord> deliveries;        ///< in receive-time order
    std::vector<twinproto::DropRecord> drops;                 ///< in drop-time order
    std::vector<twinproto::LinkStatsRecord> linkStats;        ///< one per node, in node order
    std::vector<twinproto::TransmissionRecord> transmissions; ///< report.transmissions only
};

/**
 * @brief A factory cell built from a CellDescription: one 802.11ax BSS on SpectrumWifiPhy whose
 * packets are injected by the twin at exact send times, below IP (WifiNetDevice::Send).
 *
 * Twin time 0 is the moment every station has associated (the warm-up is hidden from the twin).
 * Building seeds ns-3 (RngRun = seed, stream index reset, AssignStreams on every device) so the
 * same description gives the same packets whether it is built in a fresh process or after a reset.
 */
class FactoryCell
{
  public:
    /// @param desc the checked cell description
    explicit FactoryCell(CellDescription desc);

    /**
     * Builds nodes, devices and traces, then runs until every station is associated.
     * @throws std::runtime_error if a station cannot associate within the warm-up limit
     */
    void Build();

    /// @return JSON facts for the READY reply (node MACs, warm-up time, versions)
    std::string InfoJson() const;

    /**
     * Moves nodes, applies the schedules, injects the packets and runs the simulation until
     * untilNs (twin time).
     * @param untilNs end of the step, twin time
     * @param req positions, packets (send_time_ns >= now), MU schedule and gate windows
     * @return deliveries, drops and link statistics of the step
     * @throws std::invalid_argument for a request that names unknown nodes/flows or past times,
     *         or asks for a feature the cell was not built with
     */
    StepReport Advance(int64_t untilNs, const StepRequest& req);

    /// Schedules periodic traffic for every flow with period_ns > 0 until untilNs (standalone
    /// mode).
    void ScheduleOwnTraffic(int64_t untilNs);

    /// @return twin time now (ns)
    int64_t NowNs() const;

    /// @return twin-flow MPDUs enqueued since twin time 0, per access category (AcIndex order:
    ///         BE, BK, VI, VO), counted at the EDCA queue they entered
    const std::array<uint64_t, 4>& EnqueuedByAc() const;

  private:
    /// Per-node counters over one step.
    struct NodeCounters
    {
        uint32_t txMpdus{0};
        uint32_t txFailures{0};
        uint32_t rxMpdus{0};
        double sinrSumDb{0};
        double rxPowerSumDbm{0};
        uint8_t lastTxMcs{0};
        float lastRxSinrDb{0};
        uint8_t lastRxMcs{0};
    };

    void Inject(twinproto::TxRequestRecord rec);
    bool OnReceive(uint32_t node, Ptr<const Packet> packet, uint16_t protocol, const Address& from);
    /// Creates every node's LocalClock and GptpInstance (tsn section present).
    void InstallClocks();
    /// Creates and starts the gPTP ports over the BSS (tsn.sync.enabled, after association).
    void StartTimeSync();
    /// gPTP receive timestamp of a gPTP frame (MonitorSnifferRx, m_phyTimestamps only).
    void OnSnifferRx(uint32_t node,
                     Ptr<const Packet> packet,
                     uint16_t channelFreqMhz,
                     WifiTxVector txVector,
                     MpduInfo aMpdu,
                     SignalNoiseDbm signalNoise,
                     uint16_t staId);
    /// gPTP transmit timestamp of a gPTP frame (MonitorSnifferTx, m_phyTimestamps only).
    void OnSnifferTx(uint32_t node,
                     Ptr<const Packet> packet,
                     uint16_t channelFreqMhz,
                     WifiTxVector txVector,
                     MpduInfo aMpdu,
                     uint16_t staId);
    /// Link statistics of one PPDU received by node (WifiPhyStateHelper's RxOutcome trace).
    void OnPpduRx(uint32_t node,
                  Ptr<const WifiPpdu> ppdu,
                  RxSignalInfo info,
                  const WifiTxVector& txVector,
                  const std::vector<bool>& outcomes);
    void OnDroppedMpdu(WifiMacDropReason reason, Ptr<const WifiMpdu> mpdu);
    void RecordDrop(uint32_t flow, uint32_t seq, twinproto::DropReason reason);
    /// Reports a delivery, or counts it as eliminated if another copy came first (radio both).
    void DeliverCopy(const twinproto::DeliveryRecord& d);
    /// Builds the NR cell and moves the start of twin time to an NR frame boundary (desc.nr).
    void InstallNr();
    /// An SDU came out of the NR cell at node.
    void OnNrDelivery(uint32_t node, Ptr<const Packet> p, const NrPacketRecord& rec);
    bool IsAssociated(uint32_t node) const;
    void InstallInterferers();
    std::vector<twinproto::LinkStatsRecord> CollectLinkStats();

    // OFDMA (factory-cell-ofdma.cc)
    /// A checked external MU schedule: DL and UL assignments.
    using MuSchedule = std::pair<std::vector<TwinMultiUserScheduler::Assignment>,
                                 std::vector<TwinMultiUserScheduler::Assignment>>;
    /// Installs the TwinMultiUserScheduler on the AP and MU EDCA (wifi.ofdma present).
    void InstallOfdma();
    /// After association: sets up every flow's Block Ack agreements, starts MU EDCA timers.
    void WarmUpOfdma();
    /**
     * Checks the MU schedule records of one ADVANCE.
     * @param recs the records
     * @return the schedule to apply, or nullopt when there are no records (keep the schedule)
     * @throws std::invalid_argument naming the field and the allowed values
     */
    std::optional<MuSchedule> CheckMuSchedule(
        const std::vector<twinproto::MuScheduleRecord>& recs) const;

    // Latency split
    /// A twin-flow MPDU entered node's queue of access category ac (AcIndex).
    void OnEnqueue(uint32_t node, std::size_t ac, Ptr<const WifiMpdu> mpdu);
    void OnPsduTx(uint32_t node, const WifiConstPsduMap& psdus, const WifiTxVector& txVector);

    CellDescription m_desc;
    Ptr<SpectrumChannel> m_channel;
    Ptr<ThreeGppIndoorFactoryPropagationLossModel> m_inf;
    double m_wifiCenterHz{0};
    int64_t m_nextStream{0};
    uint32_t m_ap{0};
    NodeContainer m_nodes;
    std::vector<Ptr<WifiNetDevice>> m_devices;
    std::vector<Ptr<StaWifiMac>> m_staMacs; ///< null for the AP
    /// Releases agreements ns-3 leaves pending without an ADDBA Request (docs/wifi.md)
    Ptr<AddBaPendingGuard> m_addBaGuard;
    std::vector<std::array<Ptr<WifiMacQueue>, 4>> m_queues; ///< BE, BK, VI, VO per node
    std::vector<NodeCounters> m_counters;
    std::array<uint64_t, 4> m_enqueuedByAc{}; ///< twin-flow MPDUs per AC since twin time 0
    std::vector<uint8_t> m_hops;
    std::vector<Ptr<LocalClock>> m_clocks; ///< per node (tsn section present), else empty
    std::vector<Ptr<GptpInstance>> m_gptp; ///< per node (tsn section present), else empty
    std::vector<Time> m_rxPayloadBegin;    ///< per node: last PhyRxPayloadBegin (phy timestamps)
    bool m_phyTimestamps{false};           ///< gPTP timestamps from the monitor traces
    uint32_t m_grandmaster{0};             ///< node index of the gPTP grandmaster
    Time m_syncWarmup;                     ///< part of the warm-up spent on the first Sync
    std::unique_ptr<CellTsn> m_tsn;        ///< tsn.qbv.enabled: the shapers
    std::unique_ptr<TransmissionRecorder> m_recorder; ///< report.transmissions
    Time m_t0;
    Ptr<TwinMultiUserScheduler> m_muScheduler;                   ///< wifi.ofdma present, else null
    LatencySplitTracker m_split;                                 ///< per-packet latency split
    std::vector<std::shared_ptr<PhyBusyTracker>> m_busyTrackers; ///< per node, from twin time 0
    Time m_lastStats;                             ///< when the link statistics were last collected
    std::vector<std::unique_ptr<ObssBss>> m_obss; ///< overlapping BSSs (not reported as flows)
    double m_buildWallMs{0};
    StepReport m_pending;
    std::unique_ptr<CellNr> m_nr;       ///< the NR cell (desc.nr.present), else null
    FrerSequenceRecovery m_frer;        ///< duplicate elimination of radio-both flows
    std::unique_ptr<CellWired> m_wired; ///< the wired segment (desc.wired.present), else null
};

} // namespace ns3

#endif // FABTWIN_FACTORY_CELL_H
