#ifndef FABTWIN_DUTY_CYCLED_INTERFERER_H
#define FABTWIN_DUTY_CYCLED_INTERFERER_H

#include "non-wifi-interferer.h"

namespace ns3
{

/**
 * @brief A periodic wideband interferer, e.g. a microwave oven.
 *
 * On for DutyCycle * Period at the start of every Period, then off. The defaults are a
 * microwave-oven-like source: a magnetron fed by half-wave rectified 50 Hz mains radiates during
 * one half of each 20 ms AC cycle, around 2.45 GHz. The frequency sweep of a real magnetron within
 * its on half-cycle is not modelled: the emission is flat over Bandwidth.
 *
 * DutyCycle 0 never transmits; DutyCycle 1 transmits continuously.
 */
class DutyCycledInterferer : public NonWifiInterferer
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    DutyCycledInterferer();
    ~DutyCycledInterferer() override;

    /// @return the configured fraction of time on, in [0, 1]
    double GetDutyCycle() const;
    /// @return the period of the on/off cycle
    Time GetPeriod() const;

  private:
    void DoStart() override;
    void DoStop() override;

    /// Start of a cycle: turn on, and schedule the next cycle.
    void StartCycle();

    Time m_period;        //!< on/off cycle period
    double m_dutyCycle;   //!< fraction of each period that is on
    EventId m_cycleEvent; //!< next StartCycle
};

} // namespace ns3

#endif // FABTWIN_DUTY_CYCLED_INTERFERER_H
