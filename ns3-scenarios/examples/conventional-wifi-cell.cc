/*
 * conventional-wifi-cell: the benchmark's baseline, an ordinary ns-3 program.
 *
 * The same Wi-Fi cell as fabtwin's benchmark cell (scripts/bench/bench_wifi_scaling.py), built the
 * way an ns-3 user would: InternetStack, IPv4 addresses, UdpClient/UdpServer applications (one
 * uplink and one downlink control flow per station, 100 bytes every periodMs), ns-3's default
 * traffic control, and one overlapping BSS with its own UDP traffic. No twin, no bridge: it runs
 * the whole time in one Simulator::Run().
 *
 * Access category. The control flows are AC_VO like the benchmark cell's: the UdpClient's Tos is
 * 0xc0 (DSCP CS6). With an IP stack the traffic-control layer asks the WifiNetDevice which queue
 * a packet goes to, and WifiHelper's default callback (SelectQueueByDSField, qos-utils.h)
 * REPLACES the socket's priority tag with the three most significant bits of the DS field
 * (IEEE 802.11-2020 Table 10-1 maps that user priority to the access category): CS6 -> UP 6 ->
 * AC_VO. A Tos such as 0x10, whose socket priority (Socket::IpTos2Priority) is 6, ends up in
 * AC_BE (0x10 >> 5 = 0), and EF (0xb8) in AC_VI (UP 5). ns-3's own wifi-ac-mapping example uses
 * the same Tos values. The program counts the IPv4 QoS data frames enqueued per access category
 * at the cell's devices and prints them, so a run shows where its control frames went.
 *
 * Address resolution. The ARP caches are filled just before the traffic starts with ns-3's
 * NeighborCacheHelper (the helper ns-3 provides for simulations that do not study ARP); not
 * earlier, because a station's ARP cache is flushed when its link comes up at association.
 * fabtwin's cell has no ARP, and ARP requests are AC_BE broadcasts that a saturated VO cell
 * starves, which leaves the UDP packets dropped from ARP's 3-packet pending queue
 * (--populateArp=0 keeps ARP).
 *
 *   conventional-wifi-cell --stations=10 --simTime=1 [--periodMs=1 --obssStations=2]
 *
 * It prints one JSON line: stations, simulated and wall seconds, events executed, control packets
 * sent and received, stations associated when the traffic starts, and the IPv4 (control) QoS data
 * frames enqueued per access category at the cell's devices, and the other QoS data frames.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/llc-snap-header.h"
#include "ns3/mobility-module.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/network-module.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-wifi-helper.h"
#include "ns3/wifi-mac-queue.h"
#include "ns3/wifi-module.h"

#include <array>
#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>
#include <string>

using namespace ns3;

namespace
{

/// Position k of n on a circle of the given radius around the origin, at angle 2 pi k / n.
Vector
StationPosition(uint32_t k, uint32_t n, double radius)
{
    double a = 2 * M_PI * k / n;
    return Vector(radius * std::cos(a), radius * std::sin(a), 1.0);
}

/// One BSS: AP node first. Returns its devices.
NetDeviceContainer
InstallBss(NodeContainer nodes,
           const std::string& ssid,
           SpectrumWifiPhyHelper& phy,
           WifiHelper& wifi)
{
    WifiMacHelper mac;
    NetDeviceContainer devices;
    for (uint32_t i = 0; i < nodes.GetN(); ++i)
    {
        mac.SetType(i == 0 ? "ns3::ApWifiMac" : "ns3::StaWifiMac", "Ssid", SsidValue(Ssid(ssid)));
        devices.Add(wifi.Install(phy, mac, nodes.Get(i)));
    }
    return devices;
}

/// Traffic of one station's uplink and downlink UDP flows.
struct FlowSpec
{
    uint16_t portBase; ///< port = portBase + station index
    uint32_t size;     ///< UDP payload bytes
    Time interval;     ///< packet period
    uint8_t tos;       ///< IP ToS given to the UdpClient
    Time upStart;      ///< first uplink packet
    Time downStart;    ///< first downlink packet
    Time stop;         ///< last packet before
};

/**
 * Installs a UdpClient/UdpServer pair from station k to the AP (node 0) and one from the AP to
 * station k. Servers go into servers.
 */
