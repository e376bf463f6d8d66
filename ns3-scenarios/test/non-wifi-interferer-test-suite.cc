/*
 * fabtwin-non-wifi-interferers: duty-cycled, narrowband and bursty interferers on a
 * MultiModelSpectrumChannel, seen by a plain receiving SpectrumPhy.
 *
 *   build/<dir>/ns3-scenarios/fabtwin-ns3-tests --suite=fabtwin-non-wifi-interferers --verbose
 *
 * What is measured is what reaches the receiver through the channel: the fraction of time a
 * signal of the interferer is on the air, and its received power (integral of the received PSD).
 * The "On" trace source is checked against the same numbers.
 */

#include "bursty-interferer.h"
#include "duty-cycled-interferer.h"
#include "narrowband-interferer.h"
#include "non-wifi-interferer-helper.h"
#include "three-gpp-indoor-factory-propagation-loss-model.h"

#include "ns3/boolean.h"
#include "ns3/channel-condition-model.h"
#include "ns3/config.h"
#include "ns3/constant-position-mobility-model.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/mobility-helper.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/node.h"
#include "ns3/pointer.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-signal-parameters.h"
#include "ns3/spectrum-value.h"
#include "ns3/spectrum-wifi-helper.h"
#include "ns3/ssid.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy-state.h"
#include "ns3/wifi-phy.h"

#include <algorithm>
#include <cmath>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FabtwinNonWifiInterfererTest");

namespace
{

/// Receives every signal on the channel and keeps (start, duration, power) of each.
class RecordingReceiver : public SpectrumPhy
{
  public:
    /// One received signal.
    struct Rx
    {
        Time start;    //!< when it arrived
        Time duration; //!< how long it lasts
        double powerW; //!< integral of its received PSD, W
    };

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::FabtwinTestRecordingReceiver").SetParent<SpectrumPhy>();
        return tid;
    }

    /// @param model the receiver's band layout
    void SetRxSpectrumModel(Ptr<const SpectrumModel> model)
    {
        m_model = model;
    }

    void SetDevice(Ptr<NetDevice> d) override
    {
        m_device = d;
    }

    Ptr<NetDevice> GetDevice() const override
    {
        return m_device;
    }

    void SetMobility(Ptr<MobilityModel> m) override
    {
        m_mobility = m;
    }

    Ptr<MobilityModel> GetMobility() const override
    {
        return m_mobility;
    }

    void SetChannel(Ptr<SpectrumChannel> /* c */) override
    {
    }

    Ptr<const SpectrumModel> GetRxSpectrumModel() const override
    {
        return m_model;
    }

    Ptr<Object> GetAntenna() const override
    {
        return nullptr;
    }

    void StartRx(Ptr<SpectrumSignalParameters> params) override
    {
        m_rx.push_back({Simulator::Now(), params->duration, Integral(*params->psd)});
    }

    /**
     * @param from window start
     * @param to window end
     * @return the fraction of [from, to] covered by received signals
     */
    double OnFraction(Time from, Time to) const
    {
        Time on;
        for (const auto& r : m_rx)
        {
            const Time s = std::max(r.start, from);
            const Time e = std::min(r.start + r.duration, to);
            if (e > s)
            {
                on += e - s;
            }
        }
        return on.GetSeconds() / (to - from).GetSeconds();
    }

    std::vector<Rx> m_rx; //!< every received signal

  private:
    Ptr<const SpectrumModel> m_model;
    Ptr<MobilityModel> m_mobility;
    Ptr<NetDevice> m_device;
};

/// Collects the "On" trace of an interferer and integrates its on-time over a window.
class OnTraceProbe
{
  public:
    /**
     * @param oldValue previous state
     * @param newValue new state
     */
    void Changed(bool oldValue, bool newValue)
    {
        if (oldValue != newValue)
        {
            m_changes.emplace_back(Simulator::Now(), newValue);
        }
    }

    /**
     * @param from window start
     * @param to window end
     * @return the fraction of [from, to] the trace said on
     */
    double OnFraction(Time from, Time to) const
    {
        Time on;
        bool state = false;
        Time since = from;
        for (const auto& [t, value] : m_changes)
        {
            const Time at = std::clamp(t, from, to);
            if (state)
            {
                on += at - since;
            }
            state = value;
            since = at;
        }
        if (state)
        {
            on += to - since;
        }
        return on.GetSeconds() / (to - from).GetSeconds();
    }

    std::vector<std::pair<Time, bool>> m_changes; //!< (time, new state)
};

