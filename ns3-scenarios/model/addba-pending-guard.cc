#include "addba-pending-guard.h"

#include "ns3/block-ack-manager.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

#include <optional>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("AddBaPendingGuard");
NS_OBJECT_ENSURE_REGISTERED(AddBaPendingGuard);

TypeId
AddBaPendingGuard::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::AddBaPendingGuard")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<AddBaPendingGuard>()
            .AddAttribute("MaxPending",
                          "Longest time an originator Block Ack agreement may stay pending "
                          "before it is treated as an ADDBA Request without response",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&AddBaPendingGuard::m_maxPending),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddTraceSource("Released",
                            "A pending agreement was released (originator, recipient, TID)",
                            MakeTraceSourceAccessor(&AddBaPendingGuard::m_releasedTrace),
                            "ns3::AddBaPendingGuard::ReleasedTracedCallback");
    return tid;
}

AddBaPendingGuard::AddBaPendingGuard() = default;

void
AddBaPendingGuard::Install(Ptr<WifiMac> mac)
{
    const Mac48Address self = mac->GetAddress();
    for (auto ac : {AC_BE, AC_BK, AC_VI, AC_VO})
    {
        Ptr<QosTxop> txop = mac->GetQosTxop(ac);
        txop->GetBaManager()->TraceConnectWithoutContext(
            "AgreementState", MakeCallback(&AddBaPendingGuard::OnState, this).Bind(txop, self));
    }
}

uint32_t
AddBaPendingGuard::GetReleased() const
{
    return m_released;
}

void
AddBaPendingGuard::DoDispose()
{
    for (auto& [key, event] : m_checks)
    {
        event.Cancel();
    }
    m_checks.clear();
    Object::DoDispose();
}

void
AddBaPendingGuard::OnState(Ptr<QosTxop> txop,
                           Mac48Address originator,
                           Time /* now */,
                           Mac48Address recipient,
                           uint8_t tid,
                           OriginatorBlockAckAgreement::State state)
{
    auto key = std::make_tuple(originator, recipient, tid);
    if (auto it = m_checks.find(key); it != m_checks.end())
    {
        it->second.Cancel();
        m_checks.erase(it);
    }
    if (state == OriginatorBlockAckAgreement::PENDING)
    {
        m_checks[key] = Simulator::Schedule(
            m_maxPending, &AddBaPendingGuard::Check, this, txop, originator, recipient, tid);
    }
}

void
AddBaPendingGuard::Check(Ptr<QosTxop> txop,
                         Mac48Address originator,
                         Mac48Address recipient,
                         uint8_t tid)
{
    m_checks.erase(std::make_tuple(originator, recipient, tid));
    auto agreement = txop->GetBaManager()->GetAgreementAsOriginator(recipient, tid);
    if (!agreement || !agreement->get().IsPending())
    {
        return;
    }
    NS_LOG_INFO(originator << ": agreement with " << recipient << " for TID " << +tid
                           << " pending for " << m_maxPending.As(Time::MS) << ", released");
    ++m_released;
    m_releasedTrace(originator, recipient, tid);
    txop->AddBaResponseTimeout(recipient, tid, std::nullopt);
}

} // namespace ns3
