#include "cell-description.h"

#include "cell-description-json.h"

#include <nlohmann/json.hpp>

#include <set>
#include <stdexcept>

namespace ns3
{

namespace
{

using celljson::Fail;
using celljson::Get;
using Json = celljson::Json;

uint8_t
TidOf(const std::string& ac, const std::string& field)
{
    // IEEE 802.11-2020 Table 10-1 (UP-to-AC mapping): VO=UP 6/7, VI=4/5, BE=0/3, BK=1/2.
    if (ac == "VO")
    {
        return 6;
    }
    if (ac == "VI")
    {
        return 5;
    }
    if (ac == "BE")
    {
        return 0;
    }
    if (ac == "BK")
    {
        return 1;
    }
    Fail(field, "'" + ac + "' is not an access category; allowed: VO, VI, BE, BK");
}

/// Parses the optional "tsn" section; needs d.nodes (the grandmaster is a node name).
void
ParseTsn(const Json& j, CellDescription& d)
{
    if (!j.contains("tsn"))
    {
        return;
    }
    const Json& t = j.at("tsn");
    if (!t.is_object())
    {
        Fail("tsn", "must be an object");
    }
    d.tsn.present = true;
    Json s = t.value("sync", Json::object());
    if (!s.is_object())
    {
        Fail("tsn.sync", "must be an object");
    }
    auto& sd = d.tsn.sync;
    sd.enabled = Get<bool>(s, "enabled", "tsn.sync", false);
    sd.grandmaster = Get<std::string>(s, "grandmaster", "tsn.sync", "");
    if (!sd.grandmaster.empty())
    {
        bool found = false;
        for (const auto& n : d.nodes)
        {
            found = found || n.name == sd.grandmaster;
        }
        if (!found)
        {
            Fail("tsn.sync.grandmaster", "'" + sd.grandmaster + "' is not a node name");
        }
    }
    sd.logSyncInterval = Get<int32_t>(s, "log_sync_interval", "tsn.sync", -3);
    if (sd.logSyncInterval < -7 || sd.logSyncInterval > 3)
    {
        Fail("tsn.sync.log_sync_interval",
             std::to_string(sd.logSyncInterval) +
                 " is out of range; allowed: -7..3 (7.8 ms .. 8 s, 802.1AS-2020 10.7.2.3)");
    }
    sd.timestamps = Get<std::string>(s, "timestamps", "tsn.sync", "phy");
    if (sd.timestamps != "software" && sd.timestamps != "phy")
    {
        Fail("tsn.sync.timestamps",
             "'" + sd.timestamps + "' is not allowed; allowed: software, phy");
    }
    sd.ppmMax = Get<double>(s, "ppm_max", "tsn.sync", 100.0);
    if (!(sd.ppmMax >= 0) || sd.ppmMax > 1000)
    {
        Fail("tsn.sync.ppm_max", "allowed: 0..1000 ppm (802.1AS-2020 Annex B.1.1: 100)");
    }
    sd.granularityNs = Get<uint32_t>(s, "granularity_ns", "tsn.sync", 8);
    if (sd.granularityNs < 1 || sd.granularityNs > 1000)
    {
        Fail("tsn.sync.granularity_ns",
             "allowed: 1..1000 ns (802.1AS-2020 Annex B.1.2: at most 40 ns)");
    }
}

} // namespace

CellDescription
CellDescription::FromJson(const std::string& text)
{
    Json j;
    try
    {
        j = Json::parse(text);
    }
    catch (const Json::parse_error& e)
    {
        Fail("(document)", std::string("is not valid JSON: ") + e.what());
    }
    if (!j.is_object())
    {
        Fail("(document)", "must be a JSON object");
    }
    CellDescription d;
    d.seed = Get<uint64_t>(j, "seed", "cell", 1);
    if (d.seed == 0)
    {
        Fail("seed", "must be >= 1 (ns-3 RngRun)");
    }

    Json w = j.value("wifi", Json::object());
    d.wifi.band = Get<std::string>(w, "band", "wifi", d.wifi.band);
    if (d.wifi.band != "2.4GHz" && d.wifi.band != "5GHz" && d.wifi.band != "6GHz")
    {
        Fail("wifi.band", "'" + d.wifi.band + "' is not allowed; allowed: 2.4GHz, 5GHz, 6GHz");
    }
    d.wifi.channelNumber = Get<uint32_t>(w, "channel_number", "wifi", 0);
    d.wifi.channelWidthMhz = Get<uint32_t>(w, "channel_width_mhz", "wifi", 20);
    if (std::set<uint32_t>{20, 40, 80, 160}.count(d.wifi.channelWidthMhz) == 0)
    {
        Fail("wifi.channel_width_mhz", "allowed: 20, 40, 80, 160");
    }
    d.wifi.guardIntervalNs = Get<uint32_t>(w, "guard_interval_ns", "wifi", 800);
    if (std::set<uint32_t>{800, 1600, 3200}.count(d.wifi.guardIntervalNs) == 0)
    {
        Fail("wifi.guard_interval_ns", "allowed: 800, 1600, 3200 (IEEE 802.11ax-2021 27.3.7)");
    }
    d.wifi.rateManager = Get<std::string>(w, "rate_manager", "wifi", "constant");
    if (d.wifi.rateManager != "constant" && d.wifi.rateManager != "ideal")
    {
        Fail("wifi.rate_manager", "allowed: constant, ideal");
    }
    d.wifi.mcs = Get<uint32_t>(w, "mcs", "wifi", 7);
    if (d.wifi.mcs > 11)
    {
        Fail("wifi.mcs", "allowed: 0..11 (HE-MCS)");
    }
    d.wifi.txPowerDbm = Get<double>(w, "tx_power_dbm", "wifi", 20.0);
    d.wifi.maxQueuePackets = Get<uint32_t>(w, "max_queue_packets", "wifi", 500);
    if (d.wifi.maxQueuePackets == 0)
    {
        Fail("wifi.max_queue_packets", "must be >= 1");
    }
    d.wifi.msduLifetimeMs = Get<double>(w, "msdu_lifetime_ms", "wifi", 500.0);
    if (!(d.wifi.msduLifetimeMs > 0))
    {
        Fail("wifi.msdu_lifetime_ms", "must be > 0");
    }

    Json c = j.value("channel", Json::object());
    d.channel.model = Get<std::string>(c, "model", "channel", "log_distance");
    if (d.channel.model != "log_distance" && d.channel.model != "inf")
    {
        Fail("channel.model",
             "'" + d.channel.model + "' is not available; allowed: log_distance, inf");
    }
    d.channel.exponent = Get<double>(c, "exponent", "channel", 3.0);
    d.channel.referenceDistanceM = Get<double>(c, "reference_distance_m", "channel", 1.0);
    d.channel.referenceLossDb = Get<double>(c, "reference_loss_db", "channel", 46.6777);
    d.channel.subScenario = Get<std::string>(c, "sub_scenario", "channel", "InF-DH");
    if (std::set<std::string>{"InF-SL", "InF-DL", "InF-SH", "InF-DH", "InF-HH"}.count(
            d.channel.subScenario) == 0)
    {
        Fail("channel.sub_scenario", "allowed: InF-SL, InF-DL, InF-SH, InF-DH, InF-HH");
    }
    d.channel.frequencyHz = Get<double>(c, "frequency_hz", "channel", 0.0);
    d.channel.clutterDensity = Get<double>(c, "clutter_density", "channel", 0.4);
    d.channel.clutterHeightM = Get<double>(c, "clutter_height_m", "channel", 6.0);
    d.channel.clutterSizeM = Get<double>(c, "clutter_size_m", "channel", 2.0);
    d.channel.shadowing = Get<bool>(c, "shadowing", "channel", true);
    d.channel.losUpdatePeriodS = Get<double>(c, "los_update_period_s", "channel", 0.0);
    if (d.channel.clutterDensity < 0 || d.channel.clutterDensity >= 1)
    {
        Fail("channel.clutter_density", "allowed: 0 <= r < 1 (TR 38.901 Table 7.4.2-1)");
    }

    Json interferers = j.value("interferers", Json::array());
    for (std::size_t i = 0; i < interferers.size(); ++i)
    {
        const Json& x = interferers[i];
        std::string path = "interferers[" + std::to_string(i) + "]";
        InterfererDescription id;
        id.kind = Get<std::string>(x, "kind", path, "");
        if (id.kind != "duty_cycled" && id.kind != "narrowband" && id.kind != "bursty")
        {
            Fail(path + ".kind", "'" + id.kind + "' allowed: duty_cycled, narrowband, bursty");
        }
        auto pos = Get<std::vector<double>>(x, "position_m", path, {0, 0, 0});
        if (pos.size() != 3)
        {
            Fail(path + ".position_m", "must be [x, y, z]");
        }
        id.positionM = {pos[0], pos[1], pos[2]};
        id.powerDbm = Get<double>(x, "power_dbm", path, 20.0);
        id.centerFrequencyHz = Get<double>(x, "center_frequency_hz", path, 0.0);
        id.bandwidthHz = Get<double>(x, "bandwidth_hz", path, 20e6);
        id.periodS = Get<double>(x, "period_s", path, 0.02);
        id.dutyCycle = Get<double>(x, "duty_cycle", path, 0.5);
        id.onMeanS = Get<double>(x, "on_mean_s", path, 0.005);
        id.offMeanS = Get<double>(x, "off_mean_s", path, 0.015);
        id.startS = Get<double>(x, "start_s", path, 0.0);
        if (!(id.bandwidthHz > 0) || !(id.periodS > 0) || id.dutyCycle < 0 || id.dutyCycle > 1 ||
            !(id.onMeanS > 0) || !(id.offMeanS > 0) || id.startS < 0)
        {
            Fail(path,
                 "needs bandwidth_hz > 0, period_s > 0, duty_cycle in 0..1, "
                 "on_mean_s > 0, off_mean_s > 0, start_s >= 0");
        }
        d.interferers.push_back(id);
    }

    if (!j.contains("nodes") || !j["nodes"].is_array() || j["nodes"].empty())
    {
        Fail("nodes", "must be a non-empty list");
    }
    std::set<std::string> names;
    uint32_t aps = 0;
    for (std::size_t i = 0; i < j["nodes"].size(); ++i)
    {
        const Json& n = j["nodes"][i];
        std::string path = "nodes[" + std::to_string(i) + "]";
        NodeDescription nd;
        nd.name = Get<std::string>(n, "name", path, "");
        if (nd.name.empty() || !names.insert(nd.name).second)
        {
            Fail(path + ".name", "'" + nd.name + "' must be a non-empty, unique name");
        }
        nd.role = Get<std::string>(n, "role", path, "");
        if (nd.role != "ap" && nd.role != "sta" && nd.role != "gnb" && nd.role != "ue")
        {
            Fail(path + ".role", "'" + nd.role + "' is not allowed; allowed: ap, sta, gnb, ue");
        }
        aps += (nd.role == "ap");
        // the radio (wifi, nr, both) is checked with the NR parts (cell-description-nr.cc)
        nd.radio = Get<std::string>(n, "radio", path, "wifi");
        auto pos = Get<std::vector<double>>(n, "position_m", path, {0, 0, 0});
        if (pos.size() != 3)
        {
            Fail(path + ".position_m", "must be [x, y, z]");
        }
        nd.positionM = {pos[0], pos[1], pos[2]};
        d.nodes.push_back(nd);
    }
    if (aps != 1)
    {
        Fail("nodes", "exactly one node must have role 'ap' (found " + std::to_string(aps) + ")");
    }

    Json flows = j.value("flows", Json::array());
    std::set<std::string> flowNames;
    for (std::size_t i = 0; i < flows.size(); ++i)
    {
        const Json& f = flows[i];
        std::string path = "flows[" + std::to_string(i) + "]";
        FlowDescription fd;
        fd.name = Get<std::string>(f, "name", path, "");
        if (fd.name.empty() || !flowNames.insert(fd.name).second)
        {
            Fail(path + ".name", "'" + fd.name + "' must be a non-empty, unique name");
        }
        fd.src = Get<uint32_t>(f, "src", path, UINT32_MAX);
        fd.dst = Get<uint32_t>(f, "dst", path, UINT32_MAX);
        if (fd.src >= d.nodes.size())
        {
            Fail(path + ".src", "must be a node index 0.." + std::to_string(d.nodes.size() - 1));
        }
        if (fd.dst >= d.nodes.size() || fd.dst == fd.src)
        {
            Fail(path + ".dst",
                 "must be a node index 0.." + std::to_string(d.nodes.size() - 1) +
                     " other than src");
        }
        fd.tid =
            TidOf(Get<std::string>(f, "access_category", path, "VO"), path + ".access_category");
        fd.sizeBytes = Get<uint32_t>(f, "size_bytes", path, 100);
        if (fd.sizeBytes == 0 || fd.sizeBytes > 2296)
        {
            Fail(path + ".size_bytes",
                 "allowed: 1..2296 (WifiNetDevice MTU: 2304-byte MSDU less the 8-byte LLC/SNAP "
                 "header)");
        }
        fd.periodNs = Get<int64_t>(f, "period_ns", path, 0);
        fd.startNs = Get<int64_t>(f, "start_ns", path, 0);
        if (fd.periodNs < 0 || fd.startNs < 0)
        {
            Fail(path + ".period_ns/start_ns", "must be >= 0");
        }
        d.flows.push_back(fd);
    }
    ParseNrParts(j, d);
    ParseTsn(j, d);
    return d;
}

} // namespace ns3
