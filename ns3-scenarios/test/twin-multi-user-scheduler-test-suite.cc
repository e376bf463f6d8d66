#include "flow-tag.h"
#include "latency-split-tracker.h"
#include "twin-multi-user-scheduler.h"

#include "ns3/packet.h"
#include "ns3/test.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mpdu.h"
#include "ns3/wifi-psdu.h"

#include <string>
#include <vector>

using namespace ns3;

/// @return whether text contains part
static bool
Contains(const std::string& text, const std::string& part)
{
    return text.find(part) != std::string::npos;
}

/// RU sizes and counts per channel width follow the HE tone plan, IEEE 802.11ax-2021 27.3.2.2.
class TwinMuRuRulesTestCase : public TestCase
{
  public:
    TwinMuRuRulesTestCase()
        : TestCase("External MU schedule: RU sizes and counts per channel width")
    {
    }

  private:
    void DoRun() override
    {
        using S = TwinMultiUserScheduler;
        NS_TEST_ASSERT_MSG_EQ((S::AllowedRuTones(20) == std::vector<uint16_t>{26, 52, 106, 242}),
                              true,
                              "20 MHz sizes");
        NS_TEST_ASSERT_MSG_EQ(S::AllowedRuTones(40).back(), 484, "40 MHz largest RU");
        NS_TEST_ASSERT_MSG_EQ(S::AllowedRuTones(160).back(), 996, "160 MHz largest single RU");
        NS_TEST_ASSERT_MSG_EQ(S::RuTypeOfTones(27).has_value(), false, "27 tones is no RU");
        // Maximum number of RUs per size: 26-tone 9/18/37/74, 52-tone 4/8/16/32, 106-tone
        // 2/4/8/16, 242-tone 1/2/4/8 in 20/40/80/160 MHz.
        const std::vector<std::pair<uint16_t, std::vector<std::size_t>>> maxRus = {
            {26, {9, 18, 37, 74}}, {52, {4, 8, 16, 32}}, {106, {2, 4, 8, 16}}, {242, {1, 2, 4, 8}}};
        const std::vector<MHz_u> widths = {20, 40, 80, 160};
        for (const auto& [tones, counts] : maxRus)
        {
            for (std::size_t w = 0; w < widths.size(); ++w)
            {
                std::vector<uint16_t> fits(counts[w], tones);
                NS_TEST_ASSERT_MSG_EQ(S::CheckRuRequest(widths[w], fits),
                                      "",
                                      counts[w] << " x " << tones << " in " << widths[w]);
                fits.push_back(tones);
                NS_TEST_ASSERT_MSG_EQ(Contains(S::CheckRuRequest(widths[w], fits), "do not fit"),
                                      true,
                                      counts[w] + 1 << " x " << tones << " in " << widths[w]);
            }
        }
        NS_TEST_ASSERT_MSG_EQ(Contains(S::CheckRuRequest(20, {484}),
                                       "ru_tones 484: allowed for a 20 "
                                       "MHz channel: 26, 52, 106, 242"),
                              true,
                              "484 in 20 MHz");
        NS_TEST_ASSERT_MSG_EQ(
            Contains(S::CheckRuRequest(20, {26, 52}), "RUs of one size"), true, "mixed sizes");
    }
};

/// A PSDU of one QoS Data MPDU (TID 6, AC_VO), tagged with (flow, seq) when tagged is true.
static Ptr<const WifiPsdu>
VoDataPsdu(bool tagged)
{
    Ptr<Packet> p = Create<Packet>(100);
    if (tagged)
    {
        p->AddPacketTag(FlowTag(1, 42, 0));
    }
    WifiMacHeader hdr(WIFI_MAC_QOSDATA);
    hdr.SetQosTid(6);
    return Create<WifiPsdu>(Create<WifiMpdu>(p, hdr), true);
}

/// The latency split of one packet over two hops with one retry, by hand.
class LatencySplitTestCase : public TestCase
{
  public:
    LatencySplitTestCase()
        : TestCase("Latency split: queue, access, air and retries over two hops")
    {
    }

  private:
    void DoRun() override
    {
        LatencySplitTracker t;
        t.Reset(3, 2, true);
        WifiConstPsduMap mine{{SU_STA_ID, VoDataPsdu(true)}};
        WifiConstPsduMap other{{SU_STA_ID, VoDataPsdu(false)}};
        // Hop 1, station (node 1): enqueued at 0; first PPDU at 100 us for 50 us (access 100),
        // failed; retry at 300 us for 50 us (access + 300 - 150).
        t.NotifyEnqueue(1, 42, true, MicroSeconds(0));
        t.NotifyPpdu(1, mine, MicroSeconds(50), MicroSeconds(100));
        t.NotifyPpdu(1, mine, MicroSeconds(50), MicroSeconds(300));
        // Hop 2, AP (node 0): enqueued at 360 us while the AP's previous VO data PPDU runs until
        // 400 us (queue 40); its own PPDU starts at 450 us (access 50) for 60 us.
        t.NotifyEnqueue(1, 42, false, MicroSeconds(360));
        t.NotifyPpdu(0, other, MicroSeconds(40), MicroSeconds(360));
        t.NotifyPpdu(0, mine, MicroSeconds(60), MicroSeconds(450));
        auto s = t.Take(1, 42);
        NS_TEST_ASSERT_MSG_EQ(s.has_value(), true, "split known");
        NS_TEST_ASSERT_MSG_EQ(s->queueNs, 40000, "queue");
        NS_TEST_ASSERT_MSG_EQ(s->accessNs, 100000 + 150000 + 50000, "access");
        NS_TEST_ASSERT_MSG_EQ(s->airNs, 50000 + 50000 + 60000, "air");
        NS_TEST_ASSERT_MSG_EQ(s->retries, 1u, "retries");
        NS_TEST_ASSERT_MSG_EQ(t.Take(1, 42).has_value(), false, "taken once");
        // More packets in flight than slots: the ring grows and keeps every one.
        t.Reset(3, 2, true);
        for (uint32_t seq = 0; seq < 5000; ++seq)
        {
            t.NotifyEnqueue(0, seq, true, MicroSeconds(seq));
        }
        NS_TEST_ASSERT_MSG_EQ(t.Capacity(), 8192u, "ring grew to the next power of two");
        t.NotifyPpdu(0, mine, MicroSeconds(1), MicroSeconds(6000));
        NS_TEST_ASSERT_MSG_EQ(t.Take(0, 4999).has_value(), false, "untransmitted");
    }
};

/// The suite.
class TwinMultiUserSchedulerTestSuite : public TestSuite
{
  public:
    TwinMultiUserSchedulerTestSuite()
        : TestSuite("fabtwin-twin-mu-scheduler", Type::UNIT)
    {
        AddTestCase(new TwinMuRuRulesTestCase, TestCase::Duration::QUICK);
        AddTestCase(new LatencySplitTestCase, TestCase::Duration::QUICK);
    }
};

static TwinMultiUserSchedulerTestSuite g_twinMuSchedulerTestSuite; ///< registers the suite
