/*
 * fabtwin-nr-bler: BLER curves from effective SINR, link adaptation, and the low-SE (URLLC) table
 * against the 64QAM table at equal SINR, with its capacity cost.
 */

#include "nr-error-model.h"
#include "nr-link-adaptation.h"
#include "nr-mcs-table.h"
#include "nr-tbs-calculator.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/pointer.h"
#include "ns3/test.h"

#include <cmath>

using namespace ns3;

namespace
{
/// @param db decibels @return linear
double
Lin(double db)
{
    return std::pow(10.0, db / 10.0);
}
} // namespace

/// Curve shape: anchor, monotonicity, inverse, effective SINR, chase combining, random draws.
class NrBlerCurveTestCase : public TestCase
{
  public:
    NrBlerCurveTestCase()
        : TestCase("BLER curve anchors, monotone in SINR and MCS, effective SINR")
    {
    }

  private:
    void DoRun() override
    {
        using T = NrMcsTable::Table;
        auto em = CreateObject<NrErrorModel>(); // gap 2 dB, sigma 0.5 dB
        // Table 1 MCS 0: SE 0.2344 -> 2^0.2344 - 1 = 0.17642 = -7.535 dB; + 2 dB gap = -5.535 dB
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(em->GetSinrAt10Percent(T::QAM64, 0)),
                                  -5.5346,
                                  1e-3,
                                  "threshold table 1 MCS 0");
        // Table 3 MCS 0: SE 0.0586 -> 0.04145 = -13.82 dB; + 2 = -11.82 dB
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(em->GetSinrAt10Percent(T::QAM64_LOWSE, 0)),
                                  -11.824,
                                  1e-3,
                                  "threshold table 3 MCS 0");
        for (T table : {T::QAM64, T::QAM256, T::QAM64_LOWSE})
        {
            for (uint8_t m = 0; m <= NrMcsTable::GetMaxMcs(table); ++m)
            {
                NS_TEST_ASSERT_MSG_EQ_TOL(
                    em->GetBler(table, m, em->GetSinrAt10Percent(table, m)), 0.1, 1e-12, "anchor");
                // 1e-5 lies 2.9834 sigma = 1.4917 dB above the 10 % point
                NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(em->GetSinrForBler(table, m, 1e-5) /
                                                          em->GetSinrAt10Percent(table, m)),
                                          1.4917,
                                          1e-3,
                                          "1e-5 offset");
                double last = 1.0;
                for (double db = -20; db <= 35; db += 0.25)
                {
                    const double b = em->GetBler(table, m, Lin(db));
                    NS_TEST_ASSERT_MSG_LT_OR_EQ(b, last, "monotone in SINR, MCS " << +m);
                    NS_TEST_ASSERT_MSG_GT_OR_EQ(b, 0.0, "in [0,1]");
                    last = b;
                    if (m > 0 && NrMcsTable::GetRow(table, m).spectralEfficiency >
                                     NrMcsTable::GetRow(table, m - 1).spectralEfficiency)
                    {
                        NS_TEST_ASSERT_MSG_GT_OR_EQ(em->GetBler(table, m, Lin(db)),
                                                    em->GetBler(table, m - 1, Lin(db)),
                                                    "higher SE, higher BLER");
                    }
                }
            }
        }
        // Effective SINR of 0 dB and 20 dB RBs: 2^((log2 2 + log2 101) / 2) - 1 = sqrt(202) - 1
        NS_TEST_ASSERT_MSG_EQ_TOL(NrErrorModel::GetEffectiveSinr({1.0, 100.0}),
                                  std::sqrt(202.0) - 1,
                                  1e-9,
                                  "effective SINR");
        NS_TEST_ASSERT_MSG_EQ_TOL(
            NrErrorModel::GetEffectiveSinr({5.0, 5.0, 5.0}), 5.0, 1e-12, "flat");
        NS_TEST_ASSERT_MSG_EQ_TOL(
            NrErrorModel::CombineChase({Lin(3), Lin(3)}), 2 * Lin(3), 1e-12, "CC");

        // Draws follow the BLER and repeat with the same stream.
        em->AssignStreams(7);
        const double sinr = em->GetSinrAt10Percent(T::QAM64, 10);
        int lost = 0;
        const int n = 20000;
        for (int i = 0; i < n; ++i)
        {
            lost += em->IsCorrupted(T::QAM64, 10, sinr);
        }
        // binomial std = sqrt(0.09 / 20000) = 0.0021; allow 5 std
        NS_TEST_ASSERT_MSG_EQ_TOL(double(lost) / n, 0.1, 0.0106, "empirical BLER");
        auto em2 = CreateObject<NrErrorModel>();
        em2->AssignStreams(7);
        int lost2 = 0;
        for (int i = 0; i < n; ++i)
        {
            lost2 += em2->IsCorrupted(T::QAM64, 10, sinr);
        }
        NS_TEST_ASSERT_MSG_EQ(lost2, lost, "same stream, same draws");
    }
};

