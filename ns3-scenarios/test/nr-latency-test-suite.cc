/*
 * fabtwin-nr-latency: UE processing times (TS 38.214 Tables 5.3-1/2, 6.4-1/2) and the one-way
 * user-plane latency of a 32-byte packet on an unloaded cell, against hand derivations (docs/nr.md,
 * "Latency derivations"). All instants are asserted exactly in Tc (1 Tc = 1/1 966 080 000 s).
 */

#include "nr-frame-structure.h"
#include "nr-latency-model.h"
#include "nr-numerology.h"
#include "nr-processing-times.h"
#include "nr-tdd-pattern.h"

#include "ns3/boolean.h"
#include "ns3/enum.h"
#include "ns3/nstime.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

using namespace ns3;

namespace
{
/**
 * @param mu numerology
 * @param pattern TDD pattern or FDD
 * @param allocSymbols scheduling unit
 * @return a latency model with default attributes on that frame structure
 */
Ptr<NrLatencyModel>
MakeModel(uint8_t mu, const std::string& pattern, uint32_t allocSymbols)
{
    auto num = CreateObject<NrNumerology>();
    num->SetAttribute("Numerology", UintegerValue(mu));
    auto tdd = CreateObject<NrTddPattern>();
    tdd->SetAttribute("Pattern", StringValue(pattern));
    auto fs = CreateObject<NrFrameStructure>();
    fs->SetAttribute("Numerology", PointerValue(num));
    fs->SetAttribute("TddPattern", PointerValue(tdd));
    fs->SetAttribute("AllocationSymbols", UintegerValue(allocSymbols));
    auto lm = CreateObject<NrLatencyModel>();
    lm->SetAttribute("FrameStructure", PointerValue(fs));
    return lm;
}
} // namespace

/// N1, N2, d1,1 and T_proc values.
class NrProcessingTimesTestCase : public TestCase
{
  public:
    NrProcessingTimesTestCase()
        : TestCase("N1, N2 tables and T_proc,1, T_proc,2")
    {
    }

  private:
    void DoRun() override
    {
        using P = NrProcessingTimes;
        const double n1c1[] = {8, 10, 17, 20};
        const double n1c1add[] = {13, 13, 20, 24};
        const double n2c1[] = {10, 12, 23, 36};
        for (uint8_t mu = 0; mu <= 3; ++mu)
        {
            NS_TEST_ASSERT_MSG_EQ(P::GetN1(mu, 1, false), n1c1[mu], "Table 5.3-1 pos0");
            NS_TEST_ASSERT_MSG_EQ(P::GetN1(mu, 1, true), n1c1add[mu], "Table 5.3-1 other");
            NS_TEST_ASSERT_MSG_EQ(P::GetN2(mu, 1), n2c1[mu], "Table 6.4-1");
        }
        const double n1c2[] = {3, 4.5, 9};
        const double n2c2[] = {5, 5.5, 11};
        for (uint8_t mu = 0; mu <= 2; ++mu)
        {
            NS_TEST_ASSERT_MSG_EQ(P::GetN1(mu, 2, false), n1c2[mu], "Table 5.3-2");
            NS_TEST_ASSERT_MSG_EQ(P::GetN2(mu, 2), n2c2[mu], "Table 6.4-2");
        }
        // d1,1: type A ending at symbol 13 -> 0, at symbol 5 -> 2; type B cap 1: L = 7 -> 0,
        // L = 4 -> 3, L = 2 with 1 overlapping PDCCH symbol -> 4; cap 2: L = 2 -> d = 1.
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(false, 13, 14, 0, 1), 0u, "A 13");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(false, 5, 6, 0, 1), 2u, "A 5");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(true, 0, 7, 1, 1), 0u, "B7");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(true, 0, 4, 1, 1), 3u, "B4");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(true, 0, 2, 1, 1), 4u, "B2");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(true, 0, 2, 1, 2), 1u, "B2 cap2");
        NS_TEST_ASSERT_MSG_EQ(P::GetD11(true, 0, 2, 3, 2, true), 3u, "B2 cap2 3-sym CORESET");
        // T_proc,1 mu 1 cap 1: 10 * 70144 = 701440 Tc = 356.77 us; cap 2: 4.5 * 70144 = 315648 Tc
        NS_TEST_ASSERT_MSG_EQ(P::GetTproc1Tc(1, 10, 0), 701440, "Tproc1 mu1 cap1");
        NS_TEST_ASSERT_MSG_EQ(P::GetTproc1Tc(1, 4.5, 0), 315648, "Tproc1 mu1 cap2");
        NS_TEST_ASSERT_MSG_EQ(
            NrNumerology::TcToTime(P::GetTproc1Tc(1, 10, 0)), NanoSeconds(356771), "356.77 us");
        // T_proc,2 mu 3 cap 1 with d2,1 = 1: 37 * 17536 = 648832 Tc = 330.0 us
        NS_TEST_ASSERT_MSG_EQ(P::GetTproc2Tc(3, 36, 1), 648832, "Tproc2 mu3");
    }
};

