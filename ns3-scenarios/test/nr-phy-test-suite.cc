/*
 * fabtwin-nr-phy: NrSpectrumPhy on a MultiModelSpectrumChannel: SINR from the spectrum model
 * (noise, NR co-channel interference in frequency and time, a foreign-technology signal), HARQ
 * chase combining. Expected SINRs are computed from the link budget in each test.
 */

#include "nr-error-model.h"
#include "nr-numerology.h"
#include "nr-spectrum-phy.h"
#include "nr-spectrum-signal-parameters.h"

#include "ns3/constant-position-mobility-model.h"
#include "ns3/double.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-model.h"
#include "ns3/test.h"
#include "ns3/uinteger.h"
#include "ns3/waveform-generator.h"

#include <cmath>
#include <vector>

using namespace ns3;

namespace
{
constexpr double kKT = 1.380649e-23 * 290.0; ///< W/Hz
constexpr uint32_t kRbs = 51;                ///< 20 MHz at 30 kHz
constexpr double kRbHz = 360e3;              ///< 12 * 30 kHz

/// A gNB, a UE and an interfering NR transmitter of another cell, 100 dB apart.
struct Bench
{
    Ptr<MultiModelSpectrumChannel> channel; ///< channel
    Ptr<MatrixPropagationLossModel> loss;   ///< losses
    Ptr<NrSpectrumPhy> gnb;                 ///< receiver, cell 1
    Ptr<NrSpectrumPhy> ue;                  ///< transmitter, cell 1 RNTI 1
    Ptr<NrSpectrumPhy> other;               ///< interferer, cell 2
    std::vector<double> sinrs;              ///< received effective SINRs
    std::vector<bool> oks;                  ///< decoded flags

    Bench()
    {
        channel = CreateObject<MultiModelSpectrumChannel>();
        loss = CreateObject<MatrixPropagationLossModel>();
        loss->SetDefaultLoss(100);
        channel->AddPropagationLossModel(loss);
        auto num = CreateObject<NrNumerology>();
        num->SetNumerology(1);
        auto make = [&](uint16_t cell, uint16_t rnti, double x)
        {
            auto phy = CreateObject<NrSpectrumPhy>();
            phy->SetNumerology(num);
            phy->SetIdentity(cell, rnti);
            auto mob = CreateObject<ConstantPositionMobilityModel>();
            mob->SetPosition(Vector(x, 0, 0));
            phy->SetMobility(mob);
            phy->SetChannel(channel);
            channel->AddRx(phy);
            return phy;
        };
        gnb = make(1, 0, 0);
        ue = make(1, 1, 10);
        other = make(2, 7, 20);
        gnb->SetRxCallback(MakeCallback(&Bench::Rx, this));
    }

    /// Record a reception.
    void Rx(Ptr<const NrSpectrumSignalParameters>, double sinr, bool ok)
    {
        sinrs.push_back(sinr);
        oks.push_back(ok);
    }

    /// @return the SNR of a 23 dBm, 51-RB UE signal at the gNB, per RB (linear)
    static double Snr()
    {
        const double s = std::pow(10.0, -0.7) / (kRbs * kRbHz) * 1e-10; // 23 dBm, 100 dB loss
        return s / (kKT * std::pow(10.0, 0.7));
    }
};

/**
 * @param kind what
 * @param cell cell
 * @param rnti UE
 * @param downlink direction
 * @param firstRb first RB
 * @param numRbs RBs
 * @return parameters of a signal
 */
Ptr<NrSpectrumSignalParameters>
Signal(uint16_t cell, uint16_t rnti, bool downlink, uint32_t firstRb, uint32_t numRbs)
{
    auto p = Create<NrSpectrumSignalParameters>();
    p->kind = NrSpectrumSignalParameters::Kind::DATA;
    p->cellId = cell;
    p->rnti = rnti;
    p->downlink = downlink;
    p->firstRb = firstRb;
    p->numRbs = numRbs;
    p->mcs = 0;
    return p;
}
} // namespace

