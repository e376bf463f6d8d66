#ifndef FABTWIN_NR_PACKET_RECORD_H
#define FABTWIN_NR_PACKET_RECORD_H

#include "ns3/nstime.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief The NR journey of one delivered SDU, for per-packet reports (the NR counterpart of the
 * Wi-Fi side's queueing / airtime / retries / SINR / MCS fields).
 *
 *  - queueing + access = firstTx - arrival (DL: waiting for a scheduling unit; UL dynamic: SR,
 *    grant and PUSCH preparation; UL CG: preparation and occasion alignment);
 *  - grant wait (UL dynamic) = grant - arrival;
 *  - airtime = duration of the shared channel of the last transmission;
 *  - decoding = delivered - end of the last transmission.
 */
struct NrPacketRecord
{
    Time arrival;   ///< SDU reached the sender's MAC
    Time grant;     ///< UL dynamic: the UE received the grant of the first PUSCH; else -1
    Time firstTx;   ///< start of the first PDSCH/PUSCH carrying it
    Time lastTx;    ///< start of the transmission that was decoded
    Time airtime;   ///< duration of that transmission
    Time delivered; ///< handed to the receiver's upper layer
    uint32_t transmissions{1}; ///< HARQ transmissions used (1 = no retransmission)
    double sinrDb{0};          ///< effective SINR of the decoded transmission (before combining)
    uint8_t mcs{0};            ///< MCS index
    uint8_t mcsTable{0};       ///< NrMcsTable::Table as a number
};

} // namespace ns3

#endif // FABTWIN_NR_PACKET_RECORD_H