/// Low-SE table vs 64QAM table at equal SINR: lower BLER, at a capacity cost.
class NrLowSeTableTestCase : public TestCase
{
  public:
    NrLowSeTableTestCase()
        : TestCase("Low-SE table keeps BLER lower than 64QAM at equal SINR, at a capacity cost")
    {
    }

  private:
    void DoRun() override
    {
        using T = NrMcsTable::Table;
        auto em = CreateObject<NrErrorModel>();
        // (1) Same MCS index, same SINR: every low-SE row has SE <= the 64QAM row of that index,
        // so its BLER is never higher, and strictly lower where the curves are not saturated.
        for (uint8_t m = 0; m <= 28; ++m)
        {
            for (double db = -15; db <= 30; db += 0.5)
            {
                NS_TEST_ASSERT_MSG_LT_OR_EQ(em->GetBler(T::QAM64_LOWSE, m, Lin(db)),
                                            em->GetBler(T::QAM64, m, Lin(db)),
                                            "MCS " << +m << " at " << db << " dB");
            }
            const double mid = em->GetSinrAt10Percent(T::QAM64, m); // 64QAM at 10 %
            NS_TEST_ASSERT_MSG_LT(em->GetBler(T::QAM64_LOWSE, m, mid), 0.1, "strictly lower");
        }

        // (2) Link adaptation to 1e-5 at equal SINR: the low-SE table still finds an MCS that meets
        // the target down to lower SINR. Table 1 MCS 0 meets 1e-5 at -5.535 + 1.492 = -4.04 dB;
        // table 3 MCS 0 at -11.824 + 1.492 = -10.33 dB.
        auto la1 = CreateObject<NrLinkAdaptation>();
        la1->SetAttribute("TargetBler", DoubleValue(1e-5));
        la1->SetAttribute("ErrorModel", PointerValue(em));
        auto la3 = CreateObject<NrLinkAdaptation>();
        la3->SetAttribute("TargetBler", DoubleValue(1e-5));
        la3->SetAttribute("McsTable", EnumValue(T::QAM64_LOWSE));
        la3->SetAttribute("ErrorModel", PointerValue(em));
        NS_TEST_ASSERT_MSG_EQ(la1->SelectMcs(Lin(-4.1)).feasible, false, "table 1 at -4.1 dB");
        NS_TEST_ASSERT_MSG_EQ(la1->SelectMcs(Lin(-4.0)).feasible, true, "table 1 at -4.0 dB");
        NS_TEST_ASSERT_MSG_EQ(la3->SelectMcs(Lin(-10.4)).feasible, false, "table 3 at -10.4 dB");
        NS_TEST_ASSERT_MSG_EQ(la3->SelectMcs(Lin(-10.3)).feasible, true, "table 3 at -10.3 dB");
        for (double db = -15; db <= 30; db += 0.5)
        {
            const auto c1 = la1->SelectMcs(Lin(db));
            const auto c3 = la3->SelectMcs(Lin(db));
            NS_TEST_ASSERT_MSG_LT_OR_EQ(
                c3.bler, std::max(c1.bler, 1e-5), "BLER at " << db << " dB");
            if (c1.feasible)
            {
                NS_TEST_ASSERT_MSG_EQ(c3.feasible, true, "table 3 feasible wherever table 1 is");
            }
        }
        // Between -10.3 and -4.1 dB only the low-SE table delivers 1e-5: e.g. at -7 dB table 1 MCS
        // 0 has BLER > 0.5 while table 3 meets the target.
        NS_TEST_ASSERT_MSG_GT(la1->SelectMcs(Lin(-7)).bler, 0.5, "table 1 at -7 dB");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(la3->SelectMcs(Lin(-7)).bler, 1e-5, "table 3 at -7 dB");

        // (3) Capacity cost at high SINR: the top rows are 64QAM R 948 (SE 5.5547) vs R 772
        // (SE 4.5234). For a 52-PRB, 12-symbol slot with 12 DM-RS RE/PRB (N_RE = 6864), by hand:
        //   table 1 MCS 28: N_info = 6864*948/1024*6 = 38127.375, n = 10, N'_info = 37888,
        //     C = 5, TBS = 40*ceil(37912/40) - 24 = 37896
        //   table 3 MCS 28: N_info = 6864*772/1024*6 = 31048.875, n = 9, N'_info = 31232,
        //     C = 4, TBS = 32*ceil(31256/32) - 24 = 31240
        // -> the low-SE table carries 17.6 % fewer bits per slot at best.
        const auto c1 = la1->SelectMcs(Lin(30));
        const auto c3 = la3->SelectMcs(Lin(30));
        NS_TEST_ASSERT_MSG_EQ(+c1.mcs, 28, "table 1 top");
        NS_TEST_ASSERT_MSG_EQ(+c3.mcs, 28, "table 3 top");
        const uint32_t tbs1 = NrTbsCalculator::GetTbs({52, 12, 12, 0, 6, 948.0 / 1024, 1});
        const uint32_t tbs3 = NrTbsCalculator::GetTbs({52, 12, 12, 0, 6, 772.0 / 1024, 1});
        NS_TEST_ASSERT_MSG_EQ(tbs1, 37896u, "TBS table 1 MCS 28");
        NS_TEST_ASSERT_MSG_EQ(tbs3, 31240u, "TBS table 3 MCS 28");
        NS_TEST_ASSERT_MSG_EQ_TOL(1.0 - double(tbs3) / tbs1, 0.1756, 1e-4, "capacity cost");
        // Over a range of SINRs, the mean capacity (SE of the chosen MCS, where both are feasible)
        // of the low-SE table is lower, the price of its lower BLER.
        double se1 = 0;
        double se3 = 0;
        for (double db = -4; db <= 30; db += 0.5)
        {
            se1 += NrMcsTable::GetRow(T::QAM64, la1->SelectMcs(Lin(db)).mcs).spectralEfficiency;
            se3 +=
                NrMcsTable::GetRow(T::QAM64_LOWSE, la3->SelectMcs(Lin(db)).mcs).spectralEfficiency;
        }
        NS_TEST_ASSERT_MSG_LT(se3, se1, "low-SE table costs capacity");
    }
};

/// The suite.
class NrBlerTestSuite : public TestSuite
{
  public:
    NrBlerTestSuite()
        : TestSuite("fabtwin-nr-bler", Type::UNIT)
    {
        AddTestCase(new NrBlerCurveTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrLowSeTableTestCase, TestCase::Duration::QUICK);
    }
};

static NrBlerTestSuite g_nrBlerTestSuite; ///< registers the suite
