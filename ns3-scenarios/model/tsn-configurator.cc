#include "tsn-configurator.h"

#include "ns3/abort.h"
#include "ns3/log.h"
#include "ns3/uinteger.h"

#include <algorithm>
#include <numeric>
#include <set>
#include <sstream>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TsnConfigurator");
NS_OBJECT_ENSURE_REGISTERED(TsnConfigurator);

namespace
{
/// @return t as "123.456us"
std::string
Us(int64_t ns)
{
    std::ostringstream os;
    os << static_cast<double>(ns) / 1000.0 << "us";
    return os.str();
}
} // namespace

TypeId
TsnConfigurator::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::TsnConfigurator")
            .SetParent<Object>()
            .SetGroupName("Fabtwin")
            .AddConstructor<TsnConfigurator>()
            .AddAttribute("SyncErrorBound",
                          "Largest |offset| of any node's synchronized time from the "
                          "grandmaster (e): windows get 2e extra, guards 2e (docs/tsn.md).",
                          TimeValue(MicroSeconds(2)),
                          MakeTimeAccessor(&TsnConfigurator::m_syncErrorBound),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("GuardBand",
                          "Extra all-gates-closed time before every protected window, on top "
                          "of 2 * SyncErrorBound (e.g. a channel-access allowance on Wi-Fi).",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&TsnConfigurator::m_guardBand),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ProcessingDelay",
                          "Time from a frame's reception at a bridge/AP to its availability "
                          "for transmission on the next hop.",
                          TimeValue(MicroSeconds(5)),
                          MakeTimeAccessor(&TsnConfigurator::m_processingDelay),
                          MakeTimeChecker(Seconds(0)))
            .AddAttribute("ScheduledTrafficClass",
                          "Traffic class of the scheduled streams (gate open only in windows).",
                          UintegerValue(7),
                          MakeUintegerAccessor(&TsnConfigurator::m_scheduledTc),
                          MakeUintegerChecker<uint8_t>(0, 7))
            .AddAttribute("BaseTime",
                          "Base time of every computed gate control list.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&TsnConfigurator::m_baseTime),
                          MakeTimeChecker())
            .AddAttribute("MaxHypercycle",
                          "Largest accepted hypercycle (lcm of the periods).",
                          TimeValue(Seconds(1)),
                          MakeTimeAccessor(&TsnConfigurator::m_maxHypercycle),
                          MakeTimeChecker(Seconds(0)));
    return tid;
}

TsnConfigurator::TsnConfigurator() = default;

TsnConfigurator::~TsnConfigurator() = default;

void
TsnConfigurator::AddLink(const std::string& name, const std::vector<uint32_t>& txNodes)
{
    m_links[name] = txNodes;
}

void
TsnConfigurator::SetLinkTiming(const std::string& name, Time syncErrorBound, Time guardBand)
{
    m_linkTiming[name] = {syncErrorBound, guardBand};
}

int64_t
TsnConfigurator::SyncError(const std::string& link) const
{
    auto it = m_linkTiming.find(link);
    return (it == m_linkTiming.end() ? m_syncErrorBound : it->second.first).GetNanoSeconds();
}

int64_t
TsnConfigurator::Guard(const std::string& link) const
{
    auto it = m_linkTiming.find(link);
    const Time extra = it == m_linkTiming.end() ? m_guardBand : it->second.second;
    return 2 * SyncError(link) + extra.GetNanoSeconds();
}

void
TsnConfigurator::AddStream(const TsnStreamRequirement& stream)
{
    m_streams.push_back(stream);
}

void
TsnConfigurator::Clear()
{
    m_links.clear();
    m_linkTiming.clear();
    m_streams.clear();
    m_error.clear();
    m_busy.clear();
    m_schedules.clear();
    m_gcls.clear();
    m_hyper = 0;
}

std::string
TsnConfigurator::GetError() const
{
    return m_error;
}

Time
TsnConfigurator::GetHypercycle() const
{
    return NanoSeconds(m_hyper);
}

bool
TsnConfigurator::IsFree(
    const std::string& link, int64_t start, int64_t len, int64_t guard, int64_t period) const
{
    const int64_t s = start - guard;
    const int64_t e = start + len;
    if (s < 0 || e > period)
    {
        return false; // windows do not wrap around their period
    }
    auto it = m_busy.find(link);
    if (it == m_busy.end())
    {
        return true;
    }
    for (int64_t k = 0; k < m_hyper / period; ++k)
    {
        for (const auto& b : it->second)
        {
            if (s + k * period < b.end && b.start < e + k * period)
            {
                return false;
            }
        }
    }
    return true;
}