/// SNR, NR interference on part of the band and part of the time, and a foreign signal.
class NrPhySinrTestCase : public TestCase
{
  public:
    NrPhySinrTestCase()
        : TestCase("SINR from the spectrum channel: noise, NR and foreign interference")
    {
    }

  private:
    void DoRun() override
    {
        const Time d = MicroSeconds(500);
        const double snr = Bench::Snr();
        // Link budget: -77 dBm over 18.36 MHz; noise -173.98 + 7 + 72.64 = -94.34 dBm -> 17.34 dB
        NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(snr), 17.34, 0.01, "SNR link budget");
        {
            Bench b;
            NS_TEST_ASSERT_MSG_EQ_TOL(
                b.gnb->GetNoisePsd()->operator[](0), kKT * std::pow(10.0, 0.7), 1e-30, "noise PSD");
            Simulator::Schedule(MilliSeconds(1),
                                [&] { b.ue->Transmit(Signal(1, 1, false, 0, kRbs), d); });
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(b.sinrs.size(), 1u, "one reception");
            NS_TEST_ASSERT_MSG_EQ_TOL(b.sinrs[0] / snr, 1.0, 1e-9, "no interference: SNR");
            NS_TEST_ASSERT_MSG_EQ(b.oks[0], true, "MCS 0 at 17 dB decodes");
            Simulator::Destroy();
        }
        {
            // Cell 2 transmits 23 dBm on RBs 0-24 over the whole TB: its PSD there is 51/25 times
            // the UE's. Per RB: g1 = S / (N + 51/25 S) on 0-24, g0 = S / N on 25-50.
            Bench b;
            Simulator::Schedule(MilliSeconds(1),
                                [&]
                                {
                                    b.ue->Transmit(Signal(1, 1, false, 0, kRbs), d);
                                    b.other->Transmit(Signal(2, 7, true, 0, 25), d);
                                });
            Simulator::Run();
            const double g1 = 1.0 / (1.0 / snr + 51.0 / 25.0);
            const double expect =
                std::pow(2.0, (25 * std::log2(1 + g1) + 26 * std::log2(1 + snr)) / 51) - 1;
            NS_TEST_ASSERT_MSG_EQ(b.sinrs.size(), 1u, "interferer of cell 2 is not received");
            NS_TEST_ASSERT_MSG_EQ_TOL(b.sinrs[0] / expect, 1.0, 1e-9, "partial-band interference");
            Simulator::Destroy();
        }
        {
            // The same interferer during the second half of the TB only: time average of bits.
            Bench b;
            Simulator::Schedule(MilliSeconds(1),
                                [&] { b.ue->Transmit(Signal(1, 1, false, 0, kRbs), d); });
            Simulator::Schedule(MilliSeconds(1) + d / 2,
                                [&] { b.other->Transmit(Signal(2, 7, true, 0, 25), d); });
            Simulator::Run();
            const double g1 = 1.0 / (1.0 / snr + 51.0 / 25.0);
            const double bits = (25 * (0.5 * std::log2(1 + g1) + 0.5 * std::log2(1 + snr)) +
                                 26 * std::log2(1 + snr)) /
                                51;
            NS_TEST_ASSERT_MSG_EQ_TOL(
                b.sinrs[0] / (std::pow(2.0, bits) - 1), 1.0, 1e-9, "half time");
            Simulator::Destroy();
        }
        {
            // A foreign 20 MHz signal (one band of its own spectrum model, as a Wi-Fi channel or a
            // non-Wi-Fi interferer would bring) whose PSD at the gNB equals the noise PSD: the
            // MultiModelSpectrumChannel maps it onto the RBs and the SINR drops by 3.01 dB.
            Bench b;
            BandInfo band;
            band.fl = 3.7e9 - 10e6;
            band.fc = 3.7e9;
            band.fh = 3.7e9 + 10e6;
            auto foreign = Create<SpectrumModel>(Bands{band});
            auto psd = Create<SpectrumValue>(foreign);
            (*psd) = kKT * std::pow(10.0, 0.7) * 1e10; // + 100 dB loss -> N at the gNB
            auto wg = CreateObject<WaveformGenerator>();
            auto mob = CreateObject<ConstantPositionMobilityModel>();
            mob->SetPosition(Vector(30, 0, 0)); // not co-located: ns-3 applies no loss at 0 m
            wg->SetMobility(mob);
            wg->SetChannel(b.channel);
            wg->SetTxPowerSpectralDensity(psd);
            wg->SetPeriod(MilliSeconds(5));
            wg->SetDutyCycle(1.0);
            Simulator::Schedule(MicroSeconds(500), &WaveformGenerator::Start, wg);
            Simulator::Schedule(MilliSeconds(1),
                                [&] { b.ue->Transmit(Signal(1, 1, false, 0, kRbs), d); });
            Simulator::Stop(MilliSeconds(3));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ_TOL(10 * std::log10(b.sinrs[0] / snr),
                                      -10 * std::log10(2.0),
                                      1e-6,
                                      "foreign signal = noise: -3.01 dB");
            Simulator::Destroy();
        }
    }
};

