#ifndef FABTWIN_NARROWBAND_INTERFERER_H
#define FABTWIN_NARROWBAND_INTERFERER_H

#include "non-wifi-interferer.h"

namespace ns3
{

/**
 * @brief A continuous narrowband tone (e.g. a CW leak from an industrial RF heater or a
 * spurious emission of a drive), on from Start() to Stop().
 *
 * The tone is a flat PSD over Bandwidth (default 10 kHz) around CenterFrequency; inside an
 * OFDM receiver it lands on one or a few subcarriers, whose power the receiver's band conversion
 * keeps.
 */
class NarrowbandInterferer : public NonWifiInterferer
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();

    NarrowbandInterferer();
    ~NarrowbandInterferer() override;

  private:
    void DoStart() override;
};

} // namespace ns3

#endif // FABTWIN_NARROWBAND_INTERFERER_H