int64_t
TsnConfigurator::EarliestFit(
    const std::string& link, int64_t lb, int64_t len, int64_t guard, int64_t period) const
{
    std::set<int64_t> candidates{std::max(lb, guard)};
    auto it = m_busy.find(link);
    if (it != m_busy.end())
    {
        for (const auto& b : it->second)
        {
            const int64_t a = b.end % period + guard; // guard starts where a reservation ends
            if (a >= lb)
            {
                candidates.insert(a);
            }
        }
    }
    for (int64_t a : candidates)
    {
        if (a + len > period)
        {
            break;
        }
        if (IsFree(link, a, len, guard, period))
        {
            return a;
        }
    }
    return -1;
}

int64_t
TsnConfigurator::LargestGap(const std::string& link, int64_t period) const
{
    std::vector<std::pair<int64_t, int64_t>> iv;
    auto it = m_busy.find(link);
    if (it != m_busy.end())
    {
        for (const auto& b : it->second)
        {
            const int64_t s = b.start % period;
            const int64_t e = s + (b.end - b.start);
            if (e <= period)
            {
                iv.emplace_back(s, e);
            }
            else
            {
                iv.emplace_back(s, period);
                iv.emplace_back(0, e - period);
            }
        }
    }
    std::sort(iv.begin(), iv.end());
    int64_t best = 0;
    int64_t cursor = 0;
    for (const auto& [s, e] : iv)
    {
        best = std::max(best, s - cursor);
        cursor = std::max(cursor, e);
    }
    return std::max(best, period - cursor);
}