/// HARQ chase combining turns a lost TB into a decoded one on the retransmission.
class NrPhyHarqTestCase : public TestCase
{
  public:
    NrPhyHarqTestCase()
        : TestCase("HARQ chase combining at the receiver")
    {
    }

  private:
    void DoRun() override
    {
        // An equal-power co-channel interferer over the whole band: g = S / (N + S) = -0.079 dB.
        // Table 1 MCS 6 (SE 0.877) has its 10 % point at 10 log10(2^0.877 - 1) + 2 = 1.224 dB;
        // with sigma 0.2 dB one transmission has BLER Q((-0.079 - 1.224)/0.2 + 1.28) = 1 - 1e-7,
        // two combined (+3.01 dB) Q(9.8) ~ 0.
        Bench b;
        b.gnb->GetErrorModel()->SetAttribute("CurveSigmaDb", DoubleValue(0.2));
        b.gnb->AssignStreams(1);
        const Time d = MicroSeconds(500);
        auto send = [&](bool newData)
        {
            auto s = Signal(1, 1, false, 0, kRbs);
            s->mcs = 6;
            s->harqId = 3;
            s->newData = newData;
            b.ue->Transmit(s, d);
            b.other->Transmit(Signal(2, 7, true, 0, kRbs), d);
        };
        Simulator::Schedule(MilliSeconds(1), [&] { send(true); });
        Simulator::Schedule(MilliSeconds(2), [&] { send(false); });
        Simulator::Schedule(MilliSeconds(3), [&] { send(true); }); // new TB: buffer flushed
        Simulator::Run();
        const double g = 1.0 / (1.0 / Bench::Snr() + 1.0);
        NS_TEST_ASSERT_MSG_EQ(b.oks.size(), 3u, "three receptions");
        NS_TEST_ASSERT_MSG_EQ_TOL(b.sinrs[0] / g, 1.0, 1e-9, "S/(N+S)");
        NS_TEST_ASSERT_MSG_EQ(b.oks[0], false, "first transmission lost");
        NS_TEST_ASSERT_MSG_EQ(b.oks[1], true, "retransmission combined and decoded");
        NS_TEST_ASSERT_MSG_EQ(b.oks[2], false, "new data is not combined with the old TB");
        Simulator::Destroy();
    }
};

/// The suite.
class NrPhyTestSuite : public TestSuite
{
  public:
    NrPhyTestSuite()
        : TestSuite("fabtwin-nr-phy", Type::UNIT)
    {
        AddTestCase(new NrPhySinrTestCase, TestCase::Duration::QUICK);
        AddTestCase(new NrPhyHarqTestCase, TestCase::Duration::QUICK);
    }
};

static NrPhyTestSuite g_nrPhyTestSuite; ///< registers the suite
