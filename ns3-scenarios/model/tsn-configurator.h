#ifndef FABTWIN_TSN_CONFIGURATOR_H
#define FABTWIN_TSN_CONFIGURATOR_H

#include "gate-control-list.h"

#include "ns3/nstime.h"
#include "ns3/object.h"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/// One hop of a stream's path: the egress port (txNode on link) and the time one frame of the
/// stream occupies it (on Wi-Fi: airtime at the MCS incl. budgeted retries).
struct TsnHop
{
    std::string link;   ///< link name (a Wi-Fi BSS is one shared link)
    uint32_t txNode;    ///< transmitting node on that link
    Time frameDuration; ///< port/medium time per frame
    /// From the end of the previous hop's frame to its availability at this hop's egress (the
    /// relay's residence: reception, lookup, queueing, plus the previous link's propagation);
    /// negative: the ProcessingDelay attribute. Unused on the first hop.
    Time processingDelay{-1};
};

/// Stream requirements, as a talker/listener would state them over the 802.1Qcc UNI:
/// TSpec Interval and MaxFrameSize (46.2.3.5, one frame per interval), UserToNetworkRequirements
/// MaxLatency (46.2.3.6); the path is given (no path computation).
struct TsnStreamRequirement
{
    std::string name;         ///< stream name (used in error messages)
    uint32_t talker;          ///< talker node
    uint32_t listener;        ///< listener node
    Time period;              ///< Interval
    uint32_t sizeBytes;       ///< MaxFrameSize (informative; durations are per hop)
    Time maxLatency;          ///< MaxLatency, talker send to listener receive
    std::vector<TsnHop> path; ///< hops in order, the first from the talker
};

/// A protected window of one stream on one link (first occurrence in the hypercycle; it repeats
/// every stream period).
struct TsnWindow
{
    std::string stream; ///< stream name
    std::string link;   ///< link
    uint32_t txNode;    ///< the port whose scheduled gate opens
    Time open;          ///< window start, offset from the cycle start
    Time length;        ///< window length: frame duration + 2 * SyncErrorBound
    Time guard;         ///< all-gates-closed time before open
    Time period;        ///< repetition period
};

/// The schedule computed for a stream (talkerOffset plays the role of the
/// 802.1Qcc TimeAwareOffset returned to the talker in the Status group, 46.2.5).
struct TsnStreamSchedule
{
    std::string name;               ///< stream name
    Time period;                    ///< period
    Time talkerOffset;              ///< when the talker should send, offset from the cycle start
    Time latencyBound;              ///< worst-case latency given the windows
    std::vector<TsnWindow> windows; ///< one per hop
};

/**
 * @brief Centralized network configuration (IEEE 802.1Qcc fully centralized model, 46.1.3.3):
 * turns stream requirements into the 802.1Qbv gate control list of every egress port.
 *
 * Rules (e = SyncErrorBound, the largest |offset| of any node from the grandmaster; p =
 * ProcessingDelay of a bridge/AP between receive and enqueue; e, GuardBand and p can be set per
 * link (SetLinkTiming) and per hop (TsnHop::processingDelay), so one schedule spans a wired
 * segment (e of 802.1AS over Ethernet, no extra guard) and a Wi-Fi BSS (e and a channel-access
 * guard of its own); e_h below is the e of hop h's link):
 * - Hypercycle H = lcm of the stream periods; every GCL has cycle time H and base time BaseTime.
 * - Each hop h of a stream gets a protected window per period of length L_h = d_h + 2e: the
 *   transmitter's gate may open up to e late and the frame (d_h) must end before any other port's
 *   gate, up to e early, reopens (802.1Qbv gates act on each node's own clock).
 * - Before each window all gates of every port on the link are closed for a guard
 *   g = 2e + GuardBand: another port's best-effort gate closes up to e late and the window may
 *   open up to e early; frames never overrun their own gate (length-aware selection, 802.1Q
 *   8.6.8.4), so no max-frame guard band is needed, but GuardBand adds margin (e.g. for MAC
 *   channel access on Wi-Fi).
 * - Hop h+1 opens no earlier than a_h + L_h - e_h + p + e_{h+1}: the frame ends on hop h by
 *   a_h + e_h + d_h (the gate opened up to e_h late), reaches hop h+1's queue p later, and hop
 *   h+1's gate may open up to e_{h+1} early (= a_h + L_h + p with one e). No window wraps around
 *   its period.
 * - Windows (with guards) of different streams on the same link never overlap: on a shared
 *   medium (Wi-Fi BSS) the windows of all stations become exclusive.
 * - Latency bound = a_last + L_last - a_0 + e_0 (the talker sends at a_0 on its own clock).
 * - Outside windows and guards the best-effort gates (all but ScheduledTrafficClass) are open;
 *   the scheduled class is open only in the port's own windows.
 * Streams are placed shortest period first (then tightest MaxLatency), each hop at the earliest
 * free position (first fit). A set is rejected with the reason: the first stream that
 * over-subscribes a link (by how much per hypercycle), that finds no free window on a link
 * (the window needed vs the largest free gap), or whose latency bound exceeds its MaxLatency.
 */
