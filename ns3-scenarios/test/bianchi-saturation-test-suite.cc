/*
 * fabtwin-bianchi-saturation: DCF saturation throughput of ns-3's 802.11a MAC/PHY against
 * G. Bianchi, "Performance Analysis of the IEEE 802.11 Distributed Coordination Function",
 * IEEE JSAC 18(3), March 2000 (basic access, eqs. (7), (9), (13) and the Ts/Tc of section IV-A).
 *
 *   build/<dir>/ns3-scenarios/fabtwin-ns3-tests --suite=fabtwin-bianchi-saturation --verbose
 *
 * N = 5, 10 and 20 saturated stations send 1500-byte packets to one receiver over 802.11a at
 * 54 Mb/s (constant rate, ACKs at 24 Mb/s, RTS/CTS off, non-QoS DCF, all stations within 2 m:
 * no hidden nodes, no channel errors). The measured payload throughput must be within 10 % of
 * the model, whose fixed point and timing are computed here. docs/wifi.md has the derivation.
 */

#include "ns3/adhoc-wifi-mac.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/mobility-helper.h"
#include "ns3/mobility-model.h"
#include "ns3/packet.h"
#include "ns3/queue-size.h"
#include "ns3/rng-seed-manager.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/test.h"
#include "ns3/wifi-helper.h"
#include "ns3/wifi-mac-helper.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-net-device.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-tx-vector.h"
#include "ns3/yans-wifi-helper.h"

#include <cmath>
#include <vector>

using namespace ns3;

NS_LOG_COMPONENT_DEFINE("FabtwinBianchiSaturationTest");

namespace
{

// IEEE 802.11-2020 clause 17 (OFDM PHY), 20 MHz channel spacing.
const Time kSlot = MicroSeconds(9);               ///< aSlotTime, Table 17-21
const Time kSifs = MicroSeconds(16);              ///< aSIFSTime, Table 17-21
const Time kDifs = kSifs + 2 * kSlot;             ///< DIFS = aSIFSTime + 2 x aSlotTime, 10.3.2.3.7
const Time kPreambleAndSignal = MicroSeconds(20); ///< T_PREAMBLE 16 us + T_SIGNAL 4 us, 17.3.2.4
const Time kSymbol = MicroSeconds(4);             ///< T_SYM, Table 17-5
constexpr uint32_t kCwMin = 15;                   ///< aCWmin, Table 17-21: W = CWmin + 1 = 16
constexpr uint32_t kBackoffStages = 6;            ///< aCWmax = 1023 = 2^6 x 16 - 1: m = 6
constexpr uint32_t kPayloadBytes = 1500;          ///< application payload per packet
/// MPDU: 24-byte non-QoS data MAC header + 8-byte LLC/SNAP + payload + 4-byte FCS (9.3.2.1).
constexpr uint32_t kMpduBytes = 24 + 8 + kPayloadBytes + 4;
constexpr uint32_t kAckBytes = 14; ///< ACK frame, 9.3.1.3

/**
 * PPDU duration of an OFDM frame, 17.3.5.4 (eq. 17-11/17-29):
 * T = T_PREAMBLE + T_SIGNAL + T_SYM x ceil((16 + 8 x LENGTH + 6) / N_DBPS)
 * (16 SERVICE bits and 6 tail bits).
 */
Time
OfdmDuration(uint32_t bytes, uint32_t nDbps)
{
    const uint32_t bits = 16 + 8 * bytes + 6;
    return kPreambleAndSignal + kSymbol * static_cast<int64_t>((bits + nDbps - 1) / nDbps);
}

/// Bianchi's model for n stations: saturation throughput in bit/s, and tau and p.
struct BianchiResult
{
    double tau;
    double p;
    double throughputBps;
};

BianchiResult
Bianchi(uint32_t n, Time ts, Time tc)
{
    const double w = kCwMin + 1;
    const uint32_t m = kBackoffStages;
    // Eq. (7) written as tau = 2 / (1 + W + p W sum_{k=0}^{m-1} (2p)^k), which has no 0/0 at
    // p = 1/2; eq. (9): p = 1 - (1 - tau)^(n-1). f(p) = p - (1 - (1 - tau(p))^(n-1)) increases
    // in p from f(0) < 0 to f(1) > 0: bisection.
    auto tauOf = [w, m](double p)
    {
        double sum = 0;
        for (uint32_t k = 0; k < m; ++k)
        {
            sum += std::pow(2 * p, k);
        }
        return 2 / (1 + w + p * w * sum);
    };
    double lo = 0;
    double hi = 1;
    for (int it = 0; it < 200; ++it)
    {
        double mid = 0.5 * (lo + hi);
        double f = mid - (1 - std::pow(1 - tauOf(mid), n - 1));
        (f < 0 ? lo : hi) = mid;
    }
    const double p = 0.5 * (lo + hi);
    const double tau = tauOf(p);
    // Eq. (13): S = Ps Ptr E[P] / ((1 - Ptr) sigma + Ptr Ps Ts + Ptr (1 - Ps) Tc).
    const double ptr = 1 - std::pow(1 - tau, n);
    const double ps = n * tau * std::pow(1 - tau, n - 1) / ptr;
    const double payloadBits = 8.0 * kPayloadBytes;
    const double denom = (1 - ptr) * kSlot.GetSeconds() + ptr * ps * ts.GetSeconds() +
                         ptr * (1 - ps) * tc.GetSeconds();
    return {tau, p, ps * ptr * payloadBits / denom};
}

/**
 * N saturated 802.11a stations sending to one receiver; measured saturation throughput vs
 * Bianchi's model.
 */
class BianchiSaturationTestCase : public TestCase
{
  public:
    explicit BianchiSaturationTestCase(uint32_t n)
        : TestCase("DCF saturation throughput of " + std::to_string(n) +
                   " stations within 10 % of Bianchi's model")
        , m_n(n)
    {
    }

