#include "latency-split-tracker.h"

#include "flow-tag.h"

#include "ns3/log.h"
#include "ns3/qos-utils.h"
#include "ns3/wifi-mpdu.h"
#include "ns3/wifi-psdu.h"

#include <algorithm>
#include <limits>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("LatencySplitTracker");

void
LatencySplitTracker::Reset(uint32_t nNodes, uint32_t nFlows, bool globalSeq)
{
    m_ring.assign(1024, Entry{});
    m_nFlows = std::max<uint32_t>(nFlows, 1);
    m_globalSeq = globalSeq;
    m_lastPpduEndNs.assign(nNodes,
                           {std::numeric_limits<int64_t>::min() / 2,
                            std::numeric_limits<int64_t>::min() / 2,
                            std::numeric_limits<int64_t>::min() / 2,
                            std::numeric_limits<int64_t>::min() / 2});
}

std::size_t
LatencySplitTracker::Capacity() const
{
    return m_ring.size();
}

uint64_t
LatencySplitTracker::Key(uint32_t flow, uint32_t seq) const
{
    return m_globalSeq ? seq : static_cast<uint64_t>(seq) * m_nFlows + flow;
}

LatencySplitTracker::Entry*
LatencySplitTracker::Find(uint64_t key)
{
    Entry& e = m_ring[key & (m_ring.size() - 1)];
    return e.key == key ? &e : nullptr;
}

LatencySplitTracker::Entry&
LatencySplitTracker::Insert(uint64_t key)
{
    while (true)
    {
        Entry& e = m_ring[key & (m_ring.size() - 1)];
        if (e.key == kEmpty || e.key == key)
        {
            e = Entry{};
            e.key = key;
            return e;
        }
        Grow(); // another packet in flight holds the slot
    }
}

void
LatencySplitTracker::Grow()
{
    std::vector<Entry> old;
    old.swap(m_ring);
    std::size_t size = old.size() * 2;
    while (true)
    {
        m_ring.assign(size, Entry{});
        bool clash = false;
        for (const auto& e : old)
        {
            if (e.key == kEmpty)
            {
                continue;
            }
            Entry& slot = m_ring[e.key & (size - 1)];
            if (slot.key != kEmpty)
            {
                clash = true;
                break;
            }
            slot = e;
        }
        if (!clash)
        {
            NS_LOG_LOGIC("ring grown to " << size << " slots");
            return;
        }
        size *= 2;
    }
}

void
LatencySplitTracker::NotifyEnqueue(uint32_t flow, uint32_t seq, bool firstHop, Time now)
{
    uint64_t key = Key(flow, seq);
    Entry* e = firstHop ? &Insert(key) : Find(key);
    if (!e)
    {
        return;
    }
    e->hopEnqNs = now.GetNanoSeconds();
    e->hopFirstTxNs = -1;
}

void
LatencySplitTracker::NotifyPpdu(uint32_t node,
                                const WifiConstPsduMap& psdus,
                                Time duration,
                                Time now)
{
    const int64_t start = now.GetNanoSeconds();
    const int64_t end = start + duration.GetNanoSeconds();
    auto& lastEnd = m_lastPpduEndNs[node];
    std::array<bool, 4> acUsed{};
    for (const auto& [staId, psdu] : psdus)
    {
        for (const auto& mpdu : *psdu)
        {
            const auto& hdr = mpdu->GetHeader();
            if (!hdr.IsQosData() || !hdr.HasData())
            {
                continue;
            }
            AcIndex ac = QosUtilsMapTidToAc(hdr.GetQosTid());
            acUsed[ac] = true;
            FlowTag tag;
            if (!mpdu->GetPacket()->PeekPacketTag(tag))
            {
                continue;
            }
            Entry* e = Find(Key(tag.GetFlow(), tag.GetSeq()));
            if (!e)
            {
                continue;
            }
            auto& s = e->split;
            if (e->hopFirstTxNs < 0)
            {
                int64_t waited = start - e->hopEnqNs;
                int64_t queued = std::clamp<int64_t>(lastEnd[ac] - e->hopEnqNs, 0, waited);
                s.queueNs += queued;
                s.accessNs += waited - queued;
                e->hopFirstTxNs = start;
            }
            else
            {
                s.accessNs += start - e->lastTxEndNs;
                s.retries++;
            }
            s.airNs += end - start;
            e->lastTxEndNs = end;
        }
    }
    for (std::size_t ac = 0; ac < acUsed.size(); ++ac)
    {
        if (acUsed[ac])
        {
            lastEnd[ac] = end;
        }
    }
}

std::optional<LatencySplit>
LatencySplitTracker::Take(uint32_t flow, uint32_t seq)
{
    Entry* e = Find(Key(flow, seq));
    if (!e)
    {
        return std::nullopt;
    }
    std::optional<LatencySplit> out;
    if (e->hopFirstTxNs >= 0)
    {
        out = e->split;
    }
    e->key = kEmpty;
    return out;
}

void
LatencySplitTracker::Forget(uint32_t flow, uint32_t seq)
{
    if (Entry* e = Find(Key(flow, seq)))
    {
        e->key = kEmpty;
    }
}

} // namespace ns3
