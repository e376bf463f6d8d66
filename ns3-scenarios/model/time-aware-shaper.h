#ifndef FABTWIN_TIME_AWARE_SHAPER_H
#define FABTWIN_TIME_AWARE_SHAPER_H

#include "gate-control-list.h"
#include "local-clock.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/object.h"
#include "ns3/packet.h"
#include "ns3/traced-callback.h"

#include <deque>
#include <vector>

namespace ns3
{

/**
 * @brief IEEE 802.1Qbv time-aware shaper on one egress port, below IP (no traffic-control or
 * Internet module dependency): per-traffic-class FIFO queues, transmission gates driven by a
 * GateControlList executed on the node's own LocalClock (its synchronized time, with whatever
 * error the time sync leaves), and strict-priority transmission selection (802.1Q-2018 8.6.8:
 * the highest traffic class with a frame available is served).
 *
 * A frame is available only if its gate is open and it can be transmitted completely before
 * that gate closes (8.6.8.4), judged from the frame-duration callback: this is the guard band,
 * sized per frame. On Wi-Fi the callback should return the frame's airtime at its MCS including
 * the retransmissions budgeted for the stream (and, if wanted, a channel-access allowance), e.g.
 * from WifiPhy::CalculateTxDuration. The port is considered busy for that duration after a frame
 * is handed to the output callback; then the next frame is selected.
 *
 * Gate events are scheduled at the simulation time at which the node's synchronized time reaches
 * the next GCL boundary; a time-sync correction (LocalClock "Correction" trace) re-evaluates the
 * gates and re-plans the next event, so a step of the clock moves the gates like on hardware.
 * A frame longer than the longest window of its traffic class can never be sent and is dropped
 * (Drop trace) instead of blocking its queue forever.
 */
class TimeAwareShaper : public Object
{
  public:
    /// Returns the time the port needs for a frame of a traffic class (packet, tc).
    typedef Callback<Time, Ptr<const Packet>, uint8_t> FrameDurationCallback;
    /// Hands a selected frame to the device: (packet, destination, protocol number, tc).
    typedef Callback<void, Ptr<Packet>, const Address&, uint16_t, uint8_t> OutputCallback;
    /// Whether the device below can take a frame of a traffic class now (tc).
    typedef Callback<bool, uint8_t> PortReadyCallback;

    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    TimeAwareShaper();
    ~TimeAwareShaper() override;

    /// @param clock the node's clock (gates run on its synchronized time)
    void SetClock(Ptr<LocalClock> clock);
    /**
     * @brief Install a gate control list; aborts naming the problem if it does not validate.
     * Takes effect at once if the shaper is running.
     * @param gcl the list
     */
    void SetGateControlList(Ptr<GateControlList> gcl);
    /// @return the gate control list
    Ptr<GateControlList> GetGateControlList() const;
    /// @param cb the frame-duration callback (guard band per frame)
    void SetFrameDurationCallback(FrameDurationCallback cb);
    /// @param cb the output callback
    void SetOutputCallback(OutputCallback cb);

    /**
     * @brief Admission to a device with its own queue (a Wi-Fi MAC): with this callback set, a
     * frame of a class is released only while the callback says the device can take it (e.g.
     * its MAC queue is empty), instead of after the previous frame's duration; several classes
     * may then be in the device at once. Call NotifyPortReady() when the device frees up.
     * @param cb the callback (null: the port is busy for each frame's duration, the default)
     */
    void SetPortReadyCallback(PortReadyCallback cb);
    /// @brief The device below freed up: select again (only with a port-ready callback).
    void NotifyPortReady();
    /**
     * @brief Put a frame the device has not started back at the head of its queue (a frame
     * pulled back from a Wi-Fi MAC queue when its gate closed). Does not select.
     * @param packet the frame
     * @param dest its destination
     * @param protocolNumber its protocol number
     * @param tc its traffic class
     */
    void Requeue(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber, uint8_t tc);
    /**
     * @brief Remove the queued frames of a class that a predicate selects (e.g. frames of a
     * stream past their deadline); no trace fires, the caller accounts for them.
     * @param tc the traffic class
     * @param select returns true for a frame to remove
     * @return the removed frames, in queue order
     */
    std::vector<Ptr<Packet>> RemoveIf(uint8_t tc, Callback<bool, Ptr<const Packet>> select);
    /// @brief Start executing the gate control list.
    void Start();

