#ifndef FABTWIN_CELL_WIRED_H
#define FABTWIN_CELL_WIRED_H

#include "cell-description.h"

#include "../model/gptp-instance.h"
#include "../model/gptp-port.h"
#include "../model/local-clock.h"
#include "../model/tsn-bridge.h"
#include "../model/tsn-configurator.h"
#include "../model/twin-protocol.h"

#include "ns3/mac48-address.h"
#include "ns3/node-container.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"
#include "ns3/wifi-net-device.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace ns3
{

/**
 * @brief The factory cell's wired segment (the "wired" section, docs/tsn.md "Wired segment"):
 * one TsnBridge; every node with radio "wired" and the AP's Ethernet port hang on it by
 * full-duplex EthernetLinks.
 *
 * The AP bridges its Ethernet port and the BSS: a frame from the wire to a Wi-Fi station's
 * address goes out on the AP's Wi-Fi device; a frame a station sends (To DS) to a wired node's
 * address, which the AP passes up as "other host", goes out on the AP's port. Frames are
 * addressed by the nodes' MAC addresses (a wired node's is its port's), forwarded by static
 * filtering entries. With wired.qbv.enabled every bridge port has a TimeAwareShaper whose gate
 * control list a TsnConfigurator computes from wired.qbv.streams over the directed links
 * "<node>>bridge" and "bridge><node>". Scheduled frames are traffic class 7, others class by
 * user priority (802.1Q-2018 Table 8-5, at most 6).
 *
 * With a "tsn" section (docs/tsn.md, "Hybrid wired/wireless TSN"), 802.1AS runs over the links
 * too: the bridge has its own LocalClock and PTP Instance (a time-aware relay, one gPTP port per
 * bridge port), every wired node and the AP's Ethernet port one gPTP port; peer delay on each
 * full-duplex link; timestamps at the device's PhyTxBegin / PhyRxEnd traces. The bridge's gates
 * then run on the bridge's synchronized clock. With tsn.qbv (hybrid) the TsnConfigurator of the
 * Wi-Fi cell (CellTsn) schedules the wired hops too (AddLinks, Hops, UseSchedule), and the end
 * stations' ports (wired nodes, the AP's Ethernet port) get shapers on their own clocks.
 * Without a "tsn" section the bridge's gates run on an ideal clock.
 */
class CellWired
{
  public:
    /// Hands a payload that reached a node over the wire to the cell: (node, payload,
    /// EtherType, source address).
    using DeliverCallback =
        std::function<void(uint32_t, Ptr<const Packet>, uint16_t, const Address&)>;
    /// Called for a frame the wired segment dropped (the payload with its tags).
    using DropCallback = std::function<void(Ptr<const Packet>)>;
    /// Sends a payload that came from the wire into the BSS at the AP: (payload, destination,
    /// EtherType). Default: the AP's WifiNetDevice::Send.
    using BssSendCallback = std::function<void(Ptr<Packet>, Mac48Address, uint16_t)>;

    /**
     * @param desc the cell description (wired.present)
     * @param nodes the cell's nodes, by index
     * @param ap index of the AP
     */
    CellWired(const CellDescription& desc, NodeContainer nodes, uint32_t ap);

    /**
     * Builds the bridge, the links, the filtering entries and (wired.qbv) the port gates.
     * @param wifi Wi-Fi devices by node (null for wired nodes); the AP's must exist
     * @param deliver called for every payload that reaches a wired node or the AP by wire
     * @param drop called for every frame the segment drops
     * @throws std::invalid_argument with the configurator's reason for an infeasible stream set
     */
    void Install(const std::vector<Ptr<WifiNetDevice>>& wifi,
                 DeliverCallback deliver,
                 DropCallback drop);

    /**
     * Starts the port shapers; cycles start at twin time baseTimeNs + k cycle.
     * @param t0 simulation time of twin time 0 (the grandmaster's clock reads simulation time)
     * @param baseTimeNs twin time of a cycle start (CellTsn's, in a hybrid cell)
     */
    void Start(Time t0, int64_t baseTimeNs = 0);

    /**
     * 802.1AS over the segment: gives the bridge its own LocalClock (the nodes' clock model:
     * FrequencyOffset Uniform(-ppm_max, ppm_max), the default wander, the granularity) and a PTP
     * Instance (a relay); the bridge's gates (if any) switch to this clock.
     * @param clocks the nodes' clocks, by node (wired nodes and the AP included)
     * @param gptp the nodes' PTP Instances, by node
     * @param grandmaster node index of the grandmaster
     * @param stream first random stream for the bridge's clock
     * @return the number of streams used
     */
    int64_t InstallClocks(const std::vector<Ptr<LocalClock>>& clocks,
                          const std::vector<Ptr<GptpInstance>>& gptp,
                          uint32_t grandmaster,
                          int64_t stream);
    /**
     * Adds a gPTP port on each end of every link (to the nodes' instances, so call it before
     * they start) and starts the bridge's instance. Roles: the port towards the grandmaster is
     * the slave port (the bridge's port to a wired grandmaster, else its port to the AP; a wired
     * node's only port; the AP's Ethernet port when the grandmaster is wired), the others master.
     */
    void StartTimeSync();
    /// @return the bridge's PTP Instance (null without a "tsn" section)
    Ptr<GptpInstance> GetBridgeGptp() const;

    /**
     * The derived bound on a node's |offset| from the grandmaster after h hops of 802.1AS over
     * full-duplex Ethernet (docs/tsn.md, "Hybrid wired/wireless TSN"), h times the one-hop
     * bound J + 2g + er T' + 2 r (W P + P) T' + r T'^2 + 2 ns with J = 1 ns, g the granularity,
     * er = (2g + J) / P (the shortest rate-ratio window),
     * T = 2^logSyncInterval s, P = 1 s, W = 8, r = 0.3 ppm/s (LocalClock's wander bound).
     * @param granularityNs timestamp granularity
     * @param logSyncInterval log2 of the Sync interval (s)
     * @param hops links between the grandmaster and the node
     * @return the bound (ns)
     */
    static int64_t SyncBoundNs(uint32_t granularityNs, int32_t logSyncInterval, uint32_t hops);
    /// @return e of the wired links: wired.qbv.sync_error_bound_ns, or if -1 the derived bound
    /// of the farthest port (0 without 802.1AS: ideal clocks)
    int64_t SyncErrorNs() const;

    /// @return the bridge's node id in a TsnConfigurator (one past the last node)
    uint32_t BridgeId() const;
    /**
     * Declares the segment's directed links in a configurator: "<node>>bridge" (sent by the
     * node) and "bridge><node>" (sent by the bridge), with e = wired.qbv.sync_error_bound_ns
     * and GuardBand = wired.qbv.guard_band_ns.
     * @param c the configurator
     */
    void AddLinks(Ptr<TsnConfigurator> c) const;
    /**
     * The wired hops of a path through the bridge: from's port, then the bridge's port to to.
     * @param from a wired node or the AP (the frame enters the segment there)
     * @param to a wired node or the AP
     * @param payloadBytes payload per frame (the hop's duration is its Ethernet occupancy)
     * @param firstProcessing TsnHop::processingDelay of the first hop (a hop before it on Wi-Fi)
     * @return the two hops; the bridge's has processingDelay = bridge processing + cable
     */
    std::vector<TsnHop> Hops(uint32_t from,
                             uint32_t to,
                             uint32_t payloadBytes,
                             Time firstProcessing = Time(-1)) const;
    /**
     * Installs gate control lists from a computed configurator on every bridge port (bridge
     * clock) and, in a hybrid cell, on the end stations' ports (their own clocks); a port
     * without windows gets an all-open list of the cycle.
     * @param c the configurator (null: every gate open)
     * @param cycle the cycle of the all-open lists
     */
    void UseSchedule(Ptr<TsnConfigurator> c, Time cycle);
    /// @param cb how frames from the wire enter the BSS at the AP (e.g. through its shaper)
    void SetBssSendCallback(BssSendCallback cb);

    /// @param node a node @return it is an Ethernet end station on the bridge
    bool IsWired(uint32_t node) const;
    /// @param node a wired node @return its port's MAC address
    Mac48Address GetAddress(uint32_t node) const;

    /**
     * Sends a payload from a wired node, or from the AP out of its Ethernet port.
     * @param node the sender
     * @param payload the payload (with its tags)
     * @param dst destination address
     * @param etherType EtherType
     */
    void Send(uint32_t node, Ptr<Packet> payload, Mac48Address dst, uint16_t etherType);

    /**
     * Fills in the wired facts of a delivery (docs/protocol.md): radio 2 when the whole path is
     * wired, hops (links: 2 via the bridge, 3 with a Wi-Fi hop), SINR NaN and MCS 0 when the last
     * hop is a wire. Deliveries not touching the segment are unchanged.
     * @param d the delivery
     */
    void Annotate(twinproto::DeliveryRecord& d) const;

    /// @return READY facts: rate, delays, port addresses, each wired stream's schedule
    nlohmann::json Info() const;

  private:
    /// @param node a node @return the link name of its port towards the bridge
    std::string Uplink(uint32_t node) const;
    /// @param node a node @return the link name of the bridge's port towards it
    std::string Downlink(uint32_t node) const;
    /// @return the bridge's traffic class of a frame
    uint8_t FrameTc(Ptr<const Packet> frame) const;
    /// Computes the bridge ports' gate control lists (wired.qbv, without tsn.qbv).
    void Configure();
    /// A frame arrived at a node's port (wired node or the AP).
    void Receive(uint32_t node, Ptr<const Packet> frame);
    /// A link-local frame (gPTP) arrived at a bridge port.
    void ReceiveLinkLocal(uint32_t port, Ptr<const Packet> frame);
    /// Sends an Ethernet frame out of a node's port (through its shaper once started).
    void SendFromPort(uint32_t node, Ptr<Packet> frame, uint8_t tc);
    /**
     * A gPTP port on one end of a link, timestamped at the device's PHY traces.
     * @param dev the device
     * @param role its role
     * @param send sends one encapsulated gPTP frame out of that end
     * @return the port
     */
    Ptr<GptpPort> MakeGptpPort(Ptr<PointToPointNetDevice> dev,
                               GptpPort::Role role,
                               std::function<void(Ptr<Packet>)> send) const;
    /// @return a gate control list with every gate open for the cycle
    static Ptr<GateControlList> AllOpen(Time cycle);
    /// @return the node's NIC shaper (hybrid) or null
    Ptr<TimeAwareShaper> NicShaper(uint32_t node) const;

    CellDescription m_desc;
    NodeContainer m_nodes;
    uint32_t m_ap;
    Ptr<Node> m_bridgeNode;
    Ptr<TsnBridge> m_bridge;
    std::vector<Ptr<PointToPointNetDevice>> m_ports; ///< by node: its port (null: none)
    std::vector<uint32_t> m_bridgePort;              ///< by node: the bridge's port to it
    std::vector<int> m_streamOfFlow;                 ///< index in wired.qbv.streams or -1
    Ptr<WifiNetDevice> m_apWifi;                     ///< the AP's Wi-Fi device
    std::vector<Mac48Address> m_wifiAddress;         ///< by node (Wi-Fi nodes)
    Ptr<TsnConfigurator> m_configurator;             ///< wired.qbv or the hybrid schedule
    Ptr<LocalClock> m_clock;                         ///< the bridge's clock (ideal without tsn)
    Ptr<GptpInstance> m_bridgeGptp;                  ///< the bridge's PTP Instance (tsn)
    std::vector<Ptr<LocalClock>> m_clocks;           ///< the nodes' clocks (tsn)
    std::vector<Ptr<GptpInstance>> m_gptp;           ///< the nodes' PTP Instances (tsn)
    uint32_t m_grandmaster{0};                       ///< grandmaster's node index (tsn)
    std::vector<Ptr<GptpPort>> m_nodeGptp;           ///< by node: gPTP port of its port
    std::vector<Ptr<GptpPort>> m_bridgeGptpPorts;    ///< by bridge port
    std::vector<Ptr<TimeAwareShaper>> m_nicShapers;  ///< by node (hybrid): its port's shaper
    bool m_hybrid{false};                            ///< tsn.qbv: one schedule with the BSS
    BssSendCallback m_bssSend;                       ///< frames from the wire into the BSS
    DeliverCallback m_deliver;
    DropCallback m_drop;
};

} // namespace ns3

#endif // FABTWIN_CELL_WIRED_H