void
AddUpAndDown(NodeContainer nodes,
             Ipv4InterfaceContainer ifs,
             uint32_t k,
             const FlowSpec& spec,
             ApplicationContainer& servers)
{
    auto add = [&](uint32_t src, uint32_t dst, Time start)
    {
        UdpServerHelper server(spec.portBase + k);
        servers.Add(server.Install(nodes.Get(dst)));
        UdpClientHelper client(ifs.GetAddress(dst), spec.portBase + k);
        client.SetAttribute("MaxPackets", UintegerValue(0));
        client.SetAttribute("Interval", TimeValue(spec.interval));
        client.SetAttribute("PacketSize", UintegerValue(spec.size));
        client.SetAttribute("Tos", UintegerValue(spec.tos));
        auto app = client.Install(nodes.Get(src));
        app.Start(start);
        app.Stop(spec.stop);
    };
    add(k, 0, spec.upStart);
    add(0, k, spec.downStart);
}

/**
 * Counts the IPv4 QoS data frames (the control flows' UDP packets: the cell has no other IPv4
 * traffic) enqueued in each access category's queue of the given devices, and the other QoS
 * data frames (IPv6 neighbour discovery, ARP when it runs).
 * @param devices the devices
 * @param ipv4 per-AC counters of IPv4 frames, indexed by AcIndex (AC_BE, AC_BK, AC_VI, AC_VO)
 * @param other counter of the other QoS data frames
 */
