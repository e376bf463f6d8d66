#include "ethernet-link.h"
#include "gate-control-list.h"
#include "local-clock.h"
#include "tsn-bridge.h"

#include "ns3/node.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <vector>

using namespace ns3;

namespace
{

/// A wired end station: its port and the reception times of its frames.
struct Station
{
    Ptr<Node> node;
    Ptr<PointToPointNetDevice> port;
    std::vector<Time> rx;
};

/// Two stations on one bridge at 1 Gb/s, 50 ns cables, 1 us processing.
struct Segment
{
    Ptr<Node> bridgeNode;
    Ptr<TsnBridge> bridge;
    Station a;
    Station b;
    uint32_t portB{0};

    Segment()
    {
        bridgeNode = CreateObject<Node>();
        bridge = CreateObject<TsnBridge>();
        bridge->SetAttribute("ProcessingDelay", TimeValue(MicroSeconds(1)));
        for (Station* s : {&a, &b})
        {
            s->node = CreateObject<Node>();
            auto [end, side] =
                EthernetLink::Install(s->node, bridgeNode, 1e9, NanoSeconds(50), 100);
            s->port = end;
            const uint32_t port = bridge->AddPort(side);
            portB = port;
            bridge->AddStaticEntry(Mac48Address::ConvertFrom(end->GetAddress()), port);
            end->SetReceiveCallback(NetDevice::ReceiveCallback(
                [s](Ptr<NetDevice>, Ptr<const Packet>, uint16_t, const Address&)
                {
                    s->rx.push_back(Simulator::Now());
                    return true;
                }));
        }
    }

    /// Sends a payload of size bytes from a to b at time at.
    void SendAt(Time at, uint32_t size)
    {
        Simulator::Schedule(
            at,
            [this, size]()
            {
                Ptr<Packet> p = Create<Packet>(size);
                EthernetLink::Encapsulate(p,
                                          Mac48Address::ConvertFrom(a.port->GetAddress()),
                                          Mac48Address::ConvertFrom(b.port->GetAddress()),
                                          0x88B5);
                a.port->Send(p, a.port->GetBroadcast(), EthernetLink::kCarrierProtocol);
            });
    }
};

} // namespace

/// Store-and-forward latency and port spacing over two 1 Gb/s links, by hand.
class TsnBridgeLatencyTestCase : public TestCase
{
  public:
    TsnBridgeLatencyTestCase()
        : TestCase("a 100 B payload crosses two links and the bridge in 3116 ns")
    {
    }

  private:
    void DoRun() override
    {
        Segment s;
        s.SendAt(MicroSeconds(10), 100);
        s.SendAt(MicroSeconds(10), 100);
        Simulator::Run();
        // Per link: (8 preamble + 14 header + 100 + 4 FCS) x 8 ns + 50 ns = 1058 ns; + 1 us.
        NS_TEST_ASSERT_MSG_EQ(s.b.rx.size(), 2, "both frames arrive");
        NS_TEST_ASSERT_MSG_EQ(s.b.rx[0], MicroSeconds(10) + NanoSeconds(3116), "first frame");
        // The second waits one occupancy (8 + 118 + 12 gap) x 8 = 1104 ns on the first link.
        NS_TEST_ASSERT_MSG_EQ(s.b.rx[1] - s.b.rx[0], NanoSeconds(1104), "port occupancy");
        NS_TEST_ASSERT_MSG_EQ(EthernetLink::Occupancy(118, 1e9), NanoSeconds(1104), "occupancy");
        NS_TEST_ASSERT_MSG_EQ(
            EthernetLink::Latency(100, 1e9, NanoSeconds(50)), NanoSeconds(1058), "one link");
        Simulator::Destroy();
    }
};

/// A gated egress port holds a frame until its window opens.
class TsnBridgeGateTestCase : public TestCase
{
  public:
    TsnBridgeGateTestCase()
        : TestCase("a frame queued while its gate is closed leaves when the window opens")
    {
    }

  private:
    void DoRun() override
    {
        Segment s;
        auto clock = CreateObject<LocalClock>();
        clock->SetAttribute("FrequencyOffset",
                            StringValue("ns3::ConstantRandomVariable[Constant=0]"));
        clock->SetAttribute("WanderInterval", TimeValue(Time(0)));
        auto gcl = CreateObject<GateControlList>();
        gcl->SetCycleTime(MicroSeconds(100));
        gcl->AddEntry(0x00, MicroSeconds(40)); // closed
        gcl->AddEntry(0x01, MicroSeconds(60)); // class 0 open from 40 us
        const double rate = 1e9;
        s.bridge->SetPortGates(s.portB,
                               gcl,
                               clock,
                               TimeAwareShaper::FrameDurationCallback(
                                   [rate](Ptr<const Packet> f, uint8_t)
                                   { return EthernetLink::Occupancy(f->GetSize(), rate); }));
        s.bridge->Start();
        s.SendAt(MicroSeconds(10), 100);    // queued at 12.058 us: waits for 40 us
        s.SendAt(MicroSeconds(150), 100);   // queued at 152.058 us, inside the window: no wait
        Simulator::Stop(MicroSeconds(300)); // the gates cycle for ever
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(s.b.rx.size(), 2, "both frames arrive");
        NS_TEST_ASSERT_MSG_EQ(s.b.rx[0], MicroSeconds(40) + NanoSeconds(1058), "held");
        NS_TEST_ASSERT_MSG_EQ(s.b.rx[1], MicroSeconds(150) + NanoSeconds(3116), "not held");
        Simulator::Destroy();
    }
};

/// The fabtwin-tsn-bridge suite.
class TsnBridgeTestSuite : public TestSuite
{
  public:
    TsnBridgeTestSuite()
        : TestSuite("fabtwin-tsn-bridge", Type::UNIT)
    {
        AddTestCase(new TsnBridgeLatencyTestCase, TestCase::Duration::QUICK);
        AddTestCase(new TsnBridgeGateTestCase, TestCase::Duration::QUICK);
    }
};

static TsnBridgeTestSuite g_tsnBridgeTestSuite; ///< registers the suite
