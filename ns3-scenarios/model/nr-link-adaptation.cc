#include "nr-link-adaptation.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/pointer.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrLinkAdaptation");
NS_OBJECT_ENSURE_REGISTERED(NrLinkAdaptation);

TypeId
NrLinkAdaptation::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrLinkAdaptation")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrLinkAdaptation>()
            .AddAttribute("TargetBler",
                          "Target BLER of the first transmission (TS 38.214 §5.2.2.1 uses 0.1 for "
                          "CQI tables 1, 2 and 1e-5 for the URLLC CQI table 3).",
                          DoubleValue(0.1),
                          MakeDoubleAccessor(&NrLinkAdaptation::m_targetBler),
                          MakeDoubleChecker<double>(1e-9, 0.5))
            .AddAttribute("McsTable",
                          "MCS index table (TS 38.214 §5.1.3.1).",
                          EnumValue(NrMcsTable::Table::QAM64),
                          MakeEnumAccessor<NrMcsTable::Table>(&NrLinkAdaptation::m_table),
                          MakeEnumChecker(NrMcsTable::Table::QAM64,
                                          "Qam64",
                                          NrMcsTable::Table::QAM256,
                                          "Qam256",
                                          NrMcsTable::Table::QAM64_LOWSE,
                                          "Qam64LowSe"))
            .AddAttribute("ErrorModel",
                          "The BLER curves.",
                          PointerValue(),
                          MakePointerAccessor(&NrLinkAdaptation::m_errorModel),
                          MakePointerChecker<NrErrorModel>());
    return tid;
}

NrLinkAdaptation::NrLinkAdaptation()
    : m_targetBler(0.1)
    , m_table(NrMcsTable::Table::QAM64)
    , m_errorModel(CreateObject<NrErrorModel>())
{
    NS_LOG_FUNCTION(this);
}

NrLinkAdaptation::Choice
NrLinkAdaptation::SelectMcs(double sinrEff) const
{
    for (int m = NrMcsTable::GetMaxMcs(m_table); m >= 0; --m)
    {
        const double bler = m_errorModel->GetBler(m_table, m, sinrEff);
        if (bler <= m_targetBler)
        {
            return {static_cast<uint8_t>(m), bler, true};
        }
    }
    return {0, m_errorModel->GetBler(m_table, 0, sinrEff), false};
}

NrMcsTable::Table
NrLinkAdaptation::GetTable() const
{
    return m_table;
}

Ptr<NrErrorModel>
NrLinkAdaptation::GetErrorModel() const
{
    return m_errorModel;
}

} // namespace ns3
