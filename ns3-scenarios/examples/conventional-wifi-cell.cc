/*
 * conventional-wifi-cell: the benchmark's baseline, an ordinary ns-3 program.
 *
 * The same Wi-Fi cell as fabtwin's benchmark cell (scripts/bench/bench_wifi_scaling.py), built the
 * way an ns-3 user would: InternetStack, IPv4 addresses, UdpClient/UdpServer applications (one
 * uplink and one downlink control flow per station, 100 bytes every 1 ms, AC_BE like the benchmark
 * cell's flows), ns-3's default traffic control, and one overlapping BSS with its
 * own UDP traffic. No twin, no bridge: it runs the whole time in one Simulator::Run().
 *
 *   conventional-wifi-cell --stations=10 --simTime=1 [--obssStations=2 --obssPeriodMs=10]
 *
 * It prints one JSON line: stations, simulated and wall seconds, events executed, packets sent
 * and received by the control flows.
 */

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/multi-model-spectrum-channel.h"
#include "ns3/network-module.h"
#include "ns3/propagation-delay-model.h"
#include "ns3/propagation-loss-model.h"
#include "ns3/spectrum-wifi-helper.h"
#include "ns3/wifi-module.h"

#include <chrono>
#include <cmath>
#include <ctime>
#include <iostream>

using namespace ns3;

namespace
{

/// Positions shared with the benchmark's fabtwin cell: AP at (0, 0, 3), stations on a circle.
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
    uint32_t tos = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("stations", "stations in the cell", stations);
    cmd.AddValue("simTime", "simulated seconds of traffic after the warm-up", simTime);
    cmd.AddValue("warmup", "simulated seconds for association before the traffic", warmup);
    cmd.AddValue("obssStations", "stations of the overlapping BSS (0: no OBSS)", obssStations);
    cmd.AddValue("obssPeriodMs", "OBSS packet period per stream (ms)", obssPeriodMs);
    cmd.AddValue("obssSize", "OBSS packet size (bytes)", obssSize);
    cmd.AddValue("seed", "RngRun", seed);
    cmd.AddValue("radius", "station distance from the AP (m)", radius);
    cmd.AddValue("tos", "IP ToS of the control flows (0: AC_BE, as the benchmark cell)", tos);
    cmd.Parse(argc, argv);

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
        cell.Get(k + 1)->GetObject<MobilityModel>()->SetPosition(
            StationPosition(k, stations, radius));
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

    const Time start = Seconds(warmup);
    const Time stop = start + Seconds(simTime);
    ApplicationContainer servers;
    // Uplink at whole milliseconds, downlink half a period later (as the benchmark's cell).
    const FlowSpec control{1000,
                           100,
                           MilliSeconds(1),
                           static_cast<uint8_t>(tos),
                           start,
                           start + MicroSeconds(500),
                           stop};
    for (uint32_t k = 1; k <= stations; ++k)
    {
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
    Simulator::Stop(stop);
    Simulator::Run();
    auto run1 = std::chrono::steady_clock::now();
    const double cpu1 = cpuNow();

    uint64_t received = 0;
    for (uint32_t i = 0; i < servers.GetN(); ++i)
    {
        received += DynamicCast<UdpServer>(servers.Get(i))->GetReceived();
    }
    uint64_t sent = 2ULL * stations * static_cast<uint64_t>(std::llround(simTime * 1000));
    const double trafficWall = std::chrono::duration<double>(run1 - traffic0).count();
    const double totalWall = std::chrono::duration<double>(run1 - wall0).count();
    std::cout << "{\"stations\": " << stations << ", \"simulated_s\": " << simTime
              << ", \"warmup_s\": " << warmup << ", \"traffic_wall_s\": " << trafficWall
              << ", \"traffic_cpu_s\": " << cpu1 - cpu0 << ", \"total_wall_s\": " << totalWall
              << ", \"traffic_events\": " << Simulator::GetEventCount() - events0
              << ", \"sent\": " << sent << ", \"received\": " << received << "}" << std::endl;
    Simulator::Destroy();
    return 0;
}