/// A node with a fixed position.
Ptr<Node>
MakeNode(const Vector& position)
{
    auto node = CreateObject<Node>();
    auto mobility = CreateObject<ConstantPositionMobilityModel>();
    mobility->SetPosition(position);
    node->AggregateObject(mobility);
    return node;
}

/// 1000 bins of 100 kHz over 2.40-2.50 GHz: a receiver finer than any interferer's one band.
Ptr<const SpectrumModel>
IsmReceiverModel()
{
    Bands bands;
    for (int i = 0; i < 1000; ++i)
    {
        const double fl = 2.40e9 + i * 100e3;
        bands.push_back({fl, fl + 50e3, fl + 100e3});
    }
    return Create<SpectrumModel>(bands);
}

/**
 * A channel with the InF loss model at 2.45 GHz, always LOS, no shadowing; a receiver on it.
 * @param rxPosition where the receiver is
 * @return (channel, receiver)
 */
std::pair<Ptr<MultiModelSpectrumChannel>, Ptr<RecordingReceiver>>
MakeChannelAndReceiver(const Vector& rxPosition)
{
    auto channel = CreateObject<MultiModelSpectrumChannel>();
    auto loss = CreateObjectWithAttributes<ThreeGppIndoorFactoryPropagationLossModel>(
        "Frequency",
        DoubleValue(2.45e9),
        "ShadowingEnabled",
        BooleanValue(false),
        "ChannelConditionModel",
        PointerValue(CreateObject<AlwaysLosChannelConditionModel>()));
    channel->AddPropagationLossModel(loss);
    auto rx = CreateObject<RecordingReceiver>();
    rx->SetRxSpectrumModel(IsmReceiverModel());
    rx->SetMobility(MakeNode(rxPosition)->GetObject<MobilityModel>());
    channel->AddRx(rx);
    return {channel, rx};
}

/// dBm of a power in W.
double
ToDbm(double w)
{
    return 10 * std::log10(w) + 30;
}

} // namespace

/**
 * A duty-cycled interferer is on for the configured fraction of time, on the channel and in its
 * trace, for duty 0, 0.25, 0.5, 0.75 and 1.
 */
class DutyCycleOnFractionTestCase : public TestCase
{
  public:
    DutyCycleOnFractionTestCase()
        : TestCase("duty-cycled interferer: measured on-time fraction equals DutyCycle")
    {
    }

  private:
    void DoRun() override
    {
        for (double duty : {0.0, 0.25, 0.5, 0.75, 1.0})
        {
            auto [channel, rx] = MakeChannelAndReceiver(Vector(10, 0, 1.5));
            NonWifiInterfererHelper helper;
            helper.SetChannel(channel);
            helper.SetInterferer("ns3::DutyCycledInterferer",
                                 "DutyCycle",
                                 DoubleValue(duty),
                                 "Period",
                                 TimeValue(MilliSeconds(20)));
            auto oven = helper.InstallAt(Vector(0, 0, 1.5));
            OnTraceProbe probe;
            oven->TraceConnectWithoutContext("On", MakeCallback(&OnTraceProbe::Changed, &probe));
            // 50 periods of 20 ms: the on-time is exactly duty * 1 s.
            Simulator::Stop(Seconds(1.2));
            Simulator::Run();
            NS_LOG_INFO("duty-cycled, DutyCycle " << duty << ": on-time fraction on the channel "
                                                  << rx->OnFraction(Seconds(0), Seconds(1)));
            NS_TEST_EXPECT_MSG_EQ_TOL(rx->OnFraction(Seconds(0), Seconds(1)),
                                      duty,
                                      1e-6,
                                      "on the channel, duty " << duty);
            NS_TEST_EXPECT_MSG_EQ_TOL(probe.OnFraction(Seconds(0), Seconds(1)),
                                      duty,
                                      1e-6,
                                      "in the On trace, duty " << duty);
            if (duty > 0 && duty < 1)
            {
                // Two transitions per period, 60 periods in 1.2 s.
                NS_TEST_EXPECT_MSG_EQ(probe.m_changes.size(), 120u, "on/off transitions");
            }
            Simulator::Destroy();
        }
    }
};

/// Bursty jammer: long-run on fraction E[on] / (E[on] + E[off]), exponential and constant.
class BurstyOnFractionTestCase : public TestCase
{
  public:
    BurstyOnFractionTestCase()
        : TestCase("bursty interferer: measured on-time fraction equals E[on] over E[on]+E[off]")
    {
    }

