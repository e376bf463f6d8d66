#include "gate-control-list.h"
#include "tsn-configurator.h"

#include "ns3/nstime.h"
#include "ns3/test.h"

#include <algorithm>
#include <string>

using namespace ns3;

namespace
{
/// A BSS (AP 0, stations 1-4) and a wired segment AP 0 - bridge 5 - PLC 6.
Ptr<TsnConfigurator>
MakeCell()
{
    Ptr<TsnConfigurator> c = CreateObject<TsnConfigurator>();
    c->AddLink("bss", {0, 1, 2, 3, 4});
    c->AddLink("ap-bridge", {0, 5});
    c->AddLink("bridge-plc", {5, 6});
    return c;
}

/// A one-hop station -> AP stream.
TsnStreamRequirement
Uplink(const std::string& name, uint32_t sta, Time period, Time airtime)
{
    return TsnStreamRequirement{name, sta, 0, period, 100, period, {{"bss", sta, airtime}}};
}
} // namespace

/// Five 200 us uplink streams every 1 ms need 5 x (200 + 4 sync margin + 4 guard) = 1040 us of
/// the BSS per 1 ms: the fifth is rejected, naming itself, the link and the 40 us excess.
class ConfiguratorOversubscribedTestCase : public TestCase
{
  public:
    ConfiguratorOversubscribedTestCase()
        : TestCase("an over-subscribed stream set is rejected with stream, link and excess")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TsnConfigurator> c = MakeCell();
        for (uint32_t i = 1; i <= 4; ++i)
        {
            c->AddStream(Uplink("s" + std::to_string(i), i, MilliSeconds(1), MicroSeconds(200)));
        }
        NS_TEST_ASSERT_MSG_EQ(c->Compute(), true, "four streams fit: " << c->GetError());
        c->AddStream(Uplink("s5", 1, MilliSeconds(1), MicroSeconds(200)));
        NS_TEST_ASSERT_MSG_EQ(c->Compute(), false, "five streams do not fit");
        const std::string err = c->GetError();
        NS_TEST_ASSERT_MSG_NE(err.find("stream s5"), std::string::npos, err);
        NS_TEST_ASSERT_MSG_NE(err.find("link bss"), std::string::npos, err);
        NS_TEST_ASSERT_MSG_NE(err.find("by 40us"), std::string::npos, err);

        // A latency that the windows cannot meet is rejected with the amount too.
        Ptr<TsnConfigurator> tight = MakeCell();
        tight->AddStream(TsnStreamRequirement{"tight",
                                              1,
                                              6,
                                              MilliSeconds(1),
                                              100,
                                              MicroSeconds(140),
                                              {{"bss", 1, MicroSeconds(100)},
                                               {"ap-bridge", 0, MicroSeconds(12)},
                                               {"bridge-plc", 5, MicroSeconds(12)}}});
        // Bound: (a2 + L2) - a0 + e = (134 + 16) - 4 + 2 = 148 us with a0 = g = 4 us, L0 = 104,
        // a1 = 108 + 5 (processing), L1 = 16, a2 = 129 + 5: 8 us over.
        NS_TEST_ASSERT_MSG_EQ(tight->Compute(), false, "140 us max latency is infeasible");
        NS_TEST_ASSERT_MSG_NE(tight->GetError().find("stream tight: latency bound 148us exceeds "
                                                     "its max latency 140us by 8us"),
                              std::string::npos,
                              tight->GetError());
        // An undeclared link is named.
        Ptr<TsnConfigurator> bad = MakeCell();
        bad->AddStream(TsnStreamRequirement{
            "x", 1, 0, MilliSeconds(1), 100, MilliSeconds(1), {{"nowhere", 1, MicroSeconds(10)}}});
        NS_TEST_ASSERT_MSG_EQ(bad->Compute(), false, "unknown link");
        NS_TEST_ASSERT_MSG_NE(
            bad->GetError().find("link nowhere"), std::string::npos, bad->GetError());
    }
};

