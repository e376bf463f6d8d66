#ifndef FABTWIN_NR_UE_NET_DEVICE_H
#define FABTWIN_NR_UE_NET_DEVICE_H

#include "nr-net-device.h"
#include "nr-ue-mac.h"

namespace ns3
{

/**
 * @brief The UE's NetDevice: every UL SDU goes to the UE MAC (toward its gNB, whatever the
 * destination address); decoded DL SDUs come up with the gNB's address as source.
 */
class NrUeNetDevice : public NrNetDevice
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrUeNetDevice();

    bool Send(Ptr<Packet> packet, const Address& dest, uint16_t protocolNumber) override;

    /// @param mac the UE MAC
    void SetMac(Ptr<NrUeMac> mac);
    /// @return the UE MAC
    Ptr<NrUeMac> GetMac() const;
    /// @param gnb the serving gNB's address (set by NrGnbNetDevice::AttachUe)
    void SetGnbAddress(Mac48Address gnb);

  protected:
    void DoDispose() override;

  private:
    /// @param p SDU @param protocol L3 protocol @param rec its journey
    void MacDeliver(Ptr<Packet> p, uint16_t protocol, const NrPacketRecord& rec);

    Ptr<NrUeMac> m_mac; ///< MAC
    Mac48Address m_gnb; ///< serving gNB
};

} // namespace ns3

#endif // FABTWIN_NR_UE_NET_DEVICE_H