bool
TsnConfigurator::Compute()
{
    m_error.clear();
    m_busy.clear();
    m_schedules.clear();
    m_gcls.clear();
    m_hyper = 0;
    std::ostringstream err;

    // Validate the requirements.
    std::set<std::string> names;
    for (const auto& s : m_streams)
    {
        if (s.name.empty() || !names.insert(s.name).second)
        {
            err << "stream names must be unique and non-empty ('" << s.name << "')";
        }
        else if (s.period <= Time(0) || s.maxLatency <= Time(0))
        {
            err << "stream " << s.name << ": period and max latency must be positive";
        }
        else if (s.path.empty() || s.path.front().txNode != s.talker)
        {
            err << "stream " << s.name << ": the path must start at the talker (node " << s.talker
                << ")";
        }
        else
        {
            for (const auto& hop : s.path)
            {
                auto l = m_links.find(hop.link);
                if (l == m_links.end())
                {
                    err << "stream " << s.name << ": link " << hop.link << " is not declared";
                }
                else if (std::find(l->second.begin(), l->second.end(), hop.txNode) ==
                         l->second.end())
                {
                    err << "stream " << s.name << ": node " << hop.txNode << " has no port on link "
                        << hop.link;
                }
                else if (hop.frameDuration <= Time(0))
                {
                    err << "stream " << s.name << ": frame duration on link " << hop.link
                        << " must be positive";
                }
                if (!err.str().empty())
                {
                    break;
                }
            }
        }
        if (!err.str().empty())
        {
            m_error = err.str();
            return false;
        }
    }
    if (m_streams.empty())
    {
        return true;
    }

    // Hypercycle.
    int64_t hyper = 1;
    for (const auto& s : m_streams)
    {
        hyper = std::lcm(hyper, s.period.GetNanoSeconds());
        if (hyper > m_maxHypercycle.GetNanoSeconds())
        {
            m_error = "stream " + s.name + ": its period makes the hypercycle exceed " +
                      Us(m_maxHypercycle.GetNanoSeconds());
            return false;
        }
    }
    m_hyper = hyper;

    // Placement order: shortest period first, then tightest latency (stable).
    std::vector<size_t> order(m_streams.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(),
                     order.end(),
                     [this](size_t a, size_t b)
                     {
                         const auto& x = m_streams[a];
                         const auto& y = m_streams[b];
                         return x.period != y.period ? x.period < y.period
                                                     : x.maxLatency < y.maxLatency;
                     });

    // Capacity: the time each link must reserve per hypercycle.
    std::map<std::string, int64_t> used;
    for (size_t idx : order)
    {
        const auto& s = m_streams[idx];
        const int64_t reps = hyper / s.period.GetNanoSeconds();
        for (const auto& hop : s.path)
        {
            const int64_t e = SyncError(hop.link);
            const int64_t g = Guard(hop.link);
            const int64_t len = hop.frameDuration.GetNanoSeconds() + 2 * e;
            const int64_t need = reps * (g + len);
            if (used[hop.link] + need > hyper)
            {
                err << "stream " << s.name << " over-subscribes link " << hop.link << " by "
                    << Us(used[hop.link] + need - hyper) << " per hypercycle of " << Us(hyper)
                    << ": it needs " << Us(need) << " (" << reps << " x (frame "
                    << Us(hop.frameDuration.GetNanoSeconds()) << " + sync margin " << Us(2 * e)
                    << " + guard " << Us(g) << ")), only " << Us(hyper - used[hop.link]) << " left";
                m_error = err.str();
                return false;
            }
            used[hop.link] += need;
        }
    }

    // Placement, first fit.
    for (size_t idx : order)
    {
        const auto& s = m_streams[idx];
        const int64_t period = s.period.GetNanoSeconds();
        const int64_t reps = hyper / period;
        std::vector<int64_t> len;
        std::vector<int64_t> es;
        std::vector<int64_t> gs;
        for (const auto& hop : s.path)
        {
            es.push_back(SyncError(hop.link));
            gs.push_back(Guard(hop.link));
            len.push_back(hop.frameDuration.GetNanoSeconds() + 2 * es.back());
        }
        std::set<int64_t> firsts{gs[0]};
        for (const auto& b : m_busy[s.path[0].link])
        {
            firsts.insert(b.end % period + gs[0]);
        }
        int64_t bestLatency = -1;
        std::string hopFailure;
        bool placed = false;
        for (int64_t a0 : firsts)
        {
            if (!IsFree(s.path[0].link, a0, len[0], gs[0], period))
            {
                continue;
            }
            // Tentatively reserve hop by hop (a path may cross the same link twice).
            std::vector<int64_t> a{a0};
            std::vector<std::string> reserved;
            auto reserve = [&](size_t h)
            {
                for (int64_t k = 0; k < reps; ++k)
                {
                    TsnWindow w{s.name,
                                s.path[h].link,
                                s.path[h].txNode,
                                NanoSeconds(a[h] + k * period),
                                NanoSeconds(len[h]),
                                NanoSeconds(gs[h]),
                                s.period};
                    m_busy[s.path[h].link].push_back(
                        Busy{a[h] - gs[h] + k * period, a[h] + len[h] + k * period, w});
                }
                reserved.push_back(s.path[h].link);
            };
            reserve(0);
            bool ok = true;
            for (size_t h = 1; h < s.path.size(); ++h)
            {
                const Time hopP = s.path[h].processingDelay;
                const int64_t p = (hopP < Time(0) ? m_processingDelay : hopP).GetNanoSeconds();
                // The frame ends on hop h-1 by a + e + d = a + L - e; this hop's gate may open
                // e_h early.
                const int64_t lb = a[h - 1] + len[h - 1] - es[h - 1] + p + es[h];
                const int64_t ah = EarliestFit(s.path[h].link, lb, len[h], gs[h], period);
                if (ah < 0)
                {
                    std::ostringstream why;
                    why << "hop " << h << " on link " << s.path[h].link << " finds no free "
                        << Us(len[h] + gs[h]) << " between " << Us(lb) << " and the period end "
                        << Us(period) << " (largest free gap "
                        << Us(LargestGap(s.path[h].link, period)) << ")";
                    hopFailure = why.str();
                    ok = false;
                    break;
                }
                a.push_back(ah);
                reserve(h);
            }
            const int64_t latency = ok ? a.back() + len.back() - a0 + es[0] : -1;
            if (ok && latency <= s.maxLatency.GetNanoSeconds())
            {
                TsnStreamSchedule sched{
                    s.name, s.period, NanoSeconds(a0), NanoSeconds(latency), {}};
                for (size_t h = 0; h < s.path.size(); ++h)
                {
                    sched.windows.push_back(TsnWindow{s.name,
                                                      s.path[h].link,
                                                      s.path[h].txNode,
                                                      NanoSeconds(a[h]),
                                                      NanoSeconds(len[h]),
                                                      NanoSeconds(gs[h]),
                                                      s.period});
                }
                m_schedules[s.name] = sched;
                placed = true;
                break;
            }
            if (ok && (bestLatency < 0 || latency < bestLatency))
            {
                bestLatency = latency;
            }
            // Undo the tentative reservations.
            for (auto it = reserved.rbegin(); it != reserved.rend(); ++it)
            {
                m_busy[*it].resize(m_busy[*it].size() - reps);
            }
        }
        if (!placed)
        {
            const int64_t need = len[0] + gs[0];
            if (bestLatency >= 0)
            {
                err << "stream " << s.name << ": latency bound " << Us(bestLatency)
                    << " exceeds its max latency " << Us(s.maxLatency.GetNanoSeconds()) << " by "
                    << Us(bestLatency - s.maxLatency.GetNanoSeconds());
            }
            else if (!hopFailure.empty())
            {
                err << "stream " << s.name << ": " << hopFailure;
            }
            else
            {
                const int64_t gap = LargestGap(s.path[0].link, period);
                err << "stream " << s.name << " finds no free window on link " << s.path[0].link
                    << ": needs " << Us(need) << " per period " << Us(period)
                    << ", largest free gap " << Us(gap) << " (short by "
                    << Us(std::max<int64_t>(need - gap, 0)) << ")";
            }
            m_error = err.str();
            return false;
        }
    }
    BuildGcls();
    return true;
}

