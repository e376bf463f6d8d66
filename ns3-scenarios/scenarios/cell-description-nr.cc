#include "cell-description-nr.h"

#include "cell-description-json.h"
#include "cell-description.h"

#include "../model/nr-mcs-table.h"
#include "../model/nr-tbs-calculator.h"

#include <set>

namespace ns3
{

namespace
{

using celljson::Fail;
using celljson::Get;
using Json = celljson::Json;

/// RBs at the carrier top that carry PUCCH (NrUeMac::PUCCH_RBS): no CG resource may use them.
constexpr uint32_t kPucchRbs = 4;

/// Checks v in [lo, hi]; else Fail(field, "allowed: lo..hi (why)").
template <typename T>
void
Range(T v, T lo, T hi, const std::string& field, const std::string& why = "")
{
    if (!(v >= lo && v <= hi))
    {
        Fail(field,
             std::to_string(v) + " is out of range; allowed: " + std::to_string(lo) + ".." +
                 std::to_string(hi) + (why.empty() ? "" : " (" + why + ")"));
    }
}

/// Parses the "nr" section into d.nr (d.nr.present is set by the caller).
void
ParseSection(const Json& s, NrDescription& n)
{
    const std::string p = "nr";
    n.numerology = Get<uint32_t>(s, "numerology", p, n.numerology);
    Range(n.numerology, 0u, 3u, "nr.numerology", "TS 38.211 Table 4.2-1, normal CP");
    n.duplex = Get<std::string>(s, "duplex", p, n.duplex);
    if (n.duplex != "FDD")
    {
        if (n.duplex.empty() || n.duplex.size() > 80 ||
            n.duplex.find_first_not_of("DSU") != std::string::npos)
        {
            Fail("nr.duplex",
                 "'" + n.duplex + "' allowed: FDD or a TDD pattern of 1..80 slots D, S, U");
        }
        if (n.duplex.find('U') == std::string::npos && n.duplex.find('S') == std::string::npos)
        {
            Fail("nr.duplex", "'" + n.duplex + "' has no uplink symbols (needs a U or S slot)");
        }
    }
    auto special = Get<std::vector<uint32_t>>(s, "special_slot_symbols", p, {10, 2, 2});
    if (special.size() != 3 || special[0] + special[1] + special[2] != 14)
    {
        Fail("nr.special_slot_symbols", "must be [DL, guard, UL] symbols summing to 14");
    }
    n.specialDlSymbols = special[0];
    n.specialUlSymbols = special[2];
    n.allocationSymbols = Get<uint32_t>(s, "allocation_symbols", p, n.allocationSymbols);
    if (std::set<uint32_t>{2, 4, 7, 14}.count(n.allocationSymbols) == 0)
    {
        Fail("nr.allocation_symbols",
             "allowed: 14 (slot) or 2, 4, 7 (mini-slot, TS 38.214 §5.1.2.1 mapping type B)");
    }
    n.coresetSymbols = Get<uint32_t>(s, "coreset_symbols", p, n.coresetSymbols);
    Range(n.coresetSymbols, 1u, 3u, "nr.coreset_symbols", "TS 38.211 §7.3.2.2");
    n.pucchSymbols = Get<uint32_t>(s, "pucch_symbols", p, n.pucchSymbols);
    Range(n.pucchSymbols, 1u, 2u, "nr.pucch_symbols", "short PUCCH, TS 38.211 §6.3.2.1");
    if (n.allocationSymbols < 14 && n.coresetSymbols >= n.allocationSymbols)
    {
        Fail("nr.coreset_symbols", "must be shorter than a mini-slot (allocation_symbols)");
    }
    n.carrierFrequencyHz = Get<double>(s, "carrier_frequency_hz", p, n.carrierFrequencyHz);
    Range(n.carrierFrequencyHz, 0.4e9, 52.6e9, "nr.carrier_frequency_hz", "FR1 and FR2-1");
    n.ulCarrierFrequencyHz = Get<double>(s, "ul_carrier_frequency_hz", p, 0.0);
    if (n.ulCarrierFrequencyHz != 0)
    {
        Range(n.ulCarrierFrequencyHz, 0.4e9, 52.6e9, "nr.ul_carrier_frequency_hz", "0 = auto");
    }
    n.numRbs = Get<uint32_t>(s, "num_rbs", p, n.numRbs);
    Range(n.numRbs, 11u, 275u, "nr.num_rbs", "TS 38.101-1 Table 5.3.2-1");
    n.controlRbs = Get<uint32_t>(s, "control_rbs", p, n.controlRbs);
    Range(n.controlRbs, 4u, n.numRbs, "nr.control_rbs", "4 RBs per UL grant, at most num_rbs");
    n.gnbTxPowerDbm = Get<double>(s, "gnb_tx_power_dbm", p, n.gnbTxPowerDbm);
    Range(n.gnbTxPowerDbm, -10.0, 50.0, "nr.gnb_tx_power_dbm");
    n.ueTxPowerDbm = Get<double>(s, "ue_tx_power_dbm", p, n.ueTxPowerDbm);
    Range(n.ueTxPowerDbm, -10.0, 33.0, "nr.ue_tx_power_dbm");
    n.gnbNoiseFigureDb = Get<double>(s, "gnb_noise_figure_db", p, n.gnbNoiseFigureDb);
    Range(n.gnbNoiseFigureDb, 0.0, 20.0, "nr.gnb_noise_figure_db");
    n.ueNoiseFigureDb = Get<double>(s, "ue_noise_figure_db", p, n.ueNoiseFigureDb);
    Range(n.ueNoiseFigureDb, 0.0, 20.0, "nr.ue_noise_figure_db");
    n.mcsTable = Get<std::string>(s, "mcs_table", p, n.mcsTable);
    if (n.mcsTable != "qam64" && n.mcsTable != "qam256" && n.mcsTable != "qam64_lowse")
    {
        Fail("nr.mcs_table",
             "'" + n.mcsTable + "' allowed: qam64, qam256, qam64_lowse (TS 38.214 5.1.3.1-1..3)");
    }
    n.targetBler = Get<double>(s, "target_bler", p, n.targetBler);
    Range(n.targetBler, 1e-9, 0.5, "nr.target_bler");
    Json bler = s.value("bler", Json::object());
    n.implementationGapDb = Get<double>(bler, "implementation_gap_db", "nr.bler", 2.0);
    Range(n.implementationGapDb, 0.0, 10.0, "nr.bler.implementation_gap_db");
    n.curveSigmaDb = Get<double>(bler, "curve_sigma_db", "nr.bler", 0.5);
    Range(n.curveSigmaDb, 0.01, 5.0, "nr.bler.curve_sigma_db");
    n.ueCapability = Get<uint32_t>(s, "ue_capability", p, n.ueCapability);
    Range(n.ueCapability, 1u, 2u, "nr.ue_capability", "TS 38.214 Tables 5.3-1/2");
    if (n.ueCapability == 2 && n.numerology == 3)
    {
        Fail("nr.ue_capability", "2 is not defined for numerology 3 (TS 38.214 Table 5.3-2)");
    }
    n.ulAccess = Get<std::string>(s, "ul_access", p, n.ulAccess);
    if (n.ulAccess != "dynamic_grant" && n.ulAccess != "configured_grant")
    {
        Fail("nr.ul_access", "'" + n.ulAccess + "' allowed: dynamic_grant, configured_grant");
    }
    Json sr = s.value("sr", Json::object());
    n.srPeriodSymbols = Get<uint32_t>(sr, "period_symbols", "nr.sr", n.srPeriodSymbols);
    Range(n.srPeriodSymbols, 1u, 640u * 14u, "nr.sr.period_symbols", "TS 38.331 SR period");
    n.srOffsetSymbols = Get<uint32_t>(sr, "offset_symbols", "nr.sr", n.srOffsetSymbols);
    Range(n.srOffsetSymbols, 0u, n.srPeriodSymbols - 1, "nr.sr.offset_symbols");
    n.srGrantBytes = Get<uint32_t>(sr, "grant_bytes", "nr.sr", n.srGrantBytes);
    Range(n.srGrantBytes, 8u, 10000u, "nr.sr.grant_bytes");
    Json cg = s.value("cg", Json::object());
    n.cgPeriodSymbols = Get<uint32_t>(cg, "period_symbols", "nr.cg", n.cgPeriodSymbols);
    Range(n.cgPeriodSymbols, 2u, 640u * 14u, "nr.cg.period_symbols", "TS 38.331 periodicity");
    n.cgOffsetSlots = Get<uint32_t>(cg, "offset_slots", "nr.cg", n.cgOffsetSlots);
    Range(n.cgOffsetSlots, 0u, 5119u, "nr.cg.offset_slots", "timeDomainOffset");
    n.cgStartSymbol = Get<uint32_t>(cg, "start_symbol", "nr.cg", n.cgStartSymbol);
    Range(n.cgStartSymbol, 0u, 13u, "nr.cg.start_symbol");
    n.cgBytes = Get<uint32_t>(cg, "bytes", "nr.cg", n.cgBytes);
    Range(n.cgBytes, 8u, 10000u, "nr.cg.bytes");
    n.cgRbsPerUe = Get<uint32_t>(cg, "rbs_per_ue", "nr.cg", n.cgRbsPerUe);
    Range(n.cgRbsPerUe, 1u, n.numRbs - kPucchRbs, "nr.cg.rbs_per_ue");
    const auto table = NrMcsTableOf(n.mcsTable);
    n.cgMcs = Get<uint32_t>(cg, "mcs", "nr.cg", n.cgMcs);
    Range(n.cgMcs,
          0u,
          static_cast<uint32_t>(NrMcsTable::GetMaxMcs(table)),
          "nr.cg.mcs",
          "of mcs_table");
    n.gnbSchedulingSymbols = Get<double>(s, "gnb_scheduling_symbols", p, n.gnbSchedulingSymbols);
    Range(n.gnbSchedulingSymbols, 0.0, 140.0, "nr.gnb_scheduling_symbols");
    n.gnbDecodingSymbols = Get<double>(s, "gnb_decoding_symbols", p, n.gnbDecodingSymbols);
    Range(n.gnbDecodingSymbols, 0.0, 140.0, "nr.gnb_decoding_symbols");
    n.harqMaxTransmissions = Get<uint32_t>(s, "harq_max_transmissions", p, n.harqMaxTransmissions);
    Range(n.harqMaxTransmissions, 1u, 16u, "nr.harq_max_transmissions");
    n.coreDelayS = Get<double>(s, "core_delay_s", p, n.coreDelayS);
    Range(n.coreDelayS, 0.0, 1.0, "nr.core_delay_s");
    n.initialSinrDb = Get<double>(s, "initial_sinr_db", p, n.initialSinrDb);
    Range(n.initialSinrDb, -20.0, 50.0, "nr.initial_sinr_db");
    n.maxQueuePackets = Get<uint32_t>(s, "max_queue_packets", p, n.maxQueuePackets);
    Range(n.maxQueuePackets, 1u, 100000u, "nr.max_queue_packets");
}

} // namespace

NrMcsTable::Table
NrMcsTableOf(const std::string& name)
{
    if (name == "qam256")
    {
        return NrMcsTable::Table::QAM256;
    }
    if (name == "qam64_lowse")
    {
        return NrMcsTable::Table::QAM64_LOWSE;
    }
    return NrMcsTable::Table::QAM64;
}

void
ParseNrParts(const Json& j, CellDescription& d)
{
    // Node radios: ap/sta carry Wi-Fi ("both" adds the gNB / a UE), gnb/ue carry NR only.
    int gnb = -1;
    uint32_t ues = 0;
    for (std::size_t i = 0; i < d.nodes.size(); ++i)
    {
        auto& nd = d.nodes[i];
        const std::string path = "nodes[" + std::to_string(i) + "].radio";
        const bool nrRole = nd.role == "gnb" || nd.role == "ue";
        if (nrRole && !j["nodes"][i].contains("radio"))
        {
            nd.radio = "nr";
        }
        if (nrRole && nd.radio != "nr")
        {
            Fail(path, "'" + nd.radio + "': a node with role " + nd.role + " has radio nr");
        }
        if (!nrRole && nd.radio != "wifi" && nd.radio != "both" &&
            (nd.radio != "wired" || nd.role != "sta"))
        {
            Fail(path,
                 "'" + nd.radio + "' is not allowed for role " + nd.role +
                     "; allowed: wifi, both (ap: AP + gNB, sta: station + UE), wired (sta only)");
        }
        if (!d.HasNr(i))
        {
            continue;
        }
        if (nd.role == "gnb" || nd.role == "ap")
        {
            if (gnb >= 0)
            {
                Fail(path,
                     "a second gNB ('" + nd.name + "'; '" + d.nodes[gnb].name +
                         "' is one): one NR cell per description");
            }
            gnb = static_cast<int>(i);
        }
        else
        {
            ++ues;
        }
    }
    d.nr.present = gnb >= 0 || ues > 0;
    if (d.nr.present && gnb < 0)
    {
        Fail("nodes", "NR UEs need a gNB: a node with role gnb, or the ap with radio both");
    }
    if (j.contains("nr"))
    {
        if (!j.at("nr").is_object())
        {
            Fail("nr", "must be an object");
        }
        ParseSection(j.at("nr"), d.nr);
    }
    if (d.nr.present && d.nr.ulAccess == "configured_grant" &&
        ues * d.nr.cgRbsPerUe > d.nr.numRbs - kPucchRbs)
    {
        Fail("nr.cg.rbs_per_ue",
             std::to_string(ues) + " UEs x " + std::to_string(d.nr.cgRbsPerUe) +
                 " RBs do not fit the " + std::to_string(d.nr.numRbs - kPucchRbs) +
                 " RBs below the PUCCH region");
    }
    if (d.nr.present && d.nr.ulAccess == "configured_grant")
    {
        // The CG resource must carry cg.bytes (TS 38.214 §5.1.3.2, DM-RS-only first symbol).
        const auto& row = NrMcsTable::GetRow(NrMcsTableOf(d.nr.mcsTable), d.nr.cgMcs);
        const uint32_t tbs = NrTbsCalculator::GetTbs({d.nr.cgRbsPerUe,
                                                      d.nr.allocationSymbols,
                                                      12,
                                                      0,
                                                      row.qm,
                                                      row.rateX1024 / 1024.0,
                                                      1}) /
                             8;
        if (tbs < d.nr.cgBytes)
        {
            Fail("nr.cg",
                 std::to_string(d.nr.cgRbsPerUe) + " RBs at MCS " + std::to_string(d.nr.cgMcs) +
                     " carry " + std::to_string(tbs) + " bytes < cg.bytes " +
                     std::to_string(d.nr.cgBytes) + ": raise rbs_per_ue or mcs");
        }
    }

    Json flows = j.value("flows", Json::array());
    for (std::size_t i = 0; i < d.flows.size(); ++i)
    {
        auto& fd = d.flows[i];
        const std::string path = "flows[" + std::to_string(i) + "].radio";
        fd.radio = Get<std::string>(flows[i], "radio", "flows[" + std::to_string(i) + "]", "wifi");
        if (fd.radio != "wifi" && fd.radio != "nr" && fd.radio != "both")
        {
            Fail(path, "'" + fd.radio + "' allowed: wifi, nr, both");
        }
        const auto onLan = [&d](uint32_t n) { return d.HasWifi(n) || d.IsWired(n); };
        if (fd.radio != "nr" &&
            (!onLan(fd.src) || !onLan(fd.dst) ||
             (fd.radio == "both" && (!d.HasWifi(fd.src) || !d.HasWifi(fd.dst)))))
        {
            Fail(path,
                 "'" + fd.radio + "' needs a Wi-Fi radio (wifi: or a wired port) at both ends ('" +
                     d.nodes[fd.src].name + "', '" + d.nodes[fd.dst].name + "')");
        }
        if (fd.radio != "wifi")
        {
            const bool ok = d.HasNr(fd.src) && d.HasNr(fd.dst) &&
                            (static_cast<int>(fd.src) == gnb || static_cast<int>(fd.dst) == gnb);
            if (!ok)
            {
                Fail(path,
                     "'" + fd.radio +
                         "' needs an NR radio at both ends and the gNB at one of them "
                         "(UE-to-UE relaying is not modelled)");
            }
        }
    }
    if (j.contains("tsn"))
    {
        for (std::size_t i = 0; i < d.nodes.size(); ++i)
        {
            if (!d.HasWifi(i) && !d.IsWired(i))
            {
                Fail("tsn",
                     "clocks and gPTP run over Wi-Fi and Ethernet; node '" + d.nodes[i].name +
                         "' has neither");
            }
        }
    }
}

} // namespace ns3
