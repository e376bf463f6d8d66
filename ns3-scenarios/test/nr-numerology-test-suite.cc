/*
 * fabtwin-nr-numerology: NR frame structure against TS 38.211 §4.2, §4.3, §5.3.1, mini-slot grids
 * (TS 38.214 §5.1.2.1 type B) and TDD patterns (TS 38.213 §11.1).
 */

#include "nr-frame-structure.h"
#include "nr-numerology.h"
#include "nr-tdd-pattern.h"

#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"

using namespace ns3;

/// SCS, slots and symbol durations of every numerology equal TS 38.211 values.
class NrNumerologyTimingTestCase : public TestCase
{
  public:
    NrNumerologyTimingTestCase()
        : TestCase("TS 38.211 Table 4.2-1, 4.3.2-1 and §5.3.1 timing for mu 0..3")
    {
    }

  private:
    void DoRun() override
    {
        // Tc = 1/(480e3 * 4096) s: 1 ms = 1 966 080 Tc, 0.5 ms = 983 040 Tc.
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::TC_PER_SECOND, 1966080000LL, "Tc");
        for (uint8_t mu = 0; mu <= 3; ++mu)
        {
            auto num = CreateObject<NrNumerology>();
            num->SetAttribute("Numerology", UintegerValue(mu));
            const uint32_t twoMu = 1u << mu;
            NS_TEST_ASSERT_MSG_EQ(num->GetSubcarrierSpacingHz(), 15e3 * twoMu, "SCS, mu " << +mu);
            NS_TEST_ASSERT_MSG_EQ(num->GetSlotsPerSubframe(), twoMu, "slots/subframe");
            NS_TEST_ASSERT_MSG_EQ(num->GetSlotsPerFrame(), 10 * twoMu, "slots/frame");
            // Slot: 1 ms / 2^mu = 1000, 500, 250, 125 us, exact in ns.
            NS_TEST_ASSERT_MSG_EQ(num->GetSlotDuration(), MicroSeconds(1000) / twoMu, "slot");
            // Normal symbol: (2048 + 144) * 64 / 2^mu Tc = 140288 / 2^mu Tc
            NS_TEST_ASSERT_MSG_EQ(num->GetNormalSymbolDurationTc(), 140288 / twoMu, "symbol Tc");
            // Long first symbol of each 0.5 ms: + 16 * 64 = 1024 Tc
            NS_TEST_ASSERT_MSG_EQ(num->GetSymbolDurationTc(0), 140288 / twoMu + 1024, "l=0");
            NS_TEST_ASSERT_MSG_EQ(
                num->GetSymbolDurationTc(7 * twoMu), 140288 / twoMu + 1024, "l=7*2^mu");
            NS_TEST_ASSERT_MSG_EQ(num->GetSymbolDurationTc(1), 140288 / twoMu, "l=1");
            // CP: 144 * 64 / 2^mu = 9216 / 2^mu Tc (4.6875 us at mu 0)
            NS_TEST_ASSERT_MSG_EQ(num->GetCyclicPrefixTc(1), 9216 / twoMu, "CP");
            // The symbols of one subframe add up to exactly 1 ms, of a half-subframe to 0.5 ms.
            int64_t sum = 0;
            for (uint32_t l = 0; l < 14 * twoMu; ++l)
            {
                sum += num->GetSymbolDurationTc(l);
                if (l + 1 == 7 * twoMu)
                {
                    NS_TEST_ASSERT_MSG_EQ(sum, 983040, "0.5 ms, mu " << +mu);
                }
            }
            NS_TEST_ASSERT_MSG_EQ(sum, 1966080, "1 ms, mu " << +mu);
            NS_TEST_ASSERT_MSG_EQ(num->GetSymbolStart(7 * twoMu), MicroSeconds(500), "half");
            NS_TEST_ASSERT_MSG_EQ(num->GetSymbolStart(14 * twoMu * 3), MilliSeconds(3), "3 ms");
            // Slot 5 start: 5 slots of 1 ms / 2^mu for mu 0, 1 (every slot starts a 0.5 ms). For
            // mu >= 2 only the first slot of each 0.5 ms holds the long symbol, so slots of one
            // half-subframe differ: mu 2 slot 5 = 1 ms + (14 * 35072 + 1024) Tc = 2458112 Tc;
            // mu 3 slot 5 = 0.5 ms + (14 * 17536 + 1024) Tc = 1229568 Tc.
            const int64_t slot5[] = {5 * 1966080, 5 * 983040, 2458112, 1229568};
            NS_TEST_ASSERT_MSG_EQ(num->GetSymbolStartTc(14 * 5), slot5[mu], "slot 5 start");
            // Symbol lookup round trip across two subframes.
            for (uint64_t s = 0; s < 28 * twoMu; ++s)
            {
                const Time start = num->GetSymbolStart(s);
                NS_TEST_ASSERT_MSG_EQ(num->GetSymbolContaining(start), s, "containing start");
                NS_TEST_ASSERT_MSG_EQ(
                    num->GetSymbolContaining(num->GetSymbolEnd(s) - NanoSeconds(1)),
                    s,
                    "containing end-1ns");
                NS_TEST_ASSERT_MSG_EQ(num->GetFirstSymbolAtOrAfter(start + NanoSeconds(1)),
                                      s + 1,
                                      "first at or after");
            }
        }
        // Published values in us: mu 0 symbol 71.354 (first 71.875); mu 1 35.677 (36.198);
        // mu 3 8.919 (9.440).
        auto num = CreateObject<NrNumerology>();
        num->SetNumerology(0);
        NS_TEST_ASSERT_MSG_EQ_TOL(
            num->GetSymbolDurationTc(1) * 1e6 / 1966080000.0, 71.354, 1e-3, "mu 0 symbol us");
        NS_TEST_ASSERT_MSG_EQ(NrNumerology::TcToTime(num->GetSymbolDurationTc(0)),
                              NanoSeconds(71875),
                              "mu 0 first symbol");
        num->SetNumerology(1);
        NS_TEST_ASSERT_MSG_EQ_TOL(
            num->GetSymbolDurationTc(1) * 1e6 / 1966080000.0, 35.677, 1e-3, "mu 1 symbol us");
        num->SetNumerology(3);
        NS_TEST_ASSERT_MSG_EQ_TOL(
            num->GetSymbolDurationTc(1) * 1e6 / 1966080000.0, 8.919, 1e-3, "mu 3 symbol us");
        NS_TEST_ASSERT_MSG_EQ(num->GetRbBandwidthHz(), 1.44e6, "mu 3 RB");
    }
};