  private:
    void DoRun() override
    {
        // Exponential on (mean 5 ms) and off (mean 15 ms): duty 0.25. Over 60 s (3000 cycles) the
        // on-fraction of an alternating renewal process has variance about
        // 2 a^2 b^2 / ((a + b)^3 T) = 2 * 0.005^2 * 0.015^2 / (0.02^3 * 60) = 2.3e-5, std 0.0048;
        // the tolerance 0.02 is about 4 of them. Bursts above MaxSignalDuration (10 ms) are sent
        // as several signals, which the fraction must not double count.
        RngSeedManager::SetSeed(3);
        RngSeedManager::SetRun(1);
        {
            auto [channel, rx] = MakeChannelAndReceiver(Vector(10, 0, 1.5));
            NonWifiInterfererHelper helper;
            helper.SetChannel(channel);
            helper.SetInterferer("ns3::BurstyInterferer");
            auto jammer = helper.InstallAt(Vector(0, 0, 1.5));
            NonWifiInterfererHelper::AssignStreams(jammer, 50);
            OnTraceProbe probe;
            jammer->TraceConnectWithoutContext("On", MakeCallback(&OnTraceProbe::Changed, &probe));
            Simulator::Stop(Seconds(60));
            Simulator::Run();
            NS_LOG_INFO("bursty, exponential 5 ms on / 15 ms off: on-time fraction over 60 s "
                        << rx->OnFraction(Seconds(0), Seconds(60)) << " (expected 0.25)");
            NS_TEST_EXPECT_MSG_EQ_TOL(rx->OnFraction(Seconds(0), Seconds(60)),
                                      0.25,
                                      0.02,
                                      "exponential bursts on the channel");
            NS_TEST_EXPECT_MSG_EQ_TOL(probe.OnFraction(Seconds(0), Seconds(60)),
                                      rx->OnFraction(Seconds(0), Seconds(60)),
                                      1e-6,
                                      "On trace agrees with the channel");
            Simulator::Destroy();
        }
        // Constant 2 ms on, 8 ms off, starting with an off period: exactly 0.2 over 1 s.
        {
            auto [channel, rx] = MakeChannelAndReceiver(Vector(10, 0, 1.5));
            NonWifiInterfererHelper helper;
            helper.SetChannel(channel);
            helper.SetInterferer("ns3::BurstyInterferer",
                                 "OnTime",
                                 StringValue("ns3::ConstantRandomVariable[Constant=0.002]"),
                                 "OffTime",
                                 StringValue("ns3::ConstantRandomVariable[Constant=0.008]"));
            helper.InstallAt(Vector(0, 0, 1.5));
            Simulator::Stop(Seconds(1.1));
            Simulator::Run();
            NS_TEST_EXPECT_MSG_EQ_TOL(
                rx->OnFraction(Seconds(0), Seconds(1)), 0.2, 1e-6, "constant bursts");
            NS_TEST_EXPECT_MSG_EQ(rx->m_rx.size(), 110u, "one signal per 2 ms burst");
            NS_TEST_EXPECT_MSG_EQ(rx->m_rx.front().start, MilliSeconds(8), "starts with off");
            Simulator::Destroy();
        }
    }
};

/**
 * Received power at a distance equals the transmit power minus the path loss, for each kind of
 * interferer, through the channel's band conversion to a finer receiver.
 *
 * Interferer at (0, 0, 1.5), receiver at (20, 0, 1.5): InF LOS at 2.45 GHz, 20 m:
 * 31.84 + 21.5 log10(20) + 19 log10(2.45) = 31.84 + 27.9724 + 7.3939 = 67.2063 dB.
 */
class InterfererRxPowerTestCase : public TestCase
{
  public:
    InterfererRxPowerTestCase()
        : TestCase("interferers: received power = tx power - TR 38.901 InF LOS path loss")
    {
    }