  private:
    void DoRun() override;
    void TopUp();

    uint32_t m_n;
    std::vector<Ptr<WifiNetDevice>> m_devices; ///< receiver first
    uint64_t m_rxBytes{0};
    bool m_counting{false};
};

/// Queue depth kept at every sender: far more than one station sends in a refill period.
constexpr uint32_t kQueueDepth = 32;
/// Refill period of the senders' queues.
const Time kTopUpPeriod = MilliSeconds(1);

void
BianchiSaturationTestCase::TopUp()
{
    for (uint32_t i = 1; i < m_devices.size(); ++i)
    {
        auto queue = m_devices[i]->GetMac()->GetTxopQueue(AC_BE_NQOS);
        while (queue->GetNPackets() < kQueueDepth)
        {
            m_devices[i]->Send(Create<Packet>(kPayloadBytes), m_devices[0]->GetAddress(), 0x88B5);
        }
    }
    Simulator::Schedule(kTopUpPeriod, &BianchiSaturationTestCase::TopUp, this);
}

void
BianchiSaturationTestCase::DoRun()
{
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(7);
    NodeContainer nodes;
    nodes.Create(m_n + 1);

    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode",
                                 StringValue("OfdmRate54Mbps"),
                                 "ControlMode",
                                 StringValue("OfdmRate24Mbps"));
    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac", "QosSupported", BooleanValue(false));
    NetDeviceContainer devices = wifi.Install(phy, mac, nodes);
    wifi.AssignStreams(devices, 0);

    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(nodes);
    // Receiver at the centre, senders on a 1 m circle: every pair within 2 m, equal powers at the
    // receiver, so no hidden node, no capture and no channel error at 54 Mb/s.
    for (uint32_t i = 1; i <= m_n; ++i)
    {
        double a = 2 * M_PI * i / m_n;
        nodes.Get(i)->GetObject<MobilityModel>()->SetPosition(Vector(std::cos(a), std::sin(a), 0));
    }

