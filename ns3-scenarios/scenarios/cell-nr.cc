#include "cell-nr.h"

#include "../model/flow-tag.h"
#include "../model/nr-error-model.h"
#include "../model/nr-link-adaptation.h"

#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/log.h"
#include "ns3/pointer.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <numeric>
#include <stdexcept>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("CellNr");

using namespace twinproto;

namespace
{

/// Cell id of the cell's only NR cell.
constexpr uint16_t kCellId = 1;
/// TS 38.211 §4.3.1: a radio frame is 10 ms; 20 ms covers every standard TDD period
/// (dl-UL-TransmissionPeriodicity up to 10 ms, TS 38.331) an integer number of times.
constexpr uint64_t kAlignMs = 20;
/// Largest twin packet (FactoryCell::Advance checks it).
constexpr uint16_t kMaxTwinPacketBytes = 2296;

} // namespace

CellNr::CellNr(const CellDescription& desc, NodeContainer nodes, Ptr<SpectrumChannel> channel)
    : m_desc(desc)
    , m_nodes(nodes)
    , m_channel(channel)
{
}

int64_t
CellNr::Install(int64_t stream, DeliverCallback deliver, DropCallback drop)
{
    const auto& n = m_desc.nr;
    auto t = m_helper.GetTiming();
    auto fs = t->GetFrameStructure();
    fs->GetNumerology()->SetAttribute("Numerology", UintegerValue(n.numerology));
    fs->GetTddPattern()->SetAttribute("Pattern", StringValue(n.duplex));
    fs->GetTddPattern()->SetAttribute("SpecialSlotDlSymbols", UintegerValue(n.specialDlSymbols));
    fs->GetTddPattern()->SetAttribute("SpecialSlotUlSymbols", UintegerValue(n.specialUlSymbols));
    fs->SetAttribute("AllocationSymbols", UintegerValue(n.allocationSymbols));
    fs->SetAttribute("CoresetSymbols", UintegerValue(n.coresetSymbols));
    fs->SetAttribute("PucchSymbols", UintegerValue(n.pucchSymbols));
    t->SetAttribute("UeCapability", UintegerValue(n.ueCapability));
    t->SetAttribute("UlAccess",
                    EnumValue(n.ulAccess == "configured_grant"
                                  ? NrLatencyModel::UlAccess::CONFIGURED_GRANT
                                  : NrLatencyModel::UlAccess::DYNAMIC_GRANT));
    t->SetAttribute("SrPeriodSymbols", UintegerValue(n.srPeriodSymbols));
    t->SetAttribute("SrOffsetSymbols", UintegerValue(n.srOffsetSymbols));
    t->SetAttribute("SrGrantBytes", UintegerValue(n.srGrantBytes));
    t->SetAttribute("CgPeriodSymbols", UintegerValue(n.cgPeriodSymbols));
    t->SetAttribute("CgOffsetSlots", UintegerValue(n.cgOffsetSlots));
    t->SetAttribute("CgStartSymbol", UintegerValue(n.cgStartSymbol));
    t->SetAttribute("CgBytes", UintegerValue(n.cgBytes));
    t->SetAttribute("GnbSchedulingSymbols", DoubleValue(n.gnbSchedulingSymbols));
    t->SetAttribute("GnbDecodingSymbols", DoubleValue(n.gnbDecodingSymbols));
    t->SetAttribute("CoreNetworkDelay", TimeValue(Seconds(n.coreDelayS)));
    t->SetAttribute("HarqMaxTransmissions", UintegerValue(n.harqMaxTransmissions));

    for (bool gnb : {true, false})
    {
        auto set = [this, gnb](const std::string& a, const AttributeValue& v)
        { gnb ? m_helper.SetGnbPhyAttribute(a, v) : m_helper.SetUePhyAttribute(a, v); };
        set("CarrierFrequency", DoubleValue(n.carrierFrequencyHz));
        set("UlCarrierFrequency", DoubleValue(n.ulCarrierFrequencyHz));
        set("NumRbs", UintegerValue(n.numRbs));
        set("TxPower", DoubleValue(gnb ? n.gnbTxPowerDbm : n.ueTxPowerDbm));
        set("NoiseFigure", DoubleValue(gnb ? n.gnbNoiseFigureDb : n.ueNoiseFigureDb));
    }
    m_helper.SetGnbMacAttribute("ControlRbs", UintegerValue(n.controlRbs));
    m_helper.SetGnbMacAttribute("InitialSinrDb", DoubleValue(n.initialSinrDb));
    auto curves = [&n]()
    {
        auto em = CreateObject<NrErrorModel>();
        em->SetAttribute("ImplementationGapDb", DoubleValue(n.implementationGapDb));
        em->SetAttribute("CurveSigmaDb", DoubleValue(n.curveSigmaDb));
        return em;
    };
    auto la = CreateObject<NrLinkAdaptation>();
    la->SetAttribute("TargetBler", DoubleValue(n.targetBler));
    la->SetAttribute("McsTable", EnumValue(NrMcsTableOf(n.mcsTable)));
    la->SetAttribute("ErrorModel", PointerValue(curves()));
    m_helper.SetGnbMacAttribute("LinkAdaptation", PointerValue(la));
    m_helper.SetChannel(m_channel);

    NodeContainer ueNodes;
    std::vector<uint32_t> ueIndex;
    for (uint32_t i = 0; i < m_desc.nodes.size(); ++i)
    {
        if (!m_desc.HasNr(i))
        {
            continue;
        }
        const auto& role = m_desc.nodes[i].role;
        if (role == "gnb" || role == "ap")
        {
            m_gnbNode = i;
        }
        else
        {
            ueNodes.Add(m_nodes.Get(i));
            ueIndex.push_back(i);
        }
    }
    NetDeviceContainer devs = m_helper.Install(m_nodes.Get(m_gnbNode), ueNodes, kCellId);
    m_gnb = DynamicCast<NrGnbNetDevice>(devs.Get(0));
    for (uint32_t k = 0; k < ueIndex.size(); ++k)
    {
        m_ues[ueIndex[k]] = DynamicCast<NrUeNetDevice>(devs.Get(1 + k));
        m_rnti[ueIndex[k]] = k + 1; // NrHelper: RNTIs 1, 2, ... in order
    }
    for (uint32_t d = 0; d < devs.GetN(); ++d)
    {
        auto dev = DynamicCast<NrNetDevice>(devs.Get(d));
        dev->GetPhy()->SetAttribute("ErrorModel", PointerValue(curves()));
        // Twin packets up to the cell's limit (2296 bytes, the Wi-Fi MSDU less LLC/SNAP) pass;
        // an NR PDCP SDU may have up to 9000 bytes (TS 38.323 §4.3.1).
        dev->SetMtu(kMaxTwinPacketBytes);
    }
    if (n.ulAccess == "configured_grant")
    {
        // UE k (k = 0, 1, ...) gets RBs k*n .. k*n+n-1 every occasion (checked to fit).
        for (uint32_t k = 0; k < ueIndex.size(); ++k)
        {
            m_helper.ConfigureCg(m_gnb,
                                 m_ues[ueIndex[k]],
                                 k * n.cgRbsPerUe,
                                 n.cgRbsPerUe,
                                 n.cgMcs,
                                 NrMcsTableOf(n.mcsTable));
        }
    }

    // Deliveries: the RxRecord trace carries the journey; the receiving node is bound here.
    m_gnb->TraceConnectWithoutContext(
        "RxRecord",
        Callback<void, Ptr<const Packet>, const NrPacketRecord&>(
            [deliver, node = m_gnbNode](Ptr<const Packet> p, const NrPacketRecord& r)
            { deliver(node, p, r); }));
    for (const auto& [node, ue] : m_ues)
    {
        ue->TraceConnectWithoutContext(
            "RxRecord",
            Callback<void, Ptr<const Packet>, const NrPacketRecord&>(
                [deliver, node = node](Ptr<const Packet> p, const NrPacketRecord& r)
                { deliver(node, p, r); }));
        // an UL SDU that never fits the grants (no RLC segmentation)
        ue->GetMac()->TraceConnectWithoutContext(
            "Drop",
            Callback<void, Ptr<const Packet>>([drop](Ptr<const Packet> p)
                                              { drop(p, DropReason::UNKNOWN); }));
    }
    m_gnb->GetMac()->TraceConnectWithoutContext(
        "Drop",
        Callback<void, Ptr<const Packet>>([drop](Ptr<const Packet> p)
                                          { drop(p, DropReason::UNKNOWN); }));
    // HARQ: HarqMaxTransmissions failed transmissions (TS 38.321 §5.3.2, §5.4.2)
    m_gnb->GetMac()->TraceConnectWithoutContext(
        "HarqDropSdu",
        Callback<void, Ptr<const Packet>>([drop](Ptr<const Packet> p)
                                          { drop(p, DropReason::RETRY_LIMIT); }));
    m_drop = drop;
    return m_helper.AssignStreams(devs, stream);
}