/// mu 0, FDD, slot-based, UL dynamic grant (SR -> grant -> PUSCH).
class NrLatencyMu0DynamicTestCase : public TestCase
{
  public:
    NrLatencyMu0DynamicTestCase()
        : TestCase("mu 0 FDD slot-based UL dynamic grant: 4.285 ms")
    {
    }

  private:
    void DoRun() override
    {
        auto lm = MakeModel(0, "FDD", 14);
        const auto r = lm->ComputeUplink(Seconds(0), 32);
        // SR on symbol 13 of slot 0: 0.5 ms + 1024 + 6 * 140288 = 1825792 Tc; ends at 1 ms.
        NS_TEST_ASSERT_MSG_EQ(r.At("SR"), 1825792, "SR");
        // gNB: 1 ms + 4 * 140288 = 2527232 Tc -> next PDCCH at a slot start: slot 2 (2 ms).
        NS_TEST_ASSERT_MSG_EQ(r.At("grant PDCCH"), 3932160, "PDCCH slot 2");
        // PDCCH ends 2 ms + 141312; + T_proc,2 = 11 * 140288 -> 5616640 Tc (2.857 ms): slot 3.
        NS_TEST_ASSERT_MSG_EQ(r.At("PUSCH start"), 5898240, "PUSCH slot 3");
        NS_TEST_ASSERT_MSG_EQ(r.k2, 1, "K2");
        NS_TEST_ASSERT_MSG_EQ(r.At("PUSCH end"), 7864320, "PUSCH ends 4 ms");
        // + gNB decoding 4 * 140288 = 561152 -> 8425472 Tc = 4.285417 ms
        NS_TEST_ASSERT_MSG_EQ(r.deliveredTc, 8425472, "delivered");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(4285417), "latency");
        NS_TEST_ASSERT_MSG_EQ(r.transmissions, 1u, "one PUSCH");

        // A 100-byte packet does not fit the 64-byte SR grant: PUSCH 1 carries 62 bytes + short
        // BSR; the BSR is decoded at 4.285 ms -> + 4 symbols = 4.571 ms -> PDCCH slot 5 (5 ms) ->
        // PUSCH slot 6 -> ends 7 ms -> delivered 7 ms + 561152 Tc.
        const auto r2 = lm->ComputeUplink(Seconds(0), 100);
        NS_TEST_ASSERT_MSG_EQ(r2.At("grant PDCCH #2"), 5 * 1966080, "2nd PDCCH slot 5");
        NS_TEST_ASSERT_MSG_EQ(r2.deliveredTc, 7 * 1966080 + 561152, "delivered after BSR");
        NS_TEST_ASSERT_MSG_EQ(r2.transmissions, 2u, "two PUSCHs");

        // A core-network (UPF) delay adds once, after decoding.
        lm->SetAttribute("CoreNetworkDelay", TimeValue(MilliSeconds(1)));
        NS_TEST_ASSERT_MSG_EQ(lm->ComputeUplink(Seconds(0), 32).latency,
                              NanoSeconds(5285417),
                              "with 1 ms core delay");
    }
};

