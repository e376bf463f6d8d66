#ifndef FABTWIN_CELL_DESCRIPTION_H
#define FABTWIN_CELL_DESCRIPTION_H

#include "cell-description-nr.h"
#include "cell-description-wired.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/// OFDMA of the BSS (the optional "wifi.ofdma" section; docs/wifi.md "OFDMA").
struct OfdmaDescription
{
    bool present{false};               ///< the AP schedules MU PPDUs (TwinMultiUserScheduler)
    bool ul{true};                     ///< also trigger-based UL OFDMA
    uint32_t maxStations{4};           ///< round robin: stations per MU PPDU
    uint32_t ulAccessIntervalUs{1000}; ///< AP channel access requests for UL triggers (0: none)
    double muEdcaTimerMs{0};           ///< MU EDCA timer with EDCA disabled (0: no MU EDCA)
    uint32_t ulPsduSizeBytes{500};     ///< PSDU solicited when the buffer status is unknown
};

/// Wi-Fi settings of the cell (one 802.11ax BSS).
struct WifiDescription
{
    std::string band{"5GHz"};            ///< "2.4GHz", "5GHz" or "6GHz"
    uint32_t channelNumber{0};           ///< 0: the band's default channel for the width
    uint32_t channelWidthMhz{20};        ///< 20, 40, 80 or 160
    uint32_t guardIntervalNs{800};       ///< HE guard interval: 800, 1600 or 3200 ns
    std::string rateManager{"constant"}; ///< constant (mcs), ideal, minstrel_ht, thompson_sampling
    uint32_t mcs{7};                     ///< HE MCS 0..11 for the constant manager
    double txPowerDbm{20.0};             ///< transmit power of every Wi-Fi node
    uint32_t maxQueuePackets{500};       ///< MAC queue size per access category
    double msduLifetimeMs{500.0};        ///< MAC queue lifetime of an MSDU
    OfdmaDescription ofdma;              ///< DL/UL OFDMA (absent: SU only)
};

/// Path-loss model of the cell.
struct ChannelDescription
{
    std::string model{"log_distance"}; ///< "log_distance" or "inf" (3GPP TR 38.901 InF)
    double exponent{3.0};              ///< log_distance: path-loss exponent
    double referenceDistanceM{1.0};    ///< log_distance: reference distance
    double referenceLossDb{46.6777};   ///< log_distance: loss at the reference distance
    std::string subScenario{"InF-DH"}; ///< inf: InF-SL, InF-DL, InF-SH, InF-DH or InF-HH
    double frequencyHz{0};             ///< inf: carrier; 0 = the Wi-Fi channel's centre
    double clutterDensity{0.4};        ///< inf: r, fraction of the floor covered by clutter
    double clutterHeightM{6.0};        ///< inf: h_c
    double clutterSizeM{2.0};          ///< inf: d_clutter
    bool shadowing{true};              ///< inf: log-normal shadow fading
    double losUpdatePeriodS{0};        ///< inf: redraw LOS state this often (0: never)
};

/// A non-Wi-Fi interferer (a spectrum signal source at a fixed position).
struct InterfererDescription
{
    std::string kind;                  ///< "duty_cycled", "narrowband" or "bursty"
    std::array<double, 3> positionM{}; ///< position
    double powerDbm{20};               ///< total transmit power
    double centerFrequencyHz{0};       ///< 0 = the Wi-Fi channel's centre
    double bandwidthHz{20e6};          ///< occupied bandwidth
    double periodS{0.02};              ///< duty_cycled: cycle length
    double dutyCycle{0.5};             ///< duty_cycled: on fraction
    double onMeanS{0.005};             ///< bursty: mean on time (exponential)
    double offMeanS{0.015};            ///< bursty: mean off time (exponential)
    double startS{0};                  ///< twin time at which it starts
};

/// An overlapping BSS: a foreign AP and its stations (twin/obss_config.py, docs/wifi.md).
struct ObssDescription
{
    std::array<double, 3> apPositionM{20, 0, 3}; ///< OBSS AP position
    uint32_t stations{2};                        ///< stations on a circle around the AP
    double stationRadiusM{3};                    ///< radius of that circle
    double stationHeightM{1};                    ///< height of the stations
    double txPowerDbm{20};                       ///< transmit power of every OBSS node
    uint32_t channelNumber{0};                   ///< 0: the cell's channel (co-channel)
    uint32_t mcs{7};                             ///< HE-MCS (constant rate)
    std::string load{"saturated"};               ///< "saturated", "periodic" or "poisson"
    std::string direction{"both"};               ///< "up", "down" or "both"
    uint32_t sizeBytes{1500};                    ///< packet size
    double periodS{0.01};                        ///< periodic: gap between packets per stream
    double ratePps{100};                         ///< poisson: mean packets/s per stream
    uint8_t tid{0};                              ///< TID of the access category (BE = 0)
    double startS{0};                            ///< twin time at which its traffic starts
};

/// 802.1AS time sync of the cell (the "tsn.sync" section).
struct SyncDescription
{
    bool enabled{false};           ///< run gPTP; false: clocks are modelled but free-running
    std::string grandmaster;       ///< node name of the grandmaster; empty = the AP
    int32_t logSyncInterval{-3};   ///< log2 of the Sync interval in s (-3 = 125 ms)
    std::string timestamps{"phy"}; ///< "phy" (monitor traces) or "software" (send/receive calls)
    double ppmMax{100};            ///< clock frequency offsets are drawn in [-ppmMax, ppmMax]
    uint32_t granularityNs{8};     ///< timestamp granularity
};