void
CountEnqueuesPerAc(const NetDeviceContainer& devices,
                   std::array<uint64_t, 4>& ipv4,
                   uint64_t& other)
{
    for (uint32_t i = 0; i < devices.GetN(); ++i)
    {
        auto mac = DynamicCast<WifiNetDevice>(devices.Get(i))->GetMac();
        for (AcIndex ac : {AC_BE, AC_BK, AC_VI, AC_VO})
        {
            mac->GetTxopQueue(ac)->TraceConnectWithoutContext(
                "Enqueue",
                Callback<void, Ptr<const WifiMpdu>>(
                    [&ipv4, &other, ac](Ptr<const WifiMpdu> mpdu)
                    {
                        if (!mpdu->GetHeader().IsQosData())
                        {
                            return;
                        }
                        LlcSnapHeader llc;
                        const bool isIpv4 = mpdu->GetPacket()->PeekHeader(llc) > 0 &&
                                            llc.GetType() == Ipv4L3Protocol::PROT_NUMBER;
                        isIpv4 ? ipv4[ac]++ : other++;
                    }));
        }
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t stations = 10;
    double simTime = 1.0;
    double warmup = 1.0;
    uint32_t obssStations = 2;
    double obssPeriodMs = 10;
    uint32_t obssSize = 1500;
    uint32_t seed = 1;
    double radius = 5.0;
    uint32_t tos = 0xc0;
    double periodMs = 1;
    bool populateArp = true;
    CommandLine cmd(__FILE__);
    cmd.AddValue("stations", "stations in the cell", stations);
    cmd.AddValue("simTime", "simulated seconds of traffic after the warm-up", simTime);
    cmd.AddValue("warmup", "simulated seconds for association before the traffic", warmup);
    cmd.AddValue("obssStations", "stations of the overlapping BSS (0: no OBSS)", obssStations);
    cmd.AddValue("obssPeriodMs", "OBSS packet period per stream (ms)", obssPeriodMs);
    cmd.AddValue("obssSize", "OBSS packet size (bytes)", obssSize);
    cmd.AddValue("seed", "RngRun", seed);
    cmd.AddValue("radius", "station distance from the AP (m)", radius);
    cmd.AddValue("tos",
                 "IP ToS of the control flows, decimal; the top 3 bits are the 802.11 user "
                 "priority (192 = 0xc0: AC_VO, as the benchmark cell; 160: AC_VI; 0: AC_BE; "
                 "32: AC_BK)",
                 tos);
    cmd.AddValue("periodMs", "packet period of each control flow (ms, > 0)", periodMs);
    cmd.AddValue(
        "populateArp", "fill the ARP caches when the traffic starts (no ARP)", populateArp);
    cmd.Parse(argc, argv);
    NS_ABORT_MSG_IF(stations < 1, "--stations must be >= 1, got " << stations);
    NS_ABORT_MSG_IF(tos > 0xff, "--tos must be in 0..255, got " << tos);
    NS_ABORT_MSG_IF(!(periodMs > 0), "--periodMs must be > 0, got " << periodMs);
    NS_ABORT_MSG_IF(!(simTime > 0), "--simTime must be > 0, got " << simTime);
    NS_ABORT_MSG_IF(!(warmup >= 0.01), "--warmup must be >= 0.01 s, got " << warmup);

    auto wall0 = std::chrono::steady_clock::now();
    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(seed);
    // Same MAC settings as fabtwin's cell (twin/config.py WifiConfig defaults).
    Config::SetDefault("ns3::WifiMacQueue::MaxSize", QueueSizeValue(QueueSize("500p")));
    Config::SetDefault("ns3::WifiMacQueue::MaxDelay", TimeValue(MilliSeconds(500)));
    Config::SetDefault("ns3::StaWifiMac::AssocRequestTimeout", TimeValue(MilliSeconds(50)));

    auto channel = CreateObject<MultiModelSpectrumChannel>();
    auto loss = CreateObject<LogDistancePropagationLossModel>();
    loss->SetAttribute("Exponent", DoubleValue(3.0));
    loss->SetAttribute("ReferenceDistance", DoubleValue(1.0));
    loss->SetAttribute("ReferenceLoss", DoubleValue(46.6777));
    channel->AddPropagationLossModel(loss);
    channel->SetPropagationDelayModel(CreateObject<ConstantSpeedPropagationDelayModel>());

    SpectrumWifiPhyHelper phy;
    phy.SetChannel(channel);
    phy.Set("ChannelSettings", StringValue("{0, 20, BAND_5GHZ, 0}"));
    phy.Set("TxPowerStart", DoubleValue(20.0));
    phy.Set("TxPowerEnd", DoubleValue(20.0));
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211ax);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager", "DataMode", StringValue("HeMcs7"));

    NodeContainer cell;
    cell.Create(stations + 1);
    NetDeviceContainer cellDevs = InstallBss(cell, "fabtwin", phy, wifi);
    NodeContainer obss;
    NetDeviceContainer obssDevs;
    if (obssStations > 0)
    {
        obss.Create(obssStations + 1);
        obssDevs = InstallBss(obss, "fabtwin-obss-0", phy, wifi);
    }
    for (uint32_t i = 0; i < cellDevs.GetN(); ++i)
    {
        DynamicCast<WifiNetDevice>(cellDevs.Get(i))
            ->GetHeConfiguration()
            ->SetGuardInterval(NanoSeconds(800));
    }
    int64_t stream = wifi.AssignStreams(cellDevs, 0);
    if (obssStations > 0)
    {
        wifi.AssignStreams(obssDevs, stream);
    }

    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(cell);
    cell.Get(0)->GetObject<MobilityModel>()->SetPosition(Vector(0, 0, 3));
    for (uint32_t k = 0; k < stations; ++k)
    {
        // Station k + 1 where the benchmark's fabtwin cell puts sta<k + 1>.
        cell.Get(k + 1)->GetObject<MobilityModel>()->SetPosition(
            StationPosition(k + 1, stations, radius));
    }
    if (obssStations > 0)
    {
        // Same place as the benchmark's ObssConfig: AP at (8, 0, 3), stations 2 m around it.
        mobility.Install(obss);
        obss.Get(0)->GetObject<MobilityModel>()->SetPosition(Vector(8, 0, 3));
        for (uint32_t k = 0; k < obssStations; ++k)
        {
            Vector p = StationPosition(k, obssStations, 2.0);
            obss.Get(k + 1)->GetObject<MobilityModel>()->SetPosition(Vector(8 + p.x, p.y, 1.0));
        }
    }

    InternetStackHelper internet;
    internet.Install(cell);
    Ipv4AddressHelper ip;
    ip.SetBase("10.1.0.0", "255.255.0.0");
    Ipv4InterfaceContainer cellIf = ip.Assign(cellDevs);
    Ipv4InterfaceContainer obssIf;
    if (obssStations > 0)
    {
        internet.Install(obss);
        ip.SetBase("10.2.0.0", "255.255.0.0");
        obssIf = ip.Assign(obssDevs);
    }
    std::array<uint64_t, 4> enqueuedPerAc{};
    uint64_t enqueuedOther = 0;
    CountEnqueuesPerAc(cellDevs, enqueuedPerAc, enqueuedOther);

    const Time start = Seconds(warmup);
    const Time stop = start + Seconds(simTime);
    ApplicationContainer servers;
    // Station k's uplink starts (k - 1) / stations of a period after the start, its downlink
    // half a period after its uplink (as the benchmark's cell): the stations' control loops are
    // not synchronized.
    const Time period = MicroSeconds(std::llround(periodMs * 1000));
    FlowSpec control{1000, 100, period, static_cast<uint8_t>(tos), start, start, stop};
    for (uint32_t k = 1; k <= stations; ++k)
    {
        control.upStart = start + period * (k - 1) / stations;
        control.downStart = control.upStart + period / 2;
        AddUpAndDown(cell, cellIf, k, control, servers);
    }
    ApplicationContainer obssServers;
    const FlowSpec background{2000, obssSize, MilliSeconds(obssPeriodMs), 0, start, start, stop};
    for (uint32_t k = 1; k <= obssStations; ++k)
    {
        AddUpAndDown(obss, obssIf, k, background, obssServers);
    }
    servers.Start(Seconds(0));
    obssServers.Start(Seconds(0));

    // Cost of the traffic phase only (the association warm-up is outside fabtwin's figure too):
    // wall and CPU time from the first packet to the end, and the events executed in between.
    auto cpuNow = []() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; };
    auto traffic0 = std::chrono::steady_clock::now();
    double cpu0 = 0;
    uint64_t events0 = 0;
    Simulator::Schedule(start,
                        [&]()
                        {
                            traffic0 = std::chrono::steady_clock::now();
                            cpu0 = cpuNow();
                            events0 = Simulator::GetEventCount();
                        });
    uint32_t associated = 0;
    Simulator::Schedule(start - MicroSeconds(1),
                        [&]()
                        {
                            for (uint32_t i = 1; i < cellDevs.GetN(); ++i)
                            {
                                auto sta = DynamicCast<StaWifiMac>(
                                    DynamicCast<WifiNetDevice>(cellDevs.Get(i))->GetMac());
                                associated += sta->IsAssociated() ? 1 : 0;
                            }
                            if (populateArp)
                            {
                                // After association: a station's ARP cache is flushed when its
                                // link comes up (ArpCache::Flush is a link-change callback).
                                NeighborCacheHelper().PopulateNeighborCache();
                            }
                        });
    Simulator::Stop(stop);
    Simulator::Run();
    auto run1 = std::chrono::steady_clock::now();
    const double cpu1 = cpuNow();

    uint64_t received = 0;
    for (uint32_t i = 0; i < servers.GetN(); ++i)
    {
        received += DynamicCast<UdpServer>(servers.Get(i))->GetReceived();
    }
    uint64_t sent = 0;
    for (uint32_t i = 0; i < cell.GetN(); ++i)
    {
        for (uint32_t a = 0; a < cell.Get(i)->GetNApplications(); ++a)
        {
            if (auto client = DynamicCast<UdpClient>(cell.Get(i)->GetApplication(a)))
            {
                sent += client->GetTotalTx() / control.size;
            }
        }
    }
    const double trafficWall = std::chrono::duration<double>(run1 - traffic0).count();
    const double totalWall = std::chrono::duration<double>(run1 - wall0).count();
    std::cout << "{\"stations\": " << stations << ", \"simulated_s\": " << simTime
              << ", \"warmup_s\": " << warmup << ", \"traffic_wall_s\": " << trafficWall
              << ", \"traffic_cpu_s\": " << cpu1 - cpu0 << ", \"total_wall_s\": " << totalWall
              << ", \"traffic_events\": " << Simulator::GetEventCount() - events0
              << ", \"sent\": " << sent << ", \"received\": " << received
              << ", \"associated_at_start\": " << associated << ", \"period_ms\": " << periodMs
              << ", \"tos\": " << tos << ", \"enqueued_by_ac\": {\"BE\": " << enqueuedPerAc[AC_BE]
              << ", \"BK\": " << enqueuedPerAc[AC_BK] << ", \"VI\": " << enqueuedPerAc[AC_VI]
              << ", \"VO\": " << enqueuedPerAc[AC_VO] << "}, \"enqueued_other\": " << enqueuedOther
              << "}" << std::endl;
    Simulator::Destroy();
    return 0;
}
