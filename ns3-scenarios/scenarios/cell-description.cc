#include "cell-description.h"

#include "cell-description-json.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <set>
#include <stdexcept>

namespace ns3
{

namespace
{

using celljson::Fail;
using celljson::Get;
using celljson::IndexByName;
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

/// Parses tsn.qbv and tsn.streams (docs/tsn.md, "802.1Qbv in the cell"); needs nodes and flows.
void
ParseQbv(const Json& t, CellDescription& d)
{
    Json q = t.value("qbv", Json::object());
    Json streams = t.value("streams", Json::array());
    if (!q.is_object())
    {
        Fail("tsn.qbv", "must be an object");
    }
    if (!streams.is_array())
    {
        Fail("tsn.streams", "must be a list");
    }
    auto& qd = d.tsn.qbv;
    qd.enabled = Get<bool>(q, "enabled", "tsn.qbv", !streams.empty());
    qd.cycleNs = Get<int64_t>(q, "cycle_ns", "tsn.qbv", 0);
    qd.baseTimeNs = Get<int64_t>(q, "base_time_ns", "tsn.qbv", 0);
    qd.syncErrorBoundNs = Get<int64_t>(q, "sync_error_bound_ns", "tsn.qbv", 2000);
    qd.guardBandNs = Get<int64_t>(q, "guard_band_ns", "tsn.qbv", -1);
    qd.processingDelayNs = Get<int64_t>(q, "processing_delay_ns", "tsn.qbv", 5000);
    if (qd.cycleNs < 0 || qd.cycleNs > 1000000000)
    {
        Fail("tsn.qbv.cycle_ns", "allowed: 0 (the streams' hypercycle) or 1..1e9 ns");
    }
    if (qd.baseTimeNs < 0 || qd.syncErrorBoundNs < 0 || qd.processingDelayNs < 0 ||
        qd.guardBandNs < -1)
    {
        Fail("tsn.qbv",
             "base_time_ns, sync_error_bound_ns, processing_delay_ns must be >= 0; "
             "guard_band_ns >= 0 or -1 (automatic)");
    }
    if (qd.enabled && !d.tsn.sync.enabled)
    {
        Fail("tsn.qbv.enabled", "needs tsn.sync.enabled: the gates run on synchronized clocks");
    }
    if (!qd.enabled && !streams.empty())
    {
        Fail("tsn.streams", "need tsn.qbv.enabled (streams are scheduled by the shapers)");
    }
    for (std::size_t i = 0; i < streams.size(); ++i)
    {
        const Json& x = streams[i];
        std::string path = "tsn.streams[" + std::to_string(i) + "]";
        StreamDescription sd;
        sd.flow =
            IndexByName(d.flows, Get<std::string>(x, "flow", path, ""), path + ".flow", "flow");
        sd.periodNs = Get<int64_t>(x, "period_ns", path, d.flows[sd.flow].periodNs);
        sd.maxLatencyNs = Get<int64_t>(x, "max_latency_ns", path, sd.periodNs);
        sd.attempts = Get<uint32_t>(x, "attempts", path, 1);
        if (sd.periodNs <= 0 || sd.periodNs > 1000000000)
        {
            Fail(path + ".period_ns", "allowed: 1..1e9 ns (or a flow with period_ns)");
        }
        if (sd.maxLatencyNs <= 0)
        {
            Fail(path + ".max_latency_ns", "must be > 0");
        }
        if (sd.attempts < 1 || sd.attempts > 8)
        {
            Fail(path + ".attempts", "allowed: 1..8 transmissions per frame");
        }
        d.tsn.streams.push_back(sd);
    }
    Json windows = q.value("windows", Json::array());
    for (std::size_t i = 0; i < windows.size(); ++i)
    {
        const Json& x = windows[i];
        std::string path = "tsn.qbv.windows[" + std::to_string(i) + "]";
        GateWindowDescription w;
        w.node =
            IndexByName(d.nodes, Get<std::string>(x, "node", path, ""), path + ".node", "node");
        uint32_t mask = Get<uint32_t>(x, "gate_mask", path, 0);
        if (mask > 0xFF)
        {
            Fail(path + ".gate_mask", "allowed: 0..255 (bit i = traffic class i)");
        }
        w.gateMask = static_cast<uint8_t>(mask);
        w.offsetNs = Get<int64_t>(x, "offset_ns", path, 0);
        w.durationNs = Get<int64_t>(x, "duration_ns", path, 0);
        d.tsn.qbv.windows.push_back(w);
    }
    if (qd.enabled && qd.cycleNs == 0 && d.tsn.streams.empty())
    {
        Fail("tsn.qbv.cycle_ns", "must be > 0 when there are no tsn.streams");
    }
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
        IndexByName(d.nodes, sd.grandmaster, "tsn.sync.grandmaster", "node");
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
    ParseQbv(t, d);
}

/// Parses the optional "wifi.ofdma" section.
void
ParseOfdma(const Json& w, WifiDescription& wd)
{
    if (!w.contains("ofdma") || w.at("ofdma").is_null())
    {
        return;
    }
    const Json& o = w.at("ofdma");
    if (!o.is_object())
    {
        Fail("wifi.ofdma", "must be an object");
    }
    auto& od = wd.ofdma;
    od.present = true;
    od.ul = Get<bool>(o, "ul", "wifi.ofdma", true);
    od.maxStations = Get<uint32_t>(o, "max_stations", "wifi.ofdma", 4);
    if (od.maxStations < 1 || od.maxStations > 74)
    {
        Fail("wifi.ofdma.max_stations",
             "allowed: 1..74 (74 26-tone RUs in 160 MHz, IEEE 802.11ax-2021 27.3.2.2)");
    }
    od.ulAccessIntervalUs = Get<uint32_t>(o, "ul_access_interval_us", "wifi.ofdma", 1000);
    if (od.ulAccessIntervalUs > 1000000)
    {
        Fail("wifi.ofdma.ul_access_interval_us", "allowed: 0..1000000 (0: no requests)");
    }
    od.muEdcaTimerMs = Get<double>(o, "mu_edca_timer_ms", "wifi.ofdma", 0.0);
    // MU EDCA Timer: 1..255 units of 8 TUs (IEEE 802.11ax-2021 9.4.2.251); 0 = no MU EDCA.
    double units = od.muEdcaTimerMs / 8.192;
    if (od.muEdcaTimerMs != 0 &&
        (std::abs(units - std::round(units)) > 1e-6 || units < 1 || units > 255.000001))
    {
        Fail("wifi.ofdma.mu_edca_timer_ms",
             "allowed: 0 or k x 8.192 ms, k in 1..255 (IEEE 802.11ax-2021 9.4.2.251)");
    }
    od.ulPsduSizeBytes = Get<uint32_t>(o, "ul_psdu_size_bytes", "wifi.ofdma", 500);
    if (od.ulPsduSizeBytes < 1 || od.ulPsduSizeBytes > 6500631)
    {
        Fail("wifi.ofdma.ul_psdu_size_bytes",
             "allowed: 1..6500631 (HE PSDU limit, IEEE 802.11ax-2021 Table 27-54)");
    }
}

/// Parses the optional "obss" list (overlapping BSSs).
void
ParseObss(const Json& j, CellDescription& d)
{
    Json list = j.value("obss", Json::array());
    if (!list.is_array())
    {
        Fail("obss", "must be a list");
    }
    for (std::size_t i = 0; i < list.size(); ++i)
    {
        const Json& x = list[i];
        std::string path = "obss[" + std::to_string(i) + "]";
        ObssDescription o;
        auto pos = Get<std::vector<double>>(x, "ap_position_m", path, {20, 0, 3});
        if (pos.size() != 3)
        {
            Fail(path + ".ap_position_m", "must be [x, y, z]");
        }
        o.apPositionM = {pos[0], pos[1], pos[2]};
        o.stations = Get<uint32_t>(x, "stations", path, 2);
        if (o.stations < 1 || o.stations > 64)
        {
            Fail(path + ".stations", "allowed: 1..64");
        }
        o.stationRadiusM = Get<double>(x, "station_radius_m", path, 3.0);
        if (!(o.stationRadiusM > 0))
        {
            Fail(path + ".station_radius_m", "must be > 0");
        }
        o.stationHeightM = Get<double>(x, "station_height_m", path, 1.0);
        o.txPowerDbm = Get<double>(x, "tx_power_dbm", path, 20.0);
        o.channelNumber = Get<uint32_t>(x, "channel_number", path, 0);
        o.mcs = Get<uint32_t>(x, "mcs", path, 7);
        if (o.mcs > 11)
        {
            Fail(path + ".mcs", "allowed: 0..11 (HE-MCS)");
        }
        o.load = Get<std::string>(x, "load", path, "saturated");
        if (o.load != "saturated" && o.load != "periodic" && o.load != "poisson")
        {
            Fail(path + ".load", "'" + o.load + "' allowed: saturated, periodic, poisson");
        }
        o.direction = Get<std::string>(x, "direction", path, "both");
        if (o.direction != "up" && o.direction != "down" && o.direction != "both")
        {
            Fail(path + ".direction", "'" + o.direction + "' allowed: up, down, both");
        }
        o.sizeBytes = Get<uint32_t>(x, "size_bytes", path, 1500);
        if (o.sizeBytes == 0 || o.sizeBytes > 2296)
        {
            Fail(path + ".size_bytes", "allowed: 1..2296");
        }
        o.periodS = Get<double>(x, "period_s", path, 0.01);
        o.ratePps = Get<double>(x, "rate_pps", path, 100.0);
        o.startS = Get<double>(x, "start_s", path, 0.0);
        if (!(o.periodS > 0) || !(o.ratePps > 0) || o.startS < 0)
        {
            Fail(path, "needs period_s > 0, rate_pps > 0, start_s >= 0");
        }
        o.tid =
            TidOf(Get<std::string>(x, "access_category", path, "BE"), path + ".access_category");
        d.obss.push_back(o);
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
    if (std::set<std::string>{"constant", "ideal", "minstrel_ht", "thompson_sampling"}.count(
            d.wifi.rateManager) == 0)
    {
        Fail("wifi.rate_manager", "allowed: constant, ideal, minstrel_ht, thompson_sampling");
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
    ParseOfdma(w, d.wifi);

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
    ParseWired(j, d);
    ParseTsn(j, d);
    Json report = j.value("report", Json::object());
    d.reportTransmissions = Get<bool>(report, "transmissions", "report", false);
    ParseObss(j, d);
    return d;
}

} // namespace ns3
