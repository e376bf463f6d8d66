#include "transmission-recorder.h"

#include "../model/flow-tag.h"
#include "../model/gptp-tag.h"

#include "ns3/simulator.h"
#include "ns3/wifi-mac-header.h"
#include "ns3/wifi-mac.h"
#include "ns3/wifi-mpdu.h"
#include "ns3/wifi-phy.h"
#include "ns3/wifi-psdu.h"

#include <cstdint>

namespace ns3
{

using namespace twinproto;

namespace
{

/// Allowance for propagation and the receiver's end-of-PPDU processing before a PPDU is reported.
const Time kReceptionMargin = MicroSeconds(1);

} // namespace

TransmissionRecorder::TransmissionRecorder(std::vector<Ptr<WifiNetDevice>> devices,
                                           uint32_t numFlows)
    : m_devices(std::move(devices))
    , m_numFlows(numFlows)
{
    for (uint32_t i = 0; i < m_devices.size(); ++i)
    {
        if (!m_devices[i])
        {
            continue; // NR only: no Wi-Fi PPDUs
        }
        m_nodeOf[Mac48Address::ConvertFrom(m_devices[i]->GetAddress())] = i;
    }
}

void
TransmissionRecorder::Start(Time t0)
{
    m_t0 = t0;
    for (uint32_t i = 0; i < m_devices.size(); ++i)
    {
        if (!m_devices[i])
        {
            continue;
        }
        auto phy = m_devices[i]->GetPhy();
        phy->TraceConnectWithoutContext(
            "PhyTxPsduBegin",
            Callback<void, WifiConstPsduMap, WifiTxVector, double>(
                [this, i](WifiConstPsduMap psdus, WifiTxVector tx, double)
                { OnTx(i, psdus, tx); }));
        phy->TraceConnectWithoutContext(
            "MonitorSnifferRx",
            Callback<void,
                     Ptr<const Packet>,
                     uint16_t,
                     WifiTxVector,
                     MpduInfo,
                     SignalNoiseDbm,
                     uint16_t>(
                [this,
                 i](Ptr<const Packet>, uint16_t, WifiTxVector, MpduInfo, SignalNoiseDbm, uint16_t)
                { OnRx(i); }));
    }
}

void
TransmissionRecorder::OnTx(uint32_t node, WifiConstPsduMap psdus, WifiTxVector txVector)
{
    Pending p{};
    p.rec.start_ns = (Simulator::Now() - m_t0).GetNanoSeconds();
    const Time duration =
        WifiPhy::CalculateTxDuration(psdus, txVector, m_devices[node]->GetPhy()->GetPhyBand());
    p.rec.duration_ns = duration.GetNanoSeconds();
    p.end = Simulator::Now() + duration;
    p.rec.node = node;
    p.rec.flow = kNoFlow;
    p.receiver = UINT32_MAX;
    bool twin = false;
    bool sync = false;
    bool data = false;
    bool first = true;
    for (const auto& [staId, psdu] : psdus)
    {
        for (auto it = psdu->begin(); it != psdu->end(); ++it)
        {
            const auto& hdr = (*it)->GetHeader();
            if (first)
            {
                first = false;
                const Mac48Address to = hdr.GetAddr1();
                if (to.IsGroup())
                {
                    p.rec.ok = 1;
                }
                else if (auto r = m_nodeOf.find(to); r != m_nodeOf.end())
                {
                    p.receiver = r->second;
                }
                p.rec.kind = static_cast<uint8_t>(hdr.IsCtl()   ? TxKind::CONTROL
                                                  : hdr.IsMgt() ? TxKind::MANAGEMENT
                                                                : TxKind::OTHER_DATA);
            }
            if (!hdr.IsData())
            {
                continue;
            }
            data = true;
            FlowTag tag;
            GptpTag gtag;
            if ((*it)->GetPacket()->PeekPacketTag(tag) && tag.GetFlow() < m_numFlows)
            {
                if (!twin)
                {
                    p.rec.flow = tag.GetFlow();
                }
                twin = true;
            }
            else if ((*it)->GetPacket()->PeekPacketTag(gtag))
            {
                sync = true;
            }
        }
    }
    if (data)
    {
        p.rec.kind = static_cast<uint8_t>(twin   ? TxKind::DATA
                                          : sync ? TxKind::TIME_SYNC
                                                 : TxKind::OTHER_DATA);
    }
    m_pending.push_back(p);
}

void
TransmissionRecorder::OnRx(uint32_t node)
{
    // The PPDU addressed to this node that ends now (less the propagation delay).
    const Time now = Simulator::Now();
    for (auto it = m_pending.rbegin(); it != m_pending.rend(); ++it)
    {
        if (it->receiver == node && it->end <= now && now - it->end <= kReceptionMargin)
        {
            it->rec.ok = 1;
            return;
        }
    }
}

std::vector<TransmissionRecord>
TransmissionRecorder::Collect(Time until)
{
    std::vector<TransmissionRecord> out;
    std::deque<Pending> keep;
    for (const auto& p : m_pending)
    {
        if (p.end + kReceptionMargin <= until)
        {
            out.push_back(p.rec);
        }
        else
        {
            keep.push_back(p);
        }
    }
    m_pending = std::move(keep);
    return out;
}

} // namespace ns3