    /**
     * @brief Queue a frame.
     * @param packet the frame
     * @param dest its destination
     * @param protocolNumber its EtherType / protocol number
     * @param tc its traffic class (< NumTrafficClasses)
     * @return false if its queue was full (the frame is dropped)
     */
    bool Enqueue(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber, uint8_t tc);
    /**
     * @param tc a traffic class
     * @return frames waiting in its queue
     */
    uint32_t GetQueueLength(uint8_t tc) const;
    /// @return the gate states in effect now
    uint8_t GetCurrentGateStates() const;
    /// @return true once Start() ran (Enqueue is allowed)
    bool IsRunning() const;

    /**
     * TracedCallback signature for gate changes.
     * @param oldStates previous gate states
     * @param newStates new gate states
     */
    typedef void (*GateTracedCallback)(uint8_t oldStates, uint8_t newStates);
    /**
     * TracedCallback signature for frames sent.
     * @param packet the frame
     * @param tc its traffic class
     * @param duration the port time reserved for it
     * @param queued how long it waited in the shaper
     */
    typedef void (*FrameSentTracedCallback)(Ptr<const Packet> packet,
                                            uint8_t tc,
                                            Time duration,
                                            Time queued);
    /**
     * TracedCallback signature for dropped frames.
     * @param packet the frame
     * @param tc its traffic class
     */
    typedef void (*DropTracedCallback)(Ptr<const Packet> packet, uint8_t tc);

  protected:
    void DoDispose() override;

  private:
    /// A queued frame.
    struct Item
    {
        Ptr<Packet> packet; ///< the frame
        Address dest;       ///< destination
        uint16_t protocol;  ///< protocol number
        Time enqueued;      ///< when it was queued
    };

    /// Re-evaluate the gates now, select a frame, plan the next gate event.
    void GateEvent();
    /// Select and release a frame if the port is idle.
    void TrySend();
    /**
     * @brief The clock was corrected: re-plan.
     * @param step the step of the synchronized time
     * @param rateRatio the new rate ratio
     */
    void ClockCorrected(Time step, double rateRatio);

    uint32_t m_numTc{8};        ///< traffic classes
    uint32_t m_maxFrames{1000}; ///< per-class queue limit

    Ptr<LocalClock> m_clock;                ///< the node's clock
    Ptr<GateControlList> m_gcl;             ///< the schedule
    std::vector<Time> m_maxOpen;            ///< longest window per class
    FrameDurationCallback m_duration;       ///< guard band per frame
    OutputCallback m_output;                ///< to the device
    PortReadyCallback m_ready;              ///< device admission (null: busy per frame)
    std::vector<std::deque<Item>> m_queues; ///< per-class FIFOs

    bool m_running{false}; ///< Start() called
    uint8_t m_states{0};   ///< gate states in effect
    Time m_busyUntil;      ///< the port transmits until then
    EventId m_gateEvent;   ///< next gate boundary
    EventId m_sendEvent;   ///< end of the current transmission

    TracedCallback<uint8_t, uint8_t> m_gateTrace;                       ///< gate changes
    TracedCallback<Ptr<const Packet>, uint8_t, Time, Time> m_sentTrace; ///< frames sent
    TracedCallback<Ptr<const Packet>, uint8_t> m_dropTrace;             ///< frames dropped
};

} // namespace ns3

#endif // FABTWIN_TIME_AWARE_SHAPER_H