  private:
    void DoRun() override
    {
        struct Case
        {
            const char* type;   //!< TypeId name
            double txDbm;       //!< tx power
            double centerHz;    //!< centre frequency
            double bandwidthHz; //!< bandwidth
        };

        const std::vector<Case> cases = {
            {"ns3::DutyCycledInterferer", 20.0, 2.45e9, 20e6},
            {"ns3::NarrowbandInterferer", 10.0, 2.4371e9, 10e3},
            {"ns3::BurstyInterferer", 30.0, 2.462e9, 5e6},
        };
        for (const auto& c : cases)
        {
            auto [channel, rx] = MakeChannelAndReceiver(Vector(20, 0, 1.5));
            NonWifiInterfererHelper helper;
            helper.SetChannel(channel);
            helper.SetInterferer(c.type,
                                 "TxPowerDbm",
                                 DoubleValue(c.txDbm),
                                 "CenterFrequency",
                                 DoubleValue(c.centerHz),
                                 "Bandwidth",
                                 DoubleValue(c.bandwidthHz));
            auto interferer = helper.InstallAt(Vector(0, 0, 1.5));
            Simulator::Stop(Seconds(0.5));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_GT(rx->m_rx.size(), 0u, c.type << " sent nothing");
            NS_LOG_INFO(c.type << " " << c.txDbm << " dBm at 20 m: received "
                               << ToDbm(rx->m_rx.front().powerW) << " dBm, by hand "
                               << c.txDbm - 67.2063 << " dBm");
            for (const auto& r : rx->m_rx)
            {
                NS_TEST_EXPECT_MSG_EQ_TOL(
                    ToDbm(r.powerW), c.txDbm - 67.2063, 1e-3, c.type << " rx power at 20 m");
            }
            // The transmitted PSD integrates to the tx power over exactly the configured band.
            auto psd = interferer->GetTxPowerSpectralDensity();
            NS_TEST_EXPECT_MSG_EQ_TOL(ToDbm(Integral(*psd)), c.txDbm, 1e-9, "tx power");
            const auto& band = *psd->ConstBandsBegin();
            NS_TEST_EXPECT_MSG_EQ_TOL(band.fh - band.fl, c.bandwidthHz, 1e-3, "bandwidth");
            NS_TEST_EXPECT_MSG_EQ_TOL(band.fc, c.centerHz, 1e-3, "centre frequency");
            Simulator::Destroy();
        }
    }
};

/// Any centre frequency, continuous tone on from start, Stop() lets the last signal finish.
class InterfererStartStopTestCase : public TestCase
{
  public:
    InterfererStartStopTestCase()
        : TestCase("interferers: continuous tone, start time, any band, stop")
    {
    }

  private:
    void DoRun() override
    {
        auto [channel, rx] = MakeChannelAndReceiver(Vector(5, 0, 1.5));
        NonWifiInterfererHelper helper;
        helper.SetChannel(channel);
        helper.SetStartTime(MilliSeconds(100));
        helper.SetInterferer("ns3::NarrowbandInterferer",
                             "CenterFrequency",
                             DoubleValue(2.44e9),
                             "MaxSignalDuration",
                             TimeValue(MilliSeconds(4)));
        auto tone = helper.InstallAt(Vector(0, 0, 1.5));
        // A 5.8 GHz duty-cycled source: outside the receiver's 2.4 GHz band, it reaches the
        // receiver with zero power in every bin (the channel converts what overlaps: nothing).
        helper.SetInterferer("ns3::DutyCycledInterferer",
                             "CenterFrequency",
                             DoubleValue(5.8e9),
                             "Bandwidth",
                             DoubleValue(40e6));
        auto far = helper.InstallAt(Vector(0, 1, 1.5));
        OnTraceProbe probe;
        tone->TraceConnectWithoutContext("On", MakeCallback(&OnTraceProbe::Changed, &probe));
        Simulator::Schedule(MilliSeconds(301), &NonWifiInterferer::Stop, tone);
        Simulator::Stop(Seconds(0.5));
        Simulator::Run();

        // On from 100 ms; signals of 4 ms: the one started at 300 ms runs to 304 ms after Stop().
        double tonePowerW = 0;
        double farPowerW = 0;
        Time firstTone = Seconds(10);
        Time lastToneEnd;
        for (const auto& r : rx->m_rx)
        {
            if (r.powerW > 0 && r.duration == MilliSeconds(4))
            {
                tonePowerW = r.powerW;
                firstTone = std::min(firstTone, r.start);
                lastToneEnd = std::max(lastToneEnd, r.start + r.duration);
            }
            else
            {
                farPowerW += r.powerW;
            }
        }
        NS_TEST_EXPECT_MSG_GT(tonePowerW, 0.0, "tone received");
        NS_TEST_EXPECT_MSG_EQ(firstTone, MilliSeconds(100), "StartTime");
        NS_TEST_EXPECT_MSG_EQ(lastToneEnd, MilliSeconds(304), "last signal after Stop()");
        NS_TEST_EXPECT_MSG_EQ(tone->IsOn(), false, "off after the last signal");
        NS_TEST_EXPECT_MSG_EQ_TOL(
            probe.OnFraction(MilliSeconds(100), MilliSeconds(304)), 1.0, 1e-9, "continuously on");
        NS_TEST_EXPECT_MSG_EQ(probe.m_changes.size(), 2u, "one on, one off");
        NS_TEST_EXPECT_MSG_EQ(farPowerW, 0.0, "5.8 GHz source puts nothing in 2.4 GHz bins");
        NS_TEST_EXPECT_MSG_EQ(far->IsRunning(), true, "the 5.8 GHz source still runs");
        Simulator::Destroy();
    }
};

