#include "obss-builder.h"

#include "ns3/double.h"
#include "ns3/he-configuration.h"
#include "ns3/log.h"
#include "ns3/mobility-helper.h"
#include "ns3/pointer.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/spectrum-wifi-helper.h"
#include "ns3/ssid.h"
#include "ns3/sta-wifi-mac.h"
#include "ns3/string.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-phy-operating-channel.h"

#include <cmath>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("ObssBss");

namespace
{

/// EtherType of OBSS packets (IEEE 802 local experimental 2; the cell uses experimental 1).
constexpr uint16_t kObssEtherType = 0x88B6;
/// A saturated OBSS refills its queues this often.
const Time kTopUpPeriod = MilliSeconds(1);
/// Packets kept queued per stream of a saturated OBSS: more than a 5.484 ms HE PPDU (the longest,
/// IEEE 802.11ax-2021 Table 27-54 aPPDUMaxTime) carries at MCS 11 in 20 MHz with 1500-byte
/// packets (about 70), so that the queue never runs dry between refills.
constexpr uint32_t kSaturationDepth = 96;

WifiPhyBand
BandOf(const std::string& band)
{
    if (band == "2.4GHz")
    {
        return WIFI_PHY_BAND_2_4GHZ;
    }
    return band == "6GHz" ? WIFI_PHY_BAND_6GHZ : WIFI_PHY_BAND_5GHZ;
}

std::string
BandToken(const std::string& band)
{
    if (band == "2.4GHz")
    {
        return "BAND_2_4GHZ";
    }
    return band == "6GHz" ? "BAND_6GHZ" : "BAND_5GHZ";
}

AcIndex
AcOfTid(uint8_t tid)
{
    // IEEE 802.11-2020 Table 10-1.
    switch (tid)
    {
        case 6:
        case 7:
            return AC_VO;
        case 4:
        case 5:
            return AC_VI;
        case 1:
        case 2:
            return AC_BK;
        default:
            return AC_BE;
    }
}

} // namespace

ObssBss::ObssBss(ObssDescription desc, uint32_t index)
    : m_desc(std::move(desc))
    , m_index(index)
{
}

void
ObssBss::Build(Ptr<SpectrumChannel> channel, const WifiDescription& cellWifi)
{
    const std::string path = "obss[" + std::to_string(m_index) + "]";
    uint32_t number = m_desc.channelNumber ? m_desc.channelNumber : cellWifi.channelNumber;
    if (number != 0 &&
        WifiPhyOperatingChannel::FindFirst(number,
                                           MHz_u{0},
                                           MHz_u{static_cast<double>(cellWifi.channelWidthMhz)},
                                           WIFI_STANDARD_80211ax,
                                           BandOf(cellWifi.band)) ==
            WifiPhyOperatingChannel::m_frequencyChannels.end())
    {
        throw std::invalid_argument("cell description: " + path +
                                    ".channel_number: " + std::to_string(number) + " is not a " +
                                    std::to_string(cellWifi.channelWidthMhz) +
                                    " MHz channel of the " + cellWifi.band + " band");
    }
    const uint32_t n = m_desc.stations + 1;
    m_nodes.Create(n);

    SpectrumWifiPhyHelper phy;
    phy.SetChannel(channel);
    phy.Set("ChannelSettings",
            StringValue("{" + std::to_string(number) + ", " +
                        std::to_string(cellWifi.channelWidthMhz) + ", " + BandToken(cellWifi.band) +
                        ", 0}"));
    phy.Set("TxPowerStart", DoubleValue(m_desc.txPowerDbm));
    phy.Set("TxPowerEnd", DoubleValue(m_desc.txPowerDbm));

    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode",
                                 StringValue("HeMcs" + std::to_string(m_desc.mcs)));
    WifiMacHelper mac;
    Ssid ssid("fabtwin-obss-" + std::to_string(m_index));
    m_devices.clear();
    for (uint32_t i = 0; i < n; ++i)
    {
        mac.SetType(i == 0 ? "ns3::ApWifiMac" : "ns3::StaWifiMac", "Ssid", SsidValue(ssid));
        auto dev = DynamicCast<WifiNetDevice>(wifi.Install(phy, mac, m_nodes.Get(i)).Get(0));
        dev->GetHeConfiguration()->SetGuardInterval(NanoSeconds(cellWifi.guardIntervalNs));
        dev->SetReceiveCallback(NetDevice::ReceiveCallback(
            [this](Ptr<NetDevice>, Ptr<const Packet>, uint16_t protocol, const Address&)
            {
                m_delivered += (protocol == kObssEtherType);
                return true;
            }));
        m_devices.push_back(dev);
    }

    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(m_nodes);
    const auto& a = m_desc.apPositionM;
    m_nodes.Get(0)->GetObject<MobilityModel>()->SetPosition(Vector(a[0], a[1], a[2]));
    for (uint32_t k = 0; k < m_desc.stations; ++k)
    {
        double angle = 2 * M_PI * k / m_desc.stations;
        m_nodes.Get(k + 1)->GetObject<MobilityModel>()->SetPosition(
            Vector(a[0] + m_desc.stationRadiusM * std::cos(angle),
                   a[1] + m_desc.stationRadiusM * std::sin(angle),
                   m_desc.stationHeightM));
    }

    m_streams.clear();
    for (uint32_t k = 1; k < n; ++k)
    {
        if (m_desc.direction != "down")
        {
            m_streams.push_back({k, 0});
        }
        if (m_desc.direction != "up")
        {
            m_streams.push_back({0, k});
        }
    }
    m_phase = CreateObject<UniformRandomVariable>();
    m_gap = CreateObject<ExponentialRandomVariable>();
    m_gap->SetAttribute("Mean", DoubleValue(1.0 / m_desc.ratePps));
}