/// A feasible hybrid wired/wireless set: windows (with guards) never overlap on any link, hops
/// follow each other, latency bounds hold, and every port's GCL opens the scheduled gate only in
/// its own windows and closes every gate in the others' windows and in guards.
class ConfiguratorFeasibleTestCase : public TestCase
{
  public:
    ConfiguratorFeasibleTestCase()
        : TestCase("a feasible set yields non-overlapping windows and matching GCLs")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TsnConfigurator> c = MakeCell();
        const Time e = MicroSeconds(2); // SyncErrorBound default
        // Station 1 -> AP -> bridge -> PLC, every 1 ms.
        c->AddStream(TsnStreamRequirement{"sensor",
                                          1,
                                          6,
                                          MilliSeconds(1),
                                          100,
                                          MicroSeconds(500),
                                          {{"bss", 1, MicroSeconds(100)},
                                           {"ap-bridge", 0, MicroSeconds(12)},
                                           {"bridge-plc", 5, MicroSeconds(12)}}});
        // PLC -> bridge -> AP -> station 2, every 1 ms.
        c->AddStream(TsnStreamRequirement{"command",
                                          6,
                                          2,
                                          MilliSeconds(1),
                                          100,
                                          MicroSeconds(500),
                                          {{"bridge-plc", 6, MicroSeconds(12)},
                                           {"ap-bridge", 5, MicroSeconds(12)},
                                           {"bss", 0, MicroSeconds(120)}}});
        c->AddStream(Uplink("camera", 3, MilliSeconds(2), MicroSeconds(150)));
        // Station 4 -> AP -> station 1 crosses the BSS twice, every 500 us.
        c->AddStream(
            TsnStreamRequirement{"peer",
                                 4,
                                 1,
                                 MicroSeconds(500),
                                 100,
                                 MicroSeconds(400),
                                 {{"bss", 4, MicroSeconds(60)}, {"bss", 0, MicroSeconds(60)}}});
        NS_TEST_ASSERT_MSG_EQ(c->Compute(), true, c->GetError());
        const Time hyper = c->GetHypercycle();
        NS_TEST_ASSERT_MSG_EQ(hyper, MilliSeconds(2), "hypercycle = lcm(0.5, 1, 2) ms");

        for (const std::string link : {"bss", "ap-bridge", "bridge-plc"})
        {
            auto w = c->GetWindows(link);
            NS_TEST_ASSERT_MSG_GT(w.size(), 0u, link);
            for (size_t i = 0; i < w.size(); ++i)
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(w[i].open - w[i].guard, Time(0), link << " start");
                NS_TEST_ASSERT_MSG_LT_OR_EQ(w[i].open + w[i].length, hyper, link << " end");
                if (i + 1 < w.size())
                {
                    NS_TEST_ASSERT_MSG_LT_OR_EQ(w[i].open + w[i].length,
                                                w[i + 1].open - w[i + 1].guard,
                                                link << ": " << w[i].stream << " overlaps "
                                                     << w[i + 1].stream);
                }
            }
        }
        for (const std::string s : {"sensor", "command", "camera", "peer"})
        {
            const auto& sched = c->GetSchedule(s);
            const Time maxLatency =
                s == std::string("peer") ? MicroSeconds(400) : MicroSeconds(500);
            NS_TEST_ASSERT_MSG_LT_OR_EQ(sched.latencyBound, maxLatency, s << " latency bound");
            for (size_t h = 1; h < sched.windows.size(); ++h)
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(sched.windows[h].open,
                                            sched.windows[h - 1].open + sched.windows[h - 1].length,
                                            s << " hop " << h << " before the previous ends");
            }
        }
        NS_TEST_ASSERT_MSG_EQ(c->GetSchedule("sensor").windows[0].length,
                              MicroSeconds(100) + 2 * e,
                              "window = frame + 2e");

        // GCL of every port on every link vs the windows, probed inside each window and guard.
        for (const auto& [node, link] : c->GetPorts())
        {
            Ptr<GateControlList> gcl = c->GetGateControlList(node, link);
            std::string why;
            NS_TEST_ASSERT_MSG_EQ(gcl->Validate(&why), true, why);
            NS_TEST_ASSERT_MSG_EQ(gcl->GetCycleTime(), hyper, "cycle");
            for (const auto& w : c->GetWindows(link))
            {
                const uint8_t inWindow = gcl->GetGateStates(w.open + w.length / 2);
                const uint8_t inGuard = gcl->GetGateStates(w.open - w.guard / 2);
                const uint8_t expect = node == w.txNode ? 0x80 : 0x00;
                NS_TEST_ASSERT_MSG_EQ(+inWindow, +expect, "node " << node << " in " << w.stream);
                NS_TEST_ASSERT_MSG_EQ(+inGuard, 0, "node " << node << " guard of " << w.stream);
            }
        }
        // Best effort gets the rest of the cycle.
        Ptr<GateControlList> sta2 = c->GetGateControlList(2, "bss");
        Time beOpen(0);
        for (const auto& entry : sta2->GetEntries())
        {
            if (entry.gateStates == 0x7F)
            {
                beOpen += entry.duration;
            }
        }
        NS_TEST_ASSERT_MSG_GT(beOpen, MicroSeconds(800), "best-effort time on the BSS per 2 ms");
    }
};

