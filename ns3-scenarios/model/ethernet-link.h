#ifndef FABTWIN_ETHERNET_LINK_H
#define FABTWIN_ETHERNET_LINK_H

#include "ns3/mac48-address.h"
#include "ns3/node.h"
#include "ns3/nstime.h"
#include "ns3/packet.h"
#include "ns3/point-to-point-net-device.h"

#include <cstdint>
#include <utility>

namespace ns3
{

/**
 * @brief A full-duplex IEEE 802.3 link between two nodes, built from ns-3's
 * PointToPointNetDevice/PointToPointChannel (one transmitter per direction, a FIFO per device)
 * with Ethernet framing and timing:
 *
 * - a frame is header (14 bytes: destination, source, EtherType; 802.3-2022 3.2.3-3.2.6) +
 *   payload + FCS (4 bytes, 3.2.9), carried inside the point-to-point frame, whose 2-byte PPP
 *   header is the device's own;
 * - the last bit reaches the receiver (preamble + SFD 8 bytes, 3.2.1-3.2.2, + frame) x 8 / rate +
 *   propagation delay after the transmission starts: the 6 preamble bytes the PPP header does not
 *   stand for are added to the channel delay;
 * - the transmitter is busy (8 + frame + inter-packet gap 12 bytes, 4.4.2) x 8 / rate per frame:
 *   the device's InterframeGap holds the gap and those 6 bytes.
 *
 * Frames shorter than the 64-byte minimum are not padded (3.2.8; at most 46 bytes, 0.37 us at
 * 1 Gb/s); no bit errors.
 */
class EthernetLink
{
  public:
    /// Preamble (7) + start frame delimiter (1), 802.3-2022 3.2.1-3.2.2.
    static constexpr uint32_t kPreambleBytes = 8;
    /// Destination + source address + Length/Type, 802.3-2022 3.2.3-3.2.6.
    static constexpr uint32_t kHeaderBytes = 14;
    /// Frame check sequence, 802.3-2022 3.2.9.
    static constexpr uint32_t kFcsBytes = 4;
    /// Minimum inter-packet gap: 96 bit times, 802.3-2022 4.4.2.
    static constexpr uint32_t kIfgBytes = 12;
    /// The PPP header of ns-3's PointToPointNetDevice (it stands for 2 preamble bytes).
    static constexpr uint32_t kPppBytes = 2;
    /// Protocol number handed to the point-to-point device: a carrier value (IPv4, one of the two
    /// it accepts); the real EtherType is in the Ethernet header inside.
    static constexpr uint16_t kCarrierProtocol = 0x0800;

    /**
     * Connects two nodes.
     * @param a one end
     * @param b the other end
     * @param rateBps link rate in bit/s
     * @param delay propagation delay
     * @param queuePackets transmit FIFO size of each device
     * @return the devices at a and at b
     */
    static std::pair<Ptr<PointToPointNetDevice>, Ptr<PointToPointNetDevice>> Install(
        Ptr<Node> a, Ptr<Node> b, double rateBps, Time delay, uint32_t queuePackets);

    /**
     * @param frameBytes header + payload + FCS
     * @param rateBps link rate
     * @return time the transmitter is busy with the frame (preamble and gap included)
     */
    static Time Occupancy(uint32_t frameBytes, double rateBps);

    /**
     * @param payloadBytes payload (MAC client data)
     * @param rateBps link rate
     * @param delay propagation delay
     * @return from the start of transmission to the reception of the last bit
     */
    static Time Latency(uint32_t payloadBytes, double rateBps, Time delay);

    /// @param bytes a byte count @param rateBps a rate @return their serialization time
    static Time Bits(uint32_t bytes, double rateBps);

    /**
     * Adds the Ethernet header and FCS.
     * @param packet the payload, becomes the frame
     * @param src source address
     * @param dst destination address
     * @param etherType EtherType
     */
    static void Encapsulate(Ptr<Packet> packet,
                            Mac48Address src,
                            Mac48Address dst,
                            uint16_t etherType);

    /**
     * Reads the Ethernet header of a frame without removing it.
     * @param frame the frame
     * @param src set to its source
     * @param dst set to its destination
     * @return its EtherType
     */
    static uint16_t Peek(Ptr<const Packet> frame, Mac48Address& src, Mac48Address& dst);

    /**
     * Removes the Ethernet header and FCS.
     * @param frame the frame, becomes the payload
     * @param src set to its source
     * @param dst set to its destination
     * @return its EtherType
     */
    static uint16_t Decapsulate(Ptr<Packet> frame, Mac48Address& src, Mac48Address& dst);
};

} // namespace ns3

#endif // FABTWIN_ETHERNET_LINK_H
