#ifndef FABTWIN_BURSTY_INTERFERER_H
#define FABTWIN_BURSTY_INTERFERER_H

#include "non-wifi-interferer.h"

#include "ns3/random-variable-stream.h"

namespace ns3
{

/**
 * @brief A bursty on/off jammer: off for an OffTime draw, then on for an OnTime draw, repeated.
 *
 * OnTime and OffTime are random variables in seconds (default exponential with means 5 ms and
 * 15 ms: a 25 % long-run duty, E[on] / (E[on] + E[off])); ConstantRandomVariable makes the
 * pattern deterministic. It starts with an off period. A zero on draw skips that burst.
 */
class BurstyInterferer : public NonWifiInterferer
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    BurstyInterferer();
    ~BurstyInterferer() override;

    int64_t AssignStreams(int64_t stream) override;

  protected:
    void DoDispose() override;

  private:
    void DoStart() override;
    void DoStop() override;
    void NotifyOnPeriodEnd() override;

    /// Draw an off time and schedule the next burst after it.
    void ScheduleNextBurst();
    /// Draw an on time and turn on for it.
    void BeginBurst();

    Ptr<RandomVariableStream> m_onTime;  //!< burst length, s
    Ptr<RandomVariableStream> m_offTime; //!< gap between bursts, s
    EventId m_burstEvent;                //!< next BeginBurst
};

} // namespace ns3

#endif // FABTWIN_BURSTY_INTERFERER_H
