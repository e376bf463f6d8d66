#include "narrowband-interferer.h"

#include "ns3/double.h"
#include "ns3/log.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NarrowbandInterferer");

NS_OBJECT_ENSURE_REGISTERED(NarrowbandInterferer);

TypeId
NarrowbandInterferer::GetTypeId()
{
    static TypeId tid = TypeId("ns3::NarrowbandInterferer")
                            .SetParent<NonWifiInterferer>()
                            .SetGroupName("Spectrum")
                            .AddConstructor<NarrowbandInterferer>()
                            .AddAttribute("Bandwidth",
                                          "Occupied bandwidth of the tone in Hz (flat PSD around "
                                          "CenterFrequency).",
                                          DoubleValue(10e3),
                                          MakeDoubleAccessor(&NarrowbandInterferer::m_bandwidthHz),
                                          MakeDoubleChecker<double>(1.0));
    return tid;
}

NarrowbandInterferer::NarrowbandInterferer()
{
    NS_LOG_FUNCTION(this);
}

NarrowbandInterferer::~NarrowbandInterferer()
{
    NS_LOG_FUNCTION(this);
}

void
NarrowbandInterferer::DoStart()
{
    NS_LOG_FUNCTION(this);
    TurnOnIndefinitely();
}

} // namespace ns3
