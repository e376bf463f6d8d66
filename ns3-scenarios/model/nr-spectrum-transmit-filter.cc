#include "nr-spectrum-transmit-filter.h"

#include "nr-spectrum-phy.h"
#include "nr-spectrum-signal-parameters.h"

#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrSpectrumTransmitFilter");
NS_OBJECT_ENSURE_REGISTERED(NrSpectrumTransmitFilter);

TypeId
NrSpectrumTransmitFilter::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NrSpectrumTransmitFilter")
                            .SetParent<SpectrumTransmitFilter>()
                            .SetGroupName("Fabtwin")
                            .AddConstructor<NrSpectrumTransmitFilter>();
    return tid;
}

NrSpectrumTransmitFilter::NrSpectrumTransmitFilter()
{
    NS_LOG_FUNCTION(this);
}

bool
NrSpectrumTransmitFilter::DoFilter(Ptr<const SpectrumSignalParameters> params,
                                   Ptr<const SpectrumPhy> receiverPhy)
{
    auto nr = DynamicCast<const NrSpectrumSignalParameters>(params);
    auto phy = DynamicCast<const NrSpectrumPhy>(receiverPhy);
    return nr && phy && !phy->Concerns(*nr);
}

int64_t
NrSpectrumTransmitFilter::DoAssignStreams(int64_t /* stream */)
{
    return 0;
}

} // namespace ns3
