#ifndef FABTWIN_TWIN_BRIDGE_H
#define FABTWIN_TWIN_BRIDGE_H

#include "twin-protocol.h"

#include <zmq.hpp>

#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace ns3
{

/// A request that is not a well-formed message of our protocol version.
class ProtocolError : public std::runtime_error
{
  public:
    using std::runtime_error::runtime_error;
};

/// One request from the twin: the header and the frames that follow it.
struct TwinRequest
{
    twinproto::MessageHeader header{};     ///< frame 0
    std::vector<zmq::message_t> frames;    ///< frames 1..N
    twinproto::MsgType Type() const;       ///< @return header.type as an enum
    std::string Text(std::size_t i) const; ///< @return frame i+1 as a string

    /**
     * Copies frame i+1 into records, checking its size against the header count.
     * @param i frame index after the header
     * @param count number of records the header announces
     * @param name record name for error messages
     * @return the records
     */
    template <typename T>
    std::vector<T> Records(std::size_t i, uint32_t count, const char* name) const
    {
        if (i >= frames.size())
        {
            throw ProtocolError(std::string("missing frame for ") + name);
        }
        const auto& f = frames[i];
        if (f.size() != count * sizeof(T))
        {
            throw ProtocolError(std::string(name) + " frame has " + std::to_string(f.size()) +
                                " bytes; the header announces " + std::to_string(count) +
                                " records of " + std::to_string(sizeof(T)) + " bytes");
        }
        std::vector<T> out(count);
        if (count > 0)
        {
            std::memcpy(out.data(), f.data(), f.size()); // frames may be unaligned
        }
        return out;
    }
};

/**
 * @brief The ns-3 end of the lockstep bridge: a ZeroMQ REP socket connected to the twin.
 *
 * The twin owns the endpoint (it binds; we connect). Every request gets exactly one reply; a
 * malformed request is answered with an ERROR message rather than ignored, so the twin never hangs.
 * Wire format: twin/bridge/protocol.py (the declaration) and twin-protocol.h (generated from it).
 */
class TwinBridge
{
  public:
    /**
     * @param endpoint ZeroMQ endpoint the twin bound, ipc:// or tcp://127.0.0.1:port
     * @param idleTimeoutMs give up waiting for a request after this long (<= 0: wait forever)
     */
    TwinBridge(const std::string& endpoint, int idleTimeoutMs);

    /**
     * Waits for the next request and checks magic, version and frame count.
     * @return the request, or nothing if none arrived within the idle timeout
     * @throws ProtocolError if the request is malformed (the caller must still reply)
     */
    std::optional<TwinRequest> Receive();

    /// Sends a reply with a UTF-8 payload frame (READY's JSON, ERROR's text).
    void SendText(twinproto::MsgType type, const std::string& text);
    /// Sends a reply made of the header only (BYE).
    void SendEmpty(twinproto::MsgType type);
    /// Sends a REPORT.
    void SendReport(int64_t nowNs,
                    const std::vector<twinproto::DeliveryRecord>& deliveries,
                    const std::vector<twinproto::DropRecord>& drops,
                    const std::vector<twinproto::LinkStatsRecord>& stats,
                    const std::vector<twinproto::TransmissionRecord>& transmissions);

  private:
    static twinproto::MessageHeader MakeHeader(twinproto::MsgType type, int64_t timeNs);

    zmq::context_t m_context;
    zmq::socket_t m_socket;
};

} // namespace ns3

#endif // FABTWIN_TWIN_BRIDGE_H
