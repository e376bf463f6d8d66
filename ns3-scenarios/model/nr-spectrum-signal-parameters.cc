#include "nr-spectrum-signal-parameters.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrSpectrumSignalParameters");

Ptr<SpectrumSignalParameters>
NrSpectrumSignalParameters::Copy() const
{
    // The SDU list holds Ptr<Packet>s shared with the sender; receivers copy before modifying.
    return Create<NrSpectrumSignalParameters>(*this);
}

} // namespace ns3
