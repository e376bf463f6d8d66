#include "nr-helper.h"

#include "nr-spectrum-transmit-filter.h"
#include "nr-tbs-calculator.h"

#include "ns3/abort.h"
#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("NrHelper");

NrHelper::NrHelper()
    : m_timing(CreateObject<NrLatencyModel>())
{
    m_gnbPhy.SetTypeId("ns3::NrSpectrumPhy");
    m_gnbPhy.Set("SpreadOverCarrier", BooleanValue(true));
    m_gnbPhy.Set("TxPower", DoubleValue(30.0));
    m_gnbPhy.Set("NoiseFigure", DoubleValue(5.0));
    m_uePhy.SetTypeId("ns3::NrSpectrumPhy");
    m_gnbMac.SetTypeId("ns3::NrGnbMac");
}

void
NrHelper::SetChannel(Ptr<SpectrumChannel> channel)
{
    m_channel = channel;
}

Ptr<NrLatencyModel>
NrHelper::GetTiming() const
{
    return m_timing;
}

void
NrHelper::SetGnbPhyAttribute(const std::string& n, const AttributeValue& v)
{
    m_gnbPhy.Set(n, v);
}

void
NrHelper::SetUePhyAttribute(const std::string& n, const AttributeValue& v)
{
    m_uePhy.Set(n, v);
}

void
NrHelper::SetGnbMacAttribute(const std::string& n, const AttributeValue& v)
{
    m_gnbMac.Set(n, v);
}

NetDeviceContainer
NrHelper::Install(Ptr<Node> gnbNode, NodeContainer ues, uint16_t cellId)
{
    NS_ABORT_MSG_IF(!m_channel, "NrHelper: SetChannel first");
    // Same-cell signals reach only the PHYs they concern (a cell of n UEs costs n, not n^2).
    m_channel->AddSpectrumTransmitFilter(CreateObject<NrSpectrumTransmitFilter>());
    auto numerology = m_timing->GetFrameStructure()->GetNumerology();
    NetDeviceContainer devices;

    // FDD: paired carriers. Unless set, the UL carrier sits two carrier bandwidths below the DL
    // one, so uplink and downlink never overlap (the real duplex gap is band-specific, TS 38.101-1
    // Table 5.2-1; only the absence of overlap matters here).
    const bool fdd = m_timing->GetFrameStructure()->GetTddPattern()->IsFdd();
    auto pairUl = [&](Ptr<NrSpectrumPhy> phy)
    {
        DoubleValue ul;
        DoubleValue dl;
        UintegerValue n;
        phy->GetAttribute("UlCarrierFrequency", ul);
        phy->GetAttribute("CarrierFrequency", dl);
        phy->GetAttribute("NumRbs", n);
        if (fdd && ul.Get() == 0)
        {
            phy->SetAttribute("UlCarrierFrequency",
                              DoubleValue(dl.Get() - 2 * n.Get() * numerology->GetRbBandwidthHz()));
        }
    };
    auto gnbPhy = m_gnbPhy.Create<NrSpectrumPhy>();
    gnbPhy->SetNumerology(numerology);
    gnbPhy->SetChannel(m_channel);
    gnbPhy->SetIdentity(cellId, 0);
    pairUl(gnbPhy);
    auto gnb = CreateObject<NrGnbNetDevice>();
    gnb->SetPhy(gnbPhy);
    gnbNode->AddDevice(gnb); // sets the PHY's device and mobility
    m_channel->AddRx(gnbPhy);
    auto gnbMac = m_gnbMac.Create<NrGnbMac>();
    gnbMac->Configure(gnbPhy, m_timing, cellId);
    gnb->SetMac(gnbMac);
    gnb->SetTiming(m_timing);
    devices.Add(gnb);

    uint16_t rnti = 1;
    for (auto it = ues.Begin(); it != ues.End(); ++it, ++rnti)
    {
        auto phy = m_uePhy.Create<NrSpectrumPhy>();
        phy->SetNumerology(numerology);
        phy->SetChannel(m_channel);
        phy->SetIdentity(cellId, rnti);
        pairUl(phy);
        auto ue = CreateObject<NrUeNetDevice>();
        ue->SetPhy(phy);
        (*it)->AddDevice(ue);
        m_channel->AddRx(phy);
        auto mac = CreateObject<NrUeMac>();
        mac->Configure(phy, m_timing, cellId, rnti);
        ue->SetMac(mac);
        gnbMac->AddUe(rnti);
        gnb->AttachUe(ue, rnti);
        devices.Add(ue);
    }
    gnbMac->Start();
    return devices;
}

void
NrHelper::ConfigureCg(Ptr<NrGnbNetDevice> gnb,
                      Ptr<NrUeNetDevice> ue,
                      uint32_t firstRb,
                      uint32_t numRbs,
                      uint8_t mcs,
                      NrMcsTable::Table table)
{
    const auto& row = NrMcsTable::GetRow(table, mcs);
    UintegerValue dmrs;
    gnb->GetMac()->GetAttribute("DmrsRePerPrb", dmrs);
    const uint32_t tbs =
        NrTbsCalculator::GetTbs({numRbs,
                                 m_timing->GetFrameStructure()->GetAllocationSymbols(),
                                 static_cast<uint32_t>(dmrs.Get()),
                                 0,
                                 row.qm,
                                 row.rateX1024 / 1024.0,
                                 1}) /
        8;
    NS_ABORT_MSG_IF(tbs < m_timing->GetCgBytes(),
                    "NrHelper: CG resource of " << numRbs << " RBs at MCS " << +mcs << " carries "
                                                << tbs << " bytes < CgBytes "
                                                << m_timing->GetCgBytes());
    ue->GetMac()->SetCgResource(firstRb, numRbs, mcs, table);
    const uint16_t rnti = gnb->GetRnti(ue->GetMac48Address());
    NS_ABORT_MSG_IF(rnti == 0, "NrHelper: the UE is not attached to this gNB");
    gnb->GetMac()->ReserveCgRbs(rnti, firstRb, numRbs);
}

int64_t
NrHelper::AssignStreams(NetDeviceContainer devices, int64_t stream)
{
    int64_t used = 0;
    for (auto it = devices.Begin(); it != devices.End(); ++it)
    {
        auto dev = DynamicCast<NrNetDevice>(*it);
        if (dev)
        {
            used += dev->GetPhy()->AssignStreams(stream + used);
        }
    }
    return used;
}

} // namespace ns3
