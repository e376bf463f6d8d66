#ifndef FABTWIN_CELL_TSN_H
#define FABTWIN_CELL_TSN_H

#include "cell-description.h"

#include "../model/gate-control-list.h"
#include "../model/local-clock.h"
#include "../model/time-aware-shaper.h"
#include "../model/tsn-configurator.h"
#include "../model/twin-protocol.h"

#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-net-device.h"

#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <string>
#include <vector>

namespace ns3
{

class CellWired;

/**
 * @brief 802.1Qbv time-aware shaping of the factory cell's BSS (the "tsn.qbv" and "tsn.streams"
 * sections, docs/tsn.md "802.1Qbv in the cell").
 *
 * Design: a TimeAwareShaper per node sits between the injection point (WifiNetDevice::Send) and
 * the Wi-Fi MAC queues, as the MAC queue's admission:
 * - a frame of a traffic class is released only while the MAC holds no frame of its TID (so
 *   the MAC never aggregates more than the shaper budgeted) and, by the shaper's length-aware
 *   selection (802.1Q-2018 8.6.8.4), only if its budgeted duration (channel access + airtime at
 *   the cell's MCS + SIFS + Block Ack, per budgeted attempt) ends before its gate closes;
 * - when a gate closes, frames of that class the MAC has not started (no sequence number
 *   assigned) are pulled back from the MAC queue to the head of the shaper queue, so only a frame
 *   exchange already on the air can reach into the guard band;
 * - the gates also hold the MAC's channel access (WifiGateEnforcer): a closed gate blocks its
 *   TID's MAC queues, so no (re)transmission of a closed class starts;
 * - gates run on the node's LocalClock, synchronized by gPTP.
 * Streams (tsn.streams) become TsnConfigurator requirements on one shared link "bss" (one hop to
 * or from the AP, two hops station-AP-station); the configurator's GCL of every node is
 * installed, explicit tsn.qbv.windows replace a node's list, and GateWindowRecords replace it at
 * run time from the node's next cycle on. Traffic classes: scheduled streams 7 (sent to the MAC
 * with user priority 7, AC_VO); others from their user priority by 802.1Q-2018 Table 8-5 (8
 * classes: UP 1 -> 0, UP 0 -> 1, else UP); gPTP is UP 6, class 6.
 * In a cell with a wired segment (SetWired; docs/tsn.md "Hybrid wired/wireless TSN") the same
 * configurator also schedules the directed Ethernet links of the bridge: a stream from or to a
 * wired node crosses "<node>>bridge", "bridge><node>" and (to or from a station) the BSS, with
 * one window per hop in one cycle; wired nodes have no Wi-Fi shaper.
 */
class CellTsn
{
  public:
    /// Called for a frame dropped: (frame, expired) - expired: a scheduled frame past its
    /// MaxLatency; else a shaper queue overflow or a frame longer than every window.
    using DropCallback = std::function<void(Ptr<const Packet>, bool)>;

    /**
     * @param desc the cell description (tsn.qbv.enabled)
     * @param devices Wi-Fi devices, by node
     * @param clocks local clocks, by node
     * @param ap index of the AP
     */
    CellTsn(const CellDescription& desc,
            std::vector<Ptr<WifiNetDevice>> devices,
            std::vector<Ptr<LocalClock>> clocks,
            uint32_t ap);

    /**
     * Schedules the wired segment's hops too (call before Configure()).
     * @param wired the cell's wired segment (not owned; outlives this)
     */
    void SetWired(CellWired* wired);

    /// @return twin time of a cycle start (after Start(): aligned to the beacons)
    int64_t GetBaseTimeNs() const;

    /**
     * The longest a frame can spend in the MAC between its first and its last transmission once
     * the gates run: every frame gets the streams' largest number of attempts, and after a failed
     * one the frame waits behind its closed gate until the gate reopens, up to a cycle later.
     * @return attempts x cycle (valid after Configure())
     */
    Time GetRetrySpan() const;

    /**
     * Computes every node's gate control list (build time, before the warm-up).
     * @throws std::invalid_argument with the configurator's reason (stream, link, by how much)
     *         or naming the field of a bad explicit window
     */
    void Configure();

    /**
     * Starts the shapers; cycles start at twin time base_time_ns + k cycle.
     * @param t0 simulation time of twin time 0 (the grandmaster's clock reads simulation time)
     */
    void Start(Time t0);

    /**
     * Sends one frame of every stream during the warm-up, so that its Block Ack agreement
     * (ADDBA handshake, management frames outside every gate) exists before twin time 0.
     * @param protocol EtherType of the priming frames (they carry no FlowTag)
     */
    void Prime(uint16_t protocol);