int64_t
ObssBss::AssignStreams(int64_t stream)
{
    NetDeviceContainer devices;
    for (const auto& d : m_devices)
    {
        devices.Add(d);
    }
    WifiHelper wifi;
    int64_t used = wifi.AssignStreams(devices, stream);
    m_phase->SetStream(stream + used);
    m_gap->SetStream(stream + used + 1);
    return used + 2;
}

bool
ObssBss::AllAssociated() const
{
    for (std::size_t i = 1; i < m_devices.size(); ++i)
    {
        auto sta = DynamicCast<StaWifiMac>(m_devices[i]->GetMac());
        if (!sta || !sta->IsAssociated())
        {
            return false;
        }
    }
    return true;
}

const std::vector<Ptr<WifiNetDevice>>&
ObssBss::GetDevices() const
{
    return m_devices;
}

uint64_t
ObssBss::GetDeliveredPackets() const
{
    return m_delivered;
}

void
ObssBss::StartTraffic(Time at)
{
    at += Seconds(m_desc.startS);
    const Time delay = at - Simulator::Now();
    m_delivered = 0;
    if (m_desc.load == "saturated")
    {
        Simulator::Schedule(delay, &ObssBss::TopUp, this);
        return;
    }
    // Random phases, so that the streams of a periodic OBSS do not all send at the same instant.
    for (uint32_t s = 0; s < m_streams.size(); ++s)
    {
        if (m_desc.load == "periodic")
        {
            Time offset = Seconds(m_phase->GetValue(0, m_desc.periodS));
            Simulator::Schedule(delay + offset, &ObssBss::SendPeriodic, this, s);
        }
        else
        {
            Simulator::Schedule(delay + Seconds(m_gap->GetValue()), &ObssBss::SendPoisson, this, s);
        }
    }
}

void
ObssBss::Send(const Stream& s)
{
    Ptr<Packet> p = Create<Packet>(m_desc.sizeBytes);
    SocketPriorityTag prio; // WifiMac maps the priority to the TID, hence the access category
    prio.SetPriority(m_desc.tid);
    p->AddPacketTag(prio);
    m_devices[s.src]->Send(p, m_devices[s.dst]->GetAddress(), kObssEtherType);
}

void
ObssBss::TopUp()
{
    // Round robin over the streams, so that the AP's downlink queue holds every station's packets.
    const AcIndex ac = AcOfTid(m_desc.tid);
    std::vector<uint32_t> target(m_devices.size(), 0);
    for (const auto& s : m_streams)
    {
        target[s.src] += kSaturationDepth;
    }
    bool added = true;
    while (added)
    {
        added = false;
        for (const auto& s : m_streams)
        {
            auto queue = m_devices[s.src]->GetMac()->GetTxopQueue(ac);
            const uint32_t before = queue->GetNPackets();
            if (before < target[s.src])
            {
                Send(s);
                // A full queue (wifi.max_queue_packets) refuses the packet: stop there.
                added = added || queue->GetNPackets() > before;
            }
        }
    }
    Simulator::Schedule(kTopUpPeriod, &ObssBss::TopUp, this);
}

void
ObssBss::SendPeriodic(uint32_t stream)
{
    Send(m_streams[stream]);
    Simulator::Schedule(Seconds(m_desc.periodS), &ObssBss::SendPeriodic, this, stream);
}

void
ObssBss::SendPoisson(uint32_t stream)
{
    Send(m_streams[stream]);
    Simulator::Schedule(Seconds(m_gap->GetValue()), &ObssBss::SendPoisson, this, stream);
}

std::vector<std::unique_ptr<ObssBss>>
BuildObss(const std::vector<ObssDescription>& descs,
          Ptr<SpectrumChannel> channel,
          const WifiDescription& cellWifi,
          int64_t& stream)
{
    std::vector<std::unique_ptr<ObssBss>> out;
    for (uint32_t i = 0; i < descs.size(); ++i)
    {
        auto bss = std::make_unique<ObssBss>(descs[i], i);
        bss->Build(channel, cellWifi);
        stream += bss->AssignStreams(stream);
        out.push_back(std::move(bss));
    }
    return out;
}

std::string
UnassociatedObss(const std::vector<std::unique_ptr<ObssBss>>& obss)
{
    std::string names;
    for (uint32_t i = 0; i < obss.size(); ++i)
    {
        if (!obss[i]->AllAssociated())
        {
            names += (names.empty() ? "obss[" : ", obss[") + std::to_string(i) + "]";
        }
    }
    return names;
}

} // namespace ns3
