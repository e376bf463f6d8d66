#include "non-wifi-interferer-helper.h"

#include "duty-cycled-interferer.h"

#include "ns3/constant-position-mobility-model.h"
#include "ns3/log.h"
#include "ns3/mobility-model.h"
#include "ns3/node.h"
#include "ns3/non-communicating-net-device.h"
#include "ns3/simulator.h"
#include "ns3/spectrum-channel.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NonWifiInterfererHelper");

NonWifiInterfererHelper::NonWifiInterfererHelper()
    : m_startTime(Seconds(0))
{
    m_factory.SetTypeId(DutyCycledInterferer::GetTypeId());
}

void
NonWifiInterfererHelper::SetChannel(Ptr<SpectrumChannel> channel)
{
    m_channel = channel;
}

void
NonWifiInterfererHelper::SetInterfererAttribute(std::string name, const AttributeValue& value)
{
    m_factory.Set(name, value);
}

void
NonWifiInterfererHelper::SetStartTime(Time start)
{
    m_startTime = start;
}

Ptr<NonWifiInterferer>
NonWifiInterfererHelper::Install(Ptr<Node> node) const
{
    NS_ABORT_MSG_IF(!m_channel, "NonWifiInterfererHelper: SetChannel() first");
    auto mobility = node->GetObject<MobilityModel>();
    NS_ABORT_MSG_IF(!mobility,
                    "NonWifiInterfererHelper: node " << node->GetId() << " has no MobilityModel");

    auto device = CreateObject<NonCommunicatingNetDevice>();
    auto interferer = m_factory.Create<NonWifiInterferer>();
    NS_ABORT_MSG_IF(!interferer,
                    "NonWifiInterfererHelper: " << m_factory.GetTypeId().GetName()
                                                << " is not a NonWifiInterferer");
    interferer->SetMobility(mobility);
    interferer->SetChannel(m_channel);
    interferer->SetDevice(device);
    device->SetPhy(interferer);
    device->SetChannel(m_channel);
    node->AddDevice(device);

    if (!m_startTime.IsStrictlyNegative())
    {
        const Time delay = std::max(m_startTime - Simulator::Now(), Seconds(0));
        Simulator::ScheduleWithContext(node->GetId(), delay, &NonWifiInterferer::Start, interferer);
    }
    NS_LOG_INFO(m_factory.GetTypeId().GetName()
                << " on node " << node->GetId() << " at " << mobility->GetPosition());
    return interferer;
}

NonWifiInterfererContainer
NonWifiInterfererHelper::Install(const NodeContainer& nodes) const
{
    NonWifiInterfererContainer out;
    for (auto it = nodes.Begin(); it != nodes.End(); ++it)
    {
        out.push_back(Install(*it));
    }
    return out;
}

Ptr<NonWifiInterferer>
NonWifiInterfererHelper::InstallAt(const Vector& position) const
{
    auto node = CreateObject<Node>();
    auto mobility = CreateObject<ConstantPositionMobilityModel>();
    mobility->SetPosition(position);
    node->AggregateObject(mobility);
    return Install(node);
}

int64_t
NonWifiInterfererHelper::AssignStreams(const NonWifiInterfererContainer& interferers,
                                       int64_t stream)
{
    int64_t used = 0;
    for (const auto& i : interferers)
    {
        used += i->AssignStreams(stream + used);
    }
    return used;
}

int64_t
NonWifiInterfererHelper::AssignStreams(Ptr<NonWifiInterferer> interferer, int64_t stream)
{
    return interferer->AssignStreams(stream);
}

} // namespace ns3