/// The suite.
/// One schedule over a Wi-Fi hop and two wired hops with per-link timing (docs/tsn.md, "Hybrid
/// wired/wireless TSN"): the BSS keeps e = 2 us and a 100 us GuardBand, the Ethernet links get
/// e = 100 ns and no GuardBand, each hop its own processing delay. By hand: bss a0 = g0 = 2e +
/// 100 us = 104 us, L0 = 200 + 4 = 204 us; hop 1 opens at a0 + L0 - e0 + p1 + e1 = 104 + 204 - 2
/// + 5 + 0.1 = 311.1 us (L1 = 1.2 + 0.2 = 1.4 us, guard 200 ns); hop 2 at 311.1 + 1.4 - 0.1 +
/// 1.05 + 0.1 = 313.55 us; bound a2 + L2 - a0 + e0 = 313.55 + 1.4 - 104 + 2 = 212.95 us.
class ConfiguratorPerLinkTimingTestCase : public TestCase
{
  public:
    ConfiguratorPerLinkTimingTestCase()
        : TestCase("per-link sync error and guard, per-hop processing delay (hybrid paths)")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<TsnConfigurator> c = CreateObject<TsnConfigurator>();
        c->SetAttribute("GuardBand", TimeValue(MicroSeconds(100)));
        c->AddLink("bss", {0, 1});
        c->AddLink("ap>bridge", {0});
        c->AddLink("bridge>plc", {5});
        c->SetLinkTiming("ap>bridge", NanoSeconds(100), Time(0));
        c->SetLinkTiming("bridge>plc", NanoSeconds(100), Time(0));
        TsnStreamRequirement r{"state", 1, 6, MilliSeconds(1), 100, MilliSeconds(1), {}};
        r.path = {TsnHop{"bss", 1, MicroSeconds(200)},
                  TsnHop{"ap>bridge", 0, NanoSeconds(1200), MicroSeconds(5)},
                  TsnHop{"bridge>plc", 5, NanoSeconds(1200), NanoSeconds(1050)}};
        c->AddStream(r);
        NS_TEST_ASSERT_MSG_EQ(c->Compute(), true, c->GetError());
        const auto& s = c->GetSchedule("state");
        NS_TEST_ASSERT_MSG_EQ(s.talkerOffset, MicroSeconds(104), "a0 = 2e + GuardBand");
        NS_TEST_ASSERT_MSG_EQ(s.windows[1].open, NanoSeconds(311100), "hop 1");
        NS_TEST_ASSERT_MSG_EQ(s.windows[2].open, NanoSeconds(313550), "hop 2");
        NS_TEST_ASSERT_MSG_EQ(s.windows[2].length, NanoSeconds(1400), "d + 2e of the wire");
        NS_TEST_ASSERT_MSG_EQ(s.windows[2].guard, NanoSeconds(200), "2e, no GuardBand");
        NS_TEST_ASSERT_MSG_EQ(s.latencyBound, NanoSeconds(212950), "bound");
        const auto gcl = c->GetGateControlList(5, "bridge>plc");
        const auto& e = gcl->GetEntries();
        NS_TEST_ASSERT_MSG_EQ(e.size(), 4, "open, guard, window, open");
        NS_TEST_ASSERT_MSG_EQ(e[0].duration, NanoSeconds(313350), "best effort to the guard");
        NS_TEST_ASSERT_MSG_EQ(+e[1].gateStates, 0, "guard: all closed");
        NS_TEST_ASSERT_MSG_EQ(+e[2].gateStates, 0x80, "window: class 7");
        NS_TEST_ASSERT_MSG_EQ(e[2].duration, NanoSeconds(1400), "window length");
    }
};

class TsnConfiguratorTestSuite : public TestSuite
{
  public:
    TsnConfiguratorTestSuite()
        : TestSuite("fabtwin-tsn-configurator", Type::UNIT)
    {
        AddTestCase(new ConfiguratorOversubscribedTestCase, TestCase::Duration::QUICK);
        AddTestCase(new ConfiguratorFeasibleTestCase, TestCase::Duration::QUICK);
        AddTestCase(new ConfiguratorPerLinkTimingTestCase, TestCase::Duration::QUICK);
    }
};

static TsnConfiguratorTestSuite g_tsnConfiguratorTestSuite; ///< registers the suite