/// One gate window of a node's 802.1Qbv list (tsn.qbv.windows; GateWindowRecord at run time).
struct GateWindowDescription
{
    uint32_t node{0};      ///< node index
    uint8_t gateMask{0};   ///< bit i = gate of traffic class i open
    int64_t offsetNs{0};   ///< start within the cycle
    int64_t durationNs{0}; ///< length
};

/// A stream the configurator schedules (one entry of "tsn.streams"): a flow of the cell.
struct StreamDescription
{
    uint32_t flow{0};        ///< flow index (talker = src, listener = dst, size = size_bytes)
    int64_t periodNs{0};     ///< period; 0 = the flow's period_ns
    int64_t maxLatencyNs{0}; ///< MaxLatency (802.1Qcc 46.2.3.6)
    uint32_t attempts{1};    ///< transmissions budgeted per frame on Wi-Fi (1 + retries)
};

/// 802.1Qbv time-aware shaping of the cell (the "tsn.qbv" section; docs/tsn.md).
struct QbvDescription
{
    bool enabled{false};             ///< shapers on every node's egress
    int64_t cycleNs{0};              ///< cycle; 0 = the streams' hypercycle
    int64_t baseTimeNs{0};           ///< twin time of a cycle start (the GCLs' base time)
    int64_t syncErrorBoundNs{2000};  ///< configurator SyncErrorBound
    int64_t guardBandNs{-1};         ///< extra guard; -1 = the longest best-effort exchange
    int64_t processingDelayNs{5000}; ///< configurator ProcessingDelay (AP relay)
    std::vector<GateWindowDescription> windows; ///< explicit lists (replace a node's list)
};

/// TSN settings of the cell (the optional "tsn" section).
struct TsnDescription
{
    bool present{false};                    ///< the description has a "tsn" section
    SyncDescription sync;                   ///< 802.1AS
    QbvDescription qbv;                     ///< 802.1Qbv
    std::vector<StreamDescription> streams; ///< 802.1Qcc stream requirements
};

/// One node of the cell.
struct NodeDescription
{
    std::string name;                  ///< unique name
    std::string role;                  ///< "ap", "sta", "gnb" or "ue"
    std::string radio{"wifi"};         ///< "wifi", "nr", "both" (ap + gNB, sta + UE) or "wired"
    std::array<double, 3> positionM{}; ///< initial position
};

/// One flow: packets from node src to node dst.
struct FlowDescription
{
    std::string name;          ///< unique name
    uint32_t src{0};           ///< index of the sending node
    uint32_t dst{0};           ///< index of the receiving node
    uint8_t tid{6};            ///< 802.11 TID from the access category (VO=6, VI=5, BE=0, BK=1)
    uint32_t sizeBytes{100};   ///< packet size (standalone traffic mode only)
    int64_t periodNs{0};       ///< packet period, 0 for none (standalone traffic mode only)
    int64_t startNs{0};        ///< first packet time (standalone traffic mode only)
    std::string radio{"wifi"}; ///< "wifi", "nr" or "both" (802.1CB-style duplicates)
};

/**
 * @brief The cell description carried by the handshake (JSON), as C++ values.
 *
 * The twin validates the description thoroughly before ns-3 starts (twin/config.py); this parser
 * checks again what would otherwise crash ns-3, and names the offending field.
 */
struct CellDescription
{
    uint64_t seed{1};                               ///< ns-3 RngRun
    WifiDescription wifi;                           ///< the BSS
    ChannelDescription channel;                     ///< path loss
    std::vector<NodeDescription> nodes;             ///< node 0.. in order
    std::vector<FlowDescription> flows;             ///< flow 0.. in order
    std::vector<InterfererDescription> interferers; ///< non-Wi-Fi interferers
    TsnDescription tsn;                             ///< clocks, time sync, shaping
    bool reportTransmissions{false};                ///< report.transmissions: PPDU records
    std::vector<ObssDescription> obss;              ///< overlapping BSSs
    NrDescription nr;                               ///< the NR cell (nr.present: there is one)
    WiredDescription wired; ///< the Ethernet TSN bridge segment (wired.present: there is one)

    /// @param node a node index @return it has a Wi-Fi device
    bool HasWifi(uint32_t node) const
    {
        return nodes[node].radio == "wifi" || nodes[node].radio == "both";
    }

    /// @param node a node index @return it has an NR device (gNB or UE)
    bool HasNr(uint32_t node) const
    {
        return nodes[node].radio == "nr" || nodes[node].radio == "both";
    }

    /// @param node a node index @return it is an Ethernet end station on the bridge
    bool IsWired(uint32_t node) const
    {
        return nodes[node].radio == "wired";
    }

    /**
     * Parses and checks a JSON description.
     * @param json the text
     * @return the description
     * @throws std::invalid_argument naming the field and the allowed values
     */
    static CellDescription FromJson(const std::string& json);
};

} // namespace ns3

#endif // FABTWIN_CELL_DESCRIPTION_H
