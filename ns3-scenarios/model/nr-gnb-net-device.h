#ifndef FABTWIN_NR_GNB_NET_DEVICE_H
#define FABTWIN_NR_GNB_NET_DEVICE_H

#include "nr-gnb-mac.h"
#include "nr-net-device.h"

#include <map>

namespace ns3
{

class NrUeNetDevice;

/**
 * @brief The gNB's NetDevice: DL SDUs to a UE's address go to the gNB MAC; decoded UL SDUs come
 * up with the UE's address as source. The core-network (UPF) delay of the timing configuration
 * delays DL SDUs before they reach the MAC (the UL side adds it after decoding).
 */
class NrGnbNetDevice : public NrNetDevice
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrGnbNetDevice();

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

    /// @param mac the gNB MAC
    void SetMac(Ptr<NrGnbMac> mac);
    /// @return the gNB MAC
    Ptr<NrGnbMac> GetMac() const;
    /// @param timing timing shared with the UEs (core delay)
    void SetTiming(Ptr<NrLatencyModel> timing);
    /**
     * @brief Attach a UE (address <-> RNTI).
     * @param ue the UE device
     * @param rnti its RNTI
     */
    void AttachUe(Ptr<NrUeNetDevice> ue, uint16_t rnti);
    /// @param rnti a UE @return its address
    Mac48Address GetUeAddress(uint16_t rnti) const;
    /// @param address a UE's address @return its RNTI, 0 if not attached
    uint16_t GetRnti(Mac48Address address) const;

  protected:
    void DoDispose() override;

  private:
    /// @param rnti source @param p SDU @param protocol L3 protocol @param rec its journey
    void MacDeliver(uint16_t rnti, Ptr<Packet> p, uint16_t protocol, const NrPacketRecord& rec);

    Ptr<NrGnbMac> m_mac;                       ///< MAC
    Ptr<NrLatencyModel> m_timing;              ///< timing
    std::map<Mac48Address, uint16_t> m_rntiOf; ///< address -> RNTI
    std::map<uint16_t, Mac48Address> m_addrOf; ///< RNTI -> address
};

} // namespace ns3

#endif // FABTWIN_NR_GNB_NET_DEVICE_H