    m_devices.clear();
    for (uint32_t i = 0; i <= m_n; ++i)
    {
        auto dev = DynamicCast<WifiNetDevice>(devices.Get(i));
        // Saturation: no queue drop and no lifetime expiry.
        auto queue = dev->GetMac()->GetTxopQueue(AC_BE_NQOS);
        queue->SetAttribute("MaxSize", QueueSizeValue(QueueSize("1000p")));
        queue->SetAttribute("MaxDelay", TimeValue(Seconds(100)));
        m_devices.push_back(dev);
    }
    m_devices[0]->SetReceiveCallback(NetDevice::ReceiveCallback(
        [this](Ptr<NetDevice>, Ptr<const Packet> p, uint16_t, const Address&)
        {
            m_rxBytes += m_counting ? p->GetSize() : 0;
            return true;
        }));

    // The PHY's own frame durations agree with clause 17 as computed here.
    auto wphy = m_devices[0]->GetPhy();
    const Time tData = OfdmDuration(kMpduBytes, 216); // 54 Mb/s: N_DBPS = 216, Table 17-4
    const Time tAck = OfdmDuration(kAckBytes, 96);    // 24 Mb/s: N_DBPS = 96
    WifiTxVector dataVector;
    dataVector.SetMode(WifiMode("OfdmRate54Mbps"));
    dataVector.SetChannelWidth(MHz_u{20});
    WifiTxVector ackVector;
    ackVector.SetMode(WifiMode("OfdmRate24Mbps"));
    ackVector.SetChannelWidth(MHz_u{20});
    NS_TEST_ASSERT_MSG_EQ(WifiPhy::CalculateTxDuration(kMpduBytes, dataVector, wphy->GetPhyBand()),
                          tData,
                          "data PPDU duration");
    NS_TEST_ASSERT_MSG_EQ(WifiPhy::CalculateTxDuration(kAckBytes, ackVector, wphy->GetPhyBand()),
                          tAck,
                          "ACK PPDU duration");
    NS_TEST_ASSERT_MSG_EQ(wphy->GetSlot(), kSlot, "slot");
    NS_TEST_ASSERT_MSG_EQ(wphy->GetSifs(), kSifs, "SIFS");

    // Bianchi section IV-A, basic access (propagation delay ~3 ns, neglected):
    // Ts = H + E[P] + SIFS + ACK + DIFS, Tc = H + E[P*] + DIFS (the PHY header is in the PPDU
    // durations).
    const Time ts = tData + kSifs + tAck + kDifs;
    const Time tc = tData + kDifs;
    const BianchiResult model = Bianchi(m_n, ts, tc);

    const Time warmup = MilliSeconds(200);
    const Time measure = Seconds(2);
    Simulator::Schedule(MilliSeconds(1), &BianchiSaturationTestCase::TopUp, this);
    Simulator::Schedule(warmup, [this]() { m_counting = true; });
    Simulator::Stop(warmup + measure);
    Simulator::Run();
    Simulator::Destroy();

    const double measured = 8.0 * m_rxBytes / measure.GetSeconds();
    NS_LOG_INFO("N=" << m_n << " Ts=" << ts.As(Time::US) << " Tc=" << tc.As(Time::US) << " tau="
                     << model.tau << " p=" << model.p << " Bianchi=" << model.throughputBps / 1e6
                     << " Mb/s measured=" << measured / 1e6
                     << " Mb/s ratio=" << measured / model.throughputBps);
    std::cout << "bianchi N=" << m_n << " tau=" << model.tau << " p=" << model.p
              << " model_mbps=" << model.throughputBps / 1e6 << " measured_mbps=" << measured / 1e6
              << " ratio=" << measured / model.throughputBps << std::endl;
    NS_TEST_ASSERT_MSG_EQ_TOL(measured / model.throughputBps,
                              1.0,
                              0.10,
                              "saturation throughput vs Bianchi for N=" << m_n);
}

/// The suite.
class BianchiSaturationTestSuite : public TestSuite
{
  public:
    BianchiSaturationTestSuite()
        : TestSuite("fabtwin-bianchi-saturation", Type::SYSTEM)
    {
        for (uint32_t n : {5, 10, 20})
        {
            AddTestCase(new BianchiSaturationTestCase(n), TestCase::Duration::QUICK);
        }
    }
};

} // namespace

static BianchiSaturationTestSuite g_bianchiSaturationTestSuite; ///< registers the suite
