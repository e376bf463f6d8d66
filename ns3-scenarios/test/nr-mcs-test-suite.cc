/*
 * fabtwin-nr-mcs: MCS index tables (TS 38.214 §5.1.3.1) and TBS determination (§5.1.3.2), with
 * TBS values computed by hand step by step (the steps are in the comments and in docs/nr.md).
 */

#include "nr-mcs-table.h"
#include "nr-tbs-calculator.h"

#include "ns3/enum.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;

/// Table rows as printed in TS 38.214, and SE = Qm * R / 1024 on every row.
class NrMcsTableTestCase : public TestCase
{
  public:
    NrMcsTableTestCase()
        : TestCase("MCS tables 5.1.3.1-1, -2, -3")
    {
    }

  private:
    void DoRun() override
    {
        using T = NrMcsTable::Table;
        auto t = CreateObject<NrMcsTable>();
        NS_TEST_ASSERT_MSG_EQ(t->GetMaxMcs(), 28, "table 1 rows");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(9), 2, "table 1 MCS 9 QPSK");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(10), 4, "table 1 MCS 10 16QAM");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(17), 6, "table 1 MCS 17 64QAM");
        NS_TEST_ASSERT_MSG_EQ(t->GetRow(28).rateX1024, 948, "table 1 MCS 28 R");
        NS_TEST_ASSERT_MSG_EQ(t->GetSpectralEfficiency(0), 0.2344, "table 1 MCS 0 SE");
        t->SetAttribute("Table", EnumValue(T::QAM256));
        NS_TEST_ASSERT_MSG_EQ(t->GetMaxMcs(), 27, "table 2 rows");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(20), 8, "table 2 MCS 20 256QAM");
        NS_TEST_ASSERT_MSG_EQ(t->GetRow(20).rateX1024, 682.5, "table 2 MCS 20 R");
        NS_TEST_ASSERT_MSG_EQ(t->GetSpectralEfficiency(27), 7.4063, "table 2 MCS 27 SE");
        t->SetAttribute("Table", EnumValue(T::QAM64_LOWSE));
        NS_TEST_ASSERT_MSG_EQ(t->GetMaxMcs(), 28, "table 3 rows");
        NS_TEST_ASSERT_MSG_EQ(t->GetRow(0).rateX1024, 30, "table 3 MCS 0 R");
        NS_TEST_ASSERT_MSG_EQ(t->GetSpectralEfficiency(0), 0.0586, "table 3 MCS 0 SE");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(14), 2, "table 3 MCS 14 QPSK");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(15), 4, "table 3 MCS 15 16QAM");
        NS_TEST_ASSERT_MSG_EQ(+t->GetModulationOrder(21), 6, "table 3 MCS 21 64QAM");
        NS_TEST_ASSERT_MSG_EQ(t->GetSpectralEfficiency(28), 4.5234, "table 3 MCS 28 SE");
        // Table 3 MCS 6..28 reuses rows of table 1: 6..14 = table 1 MCS 0..8, 15..20 = MCS 10..15,
        // 21..28 = MCS 17..24 (it prepends six low-rate QPSK rows and skips the two rows where the
        // modulations of table 1 overlap, R 679 QPSK and R 658 16QAM, and the top four).
        for (uint8_t i = 6; i <= 28; ++i)
        {
            const uint8_t t1 = i <= 14 ? i - 6 : (i <= 20 ? i - 5 : i - 4);
            NS_TEST_ASSERT_MSG_EQ(NrMcsTable::GetRow(T::QAM64_LOWSE, i).rateX1024,
                                  NrMcsTable::GetRow(T::QAM64, t1).rateX1024,
                                  "table 3 row " << +i);
            NS_TEST_ASSERT_MSG_EQ(+NrMcsTable::GetRow(T::QAM64_LOWSE, i).qm,
                                  +NrMcsTable::GetRow(T::QAM64, t1).qm,
                                  "table 3 Qm " << +i);
        }
        for (T table : {T::QAM64, T::QAM256, T::QAM64_LOWSE})
        {
            double lastSe = 0;
            for (uint8_t m = 0; m <= NrMcsTable::GetMaxMcs(table); ++m)
            {
                const auto& r = NrMcsTable::GetRow(table, m);
                // the printed SE is Qm * R / 1024 to 4 decimals
                NS_TEST_ASSERT_MSG_EQ_TOL(r.spectralEfficiency,
                                          std::round(r.qm * r.rateX1024 / 1024 * 1e4) / 1e4,
                                          1e-9,
                                          "SE of table " << int(table) << " MCS " << +m);
                // SE never decreases with the index (table 1 MCS 16 -> 17 dips by 0.004, the
                // 16QAM/64QAM overlap; allow that one).
                NS_TEST_ASSERT_MSG_GT_OR_EQ(r.spectralEfficiency, lastSe - 0.005, "monotone");
                lastSe = r.spectralEfficiency;
            }
        }
    }
};