Time
CellNr::AlignedStart(Time t) const
{
    const auto& n = m_desc.nr;
    const uint64_t slotsPerMs = 1u << n.numerology;
    const uint64_t patternSlots = n.duplex == "FDD" ? 1 : n.duplex.size();
    uint64_t period = std::lcm(kAlignMs * slotsPerMs, patternSlots) * 14;
    period = std::lcm(period, static_cast<uint64_t>(n.srPeriodSymbols));
    period = std::lcm(period, static_cast<uint64_t>(n.cgPeriodSymbols));
    auto timing = m_helper.GetTiming();
    const uint64_t s = timing->FirstSymbolAtOrAfter(NrLatencyModel::TimeToTc(t));
    return timing->StartTime((s + period - 1) / period * period);
}

bool
CellNr::Send(const FlowDescription& flow, Ptr<Packet> p, uint16_t protocol)
{
    const uint32_t max = m_desc.nr.maxQueuePackets;
    if (flow.src == m_gnbNode)
    {
        auto ue = m_ues.at(flow.dst);
        if (m_gnb->GetMac()->GetDlQueuePackets(m_rnti.at(flow.dst)) >= max)
        {
            m_drop(p, DropReason::QUEUE_OVERFLOW);
            return false;
        }
        if (!m_gnb->Send(p, ue->GetAddress(), protocol))
        {
            m_drop(p, DropReason::UNKNOWN);
            return false;
        }
        return true;
    }
    auto ue = m_ues.at(flow.src);
    if (ue->GetMac()->GetBufferPackets() >= max)
    {
        m_drop(p, DropReason::QUEUE_OVERFLOW);
        return false;
    }
    if (!ue->Send(p, m_gnb->GetAddress(), protocol))
    {
        m_drop(p, DropReason::UNKNOWN);
        return false;
    }
    return true;
}

