#ifndef FABTWIN_CELL_WIRED_H
#define FABTWIN_CELL_WIRED_H

#include "cell-description.h"

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
 * "<node>>bridge" and "bridge><node>"; the bridge's gates run on an ideal clock (the grandmaster's
 * time; gPTP over Ethernet is not modelled) and end stations send unshaped. Scheduled frames are
 * traffic class 7, others class by user priority (802.1Q-2018 Table 8-5, at most 6).
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
     * Starts the port shapers; cycles start at twin time 0.
     * @param t0 simulation time of twin time 0
     */
    void Start(Time t0);

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
    /// Computes the bridge ports' gate control lists (wired.qbv).
    void Configure();
    /// A frame arrived at a node's port (wired node or the AP).
    void Receive(uint32_t node, Ptr<const Packet> frame);

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
    Ptr<TsnConfigurator> m_configurator;             ///< wired.qbv
    Ptr<LocalClock> m_clock;                         ///< the bridge's (ideal) clock
    DeliverCallback m_deliver;
    DropCallback m_drop;
};

} // namespace ns3

#endif // FABTWIN_CELL_WIRED_H
