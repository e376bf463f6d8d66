#ifndef FABTWIN_CELL_DESCRIPTION_NR_H
#define FABTWIN_CELL_DESCRIPTION_NR_H

#include "../model/nr-mcs-table.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * @brief The optional "nr" section of the cell description: one 5G NR cell (one gNB and its UEs)
 * on the cell's spectrum channel. Every field maps onto an attribute of the NR model
 * (docs/nr.md, "In the cell"); the defaults are those attributes' defaults.
 */
struct NrDescription
{
    bool present{false};                   ///< some node has an NR radio
    uint32_t numerology{1};                ///< mu 0..3 (TS 38.211 §4.2)
    std::string duplex{"DDDSU"};           ///< TDD slot pattern (D, S, U) or "FDD"
    uint32_t specialDlSymbols{10};         ///< S slot: DL symbols
    uint32_t specialUlSymbols{2};          ///< S slot: UL symbols (the rest is guard)
    uint32_t allocationSymbols{14};        ///< 14 = slot-based; 2, 4, 7 = mini-slot
    uint32_t coresetSymbols{1};            ///< CORESET duration, 1..3
    uint32_t pucchSymbols{1};              ///< short PUCCH, 1..2
    double carrierFrequencyHz{3.7e9};      ///< DL (TDD: the) carrier
    double ulCarrierFrequencyHz{0};        ///< FDD UL carrier; 0 = two carrier widths below
    uint32_t numRbs{51};                   ///< carrier width in RBs (TS 38.101-1 Table 5.3.2-1)
    uint32_t controlRbs{8};                ///< PDCCH region, 4 RBs per UL grant
    double gnbTxPowerDbm{30};              ///< gNB transmit power (whole carrier)
    double ueTxPowerDbm{23};               ///< UE transmit power (on its allocation)
    double gnbNoiseFigureDb{5};            ///< gNB noise figure
    double ueNoiseFigureDb{7};             ///< UE noise figure
    std::string mcsTable{"qam64"};         ///< "qam64", "qam256" or "qam64_lowse"
    double targetBler{0.1};                ///< link adaptation target BLER of a first transmission
    double implementationGapDb{2.0};       ///< BLER curves: Shannon gap
    double curveSigmaDb{0.5};              ///< BLER curves: waterfall width
    uint32_t ueCapability{1};              ///< UE processing capability 1 or 2 (TS 38.214 §5.3)
    std::string ulAccess{"dynamic_grant"}; ///< "dynamic_grant" or "configured_grant"
    uint32_t srPeriodSymbols{14};          ///< SR PUCCH period
    uint32_t srOffsetSymbols{13};          ///< SR PUCCH offset
    uint32_t srGrantBytes{64};             ///< bytes granted on an SR
    uint32_t cgPeriodSymbols{14};          ///< CG Type 1 periodicity
    uint32_t cgOffsetSlots{0};             ///< CG timeDomainOffset
    uint32_t cgStartSymbol{0};             ///< CG first symbol in the slot
    uint32_t cgBytes{64};                  ///< CG TB capacity the UE may fill
    uint32_t cgRbsPerUe{20};               ///< CG RBs of each UE (UE k: RBs k*n .. k*n+n-1)
    uint32_t cgMcs{20};                    ///< CG MCS (of mcs_table)
    double gnbSchedulingSymbols{4};        ///< gNB scheduling delay
    double gnbDecodingSymbols{4};          ///< gNB PUSCH decoding delay
    uint32_t harqMaxTransmissions{4};      ///< HARQ transmissions before a TB is dropped
    double coreDelayS{0};                  ///< UPF / core network one-way delay
    double initialSinrDb{10};              ///< link adaptation before the first report
    uint32_t maxQueuePackets{500};         ///< per UE (UL) and per UE at the gNB (DL)
};

struct CellDescription;

/**
 * @param name an nr.mcs_table value: "qam64", "qam256" or "qam64_lowse"
 * @return the MCS table (TS 38.214 Tables 5.1.3.1-1, -2, -3); qam64 for anything else
 */
NrMcsTable::Table NrMcsTableOf(const std::string& name);

/**
 * @brief Parses the NR parts of a description: the "nr" section, the NR roles and radios of the
 * nodes and the radio of every flow. Called once the nodes and flows are parsed (Wi-Fi view).
 * @param j the whole description
 * @param d the description so far; nr, nodes[i].radio and flows[i].radio are filled in
 * @throws std::invalid_argument naming the field and the allowed values
 */
void ParseNrParts(const nlohmann::json& j, CellDescription& d);

} // namespace ns3

#endif // FABTWIN_CELL_DESCRIPTION_NR_H