void
CellNr::ApplySchedule(const std::vector<MuScheduleRecord>& recs)
{
    std::vector<uint32_t> order[2]; // per direction (MuDirection: DL 0, UL 1)
    for (const auto& r : recs)
    {
        if (r.node == kMuClear)
        {
            continue;
        }
        if (!IsUe(r.node))
        {
            throw std::invalid_argument("MU schedule record for node " + std::to_string(r.node) +
                                        ": not an NR UE");
        }
        if (r.direction > 1)
        {
            throw std::invalid_argument("MU schedule record direction " +
                                        std::to_string(r.direction) + ": allowed 0 (DL), 1 (UL)");
        }
        order[r.direction].push_back(r.node);
    }
    auto mac = m_gnb->GetMac();
    for (const auto& [node, rnti] : m_rnti)
    {
        mac->SetPriority(rnti, 0.0); // replace: unlisted UEs back to the default order
    }
    for (int dir = 0; dir < 2; ++dir)
    {
        const double n = order[dir].size();
        for (uint32_t k = 0; k < order[dir].size(); ++k)
        {
            // first listed = highest priority
            mac->SetPriority(m_rnti.at(order[dir][k]), dir == 0, n - k);
        }
    }
}

bool
CellNr::IsUe(uint32_t node) const
{
    return m_ues.count(node) > 0;
}

uint32_t
CellNr::QueuePackets(uint32_t node) const
{
    if (node == m_gnbNode)
    {
        uint32_t q = 0;
        for (const auto& [ue, rnti] : m_rnti)
        {
            q += m_gnb->GetMac()->GetDlQueuePackets(rnti);
        }
        return q;
    }
    auto it = m_ues.find(node);
    return it == m_ues.end() ? 0 : it->second->GetMac()->GetBufferPackets();
}

Address
CellNr::GetAddress(uint32_t node) const
{
    if (node == m_gnbNode)
    {
        return m_gnb->GetAddress();
    }
    return m_ues.at(node)->GetAddress();
}

Ptr<NrLatencyModel>
CellNr::GetTiming() const
{
    return m_helper.GetTiming();
}

} // namespace ns3
