#include "nr-mcs-table.h"

#include "ns3/abort.h"
#include "ns3/enum.h"
#include "ns3/log.h"

#include <array>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrMcsTable");
NS_OBJECT_ENSURE_REGISTERED(NrMcsTable);

namespace
{

/// TS 38.214 Table 5.1.3.1-1: MCS index table 1 for PDSCH (up to 64QAM), rows 0..28.
constexpr std::array<NrMcsTable::Row, 29> kQam64{{
    {2, 120, 0.2344}, {2, 157, 0.3066}, {2, 193, 0.3770}, {2, 251, 0.4902}, {2, 308, 0.6016},
    {2, 379, 0.7402}, {2, 449, 0.8770}, {2, 526, 1.0273}, {2, 602, 1.1758}, {2, 679, 1.3262},
    {4, 340, 1.3281}, {4, 378, 1.4766}, {4, 434, 1.6953}, {4, 490, 1.9141}, {4, 553, 2.1602},
    {4, 616, 2.4063}, {4, 658, 2.5703}, {6, 438, 2.5664}, {6, 466, 2.7305}, {6, 517, 3.0293},
    {6, 567, 3.3223}, {6, 616, 3.6094}, {6, 666, 3.9023}, {6, 719, 4.2129}, {6, 772, 4.5234},
    {6, 822, 4.8164}, {6, 873, 5.1152}, {6, 910, 5.3320}, {6, 948, 5.5547},
}};

/// TS 38.214 Table 5.1.3.1-2: MCS index table 2 for PDSCH (up to 256QAM), rows 0..27.
constexpr std::array<NrMcsTable::Row, 28> kQam256{{
    {2, 120, 0.2344},   {2, 193, 0.3770},   {2, 308, 0.6016}, {2, 449, 0.8770}, {2, 602, 1.1758},
    {4, 378, 1.4766},   {4, 434, 1.6953},   {4, 490, 1.9141}, {4, 553, 2.1602}, {4, 616, 2.4063},
    {4, 658, 2.5703},   {6, 466, 2.7305},   {6, 517, 3.0293}, {6, 567, 3.3223}, {6, 616, 3.6094},
    {6, 666, 3.9023},   {6, 719, 4.2129},   {6, 772, 4.5234}, {6, 822, 4.8164}, {6, 873, 5.1152},
    {8, 682.5, 5.3320}, {8, 711, 5.5547},   {8, 754, 5.8906}, {8, 797, 6.2266}, {8, 841, 6.5703},
    {8, 885, 6.9141},   {8, 916.5, 7.1602}, {8, 948, 7.4063},
}};

/// TS 38.214 Table 5.1.3.1-3: MCS index table 3 for PDSCH (low spectral efficiency), rows 0..28.
constexpr std::array<NrMcsTable::Row, 29> kQam64LowSe{{
    {2, 30, 0.0586},  {2, 40, 0.0781},  {2, 50, 0.0977},  {2, 64, 0.1250},  {2, 78, 0.1523},
    {2, 99, 0.1934},  {2, 120, 0.2344}, {2, 157, 0.3066}, {2, 193, 0.3770}, {2, 251, 0.4902},
    {2, 308, 0.6016}, {2, 379, 0.7402}, {2, 449, 0.8770}, {2, 526, 1.0273}, {2, 602, 1.1758},
    {4, 340, 1.3281}, {4, 378, 1.4766}, {4, 434, 1.6953}, {4, 490, 1.9141}, {4, 553, 2.1602},
    {4, 616, 2.4063}, {6, 438, 2.5664}, {6, 466, 2.7305}, {6, 517, 3.0293}, {6, 567, 3.3223},
    {6, 616, 3.6094}, {6, 666, 3.9023}, {6, 719, 4.2129}, {6, 772, 4.5234},
}};

} // namespace

TypeId
NrMcsTable::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::NrMcsTable")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<NrMcsTable>()
            .AddAttribute("Table",
                          "MCS index table (TS 38.214 §5.1.3.1): Qam64 = Table 5.1.3.1-1, Qam256 = "
                          "Table 5.1.3.1-2, Qam64LowSe = Table 5.1.3.1-3 (URLLC).",
                          EnumValue(Table::QAM64),
                          MakeEnumAccessor<Table>(&NrMcsTable::SetTable, &NrMcsTable::GetTable),
                          MakeEnumChecker(Table::QAM64,
                                          "Qam64",
                                          Table::QAM256,
                                          "Qam256",
                                          Table::QAM64_LOWSE,
                                          "Qam64LowSe"));
    return tid;
}

NrMcsTable::NrMcsTable()
    : m_table(Table::QAM64)
{
    NS_LOG_FUNCTION(this);
}

void
NrMcsTable::SetTable(Table table)
{
    m_table = table;
}

NrMcsTable::Table
NrMcsTable::GetTable() const
{
    return m_table;
}

uint8_t
NrMcsTable::GetMaxMcs(Table table)
{
    switch (table)
    {
        case Table::QAM256:
            return kQam256.size() - 1;
        case Table::QAM64_LOWSE:
            return kQam64LowSe.size() - 1;
        default:
            return kQam64.size() - 1;
    }
}

const NrMcsTable::Row&
NrMcsTable::GetRow(Table table, uint8_t mcs)
{
    NS_ABORT_MSG_IF(mcs > GetMaxMcs(table),
                    "NrMcsTable: MCS " << +mcs << " is reserved or out of range (max "
                                       << +GetMaxMcs(table) << ")");
    switch (table)
    {
        case Table::QAM256:
            return kQam256[mcs];
        case Table::QAM64_LOWSE:
            return kQam64LowSe[mcs];
        default:
            return kQam64[mcs];
    }
}

uint8_t
NrMcsTable::GetMaxMcs() const
{
    return GetMaxMcs(m_table);
}

const NrMcsTable::Row&
NrMcsTable::GetRow(uint8_t mcs) const
{
    return GetRow(m_table, mcs);
}

uint8_t
NrMcsTable::GetModulationOrder(uint8_t mcs) const
{
    return GetRow(mcs).qm;
}

double
NrMcsTable::GetCodeRate(uint8_t mcs) const
{
    return GetRow(mcs).rateX1024 / 1024.0;
}

double
NrMcsTable::GetSpectralEfficiency(uint8_t mcs) const
{
    return GetRow(mcs).spectralEfficiency;
}

} // namespace ns3
