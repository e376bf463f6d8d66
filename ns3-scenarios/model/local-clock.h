#ifndef FABTWIN_LOCAL_CLOCK_H
#define FABTWIN_LOCAL_CLOCK_H

#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/random-variable-stream.h"
#include "ns3/traced-callback.h"

#include <deque>

namespace ns3
{

/**
 * @brief A node's free-running oscillator and the synchronized time derived from it.
 *
 * Local time L is a piecewise-linear function of simulation time t (the true time of the
 * simulation, which stands for the grandmaster's ideal time scale):
 *
 *   L(t) = L_k + (t - t_k) * (1 + y_k * 1e-6)   for t in [t_k, t_k + WanderInterval)
 *
 * - y_0, the frequency offset in ppm, is drawn once from the FrequencyOffset stream. IEEE
 *   802.1AS-2020 Annex B.1.1 requires the free-running frequency of a PTP Instance to be within
 *   +/-100 ppm of the TAI frequency, hence the default Uniform(-100, +100) ppm.
 * - wander is a random walk of the frequency: y_{k+1} = y_k + w_k, one step w_k (ppm) drawn from
 *   the Wander stream every WanderInterval. This is a simplification of the wander generation
 *   limits of Annex B.1.3 (a TDEV mask), chosen because it gives a bounded, easily derived
 *   frequency drift rate; with a bounded step the drift rate is at most |w|max / WanderInterval.
 * - L_0 is drawn from InitialPhase (ns), so unsynchronized clocks need not start aligned.
 *
 * The segments are drawn lazily but strictly in time order, so L(t) is a deterministic function
 * of the random streams whatever the order of the queries (forward queries such as "when will my
 * clock read X" draw future segments early, which is harmless).
 *
 * Timestamps (GetTimestamp) are local time floored to the Granularity (Annex B.1.2 allows at most
 * 40 ns; 8 ns is a 125 MHz timestamp unit).
 *
 * The synchronized time S is what the node believes the grandmaster time is. The time sync
 * protocol (GptpInstance) sets it as a linear function of local time
 *
 *   S(L) = S_ref + (L - L_ref) * rateRatio
 *
 * (a step servo: each accepted Sync re-anchors the line, as the ClockSlave of 802.1AS-2020
 * 10.2.13 computes syncReceiptTime and rateRatio). Until the first correction S = L. The local
 * oscillator itself is never steered.
 */
class LocalClock : public Object
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    LocalClock();
    ~LocalClock() override;

    /**
     * @brief Assign fixed random variable stream numbers to the random variables used here.
     * @param stream first stream index to use
     * @return the number of stream indices assigned (3)
     */
    int64_t AssignStreams(int64_t stream);

    /// @return the local (free-running) time now
    Time GetLocalTime();
    /**
     * @param simTime a simulation time (not older than the retained history, HistoryLength)
     * @return the local time at simTime, rounded to the nearest ns
     */
    Time GetLocalTime(Time simTime);
    /**
     * @param simTime a simulation time
     * @return the exact local time at simTime, in ns (sub-ns resolution)
     */
    double GetLocalTimeNs(Time simTime);
    /// @return a timestamp taken now: local time floored to the granularity
    Time GetTimestamp();
    /**
     * @param simTime the simulation time at which the timestamp point passed
     * @return local time at simTime floored to the granularity
     */
    Time GetTimestamp(Time simTime);
    /**
     * @param localTime a local time
     * @return the earliest simulation time (ns resolution) at which local time >= localTime
     */
    Time GetSimTime(Time localTime);

    /// @return the frequency offset (ppm) in effect now, wander included
    double GetFrequencyOffsetPpm();
    /// @return the frequency offset (ppm) drawn at start (without wander)
    double GetInitialFrequencyOffsetPpm();
    /// @return the timestamp granularity
    Time GetGranularity() const;

    /**
     * @brief Re-anchor the synchronized time: S(L) = syncRef + (L - localRef) * rateRatio.
     * @param localRef a local time (typically the ingress timestamp of a Sync)
     * @param syncRef the grandmaster time the node estimates for localRef
     * @param rateRatio grandmaster frequency / local frequency
     */
    void SetSyncCorrection(Time localRef, Time syncRef, double rateRatio);
    /// @brief Forget the synchronization: S = L again.
    void ResetSync();
    /// @return true once SetSyncCorrection has been called (and not reset)
    bool IsSynchronized() const;
    /// @return the rate ratio in use by the synchronized time (1 when not synchronized)
    double GetRateRatio() const;

    /// @return the synchronized time now
    Time GetSynchronizedTime();
    /**
     * @param simTime a simulation time
     * @return the synchronized time at simTime (nearest ns)
     */
    Time GetSynchronizedTime(Time simTime);
    /**
     * @param simTime a simulation time
     * @return the exact synchronized time at simTime, in ns
     */
    double GetSynchronizedTimeNs(Time simTime);
    /**
     * @param syncTime a synchronized time
     * @return the earliest simulation time (ns resolution) at which the synchronized time, under
     *         the current correction, is >= syncTime
     */
    Time GetSimTimeAtSynchronized(Time syncTime);
    /**
     * @param localTime a local time
     * @return the synchronized time for that local time under the current correction
     */
    Time LocalToSynchronized(Time localTime) const;

    /**
     * TracedCallback signature for corrections of the synchronized time.
     * @param step synchronized time just after minus just before the correction (now)
     * @param rateRatio the new rate ratio
     */
    typedef void (*CorrectionTracedCallback)(Time step, double rateRatio);

  protected:
    void DoDispose() override;

  private:
    /// One piece of the piecewise-linear local time.
    struct Segment
    {
        int64_t simStartNs;  ///< simulation time at which the segment starts (ns)
        double localStartNs; ///< local time at simStartNs (ns)
        double rate;         ///< d(local)/d(sim) in the segment: 1 + ppm * 1e-6
    };

    /// Draw the first segment if not done yet.
    void Start();
    /// Append the next segment (one wander step).
    void AppendSegment();
    /// Drop segments that ended more than HistoryLength before now.
    void Prune();
    /**
     * @param simNs a simulation time (ns)
     * @return the segment containing simNs (drawing segments as needed)
     */
    const Segment& SegmentAtSim(int64_t simNs);
    /// @return the duration of one segment in ns, or 0 when wander is off
    int64_t SegmentNs() const;

    Ptr<RandomVariableStream> m_frequencyOffset; ///< ppm, drawn once
    Ptr<RandomVariableStream> m_wander;          ///< ppm step per WanderInterval
    Ptr<RandomVariableStream> m_initialPhase;    ///< ns
    Time m_wanderInterval;                       ///< time between wander steps (0: no wander)
    Time m_granularity;                          ///< timestamp granularity
    Time m_history;                              ///< how far back queries are allowed

    bool m_started{false};          ///< first segment drawn
    double m_initialPpm{0};         ///< y_0
    std::deque<Segment> m_segments; ///< retained segments, in time order

    bool m_synced{false};    ///< a correction is in effect
    double m_localRefNs{0};  ///< L_ref
    double m_syncRefNs{0};   ///< S_ref
    double m_rateRatio{1.0}; ///< rate ratio of the correction

    TracedCallback<Time, double> m_correctionTrace; ///< fired on every SetSyncCorrection/Reset
};

} // namespace ns3

#endif // FABTWIN_LOCAL_CLOCK_H