void
TsnConfigurator::BuildGcls()
{
    const uint8_t scheduled = 1u << m_scheduledTc;
    const auto bestEffort = static_cast<uint8_t>(0xFF & ~scheduled);
    for (auto& [link, busy] : m_busy)
    {
        if (busy.empty())
        {
            continue;
        }
        std::sort(busy.begin(),
                  busy.end(),
                  [](const Busy& x, const Busy& y) { return x.start < y.start; });
        for (uint32_t node : m_links[link])
        {
            std::vector<GateControlList::Entry> entries;
            auto add = [&entries](uint8_t states, int64_t ns)
            {
                if (ns <= 0)
                {
                    return;
                }
                if (!entries.empty() && entries.back().gateStates == states)
                {
                    entries.back().duration += NanoSeconds(ns);
                }
                else
                {
                    entries.push_back(GateControlList::Entry{states, NanoSeconds(ns)});
                }
            };
            int64_t cursor = 0;
            for (const auto& b : busy)
            {
                NS_ASSERT_MSG(b.start >= cursor, "overlapping reservations on " << link);
                add(bestEffort, b.start - cursor);
                add(0, b.window.guard.GetNanoSeconds());
                add(node == b.window.txNode ? scheduled : 0,
                    b.end - b.start - b.window.guard.GetNanoSeconds());
                cursor = b.end;
            }
            add(bestEffort, m_hyper - cursor);
            Ptr<GateControlList> gcl = CreateObject<GateControlList>();
            gcl->SetCycleTime(NanoSeconds(m_hyper));
            gcl->SetBaseTime(m_baseTime);
            for (const auto& entry : entries)
            {
                gcl->AddEntry(entry.gateStates, entry.duration);
            }
            std::string reason;
            NS_ASSERT_MSG(gcl->Validate(&reason), reason);
            m_gcls[{node, link}] = gcl;
        }
    }
}

Ptr<GateControlList>
TsnConfigurator::GetGateControlList(uint32_t node, const std::string& link) const
{
    auto it = m_gcls.find({node, link});
    return it == m_gcls.end() ? nullptr : it->second;
}

std::vector<std::pair<uint32_t, std::string>>
TsnConfigurator::GetPorts() const
{
    std::vector<std::pair<uint32_t, std::string>> ports;
    for (const auto& [key, gcl] : m_gcls)
    {
        ports.push_back(key);
    }
    return ports;
}

const TsnStreamSchedule&
TsnConfigurator::GetSchedule(const std::string& stream) const
{
    auto it = m_schedules.find(stream);
    NS_ABORT_MSG_IF(it == m_schedules.end(), "TsnConfigurator: no schedule for " << stream);
    return it->second;
}

std::vector<TsnWindow>
TsnConfigurator::GetWindows(const std::string& link) const
{
    std::vector<TsnWindow> windows;
    auto it = m_busy.find(link);
    if (it != m_busy.end())
    {
        for (const auto& b : it->second)
        {
            windows.push_back(b.window);
        }
    }
    std::sort(windows.begin(),
              windows.end(),
              [](const TsnWindow& x, const TsnWindow& y) { return x.open < y.open; });
    return windows;
}

} // namespace ns3