/// TBS of §5.1.3.2 against hand computation.
class NrTbsTestCase : public TestCase
{
  public:
    NrTbsTestCase()
        : TestCase("TBS determination TS 38.214 §5.1.3.2 by hand")
    {
    }

  private:
    void DoRun() override
    {
        NS_TEST_ASSERT_MSG_EQ(NrTbsCalculator::GetSmallTbsTableSize(), 93u, "Table 5.1.3.2-1 size");
        NS_TEST_ASSERT_MSG_EQ(NrTbsCalculator::GetSmallTbsTableEntry(92), 3824u, "last entry");
        for (uint32_t i = 1; i < 93; ++i)
        {
            NS_TEST_ASSERT_MSG_GT(NrTbsCalculator::GetSmallTbsTableEntry(i),
                                  NrTbsCalculator::GetSmallTbsTableEntry(i - 1),
                                  "increasing");
        }

        // (a) URLLC mini-slot: 2-symbol PUSCH, DM-RS symbol without data (12 RE/PRB), 20 PRBs,
        // table 3 MCS 10 (Qm 2, R 308/1024), 1 layer.
        //   N'_RE = 12*2 - 12 - 0 = 12; N_RE = 12 * 20 = 240
        //   N_info = 240 * 308/1024 * 2 = 144.375 <= 3824 -> step 3
        //   n = max(3, floor(log2 144.375) - 6) = max(3, 1) = 3
        //   N'_info = max(24, 8 * floor(144.375 / 8)) = 8 * 18 = 144 -> TBS = 144 (table entry)
        auto s = NrTbsCalculator::Compute({20, 2, 12, 0, 2, 308.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ(s.nRePrime, 12u, "(a) N'_RE");
        NS_TEST_ASSERT_MSG_EQ(s.nRe, 240u, "(a) N_RE");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.nInfo, 144.375, 1e-9, "(a) N_info");
        NS_TEST_ASSERT_MSG_EQ(s.n, 3u, "(a) n");
        NS_TEST_ASSERT_MSG_EQ(s.nInfoPrime, 144, "(a) N'_info");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 144u, "(a) TBS");

        // (b) Slot PDSCH, 12 symbols, 12 DM-RS RE/PRB, 52 PRBs, table 1 MCS 27 (Qm 6, R 910/1024).
        //   N'_RE = 144 - 12 = 132; N_RE = 132 * 52 = 6864
        //   N_info = 6864 * 910/1024 * 6 = 36599.0625 > 3824 -> step 4
        //   n = floor(log2(36575.0625)) - 5 = 15 - 5 = 10
        //   N'_info = max(3840, 1024 * round(35.718)) = 36864
        //   R > 1/4, N'_info > 8424: C = ceil(36888 / 8424) = 5
        //   TBS = 8 * 5 * ceil(36888 / 40) - 24 = 40 * 923 - 24 = 36896
        s = NrTbsCalculator::Compute({52, 12, 12, 0, 6, 910.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ(s.nRe, 6864u, "(b) N_RE");
        NS_TEST_ASSERT_MSG_EQ_TOL(s.nInfo, 36599.0625, 1e-9, "(b) N_info");
        NS_TEST_ASSERT_MSG_EQ(s.n, 10u, "(b) n");
        NS_TEST_ASSERT_MSG_EQ(s.nInfoPrime, 36864, "(b) N'_info");
        NS_TEST_ASSERT_MSG_EQ(s.codeBlocks, 5u, "(b) C");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 36896u, "(b) TBS");

        // (c) R <= 1/4 branch: 13 symbols, 12 DM-RS RE/PRB, 273 PRBs, table 3 MCS 5 (Qm 2, R 99).
        //   N'_RE = 156 - 12 = 144; N_RE = 144 * 273 = 39312
        //   N_info = 39312 * 99/1024 * 2 = 7601.34375; n = floor(log2 7577.34375) - 5 = 7
        //   N'_info = max(3840, 128 * round(59.198)) = 7552
        //   C = ceil(7576 / 3816) = 2; TBS = 16 * ceil(7576 / 16) - 24 = 16 * 474 - 24 = 7560
        s = NrTbsCalculator::Compute({273, 13, 12, 0, 2, 99.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ(s.nRe, 39312u, "(c) N_RE");
        NS_TEST_ASSERT_MSG_EQ(s.nInfoPrime, 7552, "(c) N'_info");
        NS_TEST_ASSERT_MSG_EQ(s.codeBlocks, 2u, "(c) C");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 7560u, "(c) TBS");

        // (d) 3824 < N'_info <= 8424, R > 1/4: 24 PRBs x 132 RE, table 1 MCS 9 (Qm 2, R 679).
        //   N_info = 3168 * 679/1024 * 2 = 4201.3125; n = floor(log2 4177.3125) - 5 = 7
        //   N'_info = max(3840, 128 * round(32.635)) = 4224; C = 1
        //   TBS = 8 * ceil(4248 / 8) - 24 = 4224
        s = NrTbsCalculator::Compute({24, 12, 12, 0, 2, 679.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ_TOL(s.nInfo, 4201.3125, 1e-9, "(d) N_info");
        NS_TEST_ASSERT_MSG_EQ(s.nInfoPrime, 4224, "(d) N'_info");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 4224u, "(d) TBS");

        // (e) 156-RE cap and 2 layers: 1 PRB, 14 symbols, no DM-RS/overhead counted, table 1 MCS 0.
        //   N'_RE = 168 -> N_RE = 156; N_info = 156 * 120/1024 * 2 * 2 = 73.125
        //   n = 3; N'_info = 8 * floor(9.14) = 72 -> TBS = 72
        s = NrTbsCalculator::Compute({1, 14, 0, 0, 2, 120.0 / 1024, 2});
        NS_TEST_ASSERT_MSG_EQ(s.nRe, 156u, "(e) cap");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 72u, "(e) TBS");

        // (f) xOverhead 6 and a tiny allocation below 24 bits: 1 PRB, 2 symbols, 12 DM-RS RE,
        // table 3 MCS 0: N'_RE = 24 - 12 - 6 = 6; N_info = 6 * 30/1024 * 2 = 0.35 -> N'_info = 24.
        s = NrTbsCalculator::Compute({1, 2, 12, 6, 2, 30.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ(s.nRePrime, 6u, "(f) N'_RE");
        NS_TEST_ASSERT_MSG_EQ(s.tbs, 24u, "(f) TBS");
    }
};

/// The suite.
class NrMcsTestSuite : public TestSuite
{
  public:
    NrMcsTestSuite()
        : TestSuite("fabtwin-nr-mcs", Type::UNIT)
    {
        AddTestCase(new NrMcsTableTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrTbsTestCase, TestCase::Duration::QUICK);
    }
};

static NrMcsTestSuite g_nrMcsTestSuite; ///< registers the suite