    /// @return true once Start() ran (before it, frames go straight to the device)
    bool IsStarted() const;

    /**
     * Sends a frame through the node's shaper (straight to the device before Start()).
     * @param node sending node
     * @param packet the frame
     * @param dest destination MAC
     * @param protocol EtherType
     * @param tc traffic class
     */
    void Send(
        uint32_t node, Ptr<Packet> packet, const Address& dest, uint16_t protocol, uint8_t tc);

    /// @param flow a flow index @return its traffic class
    uint8_t FlowTc(uint32_t flow) const;

    /**
     * Replaces the lists of the nodes named in the records from each node's next cycle on.
     * @param records the ADVANCE's gate windows
     * @throws std::invalid_argument naming the record and field
     */
    void ApplyGateWindows(const std::vector<twinproto::GateWindowRecord>& records);

    /// @return READY facts: cycle, base time, guard band, each stream's schedule, each node's GCL
    nlohmann::json Info() const;

    /// @param cb called for every frame a shaper drops
    void SetDropCallback(DropCallback cb);

    /**
     * Budgeted medium time of one frame (docs/tsn.md): per attempt i, AIFS + CW_i slots of its
     * access category (the first attempt also the EIFS extension, SIFS + Ack at 6 Mbit/s) + HE SU
     * airtime at the cell's MCS + SIFS + Ack at 24 Mbit/s (no CF-End: a shaped cell sets every
     * TXOP limit to 0).
     * @param payloadBytes bytes handed to WifiNetDevice::Send
     * @param up 802.11 user priority (access category)
     * @param attempts transmissions budgeted
     * @return the duration
     */
    Time FrameBudget(uint32_t payloadBytes, uint8_t up, uint32_t attempts) const;

  private:
    /// @return airtime of a frame of payloadBytes + SIFS + Ack: one exchange
    Time Exchange(uint32_t payloadBytes) const;
    /// @return offset in the cycle where the AP's beacons should fall
    int64_t BeaconPhaseNs() const;
    /// @return true if a scheduled frame can no longer meet its stream's MaxLatency
    bool Expired(Ptr<const Packet> packet) const;
    /// @return the largest number of transmission attempts of any stream (1 without streams)
    uint32_t MaxAttempts() const;
    /// @return AIFS + the largest backoff of attempt (0-based) for user priority up (attempt 0:
    ///         plus the EIFS extension after a frame received in error)
    Time Access(uint8_t up, uint32_t attempt) const;
    /// A validated window list for one node.
    Ptr<GateControlList> MakeGcl(const std::vector<GateWindowDescription>& windows,
                                 const std::string& what) const;
    Time Duration(uint32_t node, Ptr<const Packet> packet, uint8_t tc) const;
    bool MacQueueEmpty(uint32_t node, uint8_t tc) const;
    /// @return the path of a stream's flow (its Wi-Fi hop and, in a hybrid cell, wired hops)
    std::vector<TsnHop> StreamPath(std::size_t stream) const;
    /// @return receivers of the node's unicast frames (AP: every station; station: the AP)
    std::vector<Mac48Address> Peers(uint32_t node) const;
    /// Installs the node's WifiGateEnforcer (gates at the MAC's channel access) after Start.
    void InstallGateEnforcer(uint32_t node);
    void OnGateChange(uint32_t node, uint8_t before, uint8_t after);
    uint8_t PacketTc(Ptr<const Packet> packet) const;

    CellDescription m_desc;
    std::vector<Ptr<WifiNetDevice>> m_devices;
    std::vector<Ptr<LocalClock>> m_clocks;
    uint32_t m_ap;
    Time m_cycle;
    Time m_guardBand;
    Ptr<TsnConfigurator> m_configurator;
    std::vector<Ptr<GateControlList>> m_gcls;    ///< per node, computed by Configure()
    std::vector<Ptr<TimeAwareShaper>> m_shapers; ///< per node, after Start()
    std::vector<std::array<Ptr<WifiMacQueue>, 4>> m_macQueues; ///< per node, by AcIndex
    std::vector<int> m_streamOfFlow;                           ///< index in tsn.streams or -1
    Time m_t0;
    int64_t m_baseTimeNs{0};       ///< twin time of a cycle start (aligned to the beacons)
    int64_t m_beaconIntervalNs{0}; ///< AP beacon interval (0: not aligned)
    DropCallback m_drop;
    CellWired* m_wired{nullptr}; ///< the wired segment (hybrid), not owned
};

} // namespace ns3

#endif // FABTWIN_CELL_TSN_H