/**
 * A SpectrumWifiPhy on the same channel sees a duty-cycled interferer as energy: its CCA is busy
 * for the interferer's on-time fraction (802.11ax station on 2.4 GHz channel 1, interferer 20 MHz
 * on 2412 MHz at 10 m, -40.8 dBm received, far above the -62 dBm CCA energy-detection threshold).
 */
class WifiSeesInterfererTestCase : public TestCase
{
  public:
    WifiSeesInterfererTestCase()
        : TestCase("a SpectrumWifiPhy is CCA-busy for the interferer's duty cycle")
    {
    }

  private:
    /**
     * @param start state start
     * @param duration state duration
     * @param state the state
     */
    void State(Time start, Time duration, WifiPhyState state)
    {
        if (state == WifiPhyState::CCA_BUSY)
        {
            const Time s = std::max(start, Seconds(0));
            const Time e = std::min(start + duration, Seconds(1));
            if (e > s)
            {
                m_busy += e - s;
            }
        }
    }

    void DoRun() override
    {
        for (double duty : {0.25, 0.5, 0.75})
        {
            m_busy = Seconds(0);
            auto channel = CreateObject<MultiModelSpectrumChannel>();
            channel->AddPropagationLossModel(
                CreateObjectWithAttributes<ThreeGppIndoorFactoryPropagationLossModel>(
                    "Frequency",
                    DoubleValue(2.412e9),
                    "ShadowingEnabled",
                    BooleanValue(false),
                    "ChannelConditionModel",
                    PointerValue(CreateObject<AlwaysLosChannelConditionModel>())));
            NodeContainer sta;
            sta.Create(1);
            MobilityHelper mobility;
            mobility.Install(sta);
            SpectrumWifiPhyHelper phy;
            phy.SetChannel(channel);
            phy.Set("ChannelSettings", StringValue("{1, 20, BAND_2_4GHZ, 0}"));
            WifiHelper wifi;
            wifi.SetStandard(WIFI_STANDARD_80211ax);
            WifiMacHelper mac;
            mac.SetType("ns3::StaWifiMac",
                        "Ssid",
                        SsidValue(Ssid("cell")),
                        "ActiveProbing",
                        BooleanValue(false));
            auto devices = wifi.Install(phy, mac, sta);
            auto wifiPhy = DynamicCast<WifiNetDevice>(devices.Get(0))->GetPhy();
            wifiPhy->GetState()->TraceConnectWithoutContext(
                "State", MakeCallback(&WifiSeesInterfererTestCase::State, this));

            NonWifiInterfererHelper helper;
            helper.SetChannel(channel);
            helper.SetInterferer("ns3::DutyCycledInterferer",
                                 "CenterFrequency",
                                 DoubleValue(2.412e9),
                                 "DutyCycle",
                                 DoubleValue(duty));
            helper.InstallAt(Vector(10, 0, 0));
            Simulator::Stop(Seconds(1.1));
            Simulator::Run();
            NS_LOG_INFO("SpectrumWifiPhy CCA-busy fraction with DutyCycle " << duty << ": "
                                                                            << m_busy.GetSeconds());
            NS_TEST_EXPECT_MSG_EQ_TOL(
                m_busy.GetSeconds(), duty, 0.002, "CCA busy fraction, duty " << duty);
            Simulator::Destroy();
        }
    }

    Time m_busy; //!< CCA-busy time within [0, 1 s]
};

/// The suite.
class NonWifiInterfererTestSuite : public TestSuite
{
  public:
    NonWifiInterfererTestSuite()
        : TestSuite("fabtwin-non-wifi-interferers", Type::UNIT)
    {
        AddTestCase(new DutyCycleOnFractionTestCase, TestCase::Duration::QUICK);
        AddTestCase(new BurstyOnFractionTestCase, TestCase::Duration::QUICK);
        AddTestCase(new InterfererRxPowerTestCase, TestCase::Duration::QUICK);
        AddTestCase(new InterfererStartStopTestCase, TestCase::Duration::QUICK);
        AddTestCase(new WifiSeesInterfererTestCase, TestCase::Duration::QUICK);
    }
};

static NonWifiInterfererTestSuite g_nonWifiInterfererTestSuite; ///< registers the suite
