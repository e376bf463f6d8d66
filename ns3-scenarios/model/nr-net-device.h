#ifndef FABTWIN_NR_NET_DEVICE_H
#define FABTWIN_NR_NET_DEVICE_H

#include "nr-packet-record.h"
#include "nr-spectrum-phy.h"

#include "ns3/mac48-address.h"
#include "ns3/net-device.h"
#include "ns3/node.h"
#include "ns3/traced-callback.h"

#include <cstdint>

namespace ns3
{

/**
 * @brief What NrGnbNetDevice and NrUeNetDevice share: the NetDevice plumbing (addresses, MTU,
 * callbacks, node) and the PHY. Packets enter at the NetDevice level (no IP needed), as on the
 * Wi-Fi side.
 */
class NrNetDevice : public NetDevice
{
  public:
    /**
     * @brief Get the type ID.
     * @return the object TypeId
     */
    static TypeId GetTypeId();
    NrNetDevice();

    void SetIfIndex(const uint32_t index) override;
    uint32_t GetIfIndex() const override;
    Ptr<Channel> GetChannel() const override;
    void SetAddress(Address address) override;
    Address GetAddress() const override;
    bool SetMtu(const uint16_t mtu) override;
    uint16_t GetMtu() const override;
    bool IsLinkUp() const override;
    void AddLinkChangeCallback(Callback<void> callback) override;
    bool IsBroadcast() const override;
    Address GetBroadcast() const override;
    bool IsMulticast() const override;
    Address GetMulticast(Ipv4Address multicastGroup) const override;
    Address GetMulticast(Ipv6Address addr) const override;
    bool IsBridge() const override;
    bool IsPointToPoint() const override;
    bool SendFrom(Ptr<Packet> packet,
                  const Address& source,
                  const Address& dest,
                  uint16_t protocolNumber) override;
    Ptr<Node> GetNode() const override;
    void SetNode(Ptr<Node> node) override;
    bool NeedsArp() const override;
    void SetReceiveCallback(NetDevice::ReceiveCallback cb) override;
    void SetPromiscReceiveCallback(PromiscReceiveCallback cb) override;
    bool SupportsSendFrom() const override;

    /// @param phy the PHY (its device and mobility are set when the node is known)
    void SetPhy(Ptr<NrSpectrumPhy> phy);
    /// @return the PHY
    Ptr<NrSpectrumPhy> GetPhy() const;
    /// @return the MAC-48 address
    Mac48Address GetMac48Address() const;

    /// TracedCallback signature of RxRecord: the SDU and its journey.
    typedef void (*RxRecordTracedCallback)(Ptr<const Packet> p, const NrPacketRecord& rec);

  protected:
    void DoDispose() override;
    /**
     * @brief Hand a received SDU to the upper layer.
     * @param p packet
     * @param protocol L3 protocol
     * @param from sender address
     * @param rec the SDU's NR journey (fires the RxRecord trace)
     */
    void ForwardUp(Ptr<Packet> p, uint16_t protocol, Mac48Address from, const NrPacketRecord& rec);

    TracedCallback<Ptr<const Packet>> m_macTxTrace;                           ///< MacTx
    TracedCallback<Ptr<const Packet>> m_macRxTrace;                           ///< MacRx
    TracedCallback<Ptr<const Packet>, const NrPacketRecord&> m_rxRecordTrace; ///< RxRecord

  private:
    Ptr<Node> m_node;                         ///< node
    Ptr<NrSpectrumPhy> m_phy;                 ///< PHY
    uint32_t m_ifIndex{0};                    ///< interface index
    uint16_t m_mtu{1500};                     ///< MTU
    Mac48Address m_address;                   ///< address
    NetDevice::ReceiveCallback m_rxCallback;  ///< upper layer
    PromiscReceiveCallback m_promiscCallback; ///< promiscuous upper layer
};

} // namespace ns3

#endif // FABTWIN_NR_NET_DEVICE_H
