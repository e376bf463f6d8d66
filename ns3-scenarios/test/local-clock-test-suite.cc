#include "local-clock.h"

#include "ns3/double.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;

namespace
{
/**
 * @param ppm frequency offset
 * @param wander true to keep the default wander
 * @return a clock with a constant frequency offset
 */
Ptr<LocalClock>
MakeClock(double ppm, bool wander = false)
{
    Ptr<LocalClock> clock = CreateObject<LocalClock>();
    clock->SetAttribute(
        "FrequencyOffset",
        StringValue("ns3::ConstantRandomVariable[Constant=" + std::to_string(ppm) + "]"));
    if (!wander)
    {
        clock->SetAttribute("WanderInterval", TimeValue(Seconds(0)));
    }
    return clock;
}
} // namespace

/// Without sync two clocks drift apart at their configured ppm: +40 and -60 ppm give 100 us/s.
class LocalClockDriftTestCase : public TestCase
{
  public:
    LocalClockDriftTestCase()
        : TestCase("free-running clocks drift apart at the configured ppm")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<LocalClock> a = MakeClock(40.0);
        Ptr<LocalClock> b = MakeClock(-60.0);
        std::vector<double> diffs;
        for (int s = 1; s <= 10; ++s)
        {
            Simulator::Schedule(
                Seconds(s),
                [&]()
                { diffs.push_back((a->GetLocalTime() - b->GetLocalTime()).GetNanoSeconds()); });
        }
        Simulator::Run();
        Simulator::Destroy();
        for (size_t i = 0; i < diffs.size(); ++i)
        {
            // (40 - -60) ppm * (i + 1) s = 100 us per second, to the nearest ns.
            NS_TEST_ASSERT_MSG_EQ_TOL(diffs[i], 100000.0 * (i + 1), 1.0, "drift after " << i + 1);
        }
        // Each clock alone: 10 s * (1 + 40e-6) = 10.0004 s.
        NS_TEST_ASSERT_MSG_EQ(a->GetLocalTime(Seconds(10)), NanoSeconds(10000400000), "clock a");
        NS_TEST_ASSERT_MSG_EQ(b->GetLocalTime(Seconds(10)), NanoSeconds(9999400000), "clock b");
    }
};

/// Timestamps are floored to the granularity; local <-> simulation time round trips.
class LocalClockConversionTestCase : public TestCase
{
  public:
    LocalClockConversionTestCase()
        : TestCase("timestamp granularity and sim, local and synchronized conversions")
    {
    }

  private:
    void DoRun() override
    {
        Ptr<LocalClock> c = MakeClock(73.0, true);
        c->SetAttribute("InitialPhase", StringValue("ns3::ConstantRandomVariable[Constant=12345]"));
        c->AssignStreams(11);
        for (int64_t t = 0; t < 3000000000; t += 123456789)
        {
            const double exact = c->GetLocalTimeNs(NanoSeconds(t));
            const int64_t ts = c->GetTimestamp(NanoSeconds(t)).GetNanoSeconds();
            NS_TEST_ASSERT_MSG_EQ(ts % 8, 0, "timestamp not a multiple of 8 ns");
            NS_TEST_ASSERT_MSG_EQ((ts <= exact && exact < ts + 8), true, "timestamp floor");
            // The earliest sim time at which the clock reads L is t (L read at t rounded up).
            const Time back = c->GetSimTime(NanoSeconds(static_cast<int64_t>(std::ceil(exact))));
            NS_TEST_ASSERT_MSG_EQ_TOL(back.GetNanoSeconds(), t, 1, "sim->local->sim at " << t);
        }
        // Synchronized time: S(L) = 5 s + (L - 1 s) * (1 - 50e-6).
        c->SetSyncCorrection(Seconds(1), Seconds(5), 1.0 - 50e-6);
        const double l = c->GetLocalTimeNs(Seconds(2));
        const double s = c->GetSynchronizedTimeNs(Seconds(2));
        NS_TEST_ASSERT_MSG_EQ_TOL(s, 5e9 + (l - 1e9) * (1.0 - 50e-6), 1e-3, "synchronized time");
        const Time when = c->GetSimTimeAtSynchronized(NanoSeconds(static_cast<int64_t>(s)));
        NS_TEST_ASSERT_MSG_EQ_TOL(when.GetNanoSeconds(), 2000000000, 1, "inverse");
        Simulator::Destroy();
    }
};

/// Per-node frequency offsets come from the stream (uniform +/-100 ppm by default), wander is a
/// bounded random walk, and AssignStreams makes a clock reproducible.
class LocalClockRandomnessTestCase : public TestCase
{
  public:
    LocalClockRandomnessTestCase()
        : TestCase("frequency offset draw, bounded wander, reproducible streams")
    {
    }

  private:
    void DoRun() override
    {
        double lo = 1e9;
        double hi = -1e9;
        for (int i = 0; i < 200; ++i)
        {
            Ptr<LocalClock> c = CreateObject<LocalClock>();
            c->AssignStreams(100 + 3 * i);
            const double ppm = c->GetInitialFrequencyOffsetPpm();
            lo = std::min(lo, ppm);
            hi = std::max(hi, ppm);
        }
        NS_TEST_ASSERT_MSG_EQ((lo >= -100.0 && hi <= 100.0), true, "outside +/-100 ppm");
        NS_TEST_ASSERT_MSG_EQ((lo < -80.0 && hi > 80.0), true, "not spread over +/-100 ppm");

        // Wander: 10 ms steps bounded by 0.003 ppm, so after 10 s the frequency moved at most
        // 1000 * 0.003 = 3 ppm, and (random walk, sigma 0.001 ppm/step) typically ~0.03 ppm.
        Ptr<LocalClock> w1 = MakeClock(20.0, true);
        Ptr<LocalClock> w2 = MakeClock(20.0, true);
        w1->AssignStreams(7);
        w2->AssignStreams(7);
        double f1 = 0;
        double f2 = 0;
        Simulator::Schedule(Seconds(10),
                            [&]()
                            {
                                f1 = w1->GetFrequencyOffsetPpm();
                                f2 = w2->GetFrequencyOffsetPpm();
                            });
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f1, f2, "same streams, different wander");
        NS_TEST_ASSERT_MSG_EQ((std::abs(f1 - 20.0) <= 3.0), true, "wander beyond its bound");
        NS_TEST_ASSERT_MSG_EQ((f1 != 20.0), true, "no wander at all");
        Simulator::Destroy();
    }
};

/// The suite.
class LocalClockTestSuite : public TestSuite
{
  public:
    LocalClockTestSuite()
        : TestSuite("fabtwin-local-clock", Type::UNIT)
    {
        AddTestCase(new LocalClockDriftTestCase, TestCase::Duration::QUICK);
        AddTestCase(new LocalClockConversionTestCase, TestCase::Duration::QUICK);
        AddTestCase(new LocalClockRandomnessTestCase, TestCase::Duration::QUICK);
    }
};

static LocalClockTestSuite g_localClockTestSuite; ///< registers the suite
