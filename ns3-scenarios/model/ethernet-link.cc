#include "ethernet-link.h"

#include "ns3/data-rate.h"
#include "ns3/drop-tail-queue.h"
#include "ns3/ethernet-header.h"
#include "ns3/ethernet-trailer.h"
#include "ns3/log.h"
#include "ns3/point-to-point-channel.h"
#include "ns3/queue-size.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("EthernetLink");

Time
EthernetLink::Bits(uint32_t bytes, double rateBps)
{
    return NanoSeconds(std::llround(bytes * 8.0 * 1e9 / rateBps));
}

Time
EthernetLink::Occupancy(uint32_t frameBytes, double rateBps)
{
    return Bits(kPreambleBytes + frameBytes + kIfgBytes, rateBps);
}

Time
EthernetLink::Latency(uint32_t payloadBytes, double rateBps, Time delay)
{
    return Bits(kPreambleBytes + kHeaderBytes + payloadBytes + kFcsBytes, rateBps) + delay;
}

std::pair<Ptr<PointToPointNetDevice>, Ptr<PointToPointNetDevice>>
EthernetLink::Install(Ptr<Node> a, Ptr<Node> b, double rateBps, Time delay, uint32_t queuePackets)
{
    // The device sends PPP header + frame in (2 + frame) x 8 / rate; the channel adds the other 6
    // preamble bytes to the propagation delay, the device's gap adds them and the 12-byte gap.
    auto channel = CreateObject<PointToPointChannel>();
    channel->SetAttribute("Delay", TimeValue(delay + Bits(kPreambleBytes - kPppBytes, rateBps)));
    auto make = [&](Ptr<Node> node)
    {
        auto dev = CreateObject<PointToPointNetDevice>();
        dev->SetAddress(Mac48Address::Allocate());
        dev->SetDataRate(DataRate(static_cast<uint64_t>(rateBps)));
        dev->SetInterframeGap(Bits(kPreambleBytes - kPppBytes + kIfgBytes, rateBps));
        auto queue = CreateObject<DropTailQueue<Packet>>();
        queue->SetMaxSize(QueueSize(QueueSizeUnit::PACKETS, queuePackets));
        dev->SetQueue(queue);
        node->AddDevice(dev);
        dev->Attach(channel);
        return dev;
    };
    auto da = make(a);
    auto db = make(b);
    return {da, db};
}

void
EthernetLink::Encapsulate(Ptr<Packet> packet,
                          Mac48Address src,
                          Mac48Address dst,
                          uint16_t etherType)
{
    EthernetHeader header(false);
    header.SetSource(src);
    header.SetDestination(dst);
    header.SetLengthType(etherType);
    packet->AddHeader(header);
    EthernetTrailer fcs;
    packet->AddTrailer(fcs);
}

uint16_t
EthernetLink::Peek(Ptr<const Packet> frame, Mac48Address& src, Mac48Address& dst)
{
    EthernetHeader header(false);
    frame->PeekHeader(header);
    src = header.GetSource();
    dst = header.GetDestination();
    return header.GetLengthType();
}

uint16_t
EthernetLink::Decapsulate(Ptr<Packet> frame, Mac48Address& src, Mac48Address& dst)
{
    EthernetHeader header(false);
    frame->RemoveHeader(header);
    EthernetTrailer fcs;
    frame->RemoveTrailer(fcs);
    src = header.GetSource();
    dst = header.GetDestination();
    return header.GetLengthType();
}

} // namespace ns3
