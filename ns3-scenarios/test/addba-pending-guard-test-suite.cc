#include "addba-pending-guard.h"

#include "ns3/block-ack-manager.h"
#include "ns3/boolean.h"
#include "ns3/mgt-action-headers.h"
#include "ns3/mobility-helper.h"
#include "ns3/nstime.h"
#include "ns3/qos-txop.h"
#include "ns3/simulator.h"
#include "ns3/test.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/yans-wifi-helper.h"

using namespace ns3;

namespace
{

/// One QoS MAC (ad hoc, 802.11ax) to host the Block Ack agreements under test.
Ptr<WifiMac>
MakeQosMac(NodeContainer& nodes)
{
    nodes.Create(1);
    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac", "QosSupported", BooleanValue(true));
    NetDeviceContainer devices = wifi.Install(phy, mac, nodes);
    MobilityHelper mobility;
    mobility.Install(nodes);
    return DynamicCast<WifiNetDevice>(devices.Get(0))->GetMac();
}

/// An ADDBA Request header for @p tid, as an originator would send it (IEEE 802.11-2020 9.6.4.2).
MgtAddBaRequestHeader
Request(uint8_t tid)
{
    MgtAddBaRequestHeader req;
    req.SetImmediateBlockAck();
    req.SetTid(tid);
    req.SetBufferSize(64);
    req.SetTimeout(0);
    req.SetStartingSequence(0);
    return req;
}

} // namespace

/**
 * An agreement left pending (created, its request never sent: the ns-3 3.44 case) is released
 * after MaxPending as unanswered; one that is gone before then is left alone.
 */
class AddBaPendingGuardTestCase : public TestCase
{
  public:
    AddBaPendingGuardTestCase()
        : TestCase("AddBaPendingGuard releases a stuck pending agreement after MaxPending")
    {
    }

  private:
    void DoRun() override
    {
        NodeContainer nodes;
        Ptr<WifiMac> mac = MakeQosMac(nodes);
        auto guard = CreateObject<AddBaPendingGuard>();
        guard->SetAttribute("MaxPending", TimeValue(MilliSeconds(100)));
        guard->Install(mac);
        uint32_t traced = 0;
        guard->TraceConnectWithoutContext(
            "Released", MakeCallback(+[](uint32_t* n, Mac48Address, Mac48Address, uint8_t) {
                            ++*n;
                        }).Bind(&traced));

        const Mac48Address stuck("00:00:00:00:00:07");
        const Mac48Address gone("00:00:00:00:00:08");
        const uint8_t tid = 6; // AC_VO (IEEE 802.11-2020 Table 10-1)
        Ptr<BlockAckManager> ba = mac->GetQosTxop(AC_VO)->GetBaManager();
        Simulator::Schedule(MilliSeconds(10),
                            [=]()
                            {
                                ba->CreateOriginatorAgreement(Request(tid), stuck);
                                ba->CreateOriginatorAgreement(Request(tid), gone);
                            });
        // The second agreement ends (a DELBA, say) before MaxPending.
        Simulator::Schedule(MilliSeconds(50),
                            [=]() { ba->DestroyOriginatorAgreement(gone, tid, std::nullopt); });
        bool pendingBefore = false;
        Simulator::Schedule(MilliSeconds(109),
                            [&]()
                            {
                                auto a = ba->GetAgreementAsOriginator(stuck, tid);
                                pendingBefore = a && a->get().IsPending();
                            });
        bool noReplyAfter = false;
        Simulator::Schedule(MilliSeconds(111),
                            [&]()
                            {
                                auto a = ba->GetAgreementAsOriginator(stuck, tid);
                                noReplyAfter = a && a->get().IsNoReply();
                            });
        Simulator::Stop(MilliSeconds(150));
        Simulator::Run();
        Simulator::Destroy();

        NS_TEST_ASSERT_MSG_EQ(pendingBefore, true, "left alone until MaxPending");
        NS_TEST_ASSERT_MSG_EQ(noReplyAfter, true, "released as unanswered at MaxPending");
        NS_TEST_ASSERT_MSG_EQ(guard->GetReleased(), 1u, "only the stuck agreement is released");
        NS_TEST_ASSERT_MSG_EQ(traced, 1u, "the Released trace fired once");
    }
};

/// The suite.
class AddBaPendingGuardTestSuite : public TestSuite
{
  public:
    AddBaPendingGuardTestSuite()
        : TestSuite("fabtwin-addba-pending-guard", Type::UNIT)
    {
        AddTestCase(new AddBaPendingGuardTestCase, TestCase::Duration::QUICK);
    }
};

static AddBaPendingGuardTestSuite g_addBaPendingGuardTestSuite; ///< registers the suite