class TsnConfigurator : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TsnConfigurator();
    ~TsnConfigurator() override;

    /**
     * @brief Declare a link and every port that transmits on it (for a BSS: the AP and all
     * stations, including those with only best-effort traffic).
     * @param name link name
     * @param txNodes nodes with an egress port on the link
     */
    void AddLink(const std::string& name, const std::vector<uint32_t>& txNodes);
    /**
     * @brief Give a link its own sync error bound and extra guard (default: the attributes).
     * @param name a declared link
     * @param syncErrorBound e of the nodes transmitting on it
     * @param guardBand extra all-gates-closed time before each of its windows
     */
    void SetLinkTiming(const std::string& name, Time syncErrorBound, Time guardBand);
    /// @param stream a stream's requirements
    void AddStream(const TsnStreamRequirement& stream);
    /// @brief Forget all links, streams and results.
    void Clear();

    /**
     * @brief Compute the schedule.
     * @return false if the stream set is infeasible (see GetError)
     */
    bool Compute();
    /// @return why Compute() failed (empty on success)
    std::string GetError() const;
    /// @return the hypercycle (cycle time of every GCL)
    Time GetHypercycle() const;
    /**
     * @param node a node
     * @param link a link it transmits on
     * @return its gate control list (null if the link has no scheduled stream)
     */
    Ptr<GateControlList> GetGateControlList(uint32_t node, const std::string& link) const;
    /// @return the (node, link) ports that got a gate control list
    std::vector<std::pair<uint32_t, std::string>> GetPorts() const;
    /**
     * @param stream a stream name
     * @return its schedule (aborts if unknown)
     */
    const TsnStreamSchedule& GetSchedule(const std::string& stream) const;
    /**
     * @param link a link
     * @return every window on it in the hypercycle (all repetitions), ordered by start
     */
    std::vector<TsnWindow> GetWindows(const std::string& link) const;

  private:
    /// A reserved interval [start, end) of a link within the hypercycle (guard included).
    struct Busy
    {
        int64_t start;    ///< ns
        int64_t end;      ///< ns
        TsnWindow window; ///< the window it protects
    };

    /**
     * @param link a link
     * @param start window start (ns)
     * @param len window length (ns)
     * @param guard guard (ns)
     * @param period period (ns)
     * @return true if [start - guard, start + len) + k * period is free for all k
     */
    bool IsFree(
        const std::string& link, int64_t start, int64_t len, int64_t guard, int64_t period) const;
    /**
     * @return the first start >= lb where the window fits within the period, or -1
     */
    int64_t EarliestFit(
        const std::string& link, int64_t lb, int64_t len, int64_t guard, int64_t period) const;
    /**
     * @return the largest free gap of a link folded into one period (ns)
     */
    int64_t LargestGap(const std::string& link, int64_t period) const;
    /// @param link a link @return its e (ns)
    int64_t SyncError(const std::string& link) const;
    /// @param link a link @return its guard g = 2e + GuardBand (ns)
    int64_t Guard(const std::string& link) const;
    /// @brief Build the GCLs from the reservations.
    void BuildGcls();

    Time m_syncErrorBound;  ///< e
    Time m_guardBand;       ///< extra guard
    Time m_processingDelay; ///< p
    uint8_t m_scheduledTc;  ///< traffic class of the streams
    Time m_baseTime;        ///< base time of every GCL
    Time m_maxHypercycle;   ///< largest hypercycle accepted

    std::map<std::string, std::vector<uint32_t>> m_links;      ///< link -> transmitting nodes
    std::vector<TsnStreamRequirement> m_streams;               ///< requirements, as added
    std::map<std::string, std::pair<Time, Time>> m_linkTiming; ///< link -> (e, GuardBand)

    std::string m_error;                                  ///< reason of the last failure
    int64_t m_hyper{0};                                   ///< hypercycle (ns)
    std::map<std::string, std::vector<Busy>> m_busy;      ///< reservations per link
    std::map<std::string, TsnStreamSchedule> m_schedules; ///< per stream
    std::map<std::pair<uint32_t, std::string>, Ptr<GateControlList>> m_gcls; ///< per port
};

} // namespace ns3

#endif // FABTWIN_TSN_CONFIGURATOR_H