/// TDD patterns, FDD, mini-slot grids and occasion searches.
class NrTddMiniSlotTestCase : public TestCase
{
  public:
    NrTddMiniSlotTestCase()
        : TestCase("TDD DDDSU with 10:2:2 special slot, FDD, mini-slots of 2, 4, 7 symbols")
    {
    }

  private:
    void DoRun() override
    {
        using Dir = NrTddPattern::Direction;
        auto tdd = CreateObject<NrTddPattern>(); // DDDSU, S = 10 DL : 2 guard : 2 UL
        NS_TEST_ASSERT_MSG_EQ(tdd->GetPeriodSlots(), 5u, "period");
        NS_TEST_ASSERT_MSG_EQ(tdd->GetSlotType(3), 'S', "slot 3");
        NS_TEST_ASSERT_MSG_EQ(tdd->GetSlotType(9), 'U', "slot 9");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsSymbol(3 * 14 + 9, Dir::DL), true, "S sym 9 DL");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsSymbol(3 * 14 + 10, Dir::DL), false, "S sym 10 guard");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsSymbol(3 * 14 + 11, Dir::UL), false, "S sym 11 guard");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsSymbol(3 * 14 + 12, Dir::UL), true, "S sym 12 UL");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsSymbol(14 + 5, Dir::UL), false, "D slot no UL");
        // 5 slots: 2.5 ms at mu 1 and 5 ms at mu 0 are standard periodicities, 1.25 ms at mu 2 too;
        // 7 slots at mu 0 (7 ms) is not.
        NS_TEST_ASSERT_MSG_EQ(tdd->IsStandardPeriodicity(2), true, "2.5 ms");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsStandardPeriodicity(1), true, "5 ms");
        NS_TEST_ASSERT_MSG_EQ(tdd->IsStandardPeriodicity(4), true, "1.25 ms");
        tdd->SetAttribute("Pattern", StringValue("DDDDSUU"));
        NS_TEST_ASSERT_MSG_EQ(tdd->IsStandardPeriodicity(1), false, "7 ms");
        tdd->SetAttribute("Pattern", StringValue("DDDSU"));

        auto fdd = CreateObject<NrTddPattern>();
        fdd->SetAttribute("Pattern", StringValue("FDD"));
        NS_TEST_ASSERT_MSG_EQ(fdd->IsFdd(), true, "fdd");
        NS_TEST_ASSERT_MSG_EQ(
            fdd->IsSymbol(3 * 14 + 10, Dir::DL) && fdd->IsSymbol(10, Dir::UL), true, "fdd both");

        auto fs = CreateObject<NrFrameStructure>();
        fs->SetTddPattern(tdd);
        // Slot-based: first UL data slot is slot 4; first DL data slot at/after symbol 1 is slot 1;
        // S slots carry no slot-based data.
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(0, Dir::UL), 4u * 14, "UL slot");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(1, Dir::DL), 14u, "DL slot");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(2 * 14 + 1, Dir::DL), 5u * 14, "skip S, U");
        NS_TEST_ASSERT_MSG_EQ(
            fs->GetSharedChannelSymbols(14, Dir::DL).first, 15u, "PDSCH after CORESET");
        // PDCCH: slot starts that are DL, S slots included.
        NS_TEST_ASSERT_MSG_EQ(fs->NextPdcchOccasion(2 * 14 + 1), 3u * 14, "PDCCH in S");
        NS_TEST_ASSERT_MSG_EQ(fs->NextPdcchOccasion(3 * 14 + 1), 5u * 14, "PDCCH skips U");
        // PUCCH every slot at symbol 13: first UL one is the S slot's last symbol.
        NS_TEST_ASSERT_MSG_EQ(fs->NextPucchOccasion(0, 14, 13), 3u * 14 + 13, "PUCCH in S");
        NS_TEST_ASSERT_MSG_EQ(fs->NextPucchOccasion(3 * 14 + 14, 14, 13), 4u * 14 + 13, "PUCCH U");

        // Mini-slots: 7, 3 and 2 units per slot on grids k*L.
        fs->SetAttribute("AllocationSymbols", UintegerValue(2));
        NS_TEST_ASSERT_MSG_EQ(fs->GetUnitsPerSlot(), 7u, "L=2");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(0, Dir::UL), 3u * 14 + 12, "UL mini-slot in S");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(3 * 14 + 9, Dir::DL), 5u * 14, "no DL in guard");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(3 * 14 + 7, Dir::DL), 3u * 14 + 8, "S 8-9 DL");
        NS_TEST_ASSERT_MSG_EQ(
            fs->NextPdcchOccasion(3 * 14 + 1), 3u * 14 + 2, "PDCCH each mini-slot");
        fs->SetAttribute("AllocationSymbols", UintegerValue(4));
        NS_TEST_ASSERT_MSG_EQ(fs->GetUnitsPerSlot(), 3u, "L=4");
        // S slot with L=4: units 0-3, 4-7 DL; 8-11 holds guard symbols 10, 11: not usable.
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(3 * 14 + 5, Dir::DL), 5u * 14, "L=4 in S");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(0, Dir::UL), 4u * 14, "L=4 UL");
        fs->SetAttribute("AllocationSymbols", UintegerValue(7));
        NS_TEST_ASSERT_MSG_EQ(fs->GetUnitsPerSlot(), 2u, "L=7");
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(3 * 14 + 1, Dir::DL), 5u * 14, "L=7 in S");
        fs->SetTddPattern(fdd);
        NS_TEST_ASSERT_MSG_EQ(fs->NextDataOccasion(3 * 14 + 1, Dir::UL), 3u * 14 + 7, "FDD L=7");
    }
};

/// The suite.
class NrNumerologyTestSuite : public TestSuite
{
  public:
    NrNumerologyTestSuite()
        : TestSuite("fabtwin-nr-numerology", Type::UNIT)
    {
        AddTestCase(new NrNumerologyTimingTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrTddMiniSlotTestCase, TestCase::Duration::QUICK);
    }
};

static NrNumerologyTestSuite g_nrNumerologyTestSuite; ///< registers the suite
