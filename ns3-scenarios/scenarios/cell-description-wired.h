#ifndef FABTWIN_CELL_DESCRIPTION_WIRED_H
#define FABTWIN_CELL_DESCRIPTION_WIRED_H

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

namespace ns3
{

struct CellDescription;

/// A stream scheduled on the wired segment (one entry of "wired.qbv.streams").
struct WiredStreamDescription
{
    uint32_t flow{0};        ///< flow index (talker = src: wired or the AP)
    int64_t periodNs{0};     ///< period; 0 = the flow's period_ns
    int64_t maxLatencyNs{0}; ///< MaxLatency over the wired hops (802.1Qcc-2018 46.2.3.6)
};

/// 802.1Qbv on the bridge's egress ports (the "wired.qbv" section; docs/tsn.md "Wired segment").
struct WiredQbvDescription
{
    bool enabled{false};          ///< shapers on every bridge port
    int64_t syncErrorBoundNs{-1}; ///< configurator SyncErrorBound; -1: CellWired::SyncBoundNs
    int64_t guardBandNs{0};       ///< configurator GuardBand
    std::vector<WiredStreamDescription> streams; ///< streams the configurator schedules
};

/**
 * @brief The wired segment (the optional "wired" section; docs/tsn.md "Wired segment"): every
 * node with radio "wired" and the AP's Ethernet port hang on one store-and-forward TSN bridge
 * by full-duplex Ethernet links.
 */
struct WiredDescription
{
    bool present{false};             ///< a node has radio "wired" (or the section is given)
    double rateBps{1e9};             ///< link rate (1000BASE-T: 1 Gb/s)
    int64_t delayNs{50};             ///< propagation delay per link (10 m at 5 ns/m)
    int64_t processingDelayNs{1000}; ///< bridge: reception to the egress queue
    uint32_t queuePackets{1000};     ///< egress queue size per port and traffic class
    WiredQbvDescription qbv;         ///< 802.1Qbv on the bridge ports
};

/**
 * Parses the optional "wired" section and checks the wired nodes; needs d.nodes and d.flows.
 * @param j the description
 * @param d the description being built
 * @throws std::invalid_argument naming the field and the allowed values
 */
void ParseWired(const nlohmann::json& j, CellDescription& d);

} // namespace ns3

#endif // FABTWIN_CELL_DESCRIPTION_WIRED_H
