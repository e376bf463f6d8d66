#ifndef FABTWIN_NR_SPECTRUM_TRANSMIT_FILTER_H
#define FABTWIN_NR_SPECTRUM_TRANSMIT_FILTER_H

#include "ns3/spectrum-transmit-filter.h"

namespace ns3
{

/**
 * @brief Keeps the spectrum channel from delivering an NR signal to an NR PHY of the same cell
 * that it does not concern (NrSpectrumPhy::Concerns): UL signals to the UEs, DL signals to the
 * gNB and to the other UEs. Such a signal never overlaps a reception of that PHY in time and
 * frequency, so dropping it changes no result and saves the channel's path-loss computation and
 * event per receiver, which otherwise make a cell of n UEs cost n^2 per slot.
 */
class NrSpectrumTransmitFilter : public SpectrumTransmitFilter
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrSpectrumTransmitFilter();

  protected:
    bool DoFilter(Ptr<const SpectrumSignalParameters> params,
                  Ptr<const SpectrumPhy> receiverPhy) override;
    int64_t DoAssignStreams(int64_t stream) override;
};

} // namespace ns3

#endif // FABTWIN_NR_SPECTRUM_TRANSMIT_FILTER_H