/// mu 1, TDD DDDSU 10:2:2, slot-based: DL with HARQ, and UL dynamic grant.
class NrLatencyMu1SlotTestCase : public TestCase
{
  public:
    NrLatencyMu1SlotTestCase()
        : TestCase("mu 1 DDDSU slot-based: DL 1.357 ms (K1 2), one HARQ retx 3.357 ms, UL 5.143 ms")
    {
    }

  private:
    void DoRun() override
    {
        auto lm = MakeModel(1, "DDDSU", 14);
        auto r = lm->ComputeDownlink(Seconds(0), 32);
        // gNB 4 * 70144 = 280576 Tc -> first DL slot at/after: slot 1 (0.5 ms); PDSCH symbols 1-13
        NS_TEST_ASSERT_MSG_EQ(r.At("PDCCH"), 983040, "slot 1");
        NS_TEST_ASSERT_MSG_EQ(r.At("PDSCH end"), 1966080, "PDSCH ends 1 ms");
        // UE: T_proc,1 = (10 + 0) * 70144 = 701440 Tc -> 2667520 Tc = 1.356771 ms
        NS_TEST_ASSERT_MSG_EQ(r.deliveredTc, 2667520, "delivered");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(1356771), "DL latency");
        // HARQ-ACK: slot 2 is D; S slot 3 symbol 13: 1.5 ms + 1024 + 13 * 70144 = 3862016 Tc; K1 =
        // 2
        NS_TEST_ASSERT_MSG_EQ(r.At("ACK"), 3862016, "ACK in S slot");
        NS_TEST_ASSERT_MSG_EQ(r.k1, 2, "K1");

        // First transmission lost: NACK ends 2 ms; + 280576 -> slot 4 is U -> slot 5 (2.5 ms);
        // PDSCH ends 3 ms; + 701440 -> 6599680 Tc = 3.356771 ms; its ACK in S slot 8: K1 = 3.
        r = lm->ComputeDownlink(Seconds(0), 32, 1);
        NS_TEST_ASSERT_MSG_EQ(r.At("NACK"), 3862016, "NACK");
        NS_TEST_ASSERT_MSG_EQ(r.At("PDCCH #2"), 4915200, "retx slot 5");
        NS_TEST_ASSERT_MSG_EQ(r.deliveredTc, 6599680, "delivered after retx");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(3356771), "DL latency with one retx");
        NS_TEST_ASSERT_MSG_EQ(r.k1, 3, "K1 of the retx");

        // UL dynamic grant: SR in S slot 3 symbol 13 (3862016 Tc), received 2 ms; + 280576 ->
        // PDCCH in slot 5 (slot 4 is U); PDCCH end 4915200 + 71168 = 4986368; + T_proc,2 =
        // 13 * 70144 = 911872 -> 5898240 (3 ms); slots 6-8 are D, D, S -> PUSCH slot 9 (K2 = 4),
        // ends 5 ms; + 280576 -> 10110976 Tc = 5.142708 ms.
        r = lm->ComputeUplink(Seconds(0), 32);
        NS_TEST_ASSERT_MSG_EQ(r.At("SR"), 3862016, "SR");
        NS_TEST_ASSERT_MSG_EQ(r.At("grant PDCCH"), 4915200, "grant slot 5");
        NS_TEST_ASSERT_MSG_EQ(r.At("PUSCH start"), 8847360, "PUSCH slot 9");
        NS_TEST_ASSERT_MSG_EQ(r.k2, 4, "K2");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(5142708), "UL latency");
    }
};

/// mu 3, 2-symbol mini-slots, configured grant Type 1 every 2 symbols: below 0.5 ms.
class NrLatencyMu3CgTestCase : public TestCase
{
  public:
    NrLatencyMu3CgTestCase()
        : TestCase("mu 3 2-symbol mini-slot configured grant: 0.393 ms < 0.5 ms")
    {
    }

  private:
    void DoRun() override
    {
        auto lm = MakeModel(3, "FDD", 2);
        lm->SetAttribute("UlAccess", EnumValue(NrLatencyModel::UlAccess::CONFIGURED_GRANT));
        lm->SetAttribute("CgPeriodSymbols", UintegerValue(2));
        // UE preparation T_proc,2 = (36 + 1) * 17536 = 648832 Tc. Symbol s >= 1 of the first
        // 0.5 ms starts at 1024 + 17536 s: the first at/after is s = 37, the first CG occasion
        // (even symbols) s = 38 = slot 2 symbols 10-11: 667392 Tc .. 702464 Tc.
        auto r = lm->ComputeUplink(Seconds(0), 32);
        NS_TEST_ASSERT_MSG_EQ(r.At("CG PUSCH start"), 667392, "occasion 19");
        NS_TEST_ASSERT_MSG_EQ(r.At("CG PUSCH end"), 702464, "end");
        // + gNB decoding 4 * 17536 = 70144 -> 772608 Tc = 392.969 us
        NS_TEST_ASSERT_MSG_EQ(r.deliveredTc, 772608, "delivered");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(392969), "latency");
        NS_TEST_ASSERT_MSG_LT(r.latency, MicroSeconds(500), "URLLC < 0.5 ms");
        // Arrival at 10 us (19661 Tc): ready 668493 -> s = 39 -> occasion 40, ends at symbol 42
        // (737536 Tc); + 70144 -> 807680 Tc = 410.807 us; latency 400.807 us.
        r = lm->ComputeUplink(MicroSeconds(10), 32);
        NS_TEST_ASSERT_MSG_EQ(r.deliveredTc, 807680, "delivered, late arrival");
        NS_TEST_ASSERT_MSG_EQ(r.latency, NanoSeconds(400807), "latency, late arrival");
        // Worst case over arrivals within one CG period stays below 0.5 ms.
        for (int64_t ns = 0; ns < 40000; ns += 250)
        {
            NS_TEST_ASSERT_MSG_LT(lm->ComputeUplink(NanoSeconds(ns), 32).latency,
                                  MicroSeconds(500),
                                  "arrival " << ns << " ns");
        }
        // DL on the same 2-symbol grid: gNB 4 * 17536 = 70144 Tc -> first symbol at/after is 4
        // (1024 + 4 * 17536 = 71168 Tc), a mini-slot start; PDCCH + PDSCH on symbols 4-5, ending
        // 106240 Tc. Type B, L = 2, PDCCH overlapping 1 symbol: d1,1 = 3 + 1, T_proc,1 = (20 + 4) *
        // 17536 = 420864 Tc -> 527104 Tc = 268.099 us. HARQ-ACK on the last symbol of the first UL
        // unit at/after symbol 30: symbol 31, slot 2 -> K1 = 2.
        auto dl = lm->ComputeDownlink(Seconds(0), 32);
        NS_TEST_ASSERT_MSG_EQ(dl.At("PDCCH"), 71168, "DL mini-slot at symbol 4");
        NS_TEST_ASSERT_MSG_EQ(dl.At("PDSCH end"), 106240, "PDSCH end");
        NS_TEST_ASSERT_MSG_EQ(dl.deliveredTc, 527104, "DL delivered");
        NS_TEST_ASSERT_MSG_EQ(dl.latency, NanoSeconds(268099), "DL mini-slot latency");
        NS_TEST_ASSERT_MSG_EQ(dl.k1, 2, "K1");
        // The same packet with slot-based dynamic grant at mu 3 takes several times longer.
        auto dg = MakeModel(3, "FDD", 14);
        NS_TEST_ASSERT_MSG_GT(
            dg->ComputeUplink(Seconds(0), 32).latency, MicroSeconds(500), "dynamic grant slower");
    }
};

/// The suite.
class NrLatencyTestSuite : public TestSuite
{
  public:
    NrLatencyTestSuite()
        : TestSuite("fabtwin-nr-latency", Type::UNIT)
    {
        AddTestCase(new NrProcessingTimesTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrLatencyMu0DynamicTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrLatencyMu1SlotTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrLatencyMu3CgTestCase, TestCase::Duration::QUICK);
    }
};

static NrLatencyTestSuite g_nrLatencyTestSuite; ///< registers the suite
